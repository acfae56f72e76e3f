#!/usr/bin/env python3
"""Property tests with Hypothesis over generated submission trees: names
from arbitrary bytes, every kind of entry (files, folders, named pipes,
links in and out, sparse files, task files), some depth. Judging them
never opens a pipe or follows a link, the copy holds only what it may, and
every name is shown and stored safely; a few small classes are graded
whole, every student getting their row and no scratch staying."""
import csv
import os
import re
import shutil
import signal
import stat
import tempfile

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from classes import BUILDERS, run_class
from conftest import ROOT

NAMES = st.binary(min_size=1, max_size=12).filter(
    lambda name: b'/' not in name and b'\0' not in name
    and name not in (b'.', b'..'))
KINDS = ('file', 'folder', 'pipe', 'link in', 'link out', 'sparse', 'task',
         'task pipe', 'task sparse')
TREES = st.recursive(
    st.tuples(NAMES, st.sampled_from(KINDS)),
    lambda children: st.tuples(NAMES, st.lists(children, max_size=4)),
    max_leaves=12)
FAST = settings(max_examples=60, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow])


def build(folder, tree):
    """Writes one generated entry (and what it holds) into folder."""
    name, what = tree
    path = os.path.join(folder, name)
    if os.path.lexists(path):
        return
    if isinstance(what, list):
        os.mkdir(path)
        for child in what:
            build(path, child)
    elif what == 'file':
        with open(path, 'wb') as handle:
            handle.write(name * 3)
    elif what == 'folder':
        os.mkdir(path)
    elif what == 'pipe':
        os.mkfifo(path)
    elif what == 'link in':
        os.symlink(b'.', path)
    elif what == 'link out':
        os.symlink(b'/etc', path)
    elif what == 'sparse':
        with open(path, 'wb') as handle:
            handle.truncate(2 ** 33)
    else:
        builder = BUILDERS[len(name) % 4]
        task = os.path.join(folder, os.fsencode(builder))
        if os.path.lexists(task):
            return
        if what == 'task pipe':
            os.mkfifo(task)
        elif what == 'task sparse':
            with open(task, 'wb') as handle:
                handle.truncate(2 ** 33)
        else:
            shutil.copy(os.path.join(ROOT, builder), task)


class Hang(Exception):
    """Judging took so long that something must block."""


def within(seconds, function, *args):
    """function(*args), or Hang after seconds."""
    def alarm(signum, frame):
        """Raises Hang."""
        raise Hang()
    previous = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(seconds)
    try:
        return function(*args)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@FAST
@given(st.lists(st.tuples(NAMES, st.lists(TREES, max_size=4)), min_size=1,
                max_size=4))
def test_judging_and_copying_any_tree(students):
    """Every top folder is a student; the copy holds regular files within
    their cap, folders and links that stay inside, and nothing else."""
    from checker.grading import submissions
    with tempfile.TemporaryDirectory() as root, \
            tempfile.TemporaryDirectory() as target:
        root, target = os.fsencode(root), os.fsencode(target)
        for student in students:
            build(root, student)
        found = within(30, submissions.students, root)
        tops = [name for name in os.listdir(root)
                if not name.startswith(b'.')
                and not stat.S_ISREG(os.lstat(os.path.join(root,
                                                           name)).st_mode)]
        assert sorted(os.fsencode(entry.name) for entry in found) == \
            sorted(tops)
        for index, entry in enumerate(found):
            for _, path in entry.files:
                assert stat.S_ISREG(os.lstat(path).st_mode)
            into = os.path.join(target, b'%d' % index)
            within(30, submissions.copy, entry, into, 10 * 2 ** 20)
            assert_copy_is_safe(into)


def assert_copy_is_safe(folder):
    """Nothing but folders, small regular files and links inside."""
    total = 0
    for where, folders, files in os.walk(folder):
        for name in folders + files:
            path = os.path.join(where, name)
            mode = os.lstat(path).st_mode
            if stat.S_ISLNK(mode):
                target = os.readlink(path)
                assert not os.path.isabs(target)
                assert os.path.realpath(path).startswith(
                    os.path.realpath(folder))
            else:
                assert stat.S_ISDIR(mode) or stat.S_ISREG(mode)
                total += os.lstat(path).st_size if stat.S_ISREG(mode) else 0
    assert total <= 10 * 2 ** 20


