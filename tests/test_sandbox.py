#!/usr/bin/env python3
"""./check.py --class over a small class of fixture students: two honest
ones, and one hostile student for each rule of the sandbox. Each hostile
file is stopped and named by the limit it hit, the neighbours' files stay
as they were, nothing connects and nothing is left running; the honest
reports are those a single-student run gives, and the results are in
Gradescope's format."""
import csv
import hashlib
import json
import os
import socket
import subprocess
import sys

import pytest

from classes import SECRET, connected, honest_class, run_class
from conftest import ROOT

SLEEPER = '9876.5'  # seconds: a number no other sleep on the machine has
HEAD = '#!/usr/bin/env python3\n"""A hostile submission."""\n' \
       'import os\nimport subprocess\nimport socket\nimport sys\n'
HOSTILE = {
    'writer': "open({outside!r}, 'w').write('x')\n",
    'shell_writer': "subprocess.call(['sh', '-c', 'echo x > {outside}'])\n",
    'deleter': "subprocess.call(['rm', '-f', {neighbour!r}])\n"
               "os.remove({neighbour!r})\n",
    'reader': "raise ValueError(open({secret!r}).read())\n",
    'shell_reader': "print(subprocess.run(['cat', {secret!r}],\n"
                    "                     capture_output=True).stdout)\n",
    'caller': "socket.create_connection(('127.0.0.1', {port}), timeout=2)\n",
    'shell_caller': "subprocess.call([sys.executable, '-c', 'import socket; "
                    "socket.create_connection((\"127.0.0.1\", {port}))'])\n",
    'sleeper': "if os.fork() == 0:\n    os.setsid()\n"
               "    os.execvp('sleep', ['sleep', {sleeper!r}])\n",
    'hog': "hoard = b'x' * (3 * 2 ** 30)\n",
    'printer': "print('x' * 3000000)\n",
    'hang': "while True:\n    pass\n",
}
LIMIT_WORDS = {
    'writer': 'tried to write outside its folder',
    'deleter': 'tried to write outside its folder',
    'reader': 'tried to read outside its folder',
    'caller': 'tried to open a network connection',
    'hog': 'used more than 1.5 GB of memory',
    'printer': 'printed more than 1 MB',
    'hang': 'was stopped after 20 s',
}
OPTIONS = ['--memory', '1.5', '--output', '1', '--timeout', '20']


def needs(hostile, *layers):
    """Skips the test where the run found a layer off, saying which."""
    found = report(hostile['out'], 'ada')['layers']
    off = {layer: found[layer] for layer in layers if found[layer]}
    if off:
        pytest.skip('sandbox layer off: {}'.format(off))


def fingerprints(folder):
    """Every file beneath folder with a hash of its bytes."""
    found = {}
    for where, _, names in os.walk(folder):
        for name in names:
            path = os.path.join(where, name)
            with open(path, 'rb') as handle:
                found[path] = hashlib.sha256(handle.read()).hexdigest()
    return found


def report(out, student):
    """A student's report.json."""
    with open(os.path.join(out, 'students', student, 'report.json')) as \
            handle:
        return json.load(handle)


def failures(record):
    """The details of a student's failed checks, but the file rules'."""
    return [check['detail'] for entry in record['reports']
            for check in entry['checks']
            if check['passed'] is False and check['kind'] != 'file']


@pytest.fixture(scope='module')
def hostile(tmp_path_factory):
    """Grades the fixture class once with a listener held open; returns
    what the tests look at."""
    folder = tmp_path_factory.mktemp('class')
    submissions, out = folder / 'submissions', folder / 'results'
    honest_class(str(submissions))
    listener = socket.socket()
    listener.bind(('127.0.0.1', 0))
    listener.listen()
    listener.setblocking(False)
    values = {'outside': str(folder / 'written'),
              'neighbour': str(submissions / 'bob' / '0-vanilla.py'),
              'secret': str(submissions / 'bob' / 'secret.txt'),
              'port': listener.getsockname()[1], 'sleeper': SLEEPER}
    for name, body in HOSTILE.items():
        os.makedirs(submissions / name)
        path = submissions / name / '0-vanilla.py'
        path.write_text(HEAD + body.format(**values))
    before = fingerprints(str(submissions))
    run = run_class(submissions, out, *OPTIONS)
    return {'run': run, 'out': str(out), 'folder': folder,
            'submissions': submissions, 'before': before,
            'connected': connected(listener)}


def test_the_class_is_graded(hostile):
    """The run ends well, and every student has a row and results."""
    assert hostile['run'].returncode == 0, hostile['run'].stderr
    with open(os.path.join(hostile['out'], 'grades.csv')) as handle:
        rows = list(csv.DictReader(handle))
    students = sorted(['ada', 'bob', 'cyd'] + list(HOSTILE))
    assert [row['student'] for row in rows] == students
    assert {row['student']: row['status'] for row in rows}['cyd'] == \
        'no task files'
    assert '{0} of {0} students'.format(len(students)) in \
        hostile['run'].stderr


