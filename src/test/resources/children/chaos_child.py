#!/usr/bin/env python3
"""A warmpool child in Python that can break the protocol on purpose, for the fuzz and chaos
tests. Jobs run on a thread of their own, so pings are answered while a job runs.

Payload ops:
  echo     {"value": v}            -> done {"value": v}
  sleep    {"ms": n, "tickMs": t}  -> an output {"tick": i} every t ms (if t > 0), then done
  garbage  {"kind": k}             -> writes something that breaks the protocol (GARBAGE below)
"""
import json
import os
import socket
import sys
import threading
import time

# what each kind writes on the channel; the worker must kill the child with protocol-error
GARBAGE = {
    "not-json": lambda job: b"this is not json\n",
    "array": lambda job: b"[1, 2, 3]\n",
    "null": lambda job: b"null\n",
    "blank": lambda job: b"\n",
    "no-type": lambda job: b'{"jobId": "%s", "result": 1}\n' % job.encode(),
    "type-number": lambda job: b'{"type": 42}\n',
    "binary": lambda job: bytes([0xff, 0xfe, 0x00, 0x80, 0xc3, 0x28]) + b"\n",
    "half-frame": lambda job: b'{"type": "do',  # the done that follows completes a broken line
    "oversize": lambda job: b'{"type": "output", "jobId": "%s", "data": "%s"}\n' % (job.encode(), b"x" * (1024 * 1024 + 16)),
    "unknown-type": lambda job: b'{"type": "bogus"}\n',
    "wrong-job": lambda job: b'{"type": "done", "jobId": "not-%s", "result": 1}\n' % job.encode(),
    "started-twice": lambda job: b'{"type": "started", "jobId": "%s"}\n' % job.encode(),
    "ready-again": lambda job: b'{"type": "ready"}\n',
}


def main():
    sock = socket.create_connection(("127.0.0.1", int(os.environ["WARMPOOL_IPC_PORT"])))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    reader = sock.makefile("rb")
    lock = threading.Lock()

    def write(data):
        with lock:
            sock.sendall(data)

    def send(message):
        write((json.dumps(message) + "\n").encode("utf-8"))

    def run(job_id, payload):
        try:
            op = payload.get("op")
            if op == "echo":
                send({"type": "done", "jobId": job_id, "result": {"value": payload.get("value")}})
            elif op == "sleep":
                end = time.monotonic() + payload.get("ms", 0) / 1000.0
                tick_ms, tick = payload.get("tickMs", 0), 0
                while time.monotonic() < end:
                    time.sleep(min(tick_ms / 1000.0 if tick_ms else 0.05, max(0.0, end - time.monotonic())))
                    if tick_ms:
                        send({"type": "output", "jobId": job_id, "data": {"tick": tick}})
                        tick += 1
                send({"type": "done", "jobId": job_id, "result": {"slept": payload.get("ms", 0)}})
            elif op == "garbage":
                write(GARBAGE[payload["kind"]](job_id))
                send({"type": "done", "jobId": job_id, "result": "after garbage"})
            else:
                send({"type": "failed", "jobId": job_id, "error": "unsupported op %r" % op})
        except OSError:
            pass  # the worker closed the channel (it killed this child): nothing more to say

    send({"type": "hello", "token": os.environ["WARMPOOL_IPC_TOKEN"], "pid": os.getpid(),
          "runtime": "python " + sys.version.split()[0]})
    for line in reader:  # ends when the worker closes the channel or dies
        message = json.loads(line)
        kind = message.get("type")
        if kind == "initialize":
            send({"type": "ready"})
        elif kind == "ping":
            send({"type": "pong", "seq": message.get("seq")})
        elif kind == "start":
            job_id = message["jobId"]
            send({"type": "started", "jobId": job_id})
            threading.Thread(target=run, args=(job_id, message.get("payload", {})), daemon=True).start()
        elif kind == "shutdown":
            send({"type": "exiting", "reason": message.get("reason", "")})
            break
    os._exit(0)


if __name__ == "__main__":
    main()
