#!/usr/bin/env python3
"""What each file's processes hold, counted by the kernel: a cgroup per
file, under one per run, with a memory cap and a cap on tasks, on cgroup v2
where the grader may make one (root, or a delegated subtree) and on v1's
memory and pids hierarchies where those are mounted; without either, the
grader sums its process tree from /proc. Where the cpu controller is
there too (v2's, or v1's cpu hierarchy), each file's group has an equal
CPU share, so that a file that starts many processes, in sessions of
their own or not, takes no more of the CPU than its neighbour. The grader
reads the peak, the processes and whether a cap was hit, and kills the
whole group."""
import os
import re
import secrets
import time

from checker.running import processes

MOUNTS, GROUPS = '/proc/self/mountinfo', '/proc/self/cgroup'
PREFIX = 'check-pid-'  # the groups of a run, by its grader's process
# The run's share beside the machine's other processes: as much as a
# process per core, which its files' threads had before they shared one.
CPUS = os.cpu_count() or 1


def _read(path, default=''):
    """A cgroup file's text, or default where it cannot be read."""
    try:
        with open(path) as handle:
            return handle.read()
    except OSError:
        return default


def _write(path, text):
    """Writes a cgroup file."""
    with open(path, 'w') as handle:
        handle.write(text)


def _counter(text, name):
    """The number after name in a flat keyed file (memory.events)."""
    match = re.search(r'^{} (\d+)$'.format(re.escape(name)), text, re.M)
    return int(match.group(1)) if match else 0


def _own(kind):
    """The mount point of a cgroup hierarchy ('cgroup2', or a v1
    controller) and this process's group in it; None where there is none.
    """
    mounts = _read(MOUNTS).splitlines()
    groups = _read(GROUPS).splitlines()
    for line in mounts:
        fields = line.split()
        if ' - ' not in line:
            continue
        system, options = line.split(' - ')[1].split()[0], line.split()[-1]
        if kind == 'cgroup2' and system == 'cgroup2':
            path = next((group.split(':', 2)[2] for group in groups
                         if group.startswith('0::')), None)
        elif system == 'cgroup' and kind in options.split(','):
            path = next((group.split(':', 2)[2] for group in groups
                         if kind in group.split(':')[1].split(',')), None)
        else:
            continue
        if path is not None:
            root = fields[3].rstrip('/')
            if root and path.startswith(root + '/'):
                path = path[len(root):]  # a mount of a part of the tree
            return os.path.join(fields[4], path.lstrip('/'))
    return None


class Groups:
    """The cgroups of one run: a folder per hierarchy, a group per file."""

    def __init__(self, name, alive):
        """Makes the run's groups, or raises OSError saying why it cannot;
        first removes the groups of runs that are not alive(name)."""
        self.version, self.bases, self.cpu_off = self._open(name, alive)

    def _open(self, name, alive):
        """(version, [run folder per hierarchy], why the cpu controller is
        not used or '')."""
        unified = _own('cgroup2')
        offered = set(_read(os.path.join(unified, 'cgroup.controllers'))
                      .split()) if unified else set()
        if {'memory', 'pids'} <= offered:
            wanted = ['memory', 'pids'] + ['cpu'] * ('cpu' in offered)
            _enable(unified, wanted)
            _sweep([unified], alive)
            run = os.path.join(unified, name)
            os.mkdir(run)
            _write(os.path.join(run, 'cgroup.subtree_control'),
                   ' '.join('+' + kind for kind in wanted))
            if 'cpu' not in wanted:
                return 2, [run], 'cgroup v2 offers no cpu controller here'
            _write(os.path.join(run, 'cpu.weight'), str(min(
                CPUS * 100, 10000)))
            return 2, [run], ''
        found = [_own(kind) for kind in ('memory', 'pids', 'cpu')]
        if None in found[:2]:
            raise OSError('no cgroup v2 with memory and pids, and no v1 '
                          'memory and pids hierarchies')
        found = [base for base in found if base]
        _sweep(found, alive)
        runs = [os.path.join(base, name) for base in found]
        for run in runs:
            os.mkdir(run)
        if len(runs) < 3:
            return 1, runs, 'no cgroup v1 cpu hierarchy'
        _write(os.path.join(runs[2], 'cpu.shares'), str(CPUS * 1024))
        return 1, runs, ''

    def files(self, number):
        """The folders of one file's group, one per hierarchy."""
        return [os.path.join(run, 'file-{}'.format(number))
                for run in self.bases]

    def make(self, number, memory, tasks):
        """One file's group, capped; returns the cgroup.procs files its
        keeper writes itself into."""
        memory_group, pids_group = (self.files(number) * 2)[:2]
        for folder in self.files(number):
            os.mkdir(folder)
        if self.version == 2:
            _write(os.path.join(memory_group, 'memory.max'), str(memory))
            _write(os.path.join(memory_group, 'memory.swap.max'), '0')
            if not self.cpu_off:
                _write(os.path.join(memory_group, 'cpu.weight'), '100')
        else:
            _write(os.path.join(memory_group, 'memory.limit_in_bytes'),
                   str(memory))
            if not self.cpu_off:
                _write(os.path.join(self.files(number)[2], 'cpu.shares'),
                       '1024')
        _write(os.path.join(pids_group, 'pids.max'), str(tasks))
        return [os.path.join(folder, 'cgroup.procs')
                for folder in self.files(number)]

    def pids(self, number):
        """The processes in a file's group."""
        text = _read(os.path.join(self.files(number)[0], 'cgroup.procs'))
        return [int(pid) for pid in text.split()]

    def peak(self, number):
        """The most memory the file's group held, in bytes."""
        folder = self.files(number)[0]
        names = (('memory.peak', 'memory.current') if self.version == 2
                 else ('memory.max_usage_in_bytes',))
        return max(int(_read(os.path.join(folder, name), '0') or 0)
                   for name in names)

    def hit(self, number):
        """Which caps the group hit: 'memory' (the kernel killed for it),
        'processes' (a fork was refused)."""
        memory_group, pids_group = (self.files(number) * 2)[:2]
        events = (_read(os.path.join(memory_group, 'memory.events'))
                  if self.version == 2 else
                  _read(os.path.join(memory_group, 'memory.oom_control')))
        found = ['memory'] if _counter(events, 'oom_kill') else []
        if _counter(_read(os.path.join(pids_group, 'pids.events')), 'max'):
            found.append('processes')
        return found

    def kill(self, number):
        """Kills every process of the file's group and removes it."""
        folders = self.files(number)
        if self.version == 2 and os.path.exists(
                os.path.join(folders[0], 'cgroup.kill')):
            _write(os.path.join(folders[0], 'cgroup.kill'), '1')
        _empty(folders)

    def close(self):
        """Removes the run's groups."""
        _remove(self.bases)


