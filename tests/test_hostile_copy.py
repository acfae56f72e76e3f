#!/usr/bin/env python3
"""./check.py --class over the second hostile class (tests/hostile_copy.py):
folders swapped for links once judged, hard links, setsid() spinners
beside honest neighbours on one CPU, a TMPDIR every file could read,
file_setattr, and a sparse file filled through mmap past the disk cap.
Each earns no more than the stub that tries nothing, the honest keep full
marks, nothing outside a student's folder is read, and each refusal and
limit is named in plain words. The swaps are played from outside while
the grader is stopped, once it has judged the class."""
import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

import hostile_copy
from classes import honest_class
from conftest import ROOT

SECRET = 'ROOT-ONLY-KEY-5150'
OPTIONS = ['--memory', '2', '--processes', '120', '--disk', '50',
           '--timeout', '40']


def cpu_share_possible():
    """True where the grader can give each file a CPU share: it may make
    cgroups, and one hierarchy has the cpu controller."""
    from checker.running import accounting
    try:
        groups = accounting.Groups('check-probe-{}'.format(os.getpid()),
                                   lambda name: True)
    except OSError:
        return False
    groups.close()
    return not groups.cpu_off


def one_cpu():
    """Pins the grader, and so every file it checks, to one CPU."""
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def run_folder(pid):
    """The scratch folder of the run in process pid, from the lock it
    holds open; None until it holds one."""
    try:
        handles = os.listdir('/proc/{}/fd'.format(pid))
    except OSError:
        return None
    for handle in handles:
        try:
            target = os.readlink('/proc/{}/fd/{}'.format(pid, handle))
        except OSError:
            continue
        if 'check-class-' in target and target.endswith('.lock'):
            return target[:-len('.lock')]
    return None


def judged(process):
    """Waits until the run has judged every folder: its sandbox's probe
    folder, made after the judging, exists. Returns the run's folder."""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and process.poll() is None:
        folder = run_folder(process.pid)
        if folder and os.path.isdir(os.path.join(folder, '1')):
            return folder
        time.sleep(0.01)
    raise AssertionError('the run never got past judging the class')


def plant_in_shm():
    """A copy of another student's file where a run with TMPDIR=/dev/shm
    kept its copies, that all may read, as an older grader left them."""
    base = '/dev/shm/check-class-planted-{}'.format(os.getpid())
    home = os.path.join(base, 'run-planted', '1', 'home')
    os.makedirs(home, mode=0o755)
    with open(os.path.join(home, 'secret.txt'), 'w') as handle:
        handle.write(SECRET)
    os.chmod(os.path.join(home, 'secret.txt'), 0o644)
    return base


@pytest.fixture(scope='module')
def graded(tmp_path_factory):
    """Grades the class once, on one CPU, with TMPDIR=/dev/shm, swapping
    two folders for links once it is judged."""
    folder = tmp_path_factory.mktemp('copy')
    submissions, out = folder / 'submissions', folder / 'results'
    honest_class(str(submissions))
    private = folder / 'private'
    private.mkdir(mode=0o700)
    for path in (private / 'key', folder / 'root-only'):
        path.write_text(SECRET + '\n')
        path.chmod(0o600)
    (folder / 'elsewhere').mkdir()
    shutil.copy(os.path.join(ROOT, '0-vanilla.py'), folder / 'elsewhere')
    (private / '1-sparse.py').write_text(SECRET + '\n')
    (private / '1-sparse.py').chmod(0o600)
    hostile_copy.write_class(str(submissions), str(folder / 'root-only'),
                             SECRET, str(folder / 'elsewhere' /
                                         '0-vanilla.py'), str(private))
    spinning = cpu_share_possible()
    if not spinning:
        shutil.rmtree(submissions / 'a_spinner')
    planted = plant_in_shm()
    with open(folder / 'stdout', 'w') as stdout, \
            open(folder / 'stderr', 'w') as stderr:
        process = subprocess.Popen(
            [sys.executable, os.path.join(ROOT, 'check.py'), '--class',
             str(submissions), '--out', str(out), '--jobs', '2'] + OPTIONS,
            env=dict(os.environ, TMPDIR='/dev/shm'), stdout=stdout,
            stderr=stderr, preexec_fn=one_cpu)
        try:
            run = judged(process)
            os.kill(process.pid, signal.SIGSTOP)
            try:
                hostile_copy.swap(str(submissions), str(private))
            finally:
                os.kill(process.pid, signal.SIGCONT)
            process.wait(timeout=600)
        finally:
            process.kill()
            shutil.rmtree(planted)
    return {'returncode': process.returncode, 'out': str(out), 'run': run,
            'stderr': (folder / 'stderr').read_text(), 'spinning': spinning}


