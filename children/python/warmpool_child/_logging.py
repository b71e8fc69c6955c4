"""Python ``logging`` records as ``log`` messages of the protocol."""

from __future__ import annotations

import json
import logging
import threading
from typing import Any, Callable, Dict, Optional, cast

from ._context import current_job_id
from ._protocol import FrameTooLargeError, JobId, encode

# What a truncated message keeps: a log record must never be what breaks the 1 MiB frame.
_TRUNCATED_MESSAGE_CHARS = 16 * 1024

# Attributes every LogRecord has; anything else on a record came from ``extra=``.
_STANDARD_ATTRIBUTES = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


def level_name(levelno: int) -> str:
    """The protocol's level for a ``logging`` level: debug, info, warn or error."""
    if levelno >= logging.ERROR:
        return "error"
    if levelno >= logging.WARNING:
        return "warn"
    if levelno >= logging.INFO:
        return "info"
    return "debug"


def record_fields(record: logging.LogRecord, formatter: logging.Formatter) -> Dict[str, Any]:
    """The ``fields`` of a record: ``extra={"fields": {...}}``, other extras, the logger, the exception."""
    fields: Dict[str, Any] = {}
    for key, value in vars(record).items():
        if key not in _STANDARD_ATTRIBUTES and key != "fields":
            fields[key] = value
    given = getattr(record, "fields", None)
    if isinstance(given, dict):
        fields.update(cast(Dict[str, Any], given))
    fields.setdefault("logger", record.name)
    if record.exc_info:
        fields.setdefault("exception", formatter.formatException(record.exc_info))
    elif record.exc_text:
        fields.setdefault("exception", record.exc_text)
    if record.stack_info:
        fields.setdefault("stack", record.stack_info)
    return fields


def log_message(record: logging.LogRecord, job_id: Optional[JobId], formatter: logging.Formatter) -> Dict[str, Any]:
    """The ``log`` message for a record (``jobId`` only when it was made during a job)."""
    message: Dict[str, Any] = {
        "type": "log",
        "level": level_name(record.levelno),
        "message": record.getMessage(),
        "fields": record_fields(record, formatter),
    }
    if job_id is not None:
        message["jobId"] = job_id
    return message


def encode_log(message: Dict[str, Any]) -> bytes:
    """Encode a ``log`` message leniently: a log call must never fail the code that made it.

    Field values that are not JSON become their ``repr``; a record over the frame limit is
    sent truncated, saying so.
    """
    message = dict(message, fields=_jsonable(message["fields"]))
    try:
        return encode(message)
    except FrameTooLargeError:
        text = message["message"]
        message["message"] = text[:_TRUNCATED_MESSAGE_CHARS] + f" …(truncated from {len(text):,} characters)"
        message["fields"] = {"logger": message["fields"].get("logger"), "truncated": True}
        return encode(message)


def _jsonable(fields: Dict[str, Any]) -> Dict[str, Any]:
    try:
        encode({"fields": fields})
        return fields
    except (TypeError, ValueError):
        return {str(key): _jsonable_value(value) for key, value in fields.items()}


def _jsonable_value(value: Any) -> Any:
    try:
        json.dumps(value, allow_nan=False)
        return value
    except (TypeError, ValueError, RecursionError):
        return repr(value)


class ChannelLogHandler(logging.Handler):
    """Sends every record it handles to ``emit`` as an encoded ``log`` frame.

    Args:
        emit: takes one encoded frame.
        only_job: when given, only records made while that job ran are sent (the testing
            harness, which must not collect other threads' records).
    """

    def __init__(self, emit: Callable[[bytes], None], *, only_job: Any = None, level: int = logging.NOTSET) -> None:
        super().__init__(level)
        self._emit = emit
        self._only_job = only_job
        self._busy = threading.local()
        self._formatter = logging.Formatter()

    def emit(self, record: logging.LogRecord) -> None:
        # a record logged while this thread is already emitting one (by the socket code, say)
        # would recurse; it is dropped instead
        if getattr(self._busy, "active", False):
            return
        job_id = current_job_id.get()
        if self._only_job is not None and job_id != self._only_job:
            return
        self._busy.active = True
        try:
            self._emit(encode_log(log_message(record, job_id, self._formatter)))
        except Exception:
            self.handleError(record)
        finally:
            self._busy.active = False