def _empty(folders):
    """Kills what runs in the groups at folders, until nothing does or a
    second has passed, then removes them."""
    for _ in range(100):
        pids = set()
        for folder in folders:
            pids.update(int(pid) for pid in _read(os.path.join(
                folder, 'cgroup.procs')).split())
        if not pids:
            break
        processes.kill(pids)
        time.sleep(0.01)
    for folder in folders:
        try:
            os.rmdir(folder)
        except OSError:
            pass


def _remove(runs):
    """Kills what runs in the groups of runs' files, then removes them."""
    for run in runs:
        _empty([os.path.join(run, name) for name in os.listdir(run)])
        try:
            os.rmdir(run)
        except OSError:
            pass


def _sweep(bases, alive):
    """Removes the groups that runs no longer alive left under bases."""
    for base in bases:
        for name in os.listdir(base):
            if name.startswith(PREFIX) and not alive(name):
                _remove([os.path.join(base, name)])


def run_name():
    """A name for this run's groups: the grader's process id and start
    time, which say whether it lives, whatever its temporary folder, and
    a token; nothing of the run's scratch, which no file may find."""
    pid = os.getpid()
    return '{}{}-{}-{}'.format(PREFIX, pid, _started(pid),
                               secrets.token_hex(4))


def alive(name):
    """True while the grader that named a run's groups runs."""
    pid, started = name[len(PREFIX):].split('-')[:2]
    return pid.isdigit() and _started(int(pid)) == started


def _started(pid):
    """When a process started, in clock ticks since boot; '' where it
    is gone."""
    text = _read('/proc/{}/stat'.format(pid))
    return text.rsplit(')', 1)[1].split()[19] if text else ''


def _enable(unified, wanted):
    """Lets this process's v2 group have children with the wanted
    controllers: enabled in its subtree, after moving the grader into a
    leaf of its own where the group must hold no process itself."""
    control = os.path.join(unified, 'cgroup.subtree_control')
    if set(wanted) <= set(_read(control).split()):
        return
    line = ' '.join('+' + kind for kind in wanted)
    try:
        _write(control, line)
        return
    except OSError:
        pass
    leaf = os.path.join(unified, 'check-grader-{}'.format(os.getpid()))
    os.makedirs(leaf, exist_ok=True)
    _write(os.path.join(leaf, 'cgroup.procs'), str(os.getpid()))
    try:
        _write(control, line)
    except OSError:
        _write(os.path.join(unified, 'cgroup.procs'), str(os.getpid()))
        os.rmdir(leaf)
        raise
