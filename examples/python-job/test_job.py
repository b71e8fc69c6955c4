"""Unit tests of job.py, in-process with warmpool_child.testing: no worker needed.

Run from this folder: python3 -m unittest -v
"""

from __future__ import annotations

import unittest

from warmpool_child.testing import prewarm_state, run_job, start_job

import job

OPTIONS = {"model": "toy-4gram", "seed": 7, "delayMs": 0}


class SentimentJobTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        # build the model once for every test, as a child process builds it once for every job
        cls.state = prewarm_state(job.prewarm, OPTIONS)

    def test_prewarm_builds_the_whole_table_and_says_so(self) -> None:
        with self.assertLogs("sentiment", "INFO") as logs:
            state = job.prewarm(OPTIONS)
        self.assertEqual(len(state["model"]), 27 ** 4)
        fields = getattr(logs.records[0], "fields")  # extra={"fields": ...} is an attribute of the record
        self.assertEqual(fields["entries"], 27 ** 4)

    def test_one_output_per_word_then_the_result(self) -> None:
        run = run_job(job.job, {"text": "A good day, a GOOD day!"}, state=self.state)
        self.assertIsNone(run.error)
        self.assertEqual([o["word"] for o in run.outputs], ["a", "good", "day", "a", "good", "day"])
        self.assertEqual(run.outputs[-1]["progress"], 1.0)
        self.assertEqual(run.outputs[1]["score"], run.outputs[4]["score"])  # same word, same score
        self.assertEqual(run.result["words"], 6)
        self.assertIn(run.result["label"], ("positive", "negative", "neutral"))
        self.assertFalse(run.result["cancelled"])
        self.assertEqual([(r.level, r.message) for r in run.logs], [("info", "scored")])

    def test_the_same_seed_gives_the_same_scores_in_every_process(self) -> None:
        other = prewarm_state(job.prewarm, OPTIONS)
        self.assertEqual(other["model"].score("warm"), self.state["model"].score("warm"))

    def test_a_cancelled_job_stops_early_and_says_so(self) -> None:
        run = start_job(job.job, {"text": "one two three four five", "delayMs": 10_000}, state=self.state)
        run.wait_for_outputs(1)
        run.cancel()
        run.wait(timeout=5)  # far less than the 10 s the word would take: the sleep woke at once
        self.assertTrue(run.result["cancelled"])
        self.assertEqual(run.result["words"], 1)

    def test_a_text_that_is_not_a_string_fails_the_job(self) -> None:
        run = run_job(job.job, {"text": 42}, state=self.state)
        self.assertEqual(run.error, "ValueError: payload.text must be a string, not int")

    def test_the_dashboards_echo_form_works_too(self) -> None:
        run = run_job(job.job, {"op": "echo", "value": "hello"}, state=self.state)
        self.assertEqual(run.result["words"], 1)


if __name__ == "__main__":
    unittest.main()
