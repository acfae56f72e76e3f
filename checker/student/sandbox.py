#!/usr/bin/env python3
"""Enters the sandbox that a student's file runs in, layer by layer, in
the process forked for it. The grader's spec names the layers on, the copy
of the student's folder, the folders to hide and the ones Python needs:

- namespaces: own PID, mount, network, IPC, UTS and cgroup namespaces
  (inside a user namespace where the grader is not root); the project,
  the submissions, the results, the whole scratch, /dev/shm and the
  cgroup tree hidden under empty tmpfs mounts, with only Python's folders
  brought back; a /proc of its own.
- disk: the copy on a tmpfs of the disk cap.
- user: an unprivileged user in a user namespace of its own, with no
  capabilities and no_new_privs.
- limits: resource limits: no core files; where no cgroup counts them,
  address space, processes and file size.
- landlock: writes only in the copy; reads of the system's and Python's
  folders and the copy alone; signals and abstract unix sockets only
  inside (ABI 6).
- seccomp: the calls of checker/student/seccomp.py refused.

`enter` raises OSError where the kernel refuses a layer the spec asks for;
`probe` tries every layer and says which ones hold."""
import os
import platform
import resource
import shutil
import sys
import tempfile

from checker import protocol
from checker.student import kernel, seccomp

SYSTEM = ('/bin', '/sbin', '/usr', '/lib', '/lib32', '/lib64', '/etc',
          '/opt', '/proc', '/sys', '/dev')
WRITABLE_DEVICES = ('/dev/null', '/dev/zero', '/dev/tty')
ORDER = ('namespaces', 'disk', 'user', 'limits', 'landlock', 'seccomp')


def python_folders():
    """The folders Python and its packages are read from."""
    found = [sys.prefix, sys.base_prefix, os.path.dirname(sys.executable)]
    found += [path for path in sys.path if path and os.path.isdir(path)]
    return sorted({os.path.realpath(path) for path in found})


def unshare():
    """The namespaces, entered in the process that forks the student's:
    its next child is the first of a new PID namespace."""
    flags = kernel.NEWNS | kernel.NEWPID | kernel.NEWNET | kernel.NEWIPC \
        | kernel.NEWUTS | kernel.NEWCGROUP
    if os.getuid() == 0:
        kernel.unshare(flags)
        return
    uid, gid = os.getuid(), os.getgid()
    kernel.unshare(kernel.NEWUSER | flags)
    kernel.map_user(uid, gid)


def beneath(path, folder):
    """True when path is folder or lies beneath it."""
    return path == folder or path.startswith(folder.rstrip('/') + '/')


def own(folder, uid):
    """Gives a folder and all it holds to the user uid."""
    for where, folders, files in os.walk(folder):
        for name in [where] + [os.path.join(where, entry)
                               for entry in folders + files]:
            os.lchown(name, uid, uid)


def _hide(spec):
    """Covers each folder to hide with an empty tmpfs, then brings back the
    Python folders beneath it, bound from handles opened before."""
    hidden = sorted(spec['hide'], key=len)
    keep = [path for path in python_folders()
            if not any(beneath(folder, path) for folder in hidden)]
    tops = [path for path in hidden
            if not any(beneath(path, other) and other != path
                       for other in hidden)]
    for top in tops:
        inside = [path for path in keep if beneath(path, top)]
        inside = [path for path in inside if not any(
            beneath(path, other) and other != path for other in inside)]
        handles = {path: os.open(path, os.O_PATH | os.O_DIRECTORY)
                   for path in inside}
        kernel.mount('tmpfs', top, 'tmpfs', kernel.NOSUID | kernel.NODEV,
                     'mode=755,size=1m')
        for path, handle in handles.items():
            os.makedirs(path, exist_ok=True)
            kernel.mount('/proc/self/fd/{}'.format(handle), path, None,
                         kernel.BIND | kernel.REC)
            os.close(handle)


