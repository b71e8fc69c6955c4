#!/usr/bin/env python3
"""A warmpool child in plain Python (docs/protocol.md): runs op "echo", fails any other op.

Started by the worker with WARMPOOL_IPC_PORT and WARMPOOL_IPC_TOKEN in its environment.
Its own prints may go to stdout/stderr freely: the protocol only uses the socket.
"""
import json
import os
import socket
import sys


def send(sock, message):
    sock.sendall((json.dumps(message, separators=(",", ":")) + "\n").encode("utf-8"))


def run_job(payload):
    if payload.get("op") != "echo":
        raise ValueError("unknown op %r: this child only knows echo" % payload.get("op"))
    return {"value": payload.get("value")}


def main():
    port = int(os.environ["WARMPOOL_IPC_PORT"])
    sock = socket.create_connection(("127.0.0.1", port))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    send(sock, {"type": "hello", "token": os.environ["WARMPOOL_IPC_TOKEN"], "pid": os.getpid(),
                "runtime": "python %d.%d echo_child" % sys.version_info[:2]})
    for line in sock.makefile("rb"):  # ends when the worker closes the channel or dies
        if not line.endswith(b"\n"):
            break  # a partial last line: the worker died while writing it
        if not line.strip():
            continue
        try:
            message = json.loads(line)
            kind = message["type"]
        except (ValueError, TypeError, KeyError) as e:
            print("echo_child: protocol error: %s" % e, file=sys.stderr)
            sys.exit(3)
        if kind == "initialize":
            send(sock, {"type": "ready"})  # nothing to prewarm
        elif kind == "ping":
            send(sock, {"type": "pong", "seq": message.get("seq")})
        elif kind == "start":
            job_id = message["jobId"]
            send(sock, {"type": "started", "jobId": job_id})
            try:
                send(sock, {"type": "done", "jobId": job_id, "result": run_job(message.get("payload") or {})})
            except Exception as e:  # the job's own failure; the child stays usable
                send(sock, {"type": "failed", "jobId": job_id, "error": "%s: %s" % (type(e).__name__, e)})
        elif kind == "shutdown":
            send(sock, {"type": "exiting", "reason": "shutdown"})
            sys.exit(0)
    sys.exit(4)  # channel closed: the worker is gone


if __name__ == "__main__":
    main()
