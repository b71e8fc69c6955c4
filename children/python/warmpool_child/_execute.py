"""Running prewarm hooks and jobs, sync or async: shared by the runtime and the testing harness."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextvars
import inspect
import threading
from typing import Any, Awaitable, Callable, Dict, Optional

from ._context import JobContext, current_job_id
from ._protocol import JobId, encode, error_text

PrewarmFunction = Callable[[Dict[str, Any]], Any]
"""``prewarm(options) -> state``, or ``async def`` of the same shape."""

JobFunction = Callable[[Dict[str, Any], JobContext], Any]
"""``job(payload, ctx) -> result``, or ``async def`` of the same shape."""


class AsyncLoop:
    """One asyncio event loop on a daemon thread of its own, started on first use.

    Async prewarm hooks and async jobs all run on this one loop, so that what the prewarm
    hook creates for the loop (a client session, a connection pool) is usable by every job.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loop: Optional[asyncio.AbstractEventLoop] = None

    def run(self, awaitable: Awaitable[Any]) -> Any:
        """Run ``awaitable`` on the loop, block the calling thread until it ends, return its value."""
        future: concurrent.futures.Future[Any] = asyncio.run_coroutine_threadsafe(_await(awaitable), self._get())
        return future.result()

    def _get(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is None:
                # made in an empty context: its own debug record must not count as the job's
                loop = contextvars.Context().run(asyncio.new_event_loop)
                threading.Thread(target=loop.run_forever, name="warmpool-asyncio", daemon=True).start()
                self._loop = loop
            return self._loop


async def _await(awaitable: Awaitable[Any]) -> Any:
    return await awaitable


async def _in_job(job_id: JobId, awaitable: Awaitable[Any]) -> Any:
    # the task runs in a copy of the loop thread's context: the job id is set inside it, so the
    # job's coroutine and every task it creates carry it
    current_job_id.set(job_id)
    return await awaitable


def run_prewarm(prewarm: Optional[PrewarmFunction], options: Dict[str, Any], loop: AsyncLoop) -> Any:
    """Run the prewarm hook (sync or async) and return the state it built."""
    if prewarm is None:
        return None
    state = prewarm(options)
    if inspect.isawaitable(state):
        state = loop.run(state)
    return state


class Outcome:
    """How a job ended: its final frame (``done`` or ``failed``) and what the frame says."""

    def __init__(self, frame: bytes, *, result: Any = None, error: Optional[str] = None,
                 exception: Optional[BaseException] = None) -> None:
        self.frame = frame
        self.result = result
        self.error = error
        self.exception = exception


def run_job(job: JobFunction, payload: Dict[str, Any], ctx: JobContext, loop: AsyncLoop) -> Outcome:
    """Run one job on the calling thread (an async job on ``loop``) and build its final frame.

    The result is encoded here, strictly: a result that is not JSON, or too large for a frame,
    fails the job with an error that says so, rather than breaking the channel.
    """
    job_id = ctx.job_id
    token = current_job_id.set(job_id)
    try:
        try:
            value = job(payload, ctx)
            if inspect.isawaitable(value):
                value = loop.run(_in_job(job_id, value))
        except SystemExit:
            raise  # the job ends the process on purpose, as it would in a script
        except BaseException as e:  # CancelledError is a BaseException; it fails the job too
            return failed(job_id, e)
        try:
            frame = encode({"type": "done", "jobId": job_id, "result": value})
        except (TypeError, ValueError) as e:
            return failed(job_id, type(e)(f"the job's result cannot be sent: {e}"))
        return Outcome(frame, result=value)
    finally:
        current_job_id.reset(token)


def failed(job_id: JobId, exc: BaseException) -> Outcome:
    """The outcome of a job that raised ``exc``."""
    error = error_text(exc)
    return Outcome(encode({"type": "failed", "jobId": job_id, "error": error}), error=error, exception=exc)

