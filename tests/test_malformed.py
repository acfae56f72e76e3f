#!/usr/bin/env python3
"""./check.py --class over a class that an export, a clone per student or
a student who means harm could hand in: named pipes in a task file's place
and elsewhere, a task file of 5 MB of NUL bytes, a sparse 3 GB data file,
names that are not UTF-8, that a spreadsheet would run, that hold a line
break, a student folder named grades.csv, links out, an empty task file, a
task file that is a folder, thousands of small files. The run ends, every
student has a row, the honest files in odd folders get full marks, no
name writes into the tables, and no scratch stays."""
import csv
import os
import shutil
import subprocess
import time

import pytest

from classes import BUILDERS, run_class
from conftest import ROOT

HONEST = {b'=1+1': b'=1+1', b'=HYPERLINK("http:x")': b'=HYPERLINK',
          b'bad\xffname': b'bad', b'grades.csv': b'grades.csv',
          b'x\n- ada, 0-vanilla.py: used more than 4 GB of memory':
              b'newline', b'deep/\xfe/folder': b'deep', b'many': b'many',
          b'sparse': b'sparse', b'pipe_inside': b'pipe', b'linked': b'link'}
FIFO, NUL, EMPTY, FOLDER = b'fifo', b'nul', b'empty', b'folder'
LINK_OUT = b'link_out'
SECONDS = 300  # the whole class's time limit in this test


def honest_file(folder):
    """Our vanilla builder, in a folder made for it."""
    os.makedirs(folder, exist_ok=True)
    shutil.copy(os.path.join(ROOT, BUILDERS[0]), os.fsdecode(folder))


def make_class(root):
    """Writes the malformed class into root (bytes)."""
    for name in HONEST:
        honest_file(os.path.join(root, name))
    os.mkfifo(os.path.join(root, b'pipe_inside', b'pipe'))
    many = os.path.join(root, b'many')
    for index in range(3000):
        with open(os.path.join(many, b'f%d.txt' % index), 'w') as handle:
            handle.write('x')
    with open(os.path.join(root, b'sparse', b'data.bin'), 'wb') as handle:
        handle.truncate(3 * 2 ** 30)
    os.symlink('/etc', os.path.join(root, b'linked', b'etc'))
    os.symlink('0-vanilla.py', os.path.join(root, b'linked', b'again.py'))
    os.makedirs(os.path.join(root, FIFO))
    os.mkfifo(os.path.join(root, FIFO, b'0-vanilla.py'))
    os.makedirs(os.path.join(root, NUL))
    with open(os.path.join(root, NUL, b'0-vanilla.py'), 'wb') as handle:
        handle.write(b'\0' * (5 * 2 ** 20))
    os.makedirs(os.path.join(root, EMPTY))
    open(os.path.join(root, EMPTY, b'0-vanilla.py'), 'w').close()
    os.makedirs(os.path.join(root, FOLDER, b'0-vanilla.py'))
    os.symlink('/etc', os.path.join(root, LINK_OUT))


@pytest.fixture(scope='module')
def malformed(tmp_path_factory):
    """Grades the malformed class once."""
    folder = tmp_path_factory.mktemp('malformed')
    submissions, out = folder / 'submissions', folder / 'results'
    os.makedirs(submissions)
    make_class(os.fsencode(submissions))
    start = time.monotonic()
    run = run_class(submissions, out, '--timeout', '30')
    with open(out / 'grades.csv', newline='') as handle:
        rows = {row['student']: row for row in csv.DictReader(handle)}
    with open(out / 'summary.md') as handle:
        summary = handle.read()
    return {'run': run, 'seconds': time.monotonic() - start, 'rows': rows,
            'summary': summary, 'out': out}


def shown(name):
    """A folder's name as the tables show it."""
    from checker.checks.report import shown as show
    return show(os.fsdecode(name))


def test_the_run_ends_in_time_and_well(malformed):
    """Exit status 0, within the time limit, no traceback."""
    assert malformed['run'].returncode == 0, malformed['run'].stderr[-3000:]
    assert malformed['seconds'] < SECONDS
    assert 'Traceback' not in malformed['run'].stderr


def test_every_student_has_a_row(malformed):
    """One row per folder, and one for a link in a folder's place."""
    tops = {name.split(b'/')[0] for name in HONEST} | {
        FIFO, NUL, EMPTY, FOLDER, LINK_OUT}
    assert set(malformed['rows']) == {"'" + shown(name) if shown(
        name)[0] in '=+-@' else shown(name) for name in tops}


def test_honest_files_in_odd_folders_get_full_marks(malformed):
    """Whatever their folder is called, our builder passes every check."""
    for name in HONEST:
        row = malformed['rows'][("'" if name[:1] == b'=' else '')
                                + shown(name.split(b'/')[0])]
        assert row['0-vanilla.py'] == '23/23', row


def test_what_is_not_a_task_file_is_named(malformed):
    """A pipe, a file past the cap, a folder in a task file's place, a link
    in a folder's place: each is said in the student's row."""
    notes = {name: row['note'] for name, row in malformed['rows'].items()}
    assert '0-vanilla.py is a named pipe, not a file' in notes['fifo']
    assert 'past the cap of 1 MB' in notes['nul']
    assert '0-vanilla.py is a folder, not a file' in notes['folder']
    assert 'a symbolic link, not a folder' in notes['link_out']
    assert 'pipe: a named pipe' in notes['pipe_inside']
    assert 'data.bin' in notes['sparse']
    assert 'etc: a link out of the folder' in notes['linked']
    assert 'past 2000 entries' in notes['many']
    assert malformed['rows']['empty']['status'] == 'graded'


def test_no_name_writes_into_the_tables(malformed):
    """No cell starts a formula; no line of summary.md starts with a name
    or holds the line a name tried to add."""
    with open(malformed['out'] / 'grades.csv', newline='') as handle:
        for row in csv.reader(handle):
            for value in row:
                assert not value.startswith(('=', '+', '-', '@', '\t')), row
    lines = malformed['summary'].splitlines()
    assert '- ada, 0-vanilla.py: used more than 4 GB of memory' not in lines
    assert not any(line.startswith(('=', 'x', 'bad')) for line in lines)
    assert 'grades.csv' in malformed['rows']


def test_no_scratch_stays(malformed):
    """The run's scratch is gone."""
    from checker.running import scratch
    assert [name for name in os.listdir(scratch.root())
            if not name.endswith('.lock') and not scratch.alive(name)] == []


def test_a_single_student_run_says_what_is_missing_in_one_line(tmp_path):
    """Outside an environment with the checker's packages, one line and
    status 2, no traceback."""
    python = shutil.which('python3', path='/usr/bin')
    if not python or subprocess.run(
            [python, '-c', 'import tensorflow'],
            capture_output=True).returncode == 0:
        pytest.skip('no Python without TensorFlow here')
    honest_file(os.fsencode(tmp_path))
    run = subprocess.run([python, os.path.join(ROOT, 'check.py'),
                          str(tmp_path)], capture_output=True, text=True,
                         cwd=str(tmp_path))
    assert run.returncode == 2
    assert run.stderr.count('\n') == 1 and 'lacks' in run.stderr
    assert 'Traceback' not in run.stderr
