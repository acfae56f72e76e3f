#!/usr/bin/env python3
"""Runs task files' checks, a few at a time: each file's process is forked
by the student side's server, and the grader talks to it through pipes it
holds, asking its questions (checker/checks/student.py) under the limits:
time, output printed, and where a class is graded memory, processes and
disk. What it sees for itself (output, exit status, time, the cgroup's
counts) it reports as data, a Seen, which checker/checks/limits.py
judges."""
import collections
import os
import select
import signal
import threading
import time

from checker import protocol
from checker.checks.answer import Ended
from checker.checks.limits import Seen
from checker.running import processes
from mains import stack

POLL = 0.05  # seconds between looks at the running files
KEPT = 100000  # bytes of stdout kept, for the prints check
TAIL = 4000  # bytes of stderr kept, for an ended process's last line

Limits = collections.namedtuple('Limits',
                                'timeout memory output processes disk')


class FileRun:
    """One task file's process: the channel its questions go through, and
    what the grader saw of it."""

    def __init__(self, pump, server, number, path, spec, limits, groups):
        """Asks the server for the file's process and takes its pipes."""
        self.server, self.number, self.spec = server, number, spec
        self.limits, self.groups = limits, groups
        self.limit, self.claims, self.stage = None, [], 'starting'
        self.stdout, self.stderr, self.output = b'', b'', 0
        self.drained = threading.Event()
        pipes = [os.pipe() for _ in range(4)]
        server.start(number, path, spec, [pipes[0][0], pipes[1][1],
                                          pipes[2][1], pipes[3][1]])
        for reader, writer in pipes:
            os.close(writer if (reader, writer) != pipes[0] else reader)
        self.questions, self.answers = pipes[0][1], pipes[1][0]
        os.set_blocking(self.questions, False)
        self.lines, self.asked = protocol.framing.Lines(self.answers), 0
        self.started = self.disk_seen = time.monotonic()
        pump.add(self, pipes[2][0], pipes[3][0])

    @property
    def caps(self):
        """The caps a student's error may be told against."""
        return {'memory': self.limits.memory, 'disk': self.limits.disk}

    def keeper(self):
        """The pid of the file's keeper, once the server has said it."""
        return self.server.wait(self.number, 'pid', 0)

    def claim(self, claims):
        """Keeps what the student side says its sandbox refused, each once;
        the report shows a few of them (report.bounded)."""
        self.claims += [claim for claim in claims if claim not in self.claims]

    def printed(self):
        """What the file printed on stdout, the first KEPT bytes."""
        return self.stdout.decode('utf-8', errors='replace')

    def took(self, stream, data):
        """Output the pump read: counted, and kept in part."""
        self.output += len(data)
        if stream == 'stdout':
            self.stdout += data[:max(KEPT - len(self.stdout), 0)]
        else:
            self.stderr = (self.stderr + data)[-TAIL:]
        if self.limits.output and self.output > self.limits.output:
            self.stop('output')

    def watch(self):
        """Stops the file at the first limit it is past."""
        if self.limit:
            return
        if time.monotonic() - self.started > self.limits.timeout:
            self.stop('time')
        if not self.limits.memory or self.limit:
            return
        keeper = self.keeper()
        if keeper is None:
            return
        if self.groups:
            held = self.groups.peak(self.number)
            count = len(self.groups.pids(self.number)) - 1
            hit = self.groups.hit(self.number)
        else:
            tree = processes.tree(keeper)
            held, count, hit = (processes.resident_bytes(tree),
                                len(tree) - 1, [])
        if count > self.limits.processes or 'processes' in hit:
            self.stop('processes')
        elif held > self.limits.memory or 'memory' in hit:
            self.stop('memory')
        elif self.limits.disk and time.monotonic() > self.disk_seen + 1:
            self.disk_seen = time.monotonic()
            if _used(keeper, self.spec) >= self.limits.disk:
                self.stop('disk')

    def ask(self, message, stage):
        """Sends one question, numbered and checked against its schema,
        and returns its answer as a dict; Ended where the process ends or
        is stopped first, answers past the cap or out of turn."""
        self.stage, self.asked = stage, self.asked + 1
        try:
            protocol.framing.write(self.questions, protocol.dumps(
                protocol.questions.question(dict(message, n=self.asked))),
                lambda: self._wait([], [self.questions]))
        except OSError:
            raise Ended()
        try:
            line = self.lines.next(lambda: self._wait([self.answers], []))
        except protocol.Invalid:
            self.stop('answer')
            raise Ended()
        if line is None:
            raise Ended()
        found = protocol.loads(line)
        if found.get('n') != self.asked:
            self.stop('turn')
            raise Ended()
        return found

    def _wait(self, readers, writers):
        """Waits until a pipe is ready; Ended past the time limit or once
        the file was stopped."""
        while True:
            if self.limit:
                raise Ended()
            if time.monotonic() - self.started > self.limits.timeout:
                self.stop('time')
                raise Ended()
            if any(select.select(readers, writers, [], POLL)):
                return

    def stop(self, limit):
        """Notes the first limit hit and kills all the file's processes."""
        self.limit = self.limit or limit
        keeper = self.server.wait(self.number, 'pid', 10)
        if self.groups:
            self.groups.kill(self.number)
        if keeper is not None:
            processes.kill(processes.tree(keeper))

    def finish(self):
        """Ends the conversation, then waits for the process's end and its
        last output; reads what the cgroup saw. SIGBUS on a copy of its
        own tmpfs is the disk cap: a page written through mmap that the
        full tmpfs has no room for."""
        os.close(self.questions)
        if self.server.wait(self.number, 'status', 10) is None:
            self.stop('stopped')
            self.server.wait(self.number, 'status', 10)
        self.drained.wait(10)
        if self.server.statuses.get(self.number) == 128 + signal.SIGBUS \
                and 'disk' in self.spec['layers']:
            self.limit = self.limit or 'disk'  # a page its full tmpfs lacked
        if self.groups:
            for limit in self.groups.hit(self.number):
                self.limit = self.limit or limit
            self.groups.kill(self.number)
        os.close(self.answers)

    def seen(self):
        """What the grader saw of the file's process, for the checks of
        checker/checks/limits.py to judge."""
        lines = [line for line in self.stderr.decode(
            errors='replace').splitlines()
            if line.strip() and not stack.LOG_LINE.match(line)]
        cap = protocol.MAX_ANSWER if self.limit in ('answer', 'turn') \
            else getattr(self.limits, self.limit or '', None)
        return Seen(self.limit, cap, list(self.claims), self.stage,
                    self.server.statuses.get(self.number),
                    lines[-1] if lines else '', self.limits.timeout)


