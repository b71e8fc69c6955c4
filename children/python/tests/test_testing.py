"""warmpool_child.testing: running a job in-process, as a user's unit tests do."""

from __future__ import annotations

import asyncio
import logging
import threading
import unittest
from typing import Any, Dict

import warmpool_child as wp
from warmpool_child.testing import prewarm_state, run_job, start_job

log = logging.getLogger("test_testing")


def prewarm(options: Dict[str, Any]) -> Dict[str, Any]:
    return {"factor": options.get("factor", 1)}


def scale(payload: Dict[str, Any], ctx: wp.JobContext) -> Dict[str, Any]:
    total = 0
    for i, value in enumerate(payload["values"]):
        total += value * ctx.state["factor"]
        ctx.output({"i": i, "total": total})
    log.info("scaled", extra={"fields": {"n": len(payload["values"])}})
    return {"total": total, "pair": (1, 2)}


def until_cancelled(payload: Dict[str, Any], ctx: wp.JobContext) -> Dict[str, Any]:
    ctx.output("waiting")
    while not ctx.sleep(5):
        pass
    return {"reason": ctx.cancel_reason}


async def async_until_cancelled(payload: Dict[str, Any], ctx: wp.JobContext) -> str:
    await ctx.wait_cancelled()
    return "woken"


class RunJobTest(unittest.TestCase):
    def test_result_outputs_and_logs_as_the_worker_would_see_them(self) -> None:
        run = run_job(scale, {"values": [1, 2, 3]}, prewarm=prewarm, options={"factor": 10})
        self.assertTrue(run.succeeded)
        self.assertEqual(run.result, {"total": 60, "pair": [1, 2]})  # a tuple comes back a list, as JSON has it
        self.assertEqual(run.outputs, [{"i": 0, "total": 10}, {"i": 1, "total": 30}, {"i": 2, "total": 60}])
        self.assertEqual(len(run.logs), 1)
        self.assertEqual((run.logs[0].level, run.logs[0].message, run.logs[0].job_id), ("info", "scaled", run.job_id))
        self.assertEqual(run.logs[0].fields, {"n": 3, "logger": "test_testing"})

    def test_a_failure_is_reported_as_the_worker_reports_it(self) -> None:
        run = run_job(scale, {"values": [1, "x"]}, state={"factor": 1})
        self.assertFalse(run.succeeded)
        self.assertEqual(run.error, "TypeError: unsupported operand type(s) for +=: 'int' and 'str'")
        self.assertIsInstance(run.exception, TypeError)
        self.assertEqual(run.outputs, [{"i": 0, "total": 1}])

    def test_a_result_that_cannot_be_sent_fails_here_too(self) -> None:
        error = run_job(lambda payload, ctx: {"when": object()}).error or ""
        self.assertIn("TypeError: the job's result cannot be sent", error)
        self.assertIn("object", error)
        self.assertIn("NaN", run_job(lambda payload, ctx: [float("nan")]).error or "")

    def test_records_of_other_threads_are_not_the_jobs(self) -> None:
        def job(payload: Dict[str, Any], ctx: wp.JobContext) -> None:
            thread = threading.Thread(target=lambda: log.warning("not the job's"))
            thread.start()
            thread.join()
            log.warning("the job's")

        run = run_job(job)
        self.assertEqual([record.message for record in run.logs], ["the job's"])

    def test_prewarm_state_is_shared_between_runs(self) -> None:
        state = prewarm_state(prewarm, {"factor": 2})
        self.assertEqual(run_job(scale, {"values": [5]}, state=state).result["total"], 10)
        self.assertEqual(run_job(scale, {"values": [6]}, state=state).result["total"], 12)


class CancelTest(unittest.TestCase):
    def test_cancel_a_started_job(self) -> None:
        run = start_job(until_cancelled)
        self.assertEqual(run.wait_for_outputs(1), ["waiting"])
        self.assertFalse(run.done)
        run.cancel()
        self.assertEqual(run.wait().result, {"reason": "cancelled"})

    def test_cancel_after_and_an_async_job(self) -> None:
        run = run_job(async_until_cancelled, cancel_after=0.05)
        self.assertEqual(run.result, "woken")

    def test_a_job_that_does_not_end_in_time_is_a_timeout_error(self) -> None:
        with self.assertRaises(TimeoutError):
            run_job(until_cancelled, timeout=0.1)

    def test_an_async_job_runs_on_a_loop_other_than_the_callers(self) -> None:
        async def job(payload: Dict[str, Any], ctx: wp.JobContext) -> bool:
            await asyncio.sleep(0)
            return threading.current_thread().name == "warmpool-asyncio"

        self.assertTrue(run_job(job).result)


if __name__ == "__main__":
    unittest.main()
