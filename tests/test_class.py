#!/usr/bin/env python3
"""./check.py --class over a small class of fixture students: two honest
ones, and one hostile student for each rule of the sandbox. Each hostile
file is stopped and named by the limit it hit, the neighbours' files stay
as they were, nothing connects and nothing is left running; the honest
reports are those a single-student run gives. Results are in Gradescope's
format, a batch killed halfway resumes, and shards add up to one run."""
import csv
import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time

import pytest

from checker import sandbox
from conftest import ROOT

BUILDERS = ['0-vanilla.py', '1-sparse.py', '2-convolutional.py',
            '3-variational.py']
STUDENT = os.path.join(ROOT, 'tests', 'fixtures', 'student')
SECRET = 'the-neighbours-secret-4711'
SLEEPER = '9876.5'  # seconds: a number no other sleep on the machine has
LAYERS = sandbox.probe()
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


def needs(*layers):
    """Skips a test where this machine lacks a layer, saying which."""
    off = {layer: LAYERS[layer] for layer in layers if LAYERS[layer]}
    return pytest.mark.skipif(bool(off), reason='sandbox layer off: {}'
                              .format(off))


def needs_one_of(*layers):
    """Skips a test where this machine lacks every one of the layers."""
    return pytest.mark.skipif(
        all(LAYERS[layer] for layer in layers),
        reason='sandbox layers off: {}'.format(
            {layer: LAYERS[layer] for layer in layers}))


def honest_class(folder):
    """Two honest students: ours a few folders down, a student's on top."""
    ours = os.path.join(folder, 'ada', 'repo', 'solution')
    os.makedirs(ours)
    for name in BUILDERS:
        shutil.copy(os.path.join(ROOT, name), ours)
    shutil.copytree(STUDENT, os.path.join(folder, 'bob'))
    with open(os.path.join(folder, 'bob', 'secret.txt'), 'w') as handle:
        handle.write(SECRET)
    os.makedirs(os.path.join(folder, 'cyd', 'notes'))


def run_class(submissions, out, *options, **popen):
    """Runs ./check.py --class; returns the finished process."""
    return subprocess.run(
        [sys.executable, os.path.join(ROOT, 'check.py'), '--class',
         str(submissions), '--out', str(out), '--jobs', '2'] + list(options),
        capture_output=True, text=True, timeout=600, **popen)


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
    with open(os.path.join(out, student, 'report.json')) as handle:
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
    try:
        listener.accept()
        connected = True
    except BlockingIOError:
        connected = False
    listener.close()
    return {'run': run, 'out': str(out), 'folder': folder,
            'submissions': submissions, 'before': before,
            'connected': connected}


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


@needs('landlock')
def test_no_file_outside_its_copy_changed(hostile):
    """The neighbours' files are as they were; nothing was written."""
    assert fingerprints(str(hostile['submissions'])) == hostile['before']
    assert not os.path.exists(hostile['folder'] / 'written')


@needs('landlock')
def test_no_neighbour_is_read(hostile):
    """The neighbour's secret is in no results, read by Python or by cat."""
    for name in ('reader', 'shell_reader'):
        folder = os.path.join(hostile['out'], name)
        for file in os.listdir(folder):
            with open(os.path.join(folder, file)) as handle:
                assert SECRET not in handle.read()


@needs_one_of('network namespace', 'seccomp')
def test_nothing_connects(hostile):
    """The listener the test holds saw no connection."""
    assert not hostile['connected']


@needs('subreaper')
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
        single = subprocess.run(
            [sys.executable, os.path.join(ROOT, 'check.py'), '--json',
             str(hostile['submissions'].joinpath(name, *folder))],
            capture_output=True, text=True, timeout=300)
        expected = [entry['checks'] for entry in json.loads(single.stdout)]
        got = [entry['checks']
               for entry in report(hostile['out'], name)['reports']]
        assert got == expected


