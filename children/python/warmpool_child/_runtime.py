"""The child process: the channel to the worker, the message loop, the prewarm and job threads."""

from __future__ import annotations

import logging
import os
import platform
import socket
import sys
import threading
import time
import traceback
from typing import Any, Dict, NoReturn, Optional, Set, Tuple

from ._context import JobContext
from ._execute import AsyncLoop, JobFunction, PrewarmFunction, run_job, run_prewarm
from ._logging import ChannelLogHandler
from ._protocol import (
    MAX_FRAME_BYTES,
    JobId,
    Message,
    ProtocolError,
    decode,
    encode,
    error_text,
    require_integer,
    require_job_id,
    require_object,
    require_string,
    same_job,
)
from ._version import __version__

# Exit statuses, the same as the Java child runtime's (docs/child-runtime.md).
EXIT_SHUTDOWN = 0
EXIT_INIT_FAILED = 1
EXIT_BAD_START = 2
EXIT_PROTOCOL_ERROR = 3
EXIT_CHANNEL_CLOSED = 4
EXIT_PARENT_GONE = 5
EXIT_INTERNAL_ERROR = 70

_PORT_VARIABLE = "WARMPOOL_IPC_PORT"
_TOKEN_VARIABLE = "WARMPOOL_IPC_TOKEN"


def run(job: JobFunction, *, prewarm: Optional[PrewarmFunction] = None, log_level: int = logging.INFO) -> NoReturn:
    """Serve the worker that started this process: prewarm once, then run jobs until told to stop.

    Call it from the program's ``if __name__ == "__main__":`` block; it never returns.

    Args:
        job: ``job(payload, ctx) -> result``, a plain function (run on a thread of its own) or
            an ``async def`` (run on an event loop of its own). ``payload`` is the submitted
            JSON object, ``ctx`` a :class:`~warmpool_child.JobContext`. The return value, any
            JSON value, is the job's result; an exception fails the job with
            ``"TypeName: message"``.
        prewarm: ``prewarm(options) -> state``, optional, sync or async, run once per process
            before the process is offered jobs. ``options`` is the worker's ``child.options``;
            the return value is every job's ``ctx.state``. An exception makes the process
            report ``initFailed`` and exit.
        log_level: the root logger's level. Every record at or above it goes to the worker
            as a ``log`` message (with the job's id when a job made it).

    The process exits with status 0 after ``shutdown``, 1 when prewarm failed, 2 when it was not
    started by a worker (no ``WARMPOOL_IPC_PORT``/``WARMPOOL_IPC_TOKEN``) or cannot reach it,
    3 on a protocol error, 4 when the channel closes, 5 when the worker process is gone.
    """
    # the worker's pid, read first: the later it is read, the likelier a worker that dies at
    # once has already left us to another parent, which the watchdog would then take for it
    parent = os.getppid()
    port, token = _read_environment()
    try:
        sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    except OSError as e:
        _exit(EXIT_BAD_START, f"cannot connect to the worker at 127.0.0.1:{port} ({e})")
    sock.settimeout(None)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    _Child(job, prewarm, sock, parent).serve(token, log_level)


def runtime_description() -> str:
    """The ``runtime`` of the ``hello`` message, e.g. ``python 3.11.7 warmpool-child 0.1.0``."""
    return f"python {platform.python_version()} warmpool-child {__version__}"


def _read_environment() -> Tuple[int, str]:
    port_text = os.environ.get(_PORT_VARIABLE)
    token = os.environ.get(_TOKEN_VARIABLE)
    if not port_text or not token:
        missing = " and ".join(name for name, value in ((_PORT_VARIABLE, port_text), (_TOKEN_VARIABLE, token)) if not value)
        _exit(
            EXIT_BAD_START,
            f"{missing} not set. This program is a warmpool child: a warmpool worker starts it "
            "(its child.command) with WARMPOOL_IPC_PORT and WARMPOOL_IPC_TOKEN in the environment. "
            "To run a job without a worker, use warmpool_child.testing.run_job.",
        )
    try:
        port = int(port_text)
        if not 0 < port < 65536:
            raise ValueError
    except ValueError:
        _exit(EXIT_BAD_START, f"{_PORT_VARIABLE}={port_text!r} is not a TCP port")
    return port, token


