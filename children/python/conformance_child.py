#!/usr/bin/env python3
"""The conformance child of the Python SDK: one job that understands every payload op of
children/conformance/README.md (echo, outputs, fail, sleep, log, wait-cancel, options, env).

The worker runs it as ["python3", "children/python/conformance_child.py"] from the repository
root. It uses warmpool_child as installed if it is, and otherwise the copy next to this file:
the worker passes children only a few environment variables (no PYTHONPATH), so the script
cannot count on one.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from typing import Any, Dict

try:
    import warmpool_child as wp
except ImportError:
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import warmpool_child as wp

log = logging.getLogger("conformance")


def prewarm(options: Dict[str, Any]) -> Dict[str, Any]:
    return options


def job(payload: Dict[str, Any], ctx: wp.JobContext) -> Any:
    op = payload.get("op")
    if op == "echo":
        return {"value": payload.get("value")}
    if op == "outputs":
        count = int(payload["count"])
        for i in range(count):
            ctx.output({"i": i})
        return {"count": count}
    if op == "fail":
        raise RuntimeError(str(payload.get("message")))
    if op == "sleep":
        ms = int(payload["ms"])
        threading.Event().wait(ms / 1000)  # blocks only the job's thread: pings are answered
        return {"slept": ms}
    if op == "log":
        log.info(str(payload.get("message")))
        return {}
    if op == "wait-cancel":
        cancelled = threading.Event()
        ctx.on_cancel(cancelled.set)
        cancelled.wait()
        with open(payload["marker"], "w"):
            pass
        return {"cancelled": True}
    if op == "options":
        return ctx.state
    if op == "env":
        return {"value": os.environ.get(str(payload["name"]))}
    raise ValueError(f"unknown op {op!r}: this child knows echo, outputs, fail, sleep, log, wait-cancel, options, env")


if __name__ == "__main__":
    wp.run(job, prewarm=prewarm)
