#!/usr/bin/env python3
"""The sandbox's layers as the grader sees them: what each stops, which
ones this machine lets the grader use (each tried once at start, in a
throwaway process, as a file's would be), and each file's spec, which the
student side enters (checker/student/sandbox.py)."""
import collections
import os
import sys

from checker.running import accounting, scratch
from checker.student import sandbox

LAYERS = collections.OrderedDict([
    ('namespaces', 'processes, mounts, cgroups and network of its own: it '
                   'sees its own processes alone; the project, the '
                   'submissions, the results, the scratch, /dev/shm and the '
                   'cgroup tree are hidden; no network interface is up '
                   '(namespaces)'),
    ('user', 'an unprivileged user in a user namespace of its own, with no '
             'capabilities and no_new_privs'),
    ('cgroup', 'memory and processes counted for everything it starts, '
               'detached processes too (cgroup)'),
    ('cpu', 'a CPU share of its own, the same as each other file\'s, '
            'whatever processes or sessions it starts (cgroup cpu)'),
    ('disk', 'its copy on a tmpfs the size of --disk'),
    ('landlock', 'files: writes in its copy alone, reads of the system\'s '
                 'and Python\'s folders alone; signals and abstract sockets '
                 'to its own processes alone (Landlock)'),
    ('seccomp', 'the system calls a builder never needs refused: sockets, '
                'tracing, other processes\' limits, mounts, namespaces, '
                'modules, reboot (seccomp)'),
    ('limits', 'no core files; where no cgroup counts, per-process caps on '
               'memory, processes and file size (resource limits)')])
UID_BASE = 2000000000  # the unprivileged users a root grader runs files as
THREADS = 64 + 8 * (os.cpu_count() or 1)  # TensorFlow's, beyond the cap
# Hidden from every file besides the project, the submissions, the results
# and the scratch: where a file could read what another user left, and
# the cgroup tree, which names the run's groups.
SHARED = ('/dev/shm', '/dev/mqueue', '/sys/fs/cgroup')


def closed_ancestors(paths):
    """The folders above paths that others may not pass through: a file
    run as another user needs them opened (checker/student/sandbox.py)."""
    found = set()
    for path in paths:
        path = os.path.realpath(path)
        while path != '/':
            path = os.path.dirname(path)
            try:
                if not os.stat(path).st_mode & 0o001:
                    found.add(path)
            except OSError:
                pass
    return sorted(found)


class Sandbox:
    """The layers a run uses and the specs of its files."""

    def __init__(self, server, run, hidden, limits):
        """server: the student side's; run: the Scratch; hidden: the
        folders no file may see; limits: the run's caps."""
        self.run, self.limits = run, limits
        self.root = os.getuid() == 0
        self.hidden = list(hidden) + [scratch.root()] + [
            path for path in SHARED if os.path.isdir(path)]
        if self.root:
            self.hidden += closed_ancestors(
                [sys.prefix, sys.base_prefix, sys.executable, run.path]
                + sandbox.python_folders())
        try:
            self.groups = accounting.Groups(accounting.run_name(),
                                            accounting.alive)
            cgroup, cpu = '', self.groups.cpu_off
        except OSError as error:
            self.groups, cgroup = None, error.strerror or str(error)
            cpu = 'needs the cgroup layer'
        copy = run.folder()
        found = server.probe(self.spec(0, copy, copy, probe=True))
        found.update(cgroup=cgroup, cpu=cpu)
        self.found = collections.OrderedDict(
            (layer, found.get(layer, 'not tried')) for layer in LAYERS)
        self.on = [layer for layer, why in self.found.items() if not why]
        self.copies_inside = {'namespaces', 'disk'} <= set(self.on)
        # Where each file's copy is, in its own mount namespace: the same
        # path for every file, which names neither the run nor the file.
        self.inside = os.path.join(scratch.root(), 'home')

    def spec(self, number, copy, cwd, source=None, probe=False):
        """The spec of one file: its layers, its copy (made there from
        source where that is given), its working folder, what to hide, its
        user, its cgroups and its caps."""
        limits = self.limits
        uid = UID_BASE + number if self.root else None
        cgroups = []
        if self.groups and not probe:
            cgroups = self.groups.make(number, limits.memory,
                                       limits.processes + 1 + THREADS)
        if uid is not None and not probe:
            sandbox.own(copy, uid)
        return {'layers': list(LAYERS) if probe else self.on,
                'copy': copy, 'source': source, 'cwd': cwd,
                'hide': self.hidden,
                'uid': UID_BASE if probe and self.root else uid,
                'cgroups': cgroups, 'memory': limits.memory,
                'tasks': limits.processes + 1 + THREADS,
                'disk': limits.disk}

    def close(self):
        """Removes the run's cgroups."""
        if self.groups:
            self.groups.close()


def single(path):
    """The spec of a file that a student checks alone: no sandbox, their
    file's folder the working folder."""
    return {'layers': [], 'copy': None, 'source': None,
            'cwd': os.path.dirname(os.path.abspath(path)), 'hide': [],
            'uid': None, 'cgroups': [], 'memory': 0, 'tasks': 0, 'disk': 0}
