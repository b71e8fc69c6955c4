#!/usr/bin/env python3
"""A warmpool test child whose jobs start processes of their own, for the process-tree tests.

Op "fork" starts three processes that sleep for an hour, each leaving the child in its own way:
  - "plain":   an ordinary subprocess (same process group and session), holding the child's stdout;
  - "session": a subprocess in a new session (setsid), holding the child's stdout;
  - "daemon":  a double-forked daemon in a new session, re-parented at once, stdio on /dev/null.
The job then sends an output {"pids": {...}} and, with "then": "done", completes; with "then":
"hang" (the default) it runs until the child is stopped. The child ignores "cancel" and exits on "shutdown" without ending
any of them: whatever is still running then is the worker's to end. With "allocMb", the plain
one fills that many MB of memory once the output is sent.
"""
import json
import os
import socket
import subprocess
import sys
import threading

# with a size in MB, it fills that much memory once told to on its stdin
SLEEP = "import sys, time\nmb = int(sys.argv[1])\nif mb:\n    sys.stdin.readline()\nheld = b'x' * (mb << 20)\ntime.sleep(3600)\n"

DAEMON = r"""
import os, sys, time
if os.fork() > 0:
    os._exit(0)
os.setsid()
if os.fork() > 0:
    os._exit(0)
print(os.getpid(), flush=True)
null = os.open(os.devnull, os.O_RDWR)
for fd in (0, 1, 2):
    os.dup2(null, fd)
time.sleep(3600)
"""


def fork_all(alloc_mb):
    plain = subprocess.Popen([sys.executable, "-c", SLEEP, str(alloc_mb)],
                             stdin=subprocess.PIPE if alloc_mb else subprocess.DEVNULL)
    session = subprocess.Popen([sys.executable, "-c", SLEEP, "0"], stdin=subprocess.DEVNULL,
                               start_new_session=True)
    starter = subprocess.Popen([sys.executable, "-c", DAEMON], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE)
    daemon = int(starter.stdout.readline())
    starter.wait()
    return plain, {"plain": plain.pid, "session": session.pid, "daemon": daemon}


def main():
    sock = socket.create_connection(("127.0.0.1", int(os.environ["WARMPOOL_IPC_PORT"])))
    lock = threading.Lock()

    def send(message):
        with lock:
            sock.sendall((json.dumps(message) + "\n").encode("utf-8"))

    def run(job_id, payload):
        try:
            plain, pids = fork_all(payload.get("allocMb", 0))
            print("started %s" % pids, flush=True)
            send({"type": "output", "jobId": job_id, "data": {"pids": pids}})
            if payload.get("allocMb"):
                plain.stdin.write(b"go\n")
                plain.stdin.flush()
            if payload.get("then") == "done":
                send({"type": "done", "jobId": job_id, "result": {"pids": pids}})
        except OSError:
            pass  # the worker closed the channel

    send({"type": "hello", "token": os.environ["WARMPOOL_IPC_TOKEN"], "pid": os.getpid(), "runtime": "python tree_child"})
    for line in sock.makefile("rb"):
        message = json.loads(line)
        kind = message.get("type")
        if kind == "initialize":
            send({"type": "ready"})
        elif kind == "ping":
            send({"type": "pong", "seq": message.get("seq")})
        elif kind == "start":
            send({"type": "started", "jobId": message["jobId"]})
            threading.Thread(target=run, args=(message["jobId"], message.get("payload") or {}), daemon=True).start()
        elif kind == "shutdown":
            send({"type": "exiting", "reason": "shutdown"})
            os._exit(0)
    os._exit(4)


if __name__ == "__main__":
    main()
