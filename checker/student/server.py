#!/usr/bin/env python3
"""The student side's server: it imports TensorFlow once, started by the
grader with a clean environment, and forks a process per student file, so
that no file waits for TensorFlow's start-up. Forking is safe because
nothing has run on TensorFlow yet: the process has no thread but its own.

It talks to the grader over a socket, a packet a message, as the
protocol frames and names them (checker/protocol/): a probe is answered
with which sandbox layers hold; an order to start a file, which comes with
four descriptors (the grader's questions, the answers, and the file's
stdout and stderr), with the pid of the file's keeper and later its exit
status. The keeper joins the file's
cgroups, enters its namespaces and forks the process that enters the rest
of the sandbox and runs the student's file; it outlives everything that
file starts, then ends it."""
import os
import select
import signal
import socket
import sys
import traceback

from checker import protocol
from checker.student import answers, audit, kernel, sandbox


def serve(channel):
    """Answers the grader until it closes the socket, then kills what still
    runs."""
    kernel.prctl(kernel.PR_SET_PDEATHSIG, signal.SIGKILL)
    children = {}
    protocol.framing.send(channel, protocol.answers.ready())
    while True:
        if select.select([channel], [], [], 0.05)[0]:
            request, handles = protocol.framing.receive(channel, 4)
            if request is None:
                break
            if 'probe' in request:
                protocol.framing.send(channel, protocol.answers.probed(probe(
                    request['probe'])))
                continue
            pid = fork_file(channel, request, handles)
            children[pid] = request['id']
            protocol.framing.send(channel, protocol.answers.started(
                request['id'], pid))
        reap(channel, children)
    for pid in children:
        _kill(pid)
    os._exit(0)  # no teardown of TensorFlow: nothing here needs it


def reap(channel, children):
    """Sends each finished keeper's exit status."""
    while children:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if not pid:
            return
        if pid in children:
            protocol.framing.send(channel, protocol.answers.ended(
                children.pop(pid), os.waitstatus_to_exitcode(status)))


def _kill(pid):
    """SIGKILL, where the process may be gone already."""
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass


def fork_file(channel, request, handles):
    """Forks the keeper of one file; returns its pid."""
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid:
        for handle in handles:
            os.close(handle)
        return pid
    code = 1
    try:
        channel.close()
        for target, handle in zip((3, 4, 1, 2), handles):
            os.dup2(handle, target)
        os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
        os.closerange(5, os.sysconf('SC_OPEN_MAX'))
        code = keep(request)
    except BaseException:
        traceback.print_exc()
    finally:
        os._exit(code)


def keep(request):
    """The keeper: joins the cgroups, enters the namespaces, forks the
    file's process, waits for it, then ends whatever it left; returns its
    exit status."""
    spec = request['spec']
    kernel.prctl(kernel.PR_SET_PDEATHSIG, signal.SIGKILL)
    os.setsid()
    for procs in spec['cgroups']:
        with open(procs, 'w') as handle:
            handle.write(str(os.getpid()))
    kernel.prctl(kernel.PR_SET_CHILD_SUBREAPER, 1)
    if 'namespaces' in spec['layers']:
        sandbox.unshare()
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            kernel.prctl(kernel.PR_SET_PDEATHSIG, signal.SIGKILL)
            run_file(request['file'], spec)
            code = 0
        except BaseException:
            traceback.print_exc()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    status = None
    while True:
        if status is not None:
            for child in _children():
                _kill(child)
        try:
            ended, code = os.waitpid(-1, 0)
        except ChildProcessError:
            return status
        if ended == pid:
            code = os.waitstatus_to_exitcode(code)
            status = 128 - code if code < 0 else code


def _children():
    """This process's children: what the file left, reparented here."""
    own, found = os.getpid(), []
    for name in os.listdir('/proc'):
        try:
            with open('/proc/{}/stat'.format(name)) as handle:
                if int(handle.read().rsplit(')', 1)[1].split()[1]) == own:
                    found.append(int(name))
        except (OSError, ValueError, IndexError):
            continue
    return found


def run_file(path, spec):
    """Enters the sandbox, then answers the grader's questions about the
    file until it has none."""
    sys.dont_write_bytecode = True  # no __pycache__ in a student's folder
    sys.stdout = open(1, 'w', buffering=1, errors='replace', closefd=False)
    sys.stderr = open(2, 'w', buffering=1, errors='replace', closefd=False)
    refusals = []
    if not spec['copy']:
        os.chdir(spec['cwd'])
    else:
        sandbox.enter(spec)
        audit.watch(spec['copy'], spec['hide'], sandbox.python_folders()
                    + [os.path.dirname(os.path.dirname(__file__))],
                    refusals)
    student = answers.Answers(path, refusals)
    questions = protocol.framing.Lines(3)
    line = questions.next()
    while line is not None:
        request = protocol.loads(line)
        found = dict(student.answer(request), n=request['n'])
        sys.stdout.flush()
        sys.stderr.flush()
        protocol.framing.write(4, protocol.dumps(found))
        line = questions.next()


def probe(spec):
    """Tries the sandbox's layers in a throwaway keeper and its child, as a
    file's would be; returns {layer: ''} or {layer: why}."""
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(reader)
            unshared = ''
            try:
                sandbox.unshare()
            except OSError as error:
                unshared = error.strerror or str(error)
            child = os.fork()
            if child == 0:
                found = sandbox.probe(spec, unshared)
                protocol.framing.write(writer, protocol.dumps(found))
                os._exit(0)
            os.close(writer)
            os.waitpid(child, 0)
        finally:
            os._exit(0)
    os.close(writer)
    with os.fdopen(reader, 'rb') as handle:
        found = handle.read()
    os.waitpid(pid, 0)
    return protocol.loads(found) if found else {
        'namespaces': 'the probe died'}


def main():
    """python -m checker.student FD: serves the socket at FD. The project's
    folder leaves sys.path first, so that no layer grants it."""
    project = os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__))))
    sys.path[:] = [path for path in sys.path
                   if os.path.realpath(path or '.') != project]
    serve(socket.socket(fileno=int(sys.argv[1])))
