#!/usr/bin/env python3
"""Starts TensorFlow once and forks a fresh process per task file from it,
so that no file waits for TensorFlow's start-up. Forking is safe here
because nothing has run on TensorFlow yet: the process has no thread but
its own. ./check.py starts it as `python -m checker.server` and talks to
it in JSON lines: a request per file on stdin, its pid and then its exit
status on stdout. As a subreaper it kills whatever a finished file left.
"""
import json
import os
import select
import sys
import traceback

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from checker import kernel, processes, sandbox, worker  # noqa: E402


def reply(message):
    """Writes one JSON line to ./check.py."""
    sys.stdout.write(json.dumps(message) + '\n')
    sys.stdout.flush()


def start(request):
    """Forks the process that checks one file; returns its pid."""
    pid = os.fork()
    if pid:
        return pid
    code = 1
    try:
        log = os.open(request['log'], os.O_WRONLY | os.O_APPEND)
        os.dup2(log, 1)
        os.dup2(log, 2)
        os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
        handle = open(request['results'], 'a')
        send = worker.sender(handle)
        spec = request['sandbox']
        if spec:
            sandbox.enter(spec, ROOT)
            sandbox.watch(spec['copy'], spec['forbidden'], send)
        else:
            os.setsid()
        worker.check(request['task'], request['file'], send)
        code = 0
    except BaseException:
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def serve():
    """Answers requests until stdin closes, then kills what still runs."""
    worker.reference_modules()
    try:
        kernel.subreaper()
    except OSError:
        pass  # the probe has said so; process groups still go
    children, pending = {}, b''
    reply({'ready': True})
    while True:
        readable = select.select([0], [], [], 0.05)[0]
        if readable:
            chunk = os.read(0, 65536)
            if not chunk:
                break
            pending += chunk
            while b'\n' in pending:
                line, pending = pending.split(b'\n', 1)
                request = json.loads(line)
                pid = start(request)
                children[pid] = request['id']
                reply({'id': request['id'], 'pid': pid})
        reap(children)
    for pid in list(children) + processes.orphans(()):
        processes.kill(processes.tree(pid))


def reap(children):
    """Reports each finished file's exit status and kills its leftovers."""
    ended = False
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            break
        if not pid:
            break
        if pid in children:
            ended = True
            reply({'id': children.pop(pid),
                   'status': os.waitstatus_to_exitcode(status)})
    if ended:
        for pid in processes.orphans(children):
            processes.kill(processes.tree(pid))


if __name__ == '__main__':
    serve()
