#!/usr/bin/env python3
"""The sandbox one student's task file runs in when a class is graded: its
own copy of the student's folder as working directory, HOME and temporary
folder; an environment without the grader's variables; files outside the
copy unwritable and the other submissions and the results unreadable
(Landlock); no network (a network namespace, seccomp, Landlock); capped
memory and output (resource limits). Each layer is probed at start; a
missing one is reported, and the rest still hold. An audit hook names what
a file tried, in the report's words."""
import errno
import os
import resource
import sys
import tempfile

from checker import kernel

LAYERS = {
    'landlock': 'files: writes only inside its copy, no reading the other '
                'submissions or the results (Landlock)',
    'network namespace': 'network: a namespace of its own, with no '
                         'interface up',
    'seccomp': 'network: IPv4, IPv6 and raw sockets refused (seccomp)',
    'limits': 'memory and output capped (resource limits)',
    'subreaper': 'every process it starts ends with its check, detached '
                 'ones too (subreaper)'}
SYSTEM = ('/bin', '/sbin', '/usr', '/lib', '/lib32', '/lib64', '/etc',
          '/opt', '/proc', '/sys', '/dev')
WRITABLE_DEVICES = ('/dev/null', '/dev/zero', '/dev/tty')
KEPT_VARIABLES = ('PATH', 'LANG', 'LC_ALL', 'TF_USE_LEGACY_KERAS',
                  'TF_CPP_MIN_LOG_LEVEL')
# Audited calls that change files, and which of their arguments they change.
CHANGES = {'os.remove': (0,), 'os.rmdir': (0,), 'os.mkdir': (0,),
           'os.chmod': (0,), 'os.chown': (0,), 'os.truncate': (0,),
           'os.utime': (0,), 'shutil.rmtree': (0,), 'os.rename': (0, 1),
           'shutil.move': (0, 1), 'os.link': (1,), 'os.symlink': (1,),
           'shutil.copyfile': (1,), 'shutil.copytree': (1,)}
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND


CAPS = {}  # the memory and output caps of the sandbox this process is in


class Refused(PermissionError):
    """What the sandbox refused a file, in the report's words."""


def words(limit, cap=None):
    """The report's words for a file that hit the memory or output cap."""
    cap = cap or CAPS.get(limit)
    if limit == 'memory':
        return 'used more than {:g} GB of memory'.format(cap / 2 ** 30) \
            if cap else 'ran out of memory'
    return 'printed more than {:g} MB'.format(cap / 2 ** 20)


def readable(forbidden, project):
    """The folders a checked file may read: the system's, Python's, this
    project's, each without the forbidden folders beneath it."""
    roots = list(SYSTEM) + [sys.prefix, sys.base_prefix, project]
    roots += [path for path in sys.path if os.path.isdir(path)]
    allowed = []
    for root in sorted(set(os.path.realpath(path) for path in roots)):
        allowed += _without(root, [os.path.realpath(path)
                                   for path in forbidden])
    return allowed


def _without(root, forbidden):
    """root, or where a forbidden folder lies beneath it, root's entries
    that hold none, so that Landlock, which only grants, can leave it out.
    """
    if any(root == path or root.startswith(path + os.sep)
           for path in forbidden):
        return []
    if not any(path.startswith(root.rstrip(os.sep) + os.sep)
               for path in forbidden):
        return [root]
    found = []
    for name in sorted(os.listdir(root)):
        found += _without(os.path.join(root, name), forbidden)
    return found


def probe():
    """Tries each layer in a throwaway child; returns {layer: ''} for one
    that holds and {layer: why} for one this machine refuses."""
    found = {}
    for layer in LAYERS:
        reader, writer = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(reader)
            why = ''
            try:
                _enter_layer(layer, '/', [], 2 ** 40, 2 ** 40)
            except (OSError, ValueError) as error:
                why = error.strerror or str(error)
            os.write(writer, why.encode()[:500])
            os._exit(0)
        os.close(writer)
        with os.fdopen(reader) as handle:
            found[layer] = handle.read()
        os.waitpid(pid, 0)
    return found


