#!/usr/bin/env python3
"""Ctrl-C ends ./check.py, and ./check.py --class, at any moment of a run
with one line and exit status 130, leaving no process of its behind. Each
test sends SIGINT to the run's process group, as a terminal does, once
the run has reached a known point (a process started, a file written, a
pipe full): no test guesses from the clock where a run has got to."""
import contextlib
import fcntl
import os
import shutil
import signal
import subprocess
import sys
import termios
import time

import pytest

from checker.running import processes
from conftest import ROOT

pytestmark = [pytest.mark.timing, pytest.mark.skipif(
    not os.path.isdir('/proc'), reason='reads processes from /proc')]

CHECK = os.path.join(ROOT, 'check.py')
PIPE_PAGE = 4096  # the smallest pipe the kernel makes
F_SETPIPE_SZ = 1031
DEADLINE = 300  # seconds a step of a run may take on a loaded 2-core CI
# A vanilla autoencoder that stops for good at one step, holding open a
# file named for that step in its folder, so that the test knows where the
# run is; the reference's own builder otherwise.
SLOW_STUDENT = '''#!/usr/bin/env python3
"""A student whose file stops at one step."""
import select

import tensorflow.keras as keras


def reached(step):
    """Says where the file is, then waits until it is ended."""
    if step == {step!r}:
        with open('reached-' + step, 'w'):  # held open while it waits
            select.select([], [], [])


reached('import')


def autoencoder(input_dims, hidden_layers, latent_dims):
    """Stops at the build, or builds as the reference does."""
    reached('build')
    return __import__('reference_vanilla').autoencoder(
        input_dims, hidden_layers, latent_dims)
'''


@contextlib.contextmanager
def interruptible():
    """Lets the processes started inside take SIGINT as Python does by
    default: a shell ignores SIGINT for the commands it starts in the
    background, and a Python started so keeps ignoring it; a suite
    started that way would see ./check.py shrug off every Ctrl-C."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def start(arguments, **popen):
    """Starts ./check.py in a process group of its own."""
    popen.setdefault('stdout', subprocess.DEVNULL)
    with interruptible():
        return subprocess.Popen([sys.executable, CHECK] + arguments,
                                stderr=subprocess.PIPE, text=True,
                                start_new_session=True, **popen)


def wait_until(reached, process):
    """Waits until reached() is true, while the process runs."""
    deadline = time.monotonic() + DEADLINE
    while not reached():
        assert process.poll() is None, 'the run ended before the point'
        assert time.monotonic() < deadline, 'the run never got there'
        time.sleep(0.02)


def ctrl_c(process, line):
    """Ctrl-C to the run: it ends with 130 and line as the last of its
    output, no traceback, and every process it started ends too."""
    started = processes.tree(process.pid)[1:]
    os.killpg(process.pid, signal.SIGINT)
    _, err = process.communicate(timeout=DEADLINE)
    assert process.returncode == 130, err[-2000:]
    assert err.strip().splitlines()[-1] == line
    assert err.count(line) == 1, err[-2000:]
    assert 'Traceback' not in err
    deadline = time.monotonic() + 60
    while [pid for pid in started if b'checker' in command_line(pid)]:
        assert time.monotonic() < deadline, 'a process outlived the run'
        time.sleep(0.05)


def command_line(pid):
    """A process's command line, or nothing if it has ended."""
    try:
        with open('/proc/{}/cmdline'.format(pid), 'rb') as handle:
            return handle.read()
    except OSError:
        return b''


def student_side(process):
    """The pids of the student side's processes under the run."""
    return [pid for pid in processes.tree(process.pid)[1:]
            if b'checker.student' in command_line(pid)]


def line_filter(process):
    """The pids of the grader's forks, which share its command line: the
    filter of TensorFlow's start-up lines."""
    own = command_line(process.pid)
    return [pid for pid in processes.tree(process.pid)[1:]
            if command_line(pid) == own]


def slow_student(folder, step):
    """A student folder whose vanilla file stops at step."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / '0-vanilla.py').write_text(SLOW_STUDENT.format(step=step))
    shutil.copy(os.path.join(ROOT, '0-vanilla.py'),
                folder / 'reference_vanilla.py')
    return folder


@pytest.mark.parametrize('loading', ['student side', 'grader'])
def test_ctrl_c_while_tensorflow_loads(loading):
    """Before any file runs: TensorFlow loads in the student side's server,
    or in the grader while a fork of it filters TensorFlow's start-up
    lines."""
    process = start([ROOT])
    started = student_side if loading == 'student side' else line_filter
    wait_until(lambda: started(process), process)
    ctrl_c(process, 'check.py: interrupted; no report')


@pytest.mark.parametrize('step', ['import', 'build'])
def test_ctrl_c_while_a_file_runs(tmp_path, step):
    """While the student's file is imported, and while its builder runs,
    beside the project's own files that are checked at the same time."""
    folder = slow_student(tmp_path, step)
    process = start([str(folder), ROOT])
    wait_until((folder / ('reached-' + step)).exists, process)
    ctrl_c(process, 'check.py: interrupted; no report')


def test_ctrl_c_while_the_report_is_written():
    """The report is half written: its reader has stopped reading."""
    reader, writer = os.pipe()
    fcntl.fcntl(writer, F_SETPIPE_SZ, PIPE_PAGE)
    process = start(['--json', ROOT], stdout=writer)
    os.close(writer)
    wait_until(lambda: pipe_holds(reader) >= PIPE_PAGE, process)
    ctrl_c(process, 'check.py: interrupted; no report')
    os.close(reader)


def pipe_holds(reader):
    """The bytes waiting in a pipe."""
    found = bytearray(4)
    fcntl.ioctl(reader, termios.FIONREAD, found)
    return int.from_bytes(found, sys.byteorder)


def test_ctrl_c_while_a_class_is_graded(tmp_path):
    """--class stops within a student's file and writes the tables of the
    students done."""
    submissions = tmp_path / 'submissions'
    slow_student(submissions / 'ann', 'build')
    out = tmp_path / 'results'
    process = start(['--class', str(submissions), '--out', str(out)])
    wait_until(lambda: any(holds(pid, 'reached-build') for pid
                           in student_side(process)), process)
    ctrl_c(process, 'check.py: interrupted; the students done are kept')
    assert (out / 'grades.csv').is_file()


def holds(pid, name):
    """True when a process holds open a file of that name."""
    folder = '/proc/{}/fd'.format(pid)
    try:
        return any(os.readlink(os.path.join(folder, handle)).endswith(
            '/' + name) for handle in os.listdir(folder))
    except OSError:
        return False
