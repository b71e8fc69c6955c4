"""A fake worker for the tests: the worker's end of the channel, driving a real child process."""

from __future__ import annotations

import json
import os
import queue
import secrets
import socket
import subprocess
import sys
import threading
from typing import Any, Dict, List, Optional

PACKAGE_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CHILDREN = os.path.join(os.path.dirname(os.path.abspath(__file__)), "children")

#: How long any single wait of a test may take: every test stays bounded.
TIMEOUT = 5.0


class FakeWorker:
    """Listens on 127.0.0.1, starts one child with ``sys.executable``, reads and writes frames."""

    def __init__(self) -> None:
        self.token = secrets.token_hex(16)
        self._server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._server.bind(("127.0.0.1", 0))
        self._server.listen(1)
        self._server.settimeout(TIMEOUT)
        self.port = self._server.getsockname()[1]
        self.process: Optional[subprocess.Popen[bytes]] = None
        self._conn: Optional[socket.socket] = None
        self._messages: "queue.Queue[Optional[Dict[str, Any]]]" = queue.Queue()
        self._stderr: List[str] = []
        self.logs: List[Dict[str, Any]] = []
        self._stderr_changed = threading.Condition()

    def start(self, script: str, *args: str, env: Optional[Dict[str, Optional[str]]] = None,
              orphan: bool = False) -> "FakeWorker":
        """Start ``script`` (a path, or a name in tests/children) and accept its connection.

        With ``orphan``, an intermediate process starts the child and then waits (at most a
        minute) to be killed: :attr:`process` is that intermediate process, and killing it
        leaves the child as a worker that dies would.
        """
        path = script if os.path.isabs(script) else os.path.join(CHILDREN, script)
        launcher = [sys.executable, "-c", "import subprocess, sys, time; subprocess.Popen(sys.argv[1:]); time.sleep(60)"]
        if not orphan:
            launcher = []
        child_env = {
            "PATH": os.environ.get("PATH", ""),
            "WARMPOOL_IPC_PORT": str(self.port),
            "WARMPOOL_IPC_TOKEN": self.token,
            "PYTHONPATH": PACKAGE_ROOT,
        }
        for name, value in (env or {}).items():  # None removes a variable
            if value is None:
                child_env.pop(name, None)
            else:
                child_env[name] = value
        self.process = subprocess.Popen(
            [*launcher, sys.executable, path, *args], env=child_env, stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        threading.Thread(target=self._drain_stderr, daemon=True).start()
        self._conn, _ = self._server.accept()
        self._conn.settimeout(None)
        threading.Thread(target=self._read, daemon=True).start()
        return self

    def handshake(self, options: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
        """hello, initialize, ready: returns the hello."""
        hello = self.expect("hello")
        self.send({"type": "initialize", "entrypoint": "", "options": options or {}})
        self.expect("ready")
        return hello

    def send(self, message: Dict[str, Any]) -> None:
        self.send_raw((json.dumps(message) + "\n").encode("utf-8"))

    def send_raw(self, data: bytes) -> None:
        assert self._conn is not None
        self._conn.sendall(data)

    def recv(self, timeout: float = TIMEOUT, *, skip_logs: bool = True) -> Dict[str, Any]:
        """The next message from the child; fails the test if none comes in time or the channel closed.

        ``log`` messages may come at any time: unless ``skip_logs`` is False they are put aside
        in :attr:`logs` so that tests of other messages need not expect them.
        """
        while True:
            try:
                message = self._messages.get(timeout=timeout)
            except queue.Empty:
                raise AssertionError(f"no message from the child within {timeout} s; its stderr:\n{self.stderr}") from None
            if message is None:
                raise AssertionError(f"the child closed the channel; its stderr:\n{self.stderr}")
            if skip_logs and message["type"] == "log":
                self.logs.append(message)
                continue
            return message

    def expect(self, kind: str, timeout: float = TIMEOUT) -> Dict[str, Any]:
        """The next message, which must be of type ``kind`` (log messages are skipped unless ``kind`` is log)."""
        message = self.recv(timeout, skip_logs=kind != "log")
        if message["type"] != kind:
            raise AssertionError(f"expected {kind}, got {message}; the child's stderr:\n{self.stderr}")
        return message

    def expect_closed(self, timeout: float = TIMEOUT) -> None:
        """The child closes the channel with nothing more said."""
        try:
            message = self._messages.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"the channel is still open after {timeout} s") from None
        if message is not None:
            raise AssertionError(f"expected the channel to close, got {message}")

    def close_channel(self) -> None:
        """Close the worker's end, as a worker that dies does."""
        assert self._conn is not None
        # shutdown, not only close: the reader thread's file keeps the socket open otherwise
        self._conn.shutdown(socket.SHUT_RDWR)
        self._conn.close()

    def wait_exit(self, timeout: float = TIMEOUT) -> int:
        """The child's exit status; fails the test if it is still running after ``timeout``."""
        assert self.process is not None
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"the child is still running after {timeout} s") from None

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    @property
    def stderr(self) -> str:
        with self._stderr_changed:
            return "".join(self._stderr)

    def wait_for_stderr(self, text: str, timeout: float = TIMEOUT) -> None:
        """Wait until the child has written ``text`` on its stderr (read by another thread)."""
        with self._stderr_changed:
            if not self._stderr_changed.wait_for(lambda: text in "".join(self._stderr), timeout):
                raise AssertionError(f"{text!r} not on the child's stderr within {timeout} s:\n{''.join(self._stderr)}")

    def close(self) -> None:
        """Kill the child if it still runs and close every socket (a test's cleanup)."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(TIMEOUT)
        if self._conn is not None:
            # a child still alive (an orphan) sees the end of the channel and exits by itself
            try:
                self._conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass  # already closed
            self._conn.close()
        self._server.close()
        # stderr is closed by its reader at end of file: closing it here, while that thread
        # reads it, would block until an orphan that shares the pipe exits

    def _read(self) -> None:
        assert self._conn is not None
        try:
            for line in self._conn.makefile("rb"):
                self._messages.put(json.loads(line))
        except (OSError, ValueError):
            pass
        self._messages.put(None)

    def _drain_stderr(self) -> None:
        assert self.process is not None and self.process.stderr is not None
        stream = self.process.stderr
        try:
            for line in stream:
                with self._stderr_changed:
                    self._stderr.append(line.decode("utf-8", "replace"))
                    self._stderr_changed.notify_all()
        except (OSError, ValueError):
            pass
        finally:
            stream.close()
