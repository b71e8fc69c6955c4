"""Run a job in-process, without a worker, to unit-test it.

The job runs exactly as in a worker's child process (on a thread of its own, an ``async def``
job on an event loop of its own), with a real :class:`~warmpool_child.JobContext`, and what it
sends is checked and decoded as the worker would see it: outputs and results go through the
same strict JSON encoding and the same 1 MiB frame limit, log records are collected as ``log``
messages. So a result that would fail in the worker fails here too::

    import unittest
    from warmpool_child.testing import run_job, start_job

    import job

    class JobTest(unittest.TestCase):
        def test_scores(self):
            run = run_job(job.job, {"text": "good day"}, prewarm=job.prewarm, options={"seed": 1})
            self.assertIsNone(run.error)
            self.assertEqual(run.result["words"], 2)
            self.assertEqual(len(run.outputs), 2)

        def test_cancel(self):
            run = start_job(job.job, {"text": "a b c", "delayMs": 1000}, prewarm=job.prewarm)
            run.wait_for_outputs(1)
            run.cancel()
            run.wait()
            self.assertTrue(run.result["cancelled"])
"""

from __future__ import annotations

import itertools
import json
import logging
import threading
from typing import Any, Dict, List, NamedTuple, Optional

from ._context import JobContext
from ._execute import AsyncLoop, JobFunction, PrewarmFunction, failed
from ._execute import run_job as _execute_job
from ._execute import run_prewarm as _execute_prewarm
from ._logging import ChannelLogHandler
from ._protocol import JobId

__all__ = ["JobRun", "LogRecord", "prewarm_state", "run_job", "start_job"]

_NOT_GIVEN: Any = object()
_job_numbers = itertools.count(1)
_loop = AsyncLoop()  # shared by every run, as one child process shares one loop between jobs
_root_level_lock = threading.Lock()
_root_level_users = 0
_saved_root_level = logging.NOTSET


class LogRecord(NamedTuple):
    """A ``log`` message as the worker would receive it."""

    level: str
    """``"debug"``, ``"info"``, ``"warn"`` or ``"error"``."""
    message: str
    fields: Dict[str, Any]
    """``extra={"fields": {...}}``, other extras, ``logger`` (its name) and ``exception`` if any."""
    job_id: Optional[JobId]


class JobRun:
    """One job run by :func:`run_job` or :func:`start_job`: what it sent, how it ended.

    Attributes:
        job_id: the job's id (``"test-1"``, ``"test-2"``, … unless given).
        payload: the payload the job got.
        context: the job's :class:`~warmpool_child.JobContext`.
        outputs: the ``data`` of every output, in order, as JSON decoded it.
        logs: the log records made while the job ran, in order.
        result: the job's result as JSON decoded it (a tuple comes back a list), or None.
        error: how the job failed, exactly as the worker reports it (``"ValueError: bad"``),
            or None.
        exception: the exception that failed the job, or None.
    """

    def __init__(self, job_id: JobId, payload: Dict[str, Any], state: Any, options: Dict[str, Any]) -> None:
        self.job_id = job_id
        self.payload = payload
        self.outputs: List[Any] = []
        self.logs: List[LogRecord] = []
        self.result: Any = None
        self.error: Optional[str] = None
        self.exception: Optional[BaseException] = None
        self._changed = threading.Condition()
        self._done = False
        self.context = JobContext(job_id, state=state, options=options, emit=self._receive)

    def __repr__(self) -> str:
        status = "running" if not self._done else ("failed: " + self.error if self.error else "done")
        return f"<JobRun {self.job_id!r} {status}, {len(self.outputs)} outputs, {len(self.logs)} logs>"

    @property
    def done(self) -> bool:
        """Whether the job has ended (completed or failed)."""
        return self._done

    @property
    def succeeded(self) -> bool:
        """Whether the job has ended with a result."""
        return self._done and self.error is None

    def cancel(self, reason: str = "cancelled") -> None:
        """Cancel the job as a client would (``reason="shutdown"``: as the worker stopping)."""
        self.context._cancel(reason)

    def wait(self, timeout: float = 10.0) -> "JobRun":
        """Wait until the job ends and return this run.

        Raises:
            TimeoutError: the job did not end within ``timeout`` seconds.
        """
        with self._changed:
            if not self._changed.wait_for(lambda: self._done, timeout):
                raise TimeoutError(f"job {self.job_id!r} did not end within {timeout} s")
        return self

    def wait_for_outputs(self, count: int, timeout: float = 10.0) -> List[Any]:
        """Wait until the job has sent at least ``count`` outputs; return them all.

        Raises:
            TimeoutError: fewer outputs came within ``timeout`` seconds.
        """
        with self._changed:
            if not self._changed.wait_for(lambda: len(self.outputs) >= count or self._done, timeout):
                raise TimeoutError(f"job {self.job_id!r} sent {len(self.outputs)} outputs in {timeout} s, not {count}")
            if len(self.outputs) < count:
                raise AssertionError(f"job {self.job_id!r} ended after {len(self.outputs)} outputs, not {count}")
            return list(self.outputs)

    def _receive(self, frame: bytes) -> None:
        # frames as they would go on the channel: decode them as the worker would
        message = json.loads(frame)
        with self._changed:
            kind = message["type"]
            if kind == "output":
                self.outputs.append(message["data"])
            elif kind == "log":
                self.logs.append(LogRecord(message["level"], message["message"], message["fields"], message.get("jobId")))
            elif kind == "done":
                self.result = message["result"]
            elif kind == "failed":
                self.error = message["error"]
            self._changed.notify_all()

    def _finish(self, exception: Optional[BaseException]) -> None:
        with self._changed:
            self.exception = exception
            self._done = True
            self._changed.notify_all()


