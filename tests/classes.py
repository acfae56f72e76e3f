#!/usr/bin/env python3
"""The honest fixture students of a class, and ./check.py --class run over
one, which tests/test_sandbox.py and tests/test_class.py share."""
import os
import shutil
import subprocess
import sys

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