def record(graded, name):
    """A student's report.json, and its whole text."""
    path = os.path.join(graded['out'], 'students', name, 'report.json')
    with open(path) as handle:
        text = handle.read()
    return json.loads(text), text


def rows(graded):
    """grades.csv, by student."""
    with open(os.path.join(graded['out'], 'grades.csv')) as handle:
        return {row['student']: row for row in csv.DictReader(handle)}


def imported(graded, name):
    """The detail of a student's import check: what the file raised."""
    found, _ = record(graded, name)
    return next(check['detail'] for check in found['reports'][0]['checks']
                if check['name'] == 'imports without error')


def test_the_honest_keep_full_marks(graded):
    """The run ends well, and the honest students lose nothing, the one
    beside 90 spinners on the same CPU included."""
    assert graded['returncode'] == 0, graded['stderr'][-3000:]
    for name in ('ada', 'bob'):
        row = rows(graded)[name]
        assert row['points'] == row['maximum'] == '96', row


def test_no_attack_earns_more_than_the_stub(graded):
    """Whatever a student did to the copy, the CPU or the kernel, it earns
    no more than a file that tries nothing."""
    found = rows(graded)
    stub = float(found['stub']['points'])
    for name in list(hostile_copy.ATTACKS) + list(hostile_copy.OUTSIDE):
        if name in found:
            assert float(found[name]['points']) <= stub, found[name]


def test_nothing_outside_a_folder_is_read(graded):
    """The root-only key, reached through a swapped folder, a hard link
    or /dev/shm, is in no result; the swapped folder gives nothing."""
    for where, _, names in os.walk(graded['out']):
        for name in names:
            with open(os.path.join(where, name), errors='replace') as handle:
                assert SECRET not in handle.read(), name
    assert 'data/key holds nothing' in imported(graded, 'zz_swap_data')
    assert 'key holds nothing' in imported(graded, 'hard_link')


@pytest.mark.parametrize('name, words', [
    ('hard_link', 'key: a hard link'),
    ('hard_link_task', '0-vanilla.py is a hard link'),
    ('zz_swap_data', 'data/key: changed while the class was graded'),
    ('zz_swap_mate', '0-vanilla.py: changed while the class was graded')])
def test_each_refusal_is_named(graded, name, words):
    """Each file left out of a copy is named in plain words in grades.csv
    and the student's report."""
    assert words in rows(graded)[name]['note']
    assert words in record(graded, name)[1]


def test_a_file_cannot_reach_its_siblings_copy(graded):
    """A task file that swaps its folder for a link to a folder only the
    grader may read changes nothing but its own copy: its second file is
    graded as handed in, a stub like the first."""
    row = rows(graded)['zz_swap_sibling']
    assert row['1-sparse.py'] == row['0-vanilla.py'] \
        == rows(graded)['stub']['0-vanilla.py'], row
    found, _ = record(graded, 'zz_swap_sibling')
    sparse = next(report for report in found['reports']
                  if report['file'].endswith('1-sparse.py'))
    assert next(check['passed'] for check in sparse['checks']
                if check['name'] == 'imports without error'), sparse


def test_a_spinner_is_named_by_its_own_limit(graded):
    """The file whose processes spin is stopped at its own time limit;
    where no CPU share can be had, the run says the layer is off."""
    if not graded['spinning']:
        assert "sandbox's cpu layer is off" in graded['stderr']
        pytest.skip('no cgroup cpu controller for this grader')
    assert 'ran longer than 40 s' in rows(graded)['a_spinner']['note']
    assert record(graded, 'ada')[0]['layers']['cpu'] == ''


def test_the_scratch_is_the_graders_own(graded):
    """TMPDIR=/dev/shm is replaced, and said so; a file sees no other
    run's copy, no name of its run's scratch or cgroups, and a copy of its
    own, 0700."""
    assert 'TMPDIR' in graded['stderr'] and '/dev/shm' in graded['stderr']
    assert not graded['run'].startswith('/dev/shm')
    assert os.path.basename(graded['run']) not in record(graded,
                                                         'scratch')[1]
    assert 'secret False, runs [], home 0o700 mine True' in imported(
        graded, 'scratch')


def test_file_setattr_and_its_kin_are_refused(graded):
    """file_setattr sets no file flag; open_tree_attr and quotactl_fd are
    refused too."""
    detail = imported(graded, 'setattr')
    for name in ('file_setattr', 'open_tree_attr', 'quotactl_fd'):
        assert name + ': refused (Operation not permitted)' in detail, detail


def test_a_full_disk_through_mmap_is_the_disk_limit(graded):
    """A sparse file filled through mmap past the cap is named by the disk
    limit, not as a crash."""
    assert 'wrote more than 50 MB' in rows(graded)['mmap_disk']['note']
    assert 'a crash' not in record(graded, 'mmap_disk')[1]