def prewarm_state(prewarm: PrewarmFunction, options: Optional[Dict[str, Any]] = None) -> Any:
    """Run a prewarm hook as a child process would and return its state.

    Useful to prewarm once for many tests: ``state = prewarm_state(job.prewarm, {...})`` in
    ``setUpClass``, then ``run_job(job.job, payload, state=state)``.
    """
    return _execute_prewarm(prewarm, dict(options or {}), _loop)


def start_job(
    job: JobFunction,
    payload: Optional[Dict[str, Any]] = None,
    *,
    options: Optional[Dict[str, Any]] = None,
    prewarm: Optional[PrewarmFunction] = None,
    state: Any = _NOT_GIVEN,
    job_id: Optional[JobId] = None,
    log_level: int = logging.DEBUG,
) -> JobRun:
    """Start ``job`` on a thread of its own and return its :class:`JobRun` at once.

    Args:
        job: the job function, sync or ``async def``.
        payload: the job's payload (``{}`` when None).
        options: the ``child.options`` the prewarm hook and ``ctx.options`` get.
        prewarm: run first (on the calling thread) to build ``ctx.state``, unless ``state`` is given.
        state: ``ctx.state`` as it is, e.g. from :func:`prewarm_state`.
        job_id: the job's id; by default ``"test-1"``, ``"test-2"``, …
        log_level: records at or above it are collected in :attr:`JobRun.logs`; the root logger's
            level is lowered to it while the job runs.
    """
    options = dict(options or {})
    if state is _NOT_GIVEN:
        state = _execute_prewarm(prewarm, options, _loop) if prewarm is not None else None
    run = JobRun(job_id if job_id is not None else f"test-{next(_job_numbers)}", dict(payload or {}), state, options)
    handler = ChannelLogHandler(run._receive, only_job=run.job_id, level=log_level)
    logging.getLogger().addHandler(handler)
    _lower_root_level(log_level)

    def execute() -> None:
        exception: Optional[BaseException] = None
        try:
            try:
                outcome = _execute_job(job, run.payload, run.context, _loop)
            except SystemExit as e:  # in a child the process would exit: here the job fails
                outcome = failed(run.job_id, e)
            exception = outcome.exception
            run.context._end(outcome.frame)
        finally:
            logging.getLogger().removeHandler(handler)
            _restore_root_level()
            run._finish(exception)

    threading.Thread(target=execute, name=f"warmpool-job-{run.job_id}", daemon=True).start()
    return run


def run_job(
    job: JobFunction,
    payload: Optional[Dict[str, Any]] = None,
    *,
    options: Optional[Dict[str, Any]] = None,
    prewarm: Optional[PrewarmFunction] = None,
    state: Any = _NOT_GIVEN,
    job_id: Optional[JobId] = None,
    cancel_after: Optional[float] = None,
    timeout: float = 10.0,
    log_level: int = logging.DEBUG,
) -> JobRun:
    """Run ``job`` to its end and return its :class:`JobRun`; a failed job is not an exception here.

    Takes the arguments of :func:`start_job`, and:

    Args:
        cancel_after: cancel the job this many seconds after it started.
        timeout: seconds to wait for the job to end.

    Raises:
        TimeoutError: the job did not end within ``timeout`` (it is cancelled, then left running).
    """
    run = start_job(job, payload, options=options, prewarm=prewarm, state=state, job_id=job_id, log_level=log_level)
    timer: Optional[threading.Timer] = None
    if cancel_after is not None:
        timer = threading.Timer(cancel_after, run.cancel)
        timer.daemon = True
        timer.start()
    try:
        return run.wait(timeout)
    except TimeoutError:
        run.cancel()
        raise
    finally:
        if timer is not None:
            timer.cancel()


def _lower_root_level(level: int) -> None:
    # logger.info() is dropped before any handler sees it while the root logger is at its
    # default WARNING; the runtime lowers it the same way at run()
    global _root_level_users, _saved_root_level
    with _root_level_lock:
        root = logging.getLogger()
        if _root_level_users == 0:
            _saved_root_level = root.level
        _root_level_users += 1
        if root.level > level:
            root.setLevel(level)


def _restore_root_level() -> None:
    global _root_level_users
    with _root_level_lock:
        _root_level_users -= 1
        if _root_level_users == 0:
            logging.getLogger().setLevel(_saved_root_level)
