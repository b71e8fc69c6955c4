#!/usr/bin/env python3
"""A warmpool child in Python, standard library only: proof that docs/protocol.md is enough
to write a child in any language. Runs payload op "echo"; any other op fails the job."""
import json
import os
import socket
import sys


def main():
    sock = socket.create_connection(("127.0.0.1", int(os.environ["WARMPOOL_IPC_PORT"])))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    reader = sock.makefile("r", encoding="utf-8", newline="\n")

    def send(message):
        sock.sendall((json.dumps(message) + "\n").encode("utf-8"))

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
            job_id, payload = message["jobId"], message.get("payload", {})
            send({"type": "started", "jobId": job_id})
            print("python child running job", job_id, flush=True)  # captured by the worker, not protocol
            if payload.get("op") == "echo":
                send({"type": "done", "jobId": job_id, "result": {"value": payload.get("value")}})
            else:
                send({"type": "failed", "jobId": job_id, "error": "unsupported op %r" % payload.get("op")})
        elif kind == "shutdown":
            send({"type": "exiting", "reason": message.get("reason", "")})
            return
    sys.exit(0)


if __name__ == "__main__":
    main()
