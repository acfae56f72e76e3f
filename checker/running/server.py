#!/usr/bin/env python3
"""The grader's handle on the student side's server (checker/student/
server.py): started with a clean environment and nothing of the grader's
but the socket it talks on, it loads TensorFlow once and forks a process
per file. Through the socket go each file's four pipes; back come each
file's keeper pid and exit status, each message as the protocol frames
and names it (checker/protocol/)."""
import os
import queue
import socket
import subprocess
import sys
import tempfile
import threading

from checker import protocol
from mains import stack


class ServerFailed(Exception):
    """The student side's server ended before its files were done."""


def environment(home=False):
    """The student side's environment: the stack's own variables and none
    of the grader's others; HOME where a student checks their own files."""
    found = {name: os.environ[name] for name in protocol.ENVIRONMENT
             if name in os.environ}
    found.setdefault('TF_CPP_MIN_LOG_LEVEL', stack.LOG_LEVEL)
    if home and 'HOME' in os.environ:
        found['HOME'] = os.environ['HOME']
    return found


class Server:
    """The student side's server and the replies it sends."""

    def __init__(self, home=False):
        """Starts it; it is ready once TensorFlow is imported."""
        self.channel, student_end = socket.socketpair(
            socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            [sys.executable, '-m', 'checker.student',
             str(student_end.fileno())],
            cwd=stack.ROOT, env=environment(home),
            pass_fds=[student_end.fileno()],
            stdin=subprocess.DEVNULL, stdout=self.log, stderr=self.log,
            start_new_session=True)
        student_end.close()
        self.pids, self.statuses = {}, {}
        self.replies, self.changed = queue.Queue(), threading.Condition()
        self.reading = None

    def _read(self):
        """Files the server's replies; None once it has ended."""
        while True:
            try:
                message = protocol.framing.receive(self.channel)[0]
                kind = message and protocol.answers.from_server(message)
            except (OSError, protocol.Invalid):
                message = None
            with self.changed:
                if message and kind == 'pid':
                    self.pids[message['id']] = message['pid']
                elif message and kind == 'status':
                    self.statuses[message['id']] = message['status']
                else:
                    self.replies.put(message)
                if message is None:
                    self.ended = True
                self.changed.notify_all()
            if message is None:
                return

    ended = False

    def reply(self, timeout=600):
        """The next reply that is not a pid or a status."""
        try:
            message = self.replies.get(timeout=timeout)
        except queue.Empty:
            message = None
        if message is None:
            raise ServerFailed(self.failure())
        return message

    def ready(self):
        """Starts reading the server's replies, which makes this process
        threaded, so after TensorFlow's import here; then waits until
        TensorFlow is loaded there."""
        self.reading = threading.Thread(target=self._read, daemon=True)
        self.reading.start()
        self.reply()

    def probe(self, spec):
        """{layer: why} of the layers that the spec's try found refused."""
        protocol.framing.send(self.channel, protocol.questions.probe(spec))
        return self.reply()['probe']

    def start(self, number, path, spec, handles):
        """Asks for one file's process, handing it its four pipes."""
        protocol.framing.send(self.channel, protocol.questions.start(
            number, path, spec), handles)

    def wait(self, number, what, timeout):
        """The file's keeper pid or exit status, once known, or None."""
        table = self.pids if what == 'pid' else self.statuses
        with self.changed:
            self.changed.wait_for(lambda: number in table or self.ended,
                                  timeout)
            return table.get(number)

    def failure(self):
        """Why the server ended: the last line it printed."""
        self.log.seek(0)
        lines = [line for line in self.log.read().decode(
            errors='replace').splitlines() if line.strip()
            and not stack.LOG_LINE.match(line)]
        return 'the checker could not start TensorFlow: ' + (
            lines[-1] if lines else 'its process ended')

    def kill(self):
        """Ends the server at once, whatever it is doing, as after a
        Ctrl-C; its files' keepers die with it."""
        self.process.kill()

    def close(self):
        """Ends the server; it kills the files it still runs."""
        try:
            self.channel.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.channel.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
