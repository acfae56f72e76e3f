#!/usr/bin/env python3
"""The cgroups a class's files are counted in, on a cgroup v2 tree and on
v1's memory and pids hierarchies, each laid out as files in a folder of
the test's (the kernel's own behaviour is what test_hostile.py sees): the
run's group under the grader's, a group per file with its caps, its
peak, its processes and the caps it hit, and the groups of runs that
died cleared."""
import os

import pytest

from checker.running import accounting

V2_MOUNT = '29 23 0:26 / {root} rw,relatime - cgroup2 cgroup2 rw\n'
V1_MOUNTS = ('30 23 0:27 / {root}/memory rw - cgroup cgroup rw,memory\n'
             '31 23 0:28 / {root}/pids rw - cgroup cgroup rw,pids\n')


def fake(tmp_path, monkeypatch, mounts, groups):
    """Points the module at a made-up mountinfo and cgroup file."""
    (tmp_path / 'mountinfo').write_text(mounts.format(root=tmp_path / 'fs'))
    (tmp_path / 'cgroup').write_text(groups)
    monkeypatch.setattr(accounting, 'MOUNTS', str(tmp_path / 'mountinfo'))
    monkeypatch.setattr(accounting, 'GROUPS', str(tmp_path / 'cgroup'))


def test_cgroup_v2(tmp_path, monkeypatch):
    """The grader's group gets memory and pids for its subtree; the run's
    group and each file's with memory.max, no swap and pids.max; the
    events say which cap was hit; a dead run's group goes."""
    fake(tmp_path, monkeypatch, V2_MOUNT, '0::/user.slice/grader\n')
    own = tmp_path / 'fs' / 'user.slice' / 'grader'
    (own / 'check-pid-1-0-dead').mkdir(parents=True)
    (own / 'cgroup.controllers').write_text('cpu memory pids\n')
    (own / 'cgroup.subtree_control').write_text('')
    groups = accounting.Groups('check-pid-mine', lambda name: False)
    assert groups.version == 2 and not (own / 'check-pid-1-0-dead').exists()
    procs = groups.make(7, 2 ** 30, 120)
    file_group = own / 'check-pid-mine' / 'file-7'
    assert procs == [str(file_group / 'cgroup.procs')]
    assert (file_group / 'memory.max').read_text() == str(2 ** 30)
    assert (file_group / 'memory.swap.max').read_text() == '0'
    assert (file_group / 'pids.max').read_text() == '120'
    assert (file_group / 'cpu.weight').read_text() == '100'
    assert groups.cpu_off == ''
    assert (own / 'check-pid-mine' / 'cgroup.subtree_control').read_text() \
        == '+memory +pids +cpu'
    assert (own / 'check-pid-mine' / 'cpu.weight').read_text() == str(
        min(accounting.CPUS * 100, 10000))
    (file_group / 'memory.events').write_text('low 0\noom 1\noom_kill 1\n')
    (file_group / 'pids.events').write_text('max 3\n')
    (file_group / 'memory.peak').write_text('123456\n')
    (file_group / 'cgroup.procs').write_text('')
    assert groups.hit(7) == ['memory', 'processes']
    assert groups.peak(7) == 123456 and groups.pids(7) == []


def test_cgroup_v1(tmp_path, monkeypatch):
    """Without v2's controllers, a group in each of v1's memory and pids
    hierarchies, where the grader's own groups are."""
    fake(tmp_path, monkeypatch, V2_MOUNT.replace('{root}', '{root}/unified')
         + V1_MOUNTS, '5:memory:/jobs/grader\n4:pids:/\n0::/\n')
    (tmp_path / 'fs' / 'unified').mkdir(parents=True)
    (tmp_path / 'fs' / 'unified' / 'cgroup.controllers').write_text('')
    (tmp_path / 'fs' / 'memory' / 'jobs' / 'grader').mkdir(parents=True)
    (tmp_path / 'fs' / 'pids').mkdir(parents=True)
    groups = accounting.Groups('check-pid-mine', lambda name: True)
    assert groups.version == 1
    procs = groups.make(3, 2 ** 30, 120)
    memory = tmp_path / 'fs' / 'memory' / 'jobs' / 'grader' / \
        'check-pid-mine' / 'file-3'
    pids = tmp_path / 'fs' / 'pids' / 'check-pid-mine' / 'file-3'
    assert procs == [str(memory / 'cgroup.procs'), str(pids / 'cgroup.procs')]
    assert (memory / 'memory.limit_in_bytes').read_text() == str(2 ** 30)
    assert (pids / 'pids.max').read_text() == '120'
    (memory / 'memory.oom_control').write_text(
        'oom_kill_disable 0\nunder_oom 0\noom_kill 0\n')
    (pids / 'pids.events').write_text('max 0\n')
    assert groups.hit(3) == []
    assert groups.cpu_off == 'no cgroup v1 cpu hierarchy'


def test_cgroup_v1_cpu(tmp_path, monkeypatch):
    """Where v1 has a cpu hierarchy, each file has a group there too, with
    the share every other file has."""
    fake(tmp_path, monkeypatch, V1_MOUNTS + '32 23 0:29 / {root}/cpu rw - '
         'cgroup cgroup rw,cpu,cpuacct\n', '4:pids:/\n3:memory:/\n'
         '2:cpu,cpuacct:/\n0::/\n')
    for name in ('memory', 'pids', 'cpu'):
        (tmp_path / 'fs' / name).mkdir(parents=True)
    groups = accounting.Groups('check-pid-mine', lambda name: True)
    procs = groups.make(5, 2 ** 30, 120)
    cpu = tmp_path / 'fs' / 'cpu' / 'check-pid-mine' / 'file-5'
    assert procs[2] == str(cpu / 'cgroup.procs') and groups.cpu_off == ''
    assert (cpu / 'cpu.shares').read_text() == '1024'
    assert (cpu.parent / 'cpu.shares').read_text() == str(
        accounting.CPUS * 1024)


def test_no_cgroup_says_why(tmp_path, monkeypatch):
    """Neither v2's controllers nor v1's hierarchies: an OSError that the
    probe reports as the layer's reason."""
    fake(tmp_path, monkeypatch, '', '0::/\n')
    with pytest.raises(OSError, match='no cgroup'):
        accounting.Groups('check-pid-mine', lambda name: True)


def test_a_run_is_alive_while_its_grader_runs():
    """A run's groups are named by its grader's process, not its scratch:
    alive while that process runs, whatever temporary folder it uses."""
    name = accounting.run_name()
    assert name.startswith('check-pid-') and accounting.alive(name)
    assert not accounting.alive(name.replace(
        'check-pid-', 'check-pid-1', 1))
    assert not accounting.alive('check-pid-{}-1-token'.format(
        os.getpid()))