def enter(spec, project):
    """Enters the sandbox for good: spec holds the copy, the working
    folder, the forbidden folders, the memory and output caps and the
    layers that the probe found on. Needs a single-threaded process."""
    os.setsid()
    CAPS.update(memory=spec['memory'], output=spec['output'])
    for layer in ('network namespace', 'limits', 'landlock', 'seccomp'):
        if layer in spec['layers']:
            _enter_layer(layer, spec['copy'], readable(spec['forbidden'],
                                                       project),
                         spec['memory'], spec['output'])
    variables = {name: os.environ[name] for name in KEPT_VARIABLES
                 if name in os.environ}
    os.environ.clear()
    os.environ.update(variables, HOME=spec['copy'], TMPDIR=spec['copy'],
                      TMP=spec['copy'], TEMP=spec['copy'])
    tempfile.tempdir = spec['copy']  # chosen once, before the fork
    os.chdir(spec['cwd'])
    sys.dont_write_bytecode = True


def _enter_layer(layer, copy, readable_folders, memory, output):
    """Enters one layer, raising OSError where the kernel refuses it."""
    if layer == 'network namespace':
        kernel.own_network()
    elif layer == 'seccomp':
        kernel.no_network_sockets()
    elif layer == 'limits':
        with open('/proc/self/statm') as handle:
            now = int(handle.read().split()[0]) * os.sysconf('SC_PAGE_SIZE')
        kernel.limit(resource.RLIMIT_AS, now + memory)
        kernel.limit(resource.RLIMIT_FSIZE, output)
        kernel.limit(resource.RLIMIT_CORE, 0)
    elif layer == 'landlock':
        version = kernel.landlock_version()
        rules = [(path, kernel.READ) for path in readable_folders]
        rules += [(path, kernel.READ | kernel.WRITE_FILE)
                  for path in WRITABLE_DEVICES]
        kernel.landlock(rules + [(copy, None)], version)
    elif layer == 'subreaper':
        kernel.subreaper()


def watch(copy, forbidden, send):
    """Adds an audit hook that refuses, and names once each, what Python
    code tries against the sandbox: writing outside the copy, reading the
    forbidden folders, opening a network socket."""
    inside = os.path.realpath(copy)
    closed = [os.path.realpath(path) for path in forbidden]
    named = set()

    def refuse(sentence):
        """Sends the limit's sentence once and refuses the call."""
        if sentence not in named:
            named.add(sentence)
            send({'limit': sentence})
        raise Refused(errno.EACCES, sentence)

    def hook(event, arguments):
        """Judges one audited call of the checked file."""
        if event == 'socket.__new__' and arguments[1] in (2, 10, 17):
            refuse('tried to open a network connection')
        if event == 'socket.connect' and isinstance(arguments[1], tuple):
            refuse('tried to open a network connection to {}'.format(
                ':'.join(map(str, arguments[1][:2]))))
        paths, writes = _paths(event, arguments)
        for path in paths:
            where = os.path.realpath(os.path.join(os.getcwd(), path))
            mine = where == inside or where.startswith(inside + os.sep)
            if writes and not (mine or where in WRITABLE_DEVICES):
                refuse('tried to write outside its folder: ' + where)
            if not mine and any(where == path
                                or where.startswith(path + os.sep)
                                for path in closed):
                refuse('tried to read outside its folder: ' + where)
    sys.addaudithook(hook)


def _paths(event, arguments):
    """The paths an audited call names, and whether it would change them."""
    if event == 'open':
        path, mode, flags = arguments
        writes = bool(set(mode or '') & set('wax+')) or bool(
            (flags or 0) & WRITE_FLAGS)
        return ([os.fsdecode(path)] if isinstance(path, (str, bytes))
                else []), writes
    if event in CHANGES:
        names = [arguments[index] for index in CHANGES[event]]
        return [os.fsdecode(name) for name in names
                if isinstance(name, (str, bytes))], True
    return [], False
