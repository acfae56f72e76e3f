#!/usr/bin/env python3
"""The class tests' reading of what a run left behind (classes.leftovers)
tells a process that a run which ended left in the scratch from one of a
run still alive beside it, so that it fails for the first alone."""
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

from classes import boot_ticks, leftovers
from conftest import ROOT

# Another grader's run, alive: it holds its scratch's lock, and a process
# of its own works in that scratch until the grader's stdin closes.
GRADER = '''
import subprocess, sys
from checker.running import scratch
run = scratch.Scratch()
child = subprocess.Popen(['sleep', '60'], cwd=run.path)
print(child.pid, flush=True)
sys.stdin.read()
child.kill()
child.wait()
run.close()
'''


def test_a_leftover_is_told_from_a_live_runs_process():
    """An orphan in the scratch of a run that ended is a leftover; a
    process of a run still alive, in that run's scratch, is not; nor is
    one that started before the run looked at."""
    from checker.running import scratch
    os.makedirs(scratch.root(), exist_ok=True)
    ended = tempfile.mkdtemp(prefix='run-', dir=scratch.root())
    before = subprocess.Popen(['sleep', '60'], cwd=ended)
    since = boot_ticks() + 1
    time.sleep(0.1)
    grader = subprocess.Popen([sys.executable, '-c', GRADER], cwd=ROOT,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True)
    orphan = None
    try:
        working = int(grader.stdout.readline())
        orphan = int(subprocess.run(
            ['sh', '-c', 'sleep 60 >/dev/null 2>&1 & echo $!'], cwd=ended,
            capture_output=True, text=True, check=True).stdout)
        found = [pid for pid, _ in leftovers(since)]
        assert orphan in found
        assert working not in found and before.pid not in found
    finally:
        grader.communicate('')
        before.kill()
        before.wait()
        if orphan:
            os.kill(orphan, signal.SIGKILL)
        shutil.rmtree(ended, ignore_errors=True)
