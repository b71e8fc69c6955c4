"""Write warmpool jobs in Python: a prewarm hook, a job function, and :func:`run`.

A warmpool worker keeps processes of this program started and prewarmed, and hands each a job
when one is submitted::

    import logging
    import warmpool_child as wp

    log = logging.getLogger(__name__)

    def prewarm(options: dict) -> dict:
        return {"model": load_model(options["model"])}   # once per process: ctx.state

    def job(payload: dict, ctx: wp.JobContext) -> dict:
        for i, item in enumerate(payload["items"]):
            if ctx.cancelled:
                break
            ctx.output({"done": i + 1})                # an output event for the clients
        log.info("scored", extra={"fields": {"items": i + 1}})  # a log record with the job id
        return {"score": ctx.state["model"].score(payload["items"])}

    if __name__ == "__main__":
        wp.run(job, prewarm=prewarm)

Test a job without a worker with :mod:`warmpool_child.testing`.
"""

from __future__ import annotations

from ._context import JobCancelled, JobContext
from ._execute import JobFunction, PrewarmFunction
from ._protocol import MAX_FRAME_BYTES, FrameTooLargeError, JobId
from ._runtime import run
from ._version import __version__

__all__ = [
    "FrameTooLargeError",
    "JobCancelled",
    "JobContext",
    "JobFunction",
    "JobId",
    "MAX_FRAME_BYTES",
    "PrewarmFunction",
    "__version__",
    "run",
]