@FAST
@given(st.lists(NAMES, min_size=1, max_size=20, unique=True))
def test_names_are_shown_and_stored_safely(names):
    """A shown name is one printable line; each student has a folder of
    their own, named with safe characters; no cell starts a formula and no
    Markdown text breaks a line."""
    from checker.checks.report import shown
    from checker.grading import grades, submissions
    texts = [os.fsdecode(name) for name in names]
    folders = [submissions.safe(text) for text in texts]
    assert len(set(folders)) == len(folders)
    for text, folder in zip(texts, folders):
        assert shown(text).isprintable()
        assert re.fullmatch(r'[A-Za-z0-9_%-]+', folder)
        assert not grades.cell(shown(text)).startswith(grades.FORMULA)
        assert '\n' not in grades.markdown(text)


@settings(max_examples=3, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
@given(st.lists(st.tuples(NAMES, st.lists(TREES, max_size=3)), min_size=1,
                max_size=3))
def test_a_generated_class_is_graded_whole(students):
    """Every student gets a row, the run ends well and leaves nothing."""
    from checker.running import scratch
    with tempfile.TemporaryDirectory() as folder:
        submissions = os.path.join(os.fsencode(folder), b'submissions')
        os.mkdir(submissions)
        for student in students:
            build(submissions, student)
        out = os.path.join(folder, 'results')
        run = run_class(os.fsdecode(submissions), out, '--timeout', '30')
        assert run.returncode == 0, run.stderr[-3000:]
        with open(os.path.join(out, 'grades.csv'), newline='') as handle:
            rows = list(csv.DictReader(handle))
        tops = [name for name in os.listdir(submissions)
                if not name.startswith(b'.') and not stat.S_ISREG(
                    os.lstat(os.path.join(submissions, name)).st_mode)]
        assert len(rows) == len(tops)
    assert [name for name in os.listdir(scratch.root())
            if not name.endswith('.lock') and not scratch.alive(name)] == []


@pytest.mark.parametrize('openat2', [True, False])
def test_the_copy_is_the_folder_judged(tmp_path, monkeypatch, openat2):
    """Once judged, a subfolder swapped for a link to a folder outside, a
    file swapped for another of its name, and the whole folder swapped for
    a link: nothing of them is copied, and each is named; with openat2
    and with the walk one part at a time that a kernel without it gets."""
    from checker.grading import beneath, submissions
    monkeypatch.setattr(beneath, '_WORKS', [None if openat2 else False])
    eve, outside = tmp_path / 'class' / 'eve', tmp_path / 'outside'
    (eve / 'data').mkdir(parents=True)
    outside.mkdir()
    for folder in (eve / 'data', outside):
        (folder / 'key').write_text('mine' if folder != outside else 'SECRET')
    (eve / 'notes.txt').write_text('judged')
    [judged] = submissions.students(str(tmp_path / 'class'))
    os.rename(eve / 'data', eve / 'old')
    os.symlink(outside, eve / 'data')
    os.rename(eve / 'notes.txt', eve / 'notes.old')
    (eve / 'notes.txt').write_text('not judged')
    left = submissions.copy(judged, str(tmp_path / 'copy'), 2 ** 20)
    if openat2 and not beneath._WORKS[0]:
        pytest.skip('this kernel has no openat2')
    assert sorted(left) == ['data/key: changed while the class was graded',
                            'notes.txt: changed while the class was graded']
    assert not os.path.exists(tmp_path / 'copy' / 'data' / 'key')
    assert not os.path.exists(tmp_path / 'copy' / 'notes.txt')
    os.rename(eve, tmp_path / 'class' / 'eve.old')
    os.symlink(outside, eve)
    assert submissions.copy(judged, str(tmp_path / 'again'), 2 ** 20) == [
        'the whole folder: changed while the class was graded']
    assert os.listdir(tmp_path / 'again') == []


def test_a_hard_link_is_not_copied(tmp_path):
    """A file with a second link, a task file or not, is named and left
    out: it may be another user's file."""
    from checker.grading import submissions
    eve = tmp_path / 'class' / 'eve'
    eve.mkdir(parents=True)
    (tmp_path / 'theirs.py').write_text('x')
    os.link(tmp_path / 'theirs.py', eve / '0-vanilla.py')
    os.link(tmp_path / 'theirs.py', eve / 'key')
    [judged] = submissions.students(str(tmp_path / 'class'))
    assert judged.files == [] and 'a hard link' in judged.problems[0]
    assert 'key: a hard link' in submissions.copy(
        judged, str(tmp_path / 'copy'), 2 ** 20)
    assert os.listdir(tmp_path / 'copy') == []
