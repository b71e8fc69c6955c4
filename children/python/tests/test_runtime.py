"""The SDK's runtime against a fake worker: a real child process on a real loopback socket."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import unittest
from typing import Any, Dict, Optional

from tests.fakeworker import PACKAGE_ROOT, FakeWorker

MIB = 1024 * 1024


class ChildTestCase(unittest.TestCase):
    def worker(self, *args: str, env: Optional[Dict[str, Optional[str]]] = None,
               script: str = "sdk_child.py") -> FakeWorker:
        worker = FakeWorker()
        self.addCleanup(worker.close)
        return worker.start(script, *args, env=env)

    def ready_child(self, *args: str, options: Optional[Dict[str, Any]] = None) -> FakeWorker:
        worker = self.worker(*args)
        worker.handshake(options)
        return worker

    def run_job(self, worker: FakeWorker, job_id: Any, payload: Dict[str, Any]) -> Dict[str, Any]:
        """Start a job that sends no outputs; return its done or failed."""
        worker.send({"type": "start", "jobId": job_id, "payload": payload})
        self.assertEqual(worker.expect("started")["jobId"], job_id)
        end = worker.recv()
        self.assertIn(end["type"], ("done", "failed"), end)
        return end


class HandshakeTest(ChildTestCase):
    def test_hello_carries_the_token_the_pid_and_the_runtime(self) -> None:
        worker = self.worker()
        hello = worker.expect("hello")
        self.assertEqual(hello["token"], worker.token)
        self.assertEqual(hello["pid"], worker.pid)
        self.assertRegex(hello["runtime"], r"^python 3\.\d+\.\d+\S* warmpool-child \d+\.\d+\.\d+")

    def test_prewarm_gets_the_options_on_its_own_thread_and_its_state_reaches_jobs(self) -> None:
        worker = self.ready_child(options={"model": "tiny", "size": 3})
        done = self.run_job(worker, "j1", {"op": "state"})
        self.assertEqual(done["result"], {"options": {"model": "tiny", "size": 3}, "thread": "warmpool-init"})

    def test_a_prewarm_that_raises_is_init_failed_and_the_child_exits_1(self) -> None:
        worker = self.worker(env={"TEST_PREWARM": "fail"})
        worker.expect("hello")
        worker.send({"type": "initialize", "entrypoint": "", "options": {}})
        self.assertEqual(worker.expect("initFailed")["error"], "RuntimeError: prewarm broke")
        self.assertEqual(worker.wait_exit(), 1)

    def test_pings_are_answered_during_prewarm_and_a_shutdown_then_gets_only_exiting(self) -> None:
        worker = self.worker(env={"TEST_PREWARM": "slow"})
        worker.expect("hello")
        worker.send({"type": "initialize", "entrypoint": "", "options": {}})
        worker.send({"type": "ping", "seq": 1})
        self.assertEqual(worker.recv(), {"type": "pong", "seq": 1})
        worker.send({"type": "shutdown", "reason": "drain"})
        self.assertEqual(worker.recv(), {"type": "exiting", "reason": "drain"})  # no ready
        self.assertEqual(worker.wait_exit(), 0)

    def test_run_by_hand_without_the_environment_exits_2_saying_why(self) -> None:
        env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": PACKAGE_ROOT}
        done = subprocess.run([sys.executable, "-c", "import warmpool_child as wp; wp.run(lambda p, c: None)"],
                              env=env, capture_output=True, text=True, timeout=10)
        self.assertEqual(done.returncode, 2)
        self.assertIn("WARMPOOL_IPC_PORT and WARMPOOL_IPC_TOKEN not set", done.stderr)
        self.assertIn("warmpool_child.testing", done.stderr)


class JobTest(ChildTestCase):
    def test_started_outputs_done_in_order_then_the_child_takes_the_next_job(self) -> None:
        for mode in ("sync", "async"):
            with self.subTest(mode):
                worker = self.ready_child(mode)
                worker.send({"type": "start", "jobId": "j1", "payload": {"op": "outputs", "count": 3}})
                self.assertEqual(worker.expect("started"), {"type": "started", "jobId": "j1"})
                for i in range(3):
                    self.assertEqual(worker.expect("output"), {"type": "output", "jobId": "j1", "data": {"i": i}})
                self.assertEqual(worker.expect("done"), {"type": "done", "jobId": "j1", "result": {"count": 3}})
                # numeric ids are echoed as numbers
                self.assertEqual(self.run_job(worker, 7, {"op": "echo", "value": "hi"}),
                                 {"type": "done", "jobId": 7, "result": {"value": "hi"}})

    def test_an_exception_fails_the_job_with_type_and_message_and_the_child_stays_usable(self) -> None:
        for mode in ("sync", "async"):
            with self.subTest(mode):
                worker = self.ready_child(mode)
                failed = self.run_job(worker, "j1", {"op": "fail", "message": "boom-42\nsecond line"})
                self.assertEqual(failed, {"type": "failed", "jobId": "j1", "error": "ValueError: boom-42 second line"})
                self.assertEqual(self.run_job(worker, "j2", {"op": "echo", "value": 1})["type"], "done")
                worker.wait_for_stderr("ValueError: boom-42")  # the traceback, for the worker's log

    def test_pings_are_answered_while_a_job_runs(self) -> None:
        for mode in ("sync", "async"):
            with self.subTest(mode):
                worker = self.ready_child(mode)
                worker.send({"type": "start", "jobId": "j1", "payload": {"op": "sleep", "ms": 1500}})
                worker.expect("started")
                for seq in (1, 2, 3):
                    worker.send({"type": "ping", "seq": seq})
                    self.assertEqual(worker.recv(), {"type": "pong", "seq": seq})  # not the done
                self.assertEqual(worker.expect("done")["result"], {"slept": 1500})

    def test_a_result_that_is_not_json_fails_the_job_naming_the_type(self) -> None:
        worker = self.ready_child()
        failed = self.run_job(worker, "j1", {"op": "unserialisable"})
        self.assertEqual(failed["type"], "failed")
        self.assertIn("TypeError", failed["error"])
        self.assertIn("set", failed["error"])

    def test_a_result_or_output_over_1_mib_fails_the_job_and_the_channel_goes_on(self) -> None:
        worker = self.ready_child()
        for job_id, op in (("j1", "big-result"), ("j2", "big-output")):
            failed = self.run_job(worker, job_id, {"op": op})
            self.assertEqual(failed["type"], "failed")
            self.assertTrue(failed["error"].startswith("FrameTooLargeError: "), failed["error"])
            self.assertIn("1,048,576", failed["error"])
        self.assertEqual(self.run_job(worker, "j3", {"op": "echo", "value": "still here"})["result"],
                         {"value": "still here"})


class CancelTest(ChildTestCase):
    def test_cancel_sets_the_flag_and_runs_the_callback_of_a_sync_job(self) -> None:
        worker = self.ready_child("sync")
        worker.send({"type": "start", "jobId": "j1", "payload": {"op": "wait-cancel"}})
        worker.expect("started")
        worker.send({"type": "cancel", "jobId": "j1", "graceMs": 3000})
        messages = [worker.recv(), worker.recv()]  # the callback's output and the done, either order
        self.assertIn({"type": "output", "jobId": "j1", "data": {"callback": True}}, messages)
        self.assertIn({"type": "done", "jobId": "j1", "result": {"flag": True, "reason": "cancelled"}}, messages)

    def test_cancel_wakes_an_async_job_waiting_for_it_and_runs_the_callback(self) -> None:
        worker = self.ready_child("async")
        worker.send({"type": "start", "jobId": "j1", "payload": {"op": "wait-cancel"}})
        worker.expect("started")
        worker.send({"type": "cancel", "jobId": "j1", "graceMs": 3000})
        messages = [worker.recv(), worker.recv()]
        self.assertIn({"type": "output", "jobId": "j1", "data": {"callback": True}}, messages)
        self.assertIn({"type": "done", "jobId": "j1",
                       "result": {"awaited": True, "flag": True, "reason": "cancelled"}}, messages)

    def test_a_cancel_for_another_job_is_ignored(self) -> None:
        worker = self.ready_child("async")
        worker.send({"type": "start", "jobId": "j1", "payload": {"op": "wait-cancel"}})
        worker.expect("started")
        worker.send({"type": "cancel", "jobId": "j2", "graceMs": 3000})
        worker.send({"type": "cancel", "jobId": 1, "graceMs": 3000})  # not the string "j1" either
        worker.send({"type": "ping", "seq": 5})
        self.assertEqual(worker.recv(), {"type": "pong", "seq": 5})
        worker.send({"type": "cancel", "jobId": "j1", "graceMs": 3000})
        self.assertIn(worker.recv()["type"], ("output", "done"))

    def test_shutdown_during_a_job_tells_the_job_then_done_comes_before_exiting(self) -> None:
        worker = self.ready_child("sync")
        worker.send({"type": "start", "jobId": "j1", "payload": {"op": "wait-cancel"}})
        worker.expect("started")
        worker.send({"type": "shutdown", "reason": "drain"})
        worker.send({"type": "start", "jobId": "j2", "payload": {"op": "echo"}})  # ignored after shutdown
        messages = [worker.recv(), worker.recv()]
        self.assertIn({"type": "done", "jobId": "j1", "result": {"flag": True, "reason": "shutdown"}}, messages)
        self.assertEqual(worker.expect("exiting"), {"type": "exiting", "reason": "drain"})
        self.assertEqual(worker.wait_exit(), 0)


class LogTest(ChildTestCase):
    def test_log_records_carry_level_message_fields_and_the_job_id_made_during_a_job(self) -> None:
        worker = self.worker("sync")
        worker.expect("hello")
        worker.send({"type": "initialize", "entrypoint": "", "options": {"b": 1, "a": 2}})
        prewarm_log = worker.expect("log")  # made by the prewarm hook: no job id
        self.assertEqual(prewarm_log, {"type": "log", "level": "info", "message": "prewarmed",
                                       "fields": {"keys": ["a", "b"], "logger": "sdk_child"}})
        worker.expect("ready")
        worker.send({"type": "start", "jobId": "j1", "payload": {"op": "log"}})
        worker.expect("started")
        self.assertEqual(worker.expect("log"), {
            "type": "log", "level": "info", "message": "hello there", "jobId": "j1",
            "fields": {"k": 1, "nested": {"a": [1, 2]}, "logger": "sdk_child"}})
        warning = worker.expect("log")  # the debug record is below the default level
        self.assertEqual((warning["level"], warning["message"], warning["jobId"]), ("warn", "careful", "j1"))
        worker.expect("done")

    def test_records_of_tasks_an_async_job_creates_carry_its_job_id(self) -> None:
        worker = self.ready_child("async")
        worker.send({"type": "start", "jobId": "a1", "payload": {"op": "log"}})
        worker.expect("started")
        task_log = worker.expect("log")
        self.assertEqual((task_log["message"], task_log["jobId"]), ("from a task", "a1"))


class ProtocolTest(ChildTestCase):
    def test_an_unknown_message_type_is_ignored(self) -> None:
        worker = self.ready_child()
        worker.send({"type": "bogus", "anything": [1]})
        worker.send({"type": "ping", "seq": 9})
        self.assertEqual(worker.recv(), {"type": "pong", "seq": 9})
        worker.wait_for_stderr("'bogus'")

    def test_a_known_type_with_a_bad_field_is_a_protocol_error_exit_3(self) -> None:
        cases = [
            {"type": "ping", "seq": "9"},
            {"type": "ping"},
            {"type": "start", "jobId": True, "payload": {}},
            {"type": "start", "jobId": "j1", "payload": []},
            {"type": "cancel", "jobId": "j1", "graceMs": 1.5},
            {"type": "shutdown"},
        ]
        for message in cases:
            with self.subTest(message):
                worker = self.ready_child()
                worker.send(message)
                exiting = worker.expect("exiting")
                self.assertTrue(exiting["reason"].startswith("protocol-error: "), exiting)
                self.assertEqual(worker.wait_exit(), 3)

    def test_frames_that_are_not_json_objects_or_over_1_mib_are_protocol_errors(self) -> None:
        for frame in (b"not json\n", b"[1]\n", b'{"type": NaN}\n', b"\xff\xfe\n",
                      b'{"type":"x","pad":"' + b"y" * MIB + b'"}\n'):
            with self.subTest(frame[:20]):
                worker = self.ready_child()
                worker.send_raw(frame)
                self.assertIn("protocol-error", worker.expect("exiting")["reason"])
                self.assertEqual(worker.wait_exit(), 3)

    def test_start_before_ready_or_during_a_job_is_a_protocol_error(self) -> None:
        worker = self.worker()
        worker.expect("hello")
        worker.send({"type": "start", "jobId": "j1", "payload": {}})
        self.assertIn("before ready", worker.expect("exiting")["reason"])
        self.assertEqual(worker.wait_exit(), 3)

        worker = self.ready_child()
        worker.send({"type": "start", "jobId": "j1", "payload": {"op": "sleep", "ms": 2000}})
        worker.expect("started")
        worker.send({"type": "start", "jobId": "j2", "payload": {}})
        self.assertIn("while job 'j1' runs", worker.expect("exiting")["reason"])
        self.assertEqual(worker.wait_exit(), 3)

    def test_shutdown_when_idle_sends_exiting_and_exits_0(self) -> None:
        worker = self.ready_child()
        worker.send({"type": "shutdown", "reason": "scale-down"})
        self.assertEqual(worker.expect("exiting"), {"type": "exiting", "reason": "scale-down"})
        self.assertEqual(worker.wait_exit(), 0)

    def test_the_child_exits_when_the_channel_closes_even_with_a_job_stuck(self) -> None:
        worker = self.ready_child()
        worker.send({"type": "start", "jobId": "j1", "payload": {"op": "stuck"}})
        worker.expect("started")
        worker.close_channel()
        self.assertEqual(worker.wait_exit(), 4)

    def test_the_child_exits_when_the_process_that_started_it_is_gone(self) -> None:
        worker = FakeWorker()
        self.addCleanup(worker.close)
        worker.start("sdk_child.py", orphan=True)
        worker.handshake()
        assert worker.process is not None
        worker.process.kill()  # the child's parent, as a worker killed with SIGKILL
        # the channel stays open on this side: only the child's parent watchdog can end it
        worker.expect_closed(timeout=4)


class ConformanceChildTest(ChildTestCase):
    """The conformance child speaks every op of children/conformance (the worker-level harness is Java's)."""

    def test_every_op(self) -> None:
        script = os.path.join(PACKAGE_ROOT, "conformance_child.py")
        # no PYTHONPATH, as from the worker: the script finds the package beside it
        worker = self.worker(script=script, env={"WARMPOOL_CONFORMANCE": "yes", "PYTHONPATH": None})
        worker.handshake({"model": "tiny", "size": 3})
        self.assertEqual(self.run_job(worker, "1", {"op": "echo", "value": "hi"})["result"], {"value": "hi"})
        self.assertEqual(self.run_job(worker, "2", {"op": "options"})["result"], {"model": "tiny", "size": 3})
        self.assertEqual(self.run_job(worker, "3", {"op": "env", "name": "WARMPOOL_CONFORMANCE"})["result"], {"value": "yes"})
        self.assertEqual(self.run_job(worker, "4", {"op": "env", "name": "NOT_SET_HERE"})["result"], {"value": None})
        self.assertIn("boom-42", self.run_job(worker, "5", {"op": "fail", "message": "boom-42"})["error"])

        worker.send({"type": "start", "jobId": "6", "payload": {"op": "outputs", "count": 3}})
        worker.expect("started")
        self.assertEqual([worker.expect("output")["data"] for _ in range(3)], [{"i": 0}, {"i": 1}, {"i": 2}])
        self.assertEqual(worker.expect("done")["result"], {"count": 3})

        worker.send({"type": "start", "jobId": "7", "payload": {"op": "log", "message": "hello from the job"}})
        worker.expect("started")
        record = worker.expect("log")
        self.assertEqual((record["level"], record["message"], record["jobId"]), ("info", "hello from the job", "7"))
        worker.expect("done")

        worker.send({"type": "start", "jobId": "8", "payload": {"op": "sleep", "ms": 600}})
        worker.expect("started")
        worker.send({"type": "ping", "seq": 1})
        self.assertEqual(worker.recv(), {"type": "pong", "seq": 1})
        self.assertEqual(worker.expect("done")["result"], {"slept": 600})

        with tempfile.TemporaryDirectory() as folder:
            marker = os.path.join(folder, "marker")
            worker.send({"type": "start", "jobId": "9", "payload": {"op": "wait-cancel", "marker": marker}})
            worker.expect("started")
            worker.send({"type": "cancel", "jobId": "9", "graceMs": 3000})
            worker.expect("done")
            self.assertTrue(os.path.exists(marker))


if __name__ == "__main__":
    unittest.main()