@pytest.mark.parametrize('name', sorted(LIMIT_WORDS))
def test_each_hostile_file_is_named_by_its_limit(hostile, name):
    """The limit that stopped the file is in its report, in its words."""
    details = failures(report(hostile['out'], name))
    assert any(LIMIT_WORDS[name] in detail for detail in details), details


def test_grades_say_which_limit_stopped_a_student(hostile):
    """grades.csv marks each hostile student that hit a limit, naming it,
    and the honest ones as graded."""
    with open(os.path.join(hostile['out'], 'grades.csv')) as handle:
        rows = {row['student']: row for row in csv.DictReader(handle)}
    for name in LIMIT_WORDS:
        assert rows[name]['status'] == 'limit hit', rows[name]
        assert '0-vanilla.py: ' in rows[name]['note'], rows[name]
    assert 'ran longer than 20 s' in rows['hang']['note']
    assert rows['ada']['status'] == rows['bob']['status'] == 'graded'


def test_no_file_outside_its_copy_changed(hostile):
    """The neighbours' files are as they were; nothing was written."""
    needs(hostile, 'landlock')
    assert fingerprints(str(hostile['submissions'])) == hostile['before']
    assert not os.path.exists(hostile['folder'] / 'written')


def test_no_neighbour_is_read(hostile):
    """The neighbour's secret is in no results, read by Python or by cat."""
    needs(hostile, 'landlock')
    for name in ('reader', 'shell_reader'):
        folder = os.path.join(hostile['out'], 'students', name)
        for file in os.listdir(folder):
            with open(os.path.join(folder, file)) as handle:
                assert SECRET not in handle.read()


def test_nothing_connects(hostile):
    """The listener the test holds saw no connection."""
    needs(hostile, 'seccomp')
    assert not hostile['connected']


def test_nothing_is_left_running(hostile):
    """The sleeper that detached into a session of its own is gone."""
    leftovers = []
    for pid in filter(str.isdigit, os.listdir('/proc')):
        try:
            with open('/proc/{}/cmdline'.format(pid), 'rb') as handle:
                if SLEEPER.encode() in handle.read():
                    leftovers.append(pid)
        except OSError:
            pass
    assert not leftovers


def test_honest_reports_are_the_single_student_ones(hostile):
    """An honest student's checks are those ./check.py PATH gives."""
    for name, folder in (('ada', ['repo', 'solution']), ('bob', [])):
        seed = report(hostile['out'], name)['seed']
        single = subprocess.run(
            [sys.executable, os.path.join(ROOT, 'check.py'), '--json',
             '--seed', str(seed),
             str(hostile['submissions'].joinpath(name, *folder))],
            capture_output=True, text=True, timeout=300)
        expected = [entry['checks'] for entry in json.loads(single.stdout)]
        got = [entry['checks']
               for entry in report(hostile['out'], name)['reports']]
        assert got == expected


def test_results_are_in_gradescope_format(hostile):
    """results.json: a score, a time, an output, one test per check."""
    with open(os.path.join(hostile['out'], 'students', 'ada',
                           'results.json')) as handle:
        results = json.load(handle)
    assert set(results) == {'score', 'execution_time', 'output', 'tests',
                            'visibility', 'stdout_visibility'}
    assert results['tests'] and results['score'] == sum(
        test['score'] for test in results['tests'])
    for test in results['tests']:
        assert set(test) == {'name', 'score', 'max_score', 'status',
                             'output', 'visibility'}
        assert test['status'] in ('passed', 'failed')
        assert test['max_score'] == 1
    assert results['score'] == len(results['tests']) == 96


def test_summary_counts_the_class(hostile):
    """summary.md names the students and the most common causes."""
    with open(os.path.join(hostile['out'], 'summary.md')) as handle:
        summary = handle.read()
    assert '{} students'.format(len(HOSTILE) + 3) in summary
    assert '| students | file | check | cause |' in summary
    assert 'tried to write outside its folder' in summary
    assert '- hog, 0-vanilla.py: used more than 1.5 GB of memory' in summary
    imports = [check['passed'] for name in ['ada', 'bob'] + list(HOSTILE)
               for entry in report(hostile['out'], name)['reports']
               if entry['task'] == 0 for check in entry['checks']
               if check['name'] == 'imports without error']
    passed = imports.count(True)
    assert passed >= 2  # the honest students at least
    assert ('| 0-vanilla.py | \\[I01\\] imports without error | {} | {} | '
            '{:.0%} |'.format(passed, len(imports), passed / len(imports))
            in summary)
