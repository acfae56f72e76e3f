#!/usr/bin/env python3
"""What the mains, the checker and the tests know alike about the stack
they run on: where the project is, the log level TensorFlow gets before
it loads, the lines it prints while it loads and how to hold them back,
and which Keras it brought. Imports nothing of TensorFlow, so that
./check.py reads it without starting it."""
import contextlib
import os
import re
import signal
import sys
import time

# The project's folder, the one place that says where it is.
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Hides TensorFlow's C++ info lines and the "failed call to cuInit" error
# that machines without a GPU print; Python warnings and exceptions show.
LOG_LEVEL = '3'
# Lines TensorFlow 2.16+ writes while it loads, before its logging starts,
# so that no log level reaches them (tensorflow/tensorflow pull request
# 102212). To a student, "Could not find cuda drivers" reads as an error.
KNOWN_START_LINES = re.compile(
    rb'WARNING: All log messages before absl::InitializeLog\(\) is called'
    rb'|[IW]\d{4} [\d:.]+ +\d+ (port|cudart_stub)\.cc:\d+\] '
    rb'(oneDNN custom operations are on|Could not find cuda drivers)')
# Any line of TensorFlow's C++ log, which says nothing about a student's file.
LOG_LINE = re.compile(r'[IWEF]\d{4} |WARNING: All log messages before')


def keras_major(keras):
    """3 for Keras 3, which has keras.ops; 2 for tf-keras and TensorFlow
    2.15's Keras."""
    return 3 if hasattr(keras, 'ops') else 2


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
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent's to act on
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
