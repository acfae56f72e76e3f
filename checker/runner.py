#!/usr/bin/env python3
"""Runs task files' checks, a few at a time, each in a process forked by
checker/server.py, under the limits: time, memory held, output printed.
Each file's report is its file checks, what its process wrote, and one
check for the limit that stopped it."""
import collections
import json
import os
import queue
import subprocess
import sys
import tempfile
import threading
import time

from checker import checks, processes, report, rules, sandbox
from checker.report import result
from mains import stack

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
POLL = 0.05  # seconds between looks at the running files

Limits = collections.namedtuple('Limits', 'timeout memory output')


class ServerFailed(Exception):
    """The process that loads TensorFlow ended before its files were done.
    """


class Server:
    """The process that has TensorFlow loaded and forks one per file."""

    def __init__(self):
        """Starts it; it answers once TensorFlow is imported."""
        environment = dict(os.environ)
        environment.setdefault('TF_CPP_MIN_LOG_LEVEL', stack.LOG_LEVEL)
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            [sys.executable, '-m', 'checker.server'], cwd=ROOT,
            env=environment, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=self.log, start_new_session=True)
        self.replies, self.pids, self.statuses = queue.Queue(), {}, {}
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        """Passes the server's lines on; None once it has ended."""
        for line in self.process.stdout:
            self.replies.put(json.loads(line))
        self.replies.put(None)

    def request(self, **request):
        """Asks for one file's process."""
        self.process.stdin.write((json.dumps(request) + '\n').encode())
        self.process.stdin.flush()

    def poll(self):
        """Takes in the pids and exit statuses the server has sent."""
        while not self.replies.empty():
            message = self.replies.get()
            if message is None:
                raise ServerFailed(self.failure())
            if 'pid' in message:
                self.pids[message['id']] = message['pid']
            if 'status' in message:
                self.statuses[message['id']] = message['status']

    def failure(self):
        """Why the server ended: the last line it printed."""
        self.log.seek(0)
        lines = [line for line in self.log.read().decode(
            errors='replace').splitlines() if line.strip()
            and not stack.LOG_LINE.match(line)]
        return 'the checker could not start TensorFlow: ' + (
            lines[-1] if lines else 'its process ended')

    def close(self):
        """Ends the server and every process it forked or adopted."""
        processes.kill(processes.tree(self.process.pid))
        self.process.wait()
        self.process.stdin.close()


class Run:
    """One task file's check: its process, its limits, its results."""

    def __init__(self, server, number, task, path, limits, spec=None):
        """Asks the server for the file's process."""
        self.server, self.id, self.task, self.path = (server, number, task,
                                                      path)
        self.limits, self.limit, self.started = limits, None, None
        self.hit = []  # the limits it hit, in the report's words
        handle, self.results = tempfile.mkstemp(suffix='.jsonl')
        os.close(handle)
        handle, self.log = tempfile.mkstemp(suffix='.log')
        os.close(handle)
        server.request(id=number, task=task.number, file=path,
                       results=self.results, log=self.log, sandbox=spec)

    def finished(self):
        """True once the process has ended, stopping it at a limit."""
        if self.id in self.server.statuses:
            self.over_output()
            return True
        pid = self.server.pids.get(self.id)
        if pid is None:
            return False
        self.started = self.started or time.monotonic()
        if time.monotonic() - self.started > self.limits.timeout:
            self.stop('time')
        elif self.limits.memory and processes.resident_bytes(
                processes.tree(pid)) > self.limits.memory:
            self.stop('memory')
        elif self.over_output():
            self.stop('output')
        return self.limit is not None

    def over_output(self):
        """True, and the limit noted, when the file printed past its cap."""
        if self.limits.output and os.path.getsize(
                self.log) >= self.limits.output:
            self.limit = self.limit or 'output'
        return self.limit == 'output'

    def stop(self, limit=None):
        """Kills the file's process and anything it started."""
        self.limit = self.limit or limit or 'stopped'
        pid = self.server.pids.get(self.id)
        if pid is not None:
            processes.kill(processes.tree(pid))

    def report(self):
        """The file's report: its checks, whether all passed, its stack."""
        checks_found, stack_named, stage, done, limits = (
            rules.check_file(self.path), None, '', False, [])
        with open(self.results) as handle:
            for line in handle:
                message = json.loads(line)
                checks_found += [message['check']] if 'check' in message \
                    else []
                stack_named = message.get('stack', stack_named)
                stage = message.get('stage', stage)
                done = done or message.get('done', False)
                limits += [message['limit']] if 'limit' in message else []
        if self.limit in ('memory', 'output'):
            limits.append(sandbox.words(self.limit, getattr(
                self.limits, self.limit)))
        self.hit = list(dict.fromkeys(limits))
        named = ' '.join(check['detail'] for check in checks_found
                         if check['passed'] is False)
        limits = [limit for limit in self.hit if limit not in named]
        if self.limit == 'time':
            self.hit.append('ran longer than {:g} s'.format(
                self.limits.timeout))
        if limits:
            checks_found.append(self.limits_check(limits, stage))
        elif not done and self.limit not in ('memory', 'output'):
            checks_found.append(self.unfinished(stage))
        for path in (self.results, self.log):
            os.unlink(path)
        return {'file': self.path, 'task': self.task.number,
                'name': self.task.name, 'stack': stack_named,
                'passed': report.task_passed(checks_found),
                'checks': checks_found}

    def limits_check(self, limits, stage):
        """The failed check that names each limit no other check named."""
        stopped = self.limit in ('memory', 'output')
        detail = 'Your file {} while {}{}.'.format(
            '; it '.join(limits), stage or 'starting',
            ', and the grader stopped it there' if stopped
            else '; the sandbox refused it')
        return result(checks.name('limits'), 'interface', False, detail)

    def unfinished(self, stage):
        """The check that says how the process ended before its last line."""
        code = self.server.statuses.get(self.id)
        with open(self.log, errors='replace') as handle:
            lines = [line for line in handle.read().splitlines()
                     if line.strip() and not stack.LOG_LINE.match(line)]
        if self.limit == 'time':
            detail = ('Your file was stopped after {:g} s while {}: it hangs '
                      'there (an endless loop, or it waits for something).'
                      .format(self.limits.timeout, stage or 'starting'))
        else:
            detail = ('Your file ended its process (status {}) while {}: {}.'
                      .format(code, stage or 'starting',
                              lines[-1] if lines else 'os._exit, or a crash'))
        return result(checks.name('finishes', timeout=self.limits.timeout),
                      'interface', False, detail)


def run_all(server, jobs, starts):
    """Runs the files that starts() gives (each a function making a Run),
    jobs at a time; yields each finished Run. Ctrl-C, or an error, kills
    what still runs."""
    waiting, running = list(starts), []
    try:
        while waiting or running:
            while waiting and len(running) < jobs:
                running.append(waiting.pop(0)())
            time.sleep(POLL)
            server.poll()
            for run in [run for run in running if run.finished()]:
                while run.id not in run.server.statuses:
                    time.sleep(POLL)
                    server.poll()
                running.remove(run)
                yield run
    finally:
        for run in running:
            run.stop()