def _mounts(spec, disk):
    """The mount namespace's view: hidden folders, the copy (on a tmpfs of
    the disk cap, or bound back as it is) and a /proc of its own."""
    kernel.mount(None, '/', None, kernel.REC | kernel.PRIVATE)
    copy = spec['copy']
    source = os.open(spec['source'] or copy, os.O_PATH | os.O_DIRECTORY)
    try:
        _hide(spec)
        os.makedirs(copy, exist_ok=True)
        origin = '/proc/self/fd/{}'.format(source)
        if disk:
            uid = spec['uid'] if spec['uid'] is not None else os.getuid()
            kernel.mount('tmpfs', copy, 'tmpfs',
                         kernel.NOSUID | kernel.NODEV,
                         'size={}k,mode=700,uid={},gid={}'.format(
                             max(spec['disk'] // 1024, 1), uid, uid))
            shutil.copytree(origin, copy, symlinks=True, dirs_exist_ok=True)
            own(copy, uid)
        else:
            kernel.mount(origin, copy, None, kernel.BIND | kernel.REC)
    finally:
        os.close(source)
    kernel.mount('proc', '/proc', 'proc',
                 kernel.NOSUID | kernel.NODEV | kernel.NOEXEC)


def _unprivileged(spec):
    """As root: the unprivileged uid the spec names, then a user namespace
    of its own; every capability dropped and no_new_privs set."""
    uid = spec['uid']
    if os.getuid() == 0:
        os.setgroups([])
        os.setresgid(uid, uid, uid)
        os.setresuid(uid, uid, uid)
        kernel.prctl(kernel.PR_SET_DUMPABLE, 1)  # to write its own maps
        kernel.unshare(kernel.NEWUSER)
        kernel.map_user(uid, uid)
    kernel.drop_capabilities(platform.machine())
    kernel.prctl(kernel.PR_SET_NO_NEW_PRIVS, 1)


def _limits(spec):
    """No core files; where the cgroup layer is off, caps per process on
    address space, processes and file size."""
    kernel.limit(resource.RLIMIT_CORE, 0)
    if spec['cgroups']:
        return
    with open('/proc/self/statm') as handle:
        mapped = int(handle.read().split()[0]) * os.sysconf('SC_PAGE_SIZE')
    kernel.limit(resource.RLIMIT_AS, mapped + spec['memory'])
    kernel.limit(resource.RLIMIT_NPROC, spec['tasks'])
    kernel.limit(resource.RLIMIT_FSIZE, spec['disk'])


def _landlock(spec):
    """Reads of the system's and Python's folders and the copy; writes in
    the copy alone."""
    version = kernel.landlock_version()
    rules = [(path, kernel.READ) for path in SYSTEM + tuple(
        python_folders())]
    rules += [(path, kernel.READ | kernel.WRITE_FILE)
              for path in WRITABLE_DEVICES]
    kernel.landlock(rules + [(spec['copy'], None)], version)


def enter(spec):
    """Enters the spec's layers, in order, for good; then the clean
    environment and the copy as the working folder. Raises OSError where
    a layer is refused."""
    layers = spec['layers']
    if 'namespaces' in layers:
        _mounts(spec, 'disk' in layers)
    steps = {'user': _unprivileged, 'limits': _limits,
             'landlock': _landlock, 'seccomp': lambda spec: seccomp.install()}
    for layer in ORDER:
        if layer in steps and layer in layers:
            steps[layer](spec)
    settle(spec)


def settle(spec):
    """The environment without the grader's variables, and the copy as the
    working folder, HOME and temporary folder."""
    variables = {name: os.environ[name] for name in protocol.ENVIRONMENT
                 if name in os.environ}
    os.environ.clear()
    copy = spec['copy']
    os.environ.update(variables, HOME=copy, TMPDIR=copy, TMP=copy,
                      TEMP=copy)
    tempfile.tempdir = copy
    os.chdir(spec['cwd'])


def probe(spec, unshared):
    """Tries every layer in this throwaway process, in order; returns
    {layer: ''} for one that holds and {layer: why} for one refused.
    unshared: why the namespaces could not be entered, or ''."""
    found = {'namespaces': unshared}
    if not unshared:
        try:
            _mounts(spec, False)
        except OSError as error:
            found['namespaces'] = error.strerror or str(error)
    found['disk'] = found['namespaces'] and 'needs the namespaces layer'
    steps = (('user', _unprivileged), ('limits', _limits),
             ('landlock', _landlock),
             ('seccomp', lambda spec: seccomp.install()))
    for layer, step in steps:
        try:
            step(spec)
            found[layer] = ''
        except OSError as error:
            found[layer] = error.strerror or str(error)
    return found
