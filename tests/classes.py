#!/usr/bin/env python3
"""The honest fixture students of a class, and ./check.py --class run over
one, which tests/test_sandbox.py and tests/test_class.py share."""
import os
import shutil
import subprocess
import sys
import time

from conftest import ROOT

BUILDERS = ['0-vanilla.py', '1-sparse.py', '2-convolutional.py',
            '3-variational.py']
STUDENT = os.path.join(ROOT, 'tests', 'fixtures', 'student')
SECRET = 'the-neighbours-secret-4711'


def honest_class(folder):
    """Two honest students, ours a few folders down and a student's on
    top, and one with no task files."""
    ours = os.path.join(folder, 'ada', 'repo', 'solution')
    os.makedirs(ours)
    for name in BUILDERS:
        shutil.copy(os.path.join(ROOT, name), ours)
    shutil.copytree(STUDENT, os.path.join(folder, 'bob'))
    with open(os.path.join(folder, 'bob', 'secret.txt'), 'w') as handle:
        handle.write(SECRET)
    os.makedirs(os.path.join(folder, 'cyd', 'notes'))


def run_class(submissions, out, *options, **popen):
    """Runs ./check.py --class; returns the finished process."""
    return subprocess.run(
        [sys.executable, os.path.join(ROOT, 'check.py'), '--class',
         str(submissions), '--out', str(out), '--jobs', '2'] + list(options),
        capture_output=True, text=True, timeout=600, **popen)


def connected(listener):
    """True when a listening socket got a connection; closes it."""
    listener.setblocking(False)
    try:
        listener.accept()
        found = True
    except BlockingIOError:
        found = False
    listener.close()
    return found


def boot_ticks():
    """Now, in the clock ticks since boot that /proc/<pid>/stat counts a
    process's start in."""
    return int(time.clock_gettime(time.CLOCK_BOOTTIME)
               * os.sysconf('SC_CLK_TCK'))


def _stat(pid):
    """A process's parent and its start in ticks since boot; None once it
    is gone."""
    try:
        with open('/proc/{}/stat'.format(pid)) as handle:
            fields = handle.read().rsplit(')', 1)[1].split()
    except OSError:
        return None
    return int(fields[1]), int(fields[19])


def _grades_a_live_run(pid, root):
    """True when a process holds the lock of a run that is alive under
    root: the grader of another run, mid-run."""
    from checker.running import scratch
    folder = '/proc/{}/fd'.format(pid)
    try:
        handles = os.listdir(folder)
    except OSError:
        return False
    for handle in handles:
        try:
            target = os.readlink(os.path.join(folder, handle))
        except OSError:
            continue
        name = os.path.basename(target)
        if os.path.dirname(target) == root and name.endswith('.lock') \
                and scratch.alive(name[:-len('.lock')]):
            return True
    return False


def _of_a_live_run(pid, root):
    """True when the process or one of its ancestors grades a run that
    is alive."""
    seen = set()
    while pid > 1 and pid not in seen:
        seen.add(pid)
        found = _stat(pid)
        if found is None:
            return False
        if _grades_a_live_run(pid, root):
            return True
        pid = found[0]
    return False


def leftovers(since):
    """(pid, working folder) of each process that works in the checker's
    scratch, started since `since` (ticks since boot), and that no live
    run's grader has among its ancestors: what a run that ended left.
    A file's process in its own mount namespace works in the same path
    whatever its run, so the path alone cannot tell whose it is."""
    from checker.running import scratch
    root = scratch.root()
    found = []
    for pid in map(int, filter(str.isdigit, os.listdir('/proc'))):
        try:
            where = os.readlink('/proc/{}/cwd'.format(pid))
        except OSError:
            continue
        started = _stat(pid)
        if root in where and started and started[1] >= since \
                and not _of_a_live_run(pid, root):
            found.append((pid, where))
    return found