def _exit(status: int, message: Optional[str] = None) -> NoReturn:
    """Leave now, whatever other threads do (a job stuck in a loop must not keep us alive)."""
    if message:
        print(f"[warmpool-child {os.getpid()}] {message}", file=sys.stderr)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass
    os._exit(status)


def _exit_status(exit: SystemExit) -> int:
    """The status ``sys.exit(code)`` would give, for a job that calls it on its own thread."""
    if exit.code is None:
        return 0
    if isinstance(exit.code, int):
        return exit.code
    print(exit.code, file=sys.stderr)
    return 1


class _Child:
    """One child process's side of the channel.

    The main thread only reads the channel, so pings are answered while the prewarm hook or a
    job runs on a thread of its own. ``_lock`` orders the state changes with the frames that
    announce them: a job's ``done`` is sent under it together with the switch back to idle, so
    the worker's next ``start``, which may follow at once, never finds the child still running.
    """

    def __init__(self, job: JobFunction, prewarm: Optional[PrewarmFunction], sock: socket.socket, parent: int) -> None:
        self._job = job
        self._parent = parent
        self._prewarm = prewarm
        self._sock = sock
        self._write_lock = threading.Lock()
        self._lock = threading.Lock()
        self._phase = "connected"  # connected → initializing → idle ⇄ running
        self._shutting_down = False
        self._shutdown_reason = ""
        self._options: Dict[str, Any] = {}
        self._state: Any = None
        self._context: Optional[JobContext] = None
        self._loop = AsyncLoop()
        self._unknown_types: Set[str] = set()

    # ---- channel -----------------------------------------------------------------------

    def _write(self, frame: bytes) -> None:
        with self._write_lock:
            try:
                self._sock.sendall(frame)
            except OSError as e:
                _exit(EXIT_CHANNEL_CLOSED, f"the channel to the worker failed ({e}): exiting")

    def _send(self, message: Message) -> None:
        self._write(encode(message))

    def serve(self, token: str, log_level: int) -> NoReturn:
        try:
            self._send({"type": "hello", "token": token, "pid": os.getpid(), "runtime": runtime_description()})
            root = logging.getLogger()
            root.addHandler(ChannelLogHandler(self._write))
            root.setLevel(log_level)
            threading.Thread(target=self._watch_parent, name="warmpool-watchdog", daemon=True).start()
            self._read()
        except Exception:
            traceback.print_exc()
            _exit(EXIT_INTERNAL_ERROR, "internal error of the child runtime (above)")

    def _read(self) -> NoReturn:
        reader = self._sock.makefile("rb")
        while True:
            try:
                # one byte over the limit plus the newline: enough to tell a frame that is too long
                line = reader.readline(MAX_FRAME_BYTES + 2)
            except OSError as e:
                _exit(EXIT_CHANNEL_CLOSED, f"the channel to the worker failed ({e}): exiting")
            if not line.endswith(b"\n"):
                if len(line) > MAX_FRAME_BYTES:
                    self._protocol_error(f"frame over {MAX_FRAME_BYTES} bytes")
                # end of stream, possibly in the middle of a frame: the worker is gone
                _exit(EXIT_CHANNEL_CLOSED)
            frame = line[:-1]
            if len(frame) > MAX_FRAME_BYTES:
                self._protocol_error(f"frame over {MAX_FRAME_BYTES} bytes")
            try:
                self._handle(decode(frame))
            except ProtocolError as e:
                self._protocol_error(str(e))

    def _protocol_error(self, reason: str) -> NoReturn:
        message = f"protocol-error: {reason}"
        try:
            self._send({"type": "exiting", "reason": message})
        finally:
            _exit(EXIT_PROTOCOL_ERROR, f"{message}: exiting")

    # ---- messages ----------------------------------------------------------------------

    def _handle(self, message: Message) -> None:
        kind = message["type"]
        if kind == "ping":
            self._send({"type": "pong", "seq": require_integer(message, "seq")})
        elif kind == "start":
            self._on_start(require_job_id(message), require_object(message, "payload"))
        elif kind == "cancel":
            job_id = require_job_id(message)
            require_integer(message, "graceMs")
            with self._lock:
                if self._context is not None and same_job(self._context.job_id, job_id):
                    self._context._cancel("cancelled")
        elif kind == "initialize":
            require_string(message, "entrypoint")  # names a Java class; nothing to do with it here
            self._on_initialize(require_object(message, "options"))
        elif kind == "shutdown":
            self._on_shutdown(require_string(message, "reason"))
        elif kind not in self._unknown_types:
            # a newer worker may send messages this SDK does not know: skipped, named once
            self._unknown_types.add(kind)
            print(f"[warmpool-child {os.getpid()}] ignoring messages of unknown type {kind!r}", file=sys.stderr)

    def _on_initialize(self, options: Dict[str, Any]) -> None:
        with self._lock:
            if self._shutting_down:
                return
            if self._phase != "connected":
                raise ProtocolError(f"initialize while {self._phase}")
            self._phase = "initializing"
            self._options = options
        threading.Thread(target=self._initialize, name="warmpool-init", daemon=True).start()

    def _initialize(self) -> None:
        try:
            state = run_prewarm(self._prewarm, self._options, self._loop)
        except SystemExit as e:
            _exit(_exit_status(e))
        except BaseException as e:
            print("[warmpool-child] the prewarm hook failed:", file=sys.stderr)
            traceback.print_exc()
            with self._lock:
                if self._shutting_down:
                    self._exit_after_shutdown()
                self._send({"type": "initFailed", "error": error_text(e)})
            _exit(EXIT_INIT_FAILED)
        with self._lock:
            if self._shutting_down:
                self._exit_after_shutdown()  # a shutdown during prewarm: exiting, no ready
            self._state = state
            self._phase = "idle"
            self._send({"type": "ready"})

    def _on_start(self, job_id: JobId, payload: Dict[str, Any]) -> None:
        with self._lock:
            if self._shutting_down:
                return  # the worker may have sent it before it saw our exiting
            if self._phase == "running":
                assert self._context is not None
                raise ProtocolError(f"start of job {job_id!r} while job {self._context.job_id!r} runs")
            if self._phase != "idle":
                raise ProtocolError(f"start of job {job_id!r} before ready")
            context = JobContext(job_id, state=self._state, options=self._options, emit=self._write)
            self._context = context
            self._phase = "running"
            # sent before the job's thread exists, so nothing the job sends can precede it
            self._send({"type": "started", "jobId": job_id})
        threading.Thread(
            target=self._run_job, args=(context, payload), name=f"warmpool-job-{job_id}", daemon=True
        ).start()

    def _run_job(self, context: JobContext, payload: Dict[str, Any]) -> None:
        try:
            outcome = run_job(self._job, payload, context, self._loop)
        except SystemExit as e:
            _exit(_exit_status(e))
        if outcome.exception is not None:
            # the worker logs the child's stderr with its pid and the job id: the traceback is
            # where a job's author looks first
            print(f"[warmpool-child {os.getpid()}] job {context.job_id!r} failed: {outcome.error}", file=sys.stderr)
            exception = outcome.exception
            if exception.__traceback__ is not None:
                traceback.print_exception(type(exception), exception, exception.__traceback__)
        with self._lock:
            self._context = None
            self._phase = "idle"
            context._end(outcome.frame)
            if self._shutting_down:
                self._exit_after_shutdown()

    def _on_shutdown(self, reason: str) -> None:
        with self._lock:
            self._shutting_down = True
            self._shutdown_reason = reason
            if self._phase in ("connected", "idle"):
                self._exit_after_shutdown()
            if self._context is not None:
                # Python cannot interrupt a thread: the job is told, as for a cancel, and the
                # worker kills the process after pool.closeTimeoutMs if the job ignores it
                self._context._cancel("shutdown")
            # while initializing, the prewarm thread exits when the hook returns

    def _exit_after_shutdown(self) -> NoReturn:
        self._send({"type": "exiting", "reason": self._shutdown_reason or "shutdown"})
        _exit(EXIT_SHUTDOWN)

    def _watch_parent(self) -> None:
        # the rare case where the channel outlives the worker (docs/protocol.md)
        while True:
            if os.getppid() != self._parent:
                _exit(EXIT_PARENT_GONE, f"the worker (pid {self._parent}) is gone: exiting")
            time.sleep(1)