def _used(keeper, spec):
    """Bytes the file's copy holds, seen through its keeper's mounts."""
    if not spec['copy']:
        return 0
    inside = '/proc/{}/root{}'.format(keeper, spec['copy'])
    try:
        if 'disk' in spec['layers']:
            found = os.statvfs(inside)
            return (found.f_blocks - found.f_bfree) * found.f_frsize
    except OSError:
        return 0
    return processes.disk_usage(spec['copy'])


class Pump:
    """One thread that reads every running file's output and watches its
    limits."""

    def __init__(self):
        """Starts the thread."""
        self.streams, self.runs = {}, []
        self.lock = threading.Lock()
        threading.Thread(target=self._loop, daemon=True).start()

    def add(self, run, stdout, stderr):
        """Reads and watches one more file."""
        with self.lock:
            self.streams[stdout] = (run, 'stdout')
            self.streams[stderr] = (run, 'stderr')
            self.runs.append(run)

    def _loop(self):
        """Reads what is there, then looks at each file's limits."""
        while True:
            with self.lock:
                handles = list(self.streams)
            ready = select.select(handles, [], [], POLL)[0] if handles \
                else time.sleep(POLL) or []
            for handle in ready:
                run, stream = self.streams[handle]
                data = os.read(handle, 65536)
                if data:
                    run.took(stream, data)
                    continue
                with self.lock:
                    del self.streams[handle]
                    os.close(handle)
                    if run not in [entry[0] for entry in
                                   self.streams.values()]:
                        run.drained.set()
                        self.runs.remove(run)
            with self.lock:
                running = list(self.runs)
            for run in running:
                run.watch()
