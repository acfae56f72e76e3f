#!/usr/bin/env python3
"""How the two sides talk, one framing for both servers. The grader's
handle on the student side's server (checker/running/server.py) and that
server (checker/student/server.py) send a JSON object a packet over a
SOCK_SEQPACKET socket, descriptors beside it. A file's process and the
grader (checker/running/runner.py) send a JSON object a line over pipes,
each line at most MAX_ANSWER bytes: a longer one, one that is not JSON or
not an object is `Invalid`, never read further."""
import json
import os
import socket

from checker.protocol.values import Invalid

MAX_ANSWER = 32 * 2 ** 20  # bytes of one line, an answer or a question
MAX_PACKET = 1 << 20  # bytes of one packet between the servers
READ = 1 << 20  # bytes asked of a pipe at a time
# The student side's environment: the stack's own variables, no others.
ENVIRONMENT = ('PATH', 'LANG', 'LC_ALL', 'PYTHONPATH', 'PYTHONHOME',
               'TF_USE_LEGACY_KERAS', 'TF_CPP_MIN_LOG_LEVEL',
               'TF_ENABLE_ONEDNN_OPTS', 'TF_NUM_INTRAOP_THREADS',
               'TF_NUM_INTEROP_THREADS', 'OMP_NUM_THREADS',
               'OPENBLAS_CORETYPE', 'OPENBLAS_L2_SIZE',
               'CUDA_VISIBLE_DEVICES')


def dumps(message):
    """One message as a line of bytes."""
    return (json.dumps(message, allow_nan=False) + '\n').encode()


def loads(line):
    """The message of one line, or Invalid: not JSON, too long, no object.
    """
    if len(line) > MAX_ANSWER:
        raise Invalid('an answer of {} bytes, past the cap of {}'.format(
            len(line), MAX_ANSWER))
    try:
        message = json.loads(line, parse_constant=_no_constant)
    except (ValueError, RecursionError) as error:
        raise Invalid('an answer that is not JSON ({})'.format(
            str(error)[:80]))
    if not isinstance(message, dict):
        raise Invalid('an answer that is not a JSON object')
    return message


def _no_constant(name):
    """JSON's NaN and Infinity are refused where they are read."""
    raise ValueError('{} is not a number'.format(name))


class Lines:
    """The lines that come through one descriptor, read as they come."""

    def __init__(self, handle):
        """handle: the descriptor they are read from."""
        self.handle, self.pending = handle, b''

    def next(self, wait=None):
        """The next line, without its newline; None once the descriptor
        is at its end; Invalid once more than MAX_ANSWER bytes wait for
        their newline. wait(), where given, blocks until a read would
        not."""
        while b'\n' not in self.pending:
            if wait:
                wait()
            chunk = os.read(self.handle, READ)
            if not chunk:
                return None
            self.pending += chunk
            if len(self.pending) > MAX_ANSWER:
                raise Invalid('a line past the cap of {} bytes'.format(
                    MAX_ANSWER))
        line, self.pending = self.pending.split(b'\n', 1)
        return line


def write(handle, data, wait=None):
    """Writes all of data to a descriptor; wait(), where given, blocks
    until it is ready, for a descriptor that does not block."""
    while data:
        if wait:
            wait()
        try:
            data = data[os.write(handle, data):]
        except BlockingIOError:
            continue


def send(channel, message, handles=()):
    """One message as one packet on the servers' socket, with the
    descriptors given."""
    data = dumps(message)
    if handles:
        socket.send_fds(channel, [data], list(handles))
    else:
        channel.send(data)


def receive(channel, handles=0):
    """The next packet's message and the descriptors that came with it (up
    to `handles`); None for the message once the socket is closed, and
    Invalid for one that is not a JSON object."""
    data, found, _, _ = socket.recv_fds(channel, MAX_PACKET, handles)
    return (loads(data) if data else None), found
