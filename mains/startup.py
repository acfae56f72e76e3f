#!/usr/bin/env python3
"""TensorFlow's environment for the mains, set when this module is first
imported, before TensorFlow starts: oneDNN on and C++ logs down unless the
user chose, and TensorFlow imported with its known start-up lines held
back. inputs and training import it first."""
import contextlib
import os
import signal
import sys
import time

from mains import stack
from mains.stack import KNOWN_START_LINES

# TensorFlow reads these once, when it is imported; a value the user has set
# wins. oneDNN's CPU kernels are on by default only on some Intel CPUs, and
# make the convolutional model about 2.5x faster on the others.
os.environ.setdefault('TF_ENABLE_ONEDNN_OPTS', '1')
os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', stack.LOG_LEVEL)


def _copy_unknown_lines(source, target):
    """Copies lines from file descriptor source to target as they come,
    except the known start-up lines; returns at end of file."""
    pending = b''
    while True:
        chunk = os.read(source, 65536)
        if not chunk:
            break
        *lines, pending = (pending + chunk).split(b'\n')
        for line in lines:
            if not KNOWN_START_LINES.match(line):
                os.write(target, line + b'\n')
    if pending and not KNOWN_START_LINES.match(pending):
        os.write(target, pending)


@contextlib.contextmanager
def known_start_lines_held_back():
    """While TensorFlow is imported, sends stderr through a forked filter
    that drops KNOWN_START_LINES and passes every other line on in order,
    even if the import fails or the process dies. TF_CPP_MIN_LOG_LEVEL=0
    shows everything, as does a system without fork."""
    if os.environ.get('TF_CPP_MIN_LOG_LEVEL') == '0' \
            or not hasattr(os, 'fork'):
        yield
        return
    sys.stderr.flush()
    read_end, write_end = os.pipe()
    filter_pid = os.fork()
    if filter_pid == 0:  # the filter: stderr's lines until the import ends
        os.close(write_end)
        _copy_unknown_lines(read_end, 2)
        os._exit(0)
    os.close(read_end)
    saved_stderr = os.dup(2)
    os.dup2(write_end, 2)
    os.close(write_end)
    try:
        yield
    finally:
        sys.stderr.flush()
        os.dup2(saved_stderr, 2)  # the pipe's last writer: the filter ends
        os.close(saved_stderr)
        _wait_for(filter_pid)


def _wait_for(pid, limit=5.0):
    """Waits for the filter to pass on its last lines, killing it after
    `limit` seconds should a child process of the import hold the pipe."""
    deadline = time.monotonic() + limit
    while os.waitpid(pid, os.WNOHANG) == (0, 0):
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return
        time.sleep(0.005)


with known_start_lines_held_back():
    import tensorflow.keras as keras

KERAS_MAJOR = stack.keras_major(keras)