def test_results_are_in_gradescope_format(hostile):
    """results.json: a score, a time, an output, one test per check."""
    with open(os.path.join(hostile['out'], 'ada', 'results.json')) as handle:
        results = json.load(handle)
    assert set(results) == {'score', 'execution_time', 'output', 'tests'}
    assert results['tests'] and results['score'] == sum(
        test['score'] for test in results['tests'])
    for test in results['tests']:
        assert set(test) == {'name', 'score', 'max_score', 'status',
                             'output', 'visibility'}
        assert test['status'] in ('passed', 'failed')
        assert test['max_score'] == 1
    assert results['score'] == len(results['tests'])


def test_summary_counts_the_class(hostile):
    """summary.md names the students and the most common causes."""
    with open(os.path.join(hostile['out'], 'summary.md')) as handle:
        summary = handle.read()
    assert '{} students'.format(len(HOSTILE) + 3) in summary
    assert '| students | file | check | cause |' in summary
    assert 'tried to write outside its folder' in summary


def small_class(folder):
    """Three honest students, for the runs that are about the results."""
    honest_class(str(folder))
    return folder


def without_times(out):
    """Every student's results.json with its time taken out."""
    found = {}
    for name in sorted(os.listdir(out)):
        path = os.path.join(out, name, 'results.json')
        if os.path.isfile(path):
            with open(path) as handle:
                results = json.load(handle)
            results.pop('execution_time')
            found[name] = results
    return found


def test_a_killed_batch_resumes(tmp_path):
    """Killed after its first student, a rerun checks only the rest and
    gives what one whole run gives."""
    submissions = small_class(tmp_path / 'submissions')
    whole = tmp_path / 'whole'
    assert run_class(submissions, whole).returncode == 0
    killed = tmp_path / 'killed'
    process = subprocess.Popen(
        [sys.executable, os.path.join(ROOT, 'check.py'), '--class',
         str(submissions), '--out', str(killed), '--jobs', '1'],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while not os.path.exists(killed / 'ada' / 'results.json'):
        assert time.monotonic() < deadline and process.poll() is None
        time.sleep(0.1)
    process.send_signal(signal.SIGKILL)
    process.wait()
    done = os.path.getmtime(killed / 'ada' / 'results.json')
    rerun = run_class(submissions, killed)
    assert rerun.returncode == 0, rerun.stderr
    assert os.path.getmtime(killed / 'ada' / 'results.json') == done
    assert without_times(str(killed)) == without_times(str(whole))
    with open(killed / 'grades.csv') as first, open(whole / 'grades.csv') \
            as second:
        assert first.read() == second.read()


def test_shards_add_up_to_one_run(tmp_path):
    """Two shards and a last run without --shard give one run's files."""
    submissions = small_class(tmp_path / 'submissions')
    whole, split = tmp_path / 'whole', tmp_path / 'split'
    assert run_class(submissions, whole).returncode == 0
    for shard in ('1/2', '2/2'):
        assert run_class(submissions, split, '--shard', shard) \
            .returncode == 0
    final = run_class(submissions, split)
    assert '0 of 0 students' in final.stderr or not final.stderr.strip()
    assert without_times(str(split)) == without_times(str(whole))
    for name in ('grades.csv', 'summary.md'):
        with open(split / name) as first, open(whole / name) as second:
            assert first.read() == second.read()


def test_usage_errors(tmp_path):
    """--class without --out, or with a PATH too, is a usage error."""
    for arguments in (['--class', str(tmp_path)],
                      ['--class', str(tmp_path), '--out', str(tmp_path),
                       ROOT],
                      ['--class', str(tmp_path / 'none'), '--out', 'x'],
                      ['--class', str(tmp_path), '--out', 'x', '--shard',
                       '3/2']):
        run = subprocess.run([sys.executable, os.path.join(ROOT, 'check.py')]
                             + arguments, capture_output=True, text=True)
        assert run.returncode == 2, arguments
