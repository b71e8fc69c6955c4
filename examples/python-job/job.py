#!/usr/bin/env python3
"""A warmpool job in Python: a toy sentiment model that scores the words of a text.

The model is a table of 531,441 weights, one for every 4-letter sequence of ``a``-``z`` and
``_`` (the word boundary). Building it takes a noticeable moment, which is exactly what
warmpool hides: ``prewarm`` builds it once per process, before the process is offered jobs,
and every job of that process reuses it.

Payload: ``{"text": "a good day", "delayMs": 50}`` (``delayMs``, optional, slows each word down
to make the streaming visible; the worker's ``child.options`` give its default). The job sends
one output per word, ``{"word", "score", "progress"}``, stops early when it is cancelled, and
returns ``{"words", "score", "label", "cancelled", "model"}``.

Run by the worker (``child.command`` in worker.json); test it with ``python3 -m unittest``.
"""

from __future__ import annotations

import logging
import random
import re
import time
from array import array
from typing import Any, Dict, List

import warmpool_child as wp

log = logging.getLogger("sentiment")

SYMBOLS = "_abcdefghijklmnopqrstuvwxyz"
GRAM = 4
WORD = re.compile(r"[a-z]+")


class Model:
    """Scores words with the mean weight of their 4-letter sequences, from -1 to 1."""

    def __init__(self, name: str, seed: int) -> None:
        self.name = name
        rng = random.Random(seed)  # the same seed builds the same model in every process
        # array("f") holds the weights in 2 MB, a list of floats would take ~17 MB per process
        self.weights = array("f", (rng.uniform(-1.0, 1.0) for _ in range(len(SYMBOLS) ** GRAM)))

    def __len__(self) -> int:
        return len(self.weights)

    def score(self, word: str) -> float:
        padded = "_" + word + "_" * (GRAM - 1)
        grams = [padded[i:i + GRAM] for i in range(len(padded) - GRAM + 1)]
        return sum(self.weights[self._index(gram)] for gram in grams) / len(grams)

    @staticmethod
    def _index(gram: str) -> int:
        index = 0
        for char in gram:
            index = index * len(SYMBOLS) + SYMBOLS.index(char)
        return index


def prewarm(options: Dict[str, Any]) -> Dict[str, Any]:
    """Build the model from the worker's ``child.options``; the return value is ``ctx.state``."""
    started = time.perf_counter()
    model = Model(str(options.get("model", "toy-4gram")), int(options.get("seed", 7)))
    log.info("model ready", extra={"fields": {
        "model": model.name, "entries": len(model), "ms": round((time.perf_counter() - started) * 1000)}})
    return {"model": model, "delay_ms": int(options.get("delayMs", 0))}


def job(payload: Dict[str, Any], ctx: wp.JobContext) -> Dict[str, Any]:
    """Score the words of ``payload["text"]``, one output per word."""
    # the dashboard's submit form sends its text as "value" (its echo op): accept that too
    text = payload.get("text", payload.get("value", ""))
    if not isinstance(text, str):
        raise ValueError(f"payload.text must be a string, not {type(text).__name__}")
    delay_ms = payload.get("delayMs", ctx.state["delay_ms"])
    if not isinstance(delay_ms, int) or delay_ms < 0:
        raise ValueError(f"payload.delayMs must be a non-negative integer, not {delay_ms!r}")
    model: Model = ctx.state["model"]

    words = WORD.findall(text.lower())
    scores: List[float] = []
    for word in words:
        if ctx.cancelled:
            break
        scores.append(model.score(word))
        ctx.output({"word": word, "score": round(scores[-1], 4), "progress": round(len(scores) / len(words), 4)})
        if delay_ms and ctx.sleep(delay_ms / 1000):  # wakes at once on cancel
            break

    mean = sum(scores) / len(scores) if scores else 0.0
    log.info("scored", extra={"fields": {"words": len(scores), "of": len(words), "cancelled": ctx.cancelled}})
    return {
        "words": len(scores),
        "score": round(mean, 4),
        "label": "positive" if mean > 0.05 else "negative" if mean < -0.05 else "neutral",
        "cancelled": ctx.cancelled,
        "model": model.name,
    }


if __name__ == "__main__":
    wp.run(job, prewarm=prewarm)
