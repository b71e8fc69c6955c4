"""Frames and fields: strict JSON both ways, the frame limit, error texts, log levels."""

from __future__ import annotations

import logging
import unittest

from warmpool_child._logging import level_name
from warmpool_child._protocol import (
    MAX_ERROR_BYTES,
    MAX_FRAME_BYTES,
    FrameTooLargeError,
    ProtocolError,
    decode,
    encode,
    error_text,
    same_job,
)


class EncodeTest(unittest.TestCase):
    def test_compact_utf8_one_line(self) -> None:
        self.assertEqual(encode({"type": "output", "data": "é\n"}), '{"type":"output","data":"é\\n"}\n'.encode("utf-8"))

    def test_the_limit_counts_utf8_bytes_without_the_newline(self) -> None:
        overhead = len(encode({"type": "x", "data": ""})) - 1
        self.assertEqual(len(encode({"type": "x", "data": "a" * (MAX_FRAME_BYTES - overhead)})), MAX_FRAME_BYTES + 1)
        with self.assertRaises(FrameTooLargeError):
            encode({"type": "x", "data": "a" * (MAX_FRAME_BYTES - overhead + 1)})
        with self.assertRaises(FrameTooLargeError):  # 2 bytes each in UTF-8
            encode({"type": "x", "data": "é" * (MAX_FRAME_BYTES // 2)})

    def test_values_json_cannot_hold_are_refused(self) -> None:
        for value, error in ((float("inf"), ValueError), ({1, 2}, TypeError), ("\ud800", ValueError)):
            with self.subTest(value), self.assertRaises(error):
                encode({"type": "done", "result": value})


class DecodeTest(unittest.TestCase):
    def test_a_message_is_an_object_with_a_string_type(self) -> None:
        self.assertEqual(decode(b'{"type":"ping","seq":1}'), {"type": "ping", "seq": 1})
        for frame in (b"", b"[]", b"{}", b'{"type":1}', b'{"type":"x","v":Infinity}', b"\xc3\x28"):
            with self.subTest(frame), self.assertRaises(ProtocolError):
                decode(frame)


class ErrorTextTest(unittest.TestCase):
    def test_type_and_message_on_one_line_at_most_8_kib(self) -> None:
        self.assertEqual(error_text(ValueError("a\nb")), "ValueError: a b")
        self.assertEqual(error_text(KeyError()), "KeyError")
        text = error_text(RuntimeError("é" * MAX_ERROR_BYTES))
        self.assertLessEqual(len(text.encode("utf-8")), MAX_ERROR_BYTES)
        self.assertTrue(text.startswith("RuntimeError: éé"))


class MiscTest(unittest.TestCase):
    def test_job_ids_compare_with_their_json_type(self) -> None:
        self.assertTrue(same_job("1", "1"))
        self.assertFalse(same_job("1", 1))
        self.assertFalse(same_job(1, 1.0))

    def test_levels(self) -> None:
        self.assertEqual([level_name(n) for n in (5, logging.DEBUG, logging.INFO, logging.WARNING, logging.ERROR,
                                                 logging.CRITICAL)], ["debug", "debug", "info", "warn", "error", "error"])


if __name__ == "__main__":
    unittest.main()
