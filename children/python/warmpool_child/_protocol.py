"""Frames of the child protocol: strict encoding, strict decoding, field checks.

The wire format is described in the repository's ``docs/protocol.md``: one JSON object per
line, UTF-8, at most :data:`MAX_FRAME_BYTES` bytes without the newline.
"""

from __future__ import annotations

import json
from typing import Any, Dict, Union, cast

#: Largest frame, in bytes of UTF-8 without the terminating newline, either end may send.
MAX_FRAME_BYTES = 1024 * 1024

#: Longest ``error`` text of ``failed`` and ``initFailed``, in bytes of UTF-8.
MAX_ERROR_BYTES = 8 * 1024

_INT64_MIN = -(2**63)
_INT64_MAX = 2**63 - 1

JobId = Union[str, int, float]
"""A job id exactly as the worker sent it: a JSON string or number."""

Message = Dict[str, Any]


class ProtocolError(Exception):
    """The worker sent something the protocol does not allow (the child then exits, status 3)."""


class FrameTooLargeError(ValueError):
    """A message would be larger than the 1 MiB frame limit of the protocol.

    Raised by :meth:`warmpool_child.JobContext.output` for data that is too large; a result
    that is too large fails the job with this error instead of breaking the channel.
    """


def _reject_constant(name: str) -> Any:
    # Python's json accepts NaN and Infinity, JSON does not; the worker would reject them.
    raise ValueError(f"{name} is not valid JSON")


def encode(message: Message) -> bytes:
    """Encode one frame, newline included, exactly as it goes on the channel.

    Raises:
        TypeError: a value is not JSON-serialisable (the message names its type).
        ValueError: a float is NaN or infinite, or a string holds a lone surrogate.
        FrameTooLargeError: the frame is over :data:`MAX_FRAME_BYTES`.
    """
    try:
        text = json.dumps(message, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    except ValueError as e:  # NaN/Infinity: say so in words a job author understands
        raise ValueError(f"not valid JSON: {e} (NaN and infinities have no JSON form)") from None
    except RecursionError:
        raise ValueError("not valid JSON: the value is nested too deeply or refers to itself") from None
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("not valid JSON: a string holds a lone surrogate, which UTF-8 cannot encode") from None
    if len(data) > MAX_FRAME_BYTES:
        raise FrameTooLargeError(
            f"the {message.get('type')} message would be {len(data):,} bytes of JSON, over the "
            f"protocol's frame limit of {MAX_FRAME_BYTES:,} bytes (1 MiB); send large data in "
            "parts (several outputs) or out of band (a file, an object store) and pass a reference"
        )
    return data + b"\n"


def decode(line: bytes) -> Message:
    """Decode one received frame (without its newline) into a message with a string ``type``.

    Raises:
        ProtocolError: the frame is not UTF-8, not JSON, not an object, or has no string type.
    """
    try:
        value = json.loads(line.decode("utf-8"), parse_constant=_reject_constant)
    except UnicodeDecodeError as e:
        raise ProtocolError(f"frame is not UTF-8 ({e.reason} at byte {e.start})") from None
    except (ValueError, RecursionError) as e:
        raise ProtocolError(f"frame is not JSON ({e})") from None
    if not isinstance(value, dict):
        raise ProtocolError(f"frame is a JSON {type(value).__name__}, not an object")
    message = cast(Message, value)  # JSON object keys are always strings
    if not isinstance(message.get("type"), str):
        raise ProtocolError("frame has no string field 'type'")
    return message


def require_string(message: Message, field: str) -> str:
    """The string ``field`` of ``message``, or a :class:`ProtocolError` naming it."""
    value = _require(message, field)
    if not isinstance(value, str):
        raise ProtocolError(_mistyped(message, field, "a string"))
    return value


def require_object(message: Message, field: str) -> Dict[str, Any]:
    """The JSON object ``field`` of ``message``, or a :class:`ProtocolError` naming it."""
    value = _require(message, field)
    if not isinstance(value, dict):
        raise ProtocolError(_mistyped(message, field, "an object"))
    return cast(Dict[str, Any], value)


def require_integer(message: Message, field: str) -> int:
    """The 64-bit integer ``field`` of ``message``, or a :class:`ProtocolError` naming it."""
    value = _require(message, field)
    # bool is an int in Python, but true/false are not numbers in JSON
    if isinstance(value, bool) or not isinstance(value, int) or not _INT64_MIN <= value <= _INT64_MAX:
        raise ProtocolError(_mistyped(message, field, "an integer of at most 64 bits"))
    return value


def require_job_id(message: Message, field: str = "jobId") -> JobId:
    """The job id ``field`` of ``message`` (a string or a number), or a :class:`ProtocolError`."""
    value = _require(message, field)
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ProtocolError(_mistyped(message, field, "a string or a number"))
    return value


def same_job(a: JobId, b: JobId) -> bool:
    """Whether two job ids are the same JSON value (``"1"`` and ``1`` are not)."""
    return type(a) is type(b) and a == b


def error_text(exc: BaseException) -> str:
    """The ``error`` of a ``failed`` or ``initFailed`` message: ``"TypeName: message"``.

    One line (the protocol's ``error`` is one line of text), at most 8 KiB of UTF-8.
    """
    name = type(exc).__qualname__
    detail = " ".join(str(exc).split())
    text = f"{name}: {detail}" if detail else name
    data = text.encode("utf-8")
    if len(data) > MAX_ERROR_BYTES:
        suffix = " …(truncated)"
        keep = MAX_ERROR_BYTES - len(suffix.encode("utf-8"))
        text = data[:keep].decode("utf-8", errors="ignore") + suffix
    return text


def _require(message: Message, field: str) -> Any:
    if field not in message:
        raise ProtocolError(f"{message.get('type')} without field '{field}'")
    return message[field]


def _mistyped(message: Message, field: str, expected: str) -> str:
    value = json.dumps(message[field])
    if len(value) > 80:
        value = value[:77] + "..."
    return f"{message.get('type')} field '{field}' must be {expected}, not {value}"
