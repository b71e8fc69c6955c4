"""A child written with the SDK for the tests: ``sdk_child.py [sync|async]``.

The environment variable TEST_PREWARM=fail makes the prewarm hook raise, =slow take 1 s. Ops:
echo, outputs, fail, sleep, wait-cancel, log, state, stuck, big-result, big-output, unserialisable.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
import threading
import time
from typing import Any, Dict

import warmpool_child as wp

log = logging.getLogger("sdk_child")


def prewarm(options: Dict[str, Any]) -> Dict[str, Any]:
    if os.environ.get("TEST_PREWARM") == "fail":
        raise RuntimeError("prewarm broke")
    if os.environ.get("TEST_PREWARM") == "slow":
        time.sleep(1)
    log.info("prewarmed", extra={"fields": {"keys": sorted(options)}})
    return {"options": options, "thread": threading.current_thread().name}


def common(payload: Dict[str, Any], ctx: wp.JobContext) -> Any:
    op = payload["op"]
    if op == "echo":
        return {"value": payload.get("value")}
    if op == "outputs":
        for i in range(payload["count"]):
            ctx.output({"i": i})
        return {"count": payload["count"]}
    if op == "fail":
        raise ValueError(payload["message"])
    if op == "log":
        log.info("hello %s", "there", extra={"fields": {"k": 1, "nested": {"a": [1, 2]}}})
        log.warning("careful")
        log.debug("below the level")
        return {}
    if op == "state":
        return ctx.state
    if op == "big-result":
        return "x" * (wp.MAX_FRAME_BYTES + 10)
    if op == "big-output":
        ctx.output("x" * (wp.MAX_FRAME_BYTES + 10))
        return "not reached"
    if op == "unserialisable":
        return {"tags": {"a", "b"}}
    raise KeyError(op)


def sync_job(payload: Dict[str, Any], ctx: wp.JobContext) -> Any:
    op = payload["op"]
    if op == "sleep":
        time.sleep(payload["ms"] / 1000)
        return {"slept": payload["ms"]}
    if op == "wait-cancel":
        ctx.on_cancel(lambda: ctx.output({"callback": True}))
        while not ctx.sleep(10):
            pass
        return {"flag": ctx.cancelled, "reason": ctx.cancel_reason}
    if op == "stuck":
        while True:  # ignores cancel, shutdown, everything
            time.sleep(0.05)
    return common(payload, ctx)


async def async_job(payload: Dict[str, Any], ctx: wp.JobContext) -> Any:
    op = payload["op"]
    if op == "sleep":
        await asyncio.sleep(payload["ms"] / 1000)
        return {"slept": payload["ms"]}
    if op == "wait-cancel":
        ctx.on_cancel(lambda: ctx.output({"callback": True}))
        await ctx.wait_cancelled()
        return {"awaited": True, "flag": ctx.cancelled, "reason": ctx.cancel_reason}
    if op == "log":
        # a task the job creates carries the job's id too
        await asyncio.ensure_future(asyncio.sleep(0))
        await asyncio.get_running_loop().create_task(_log_in_task())
    return common(payload, ctx)


async def _log_in_task() -> None:
    log.info("from a task")


if __name__ == "__main__":
    wp.run(async_job if sys.argv[1:] == ["async"] else sync_job, prewarm=prewarm)
