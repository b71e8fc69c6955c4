"""What a running job sees of the SDK: :class:`JobContext`."""

from __future__ import annotations

import asyncio
import contextvars
import sys
import threading
import traceback
from typing import Any, Callable, Dict, List, Optional, Tuple

from ._protocol import JobId, encode

#: The id of the job the current thread or asyncio task runs for (None outside jobs).
#: A ContextVar rather than a thread-local so that async jobs, the tasks they create and
#: ``asyncio.to_thread`` calls all carry it: log records made there get the job's id.
current_job_id: contextvars.ContextVar[Optional[JobId]] = contextvars.ContextVar(
    "warmpool_current_job_id", default=None
)


class JobCancelled(Exception):
    """Raised by :meth:`JobContext.raise_if_cancelled` once the job has been cancelled.

    Letting it propagate ends the job (as ``failed``, which the worker drops: it has already
    told the clients that the job was cancelled).
    """


class JobContext:
    """The job's handle on the worker, passed as the second argument of the job function.

    A context is valid while its job runs: :meth:`output` raises once the job has returned.
    Every method may be called from any thread.
    """

    def __init__(
        self,
        job_id: JobId,
        *,
        state: Any,
        options: Dict[str, Any],
        emit: Callable[[bytes], None],
    ) -> None:
        self._job_id = job_id
        self._state = state
        self._options = options
        self._emit = emit
        self._lock = threading.Lock()
        self._cancelled = threading.Event()
        self._cancel_reason: Optional[str] = None
        self._callbacks: List[Callable[[], Any]] = []
        self._waiters: List[Tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]] = []
        self._ended = False

    def __repr__(self) -> str:
        return f"<JobContext job_id={self._job_id!r} cancelled={self.cancelled}>"

    @property
    def job_id(self) -> JobId:
        """The job's id, as the worker sent it (usually a string)."""
        return self._job_id

    @property
    def state(self) -> Any:
        """What the prewarm hook returned (``None`` without a prewarm hook)."""
        return self._state

    @property
    def options(self) -> Dict[str, Any]:
        """The worker's ``child.options``, as given to the prewarm hook."""
        return self._options

    @property
    def cancelled(self) -> bool:
        """True once the job was cancelled by its client or the worker is shutting down."""
        return self._cancelled.is_set()

    @property
    def cancel_reason(self) -> Optional[str]:
        """Why the job is cancelled: ``"cancelled"`` (a client), ``"shutdown"`` (the worker), or None."""
        return self._cancel_reason

    def output(self, data: Any) -> None:
        """Send ``data`` (any JSON value) to the job's clients as an ``output`` event.

        Outputs arrive in the order they were sent, before the job's result.

        Raises:
            TypeError: ``data`` is not JSON-serialisable (e.g. a set or a datetime).
            ValueError: ``data`` holds NaN or an infinity.
            warmpool_child.FrameTooLargeError: ``data`` is over the 1 MiB frame limit.
            RuntimeError: the job has already ended.
        """
        frame = encode({"type": "output", "jobId": self._job_id, "data": data})
        with self._lock:
            # under the lock so that no output can follow the job's done/failed on the channel
            if self._ended:
                raise RuntimeError(f"job {self._job_id!r} has ended: its context cannot send outputs any more")
            self._emit(frame)

    def on_cancel(self, callback: Callable[[], Any]) -> Callable[[], None]:
        """Call ``callback()`` once when the job is cancelled (at once if it already is).

        The callback runs on a thread of its own, never on the channel's, so a slow callback
        cannot delay the answers to the worker's pings. Exceptions it raises are printed to
        stderr. Returns a function that unregisters the callback.
        """
        with self._lock:
            if not self._cancelled.is_set():
                self._callbacks.append(callback)

                def remove() -> None:
                    with self._lock:
                        if callback in self._callbacks:
                            self._callbacks.remove(callback)

                return remove
        _call_quietly(callback)
        return lambda: None

    def sleep(self, seconds: float) -> bool:
        """Sleep up to ``seconds``; wake early and return True if the job is cancelled meanwhile.

        The cancel-aware ``time.sleep`` of a synchronous job: ``if ctx.sleep(0.5): return``.
        """
        return self._cancelled.wait(seconds)

    def raise_if_cancelled(self) -> None:
        """Raise :class:`JobCancelled` if the job has been cancelled."""
        if self._cancelled.is_set():
            raise JobCancelled(f"job {self._job_id!r} was cancelled ({self._cancel_reason})")

    async def wait_cancelled(self) -> None:
        """Wait (asynchronously) until the job is cancelled.

        Typically raced against the work itself::

            work = asyncio.ensure_future(do_work())
            cancel = asyncio.ensure_future(ctx.wait_cancelled())
            await asyncio.wait({work, cancel}, return_when=asyncio.FIRST_COMPLETED)
        """
        loop = asyncio.get_running_loop()
        future: asyncio.Future[None] = loop.create_future()
        with self._lock:
            if self._cancelled.is_set():
                return
            entry = (loop, future)
            self._waiters.append(entry)
        try:
            await future
        finally:
            with self._lock:
                if entry in self._waiters:
                    self._waiters.remove(entry)

    # ---- used by the runtime and the testing harness -----------------------------------

    def _cancel(self, reason: str) -> bool:
        """Deliver a cancel to the job: the flag, the callbacks, the waiters. Once only."""
        with self._lock:
            if self._cancelled.is_set():
                return False
            self._cancel_reason = reason
            self._cancelled.set()
            callbacks, self._callbacks = self._callbacks, []
            waiters, self._waiters = self._waiters, []
        for loop, future in waiters:
            try:
                loop.call_soon_threadsafe(_resolve, future)
            except RuntimeError:
                pass  # that loop is closed: nobody waits on it any more
        if callbacks:
            # run on a new thread: the caller is the channel's reader, which must stay responsive
            threading.Thread(
                target=_call_all, args=(callbacks,), name=f"warmpool-cancel-{self._job_id}", daemon=True
            ).start()
        return True

    def _end(self, final_frame: bytes) -> None:
        """Send the job's done/failed frame; after it, outputs raise."""
        with self._lock:
            self._ended = True
            self._emit(final_frame)


def _resolve(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


def _call_all(callbacks: List[Callable[[], Any]]) -> None:
    for callback in callbacks:
        _call_quietly(callback)


def _call_quietly(callback: Callable[[], Any]) -> None:
    try:
        callback()
    except Exception:
        print(f"warmpool-child: a cancel callback ({callback!r}) raised:", file=sys.stderr)
        traceback.print_exc()
