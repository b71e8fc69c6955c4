#!/usr/bin/env python3
"""A warmpool test child in plain Python that uses what the worker configures for its children.

Ops: "echo"; "options" returns the initialize options; "env" returns {"value": $name}; "log"
sends log records (one of the job's, one naming another job) and completes. At initialize it
sends a log record outside any job. The worker must take all of them without a protocol error.
"""
import json
import os
import socket
import sys


def send(sock, message):
    sock.sendall((json.dumps(message, separators=(",", ":")) + "\n").encode("utf-8"))


def main():
    sock = socket.create_connection(("127.0.0.1", int(os.environ["WARMPOOL_IPC_PORT"])))
    send(sock, {"type": "hello", "token": os.environ["WARMPOOL_IPC_TOKEN"], "pid": os.getpid(),
                "runtime": "python settings_child"})
    options = None
    for line in sock.makefile("rb"):
        if not line.endswith(b"\n"):
            break
        message = json.loads(line)
        kind = message["type"]
        if kind == "initialize":
            options = message["options"]
            send(sock, {"type": "log", "level": "debug", "message": "prewarmed", "fields": {"keys": len(options)}})
            send(sock, {"type": "ready"})
        elif kind == "ping":
            send(sock, {"type": "pong", "seq": message["seq"]})
        elif kind == "start":
            job_id, payload = message["jobId"], message["payload"]
            send(sock, {"type": "started", "jobId": job_id})
            op = payload.get("op")
            if op == "options":
                result = options
            elif op == "env":
                result = {"value": os.environ.get(payload["name"])}
            elif op == "log":
                send(sock, {"type": "log", "level": payload.get("level", "info"), "message": payload["message"],
                            "fields": {"step": 1}, "jobId": job_id})
                send(sock, {"type": "log", "level": "warn", "message": "not yours", "fields": {}, "jobId": "other"})
                result = {}
            else:
                result = {"value": payload.get("value")}
            send(sock, {"type": "done", "jobId": job_id, "result": result})
        elif kind == "shutdown":
            send(sock, {"type": "exiting", "reason": "shutdown"})
            sys.exit(0)
    sys.exit(4)


if __name__ == "__main__":
    main()
