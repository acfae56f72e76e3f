#!/usr/bin/env python3
"""./check.py --class over a class of hostile students (tests/hostile.py),
each written for one attack, beside two honest ones: no forged check
passes, nothing of the grader's or a neighbour's is read or changed, every
limit is named as that limit, the honest students keep full marks, and
nothing is left running or on disk."""
import csv
import json
import os
import shutil
import socket
import subprocess
import sys

import pytest

import hostile
from classes import boot_ticks, connected, honest_class, leftovers, run_class
from conftest import ROOT, vanilla

SECRET = 'GRADER_SECRET'
RECORDED_SEED = 11
OPTIONS = ['--memory', '1', '--processes', '20', '--disk', '50',
           '--timeout', '40']
STUDENT = os.path.join(ROOT, 'tests', 'fixtures', 'student')
HONEST = os.path.join(STUDENT, '0-vanilla.py')
# What a file that lies about its models can still pass: the checks whose
# truth rests on the student side's word alone (docs/sandbox.md). Its
# models' description earns nothing until a computation backs it.
CLAIMS = {'imports without error', 'defines `autoencoder`',
          'takes input_dims, hidden_layers, latent_dims',
          'prints nothing while imported and built'}
VERIFIED = ('outputs on a fixed batch', 'loss that evaluate returns',
            'weights after one training step')


def reference_tables(path, every=False):
    """Writes the reference's tables of the task's vanilla configuration,
    which the forger claims as its own; with every, of each
    configuration, by its arguments."""
    from checker.checks.tasks import TASKS
    from checker.student import tables
    found = {repr(configuration.arguments): tables.describe(
        vanilla.autoencoder(*configuration.arguments), False)
        for configuration in TASKS[0].configurations}
    if not every:
        found = found[repr(TASKS[0].configurations[0].arguments)]
    with open(path, 'w') as handle:
        json.dump(json.loads(json.dumps(found)), handle)


def record_transcript(folder):
    """An honest file that records its answers, run alone with a known
    seed; leaves transcript.json in folder."""
    with open(HONEST) as handle:
        honest = handle.read()
    path = os.path.join(folder, '0-vanilla.py')
    with open(path, 'w') as handle:
        handle.write(honest + '\nimport json\nimport os\nimport sys\n'
                     + hostile.RECORDER)
    subprocess.run([sys.executable, os.path.join(ROOT, 'check.py'), '--json',
                    '--seed', str(RECORDED_SEED), path],
                   capture_output=True, timeout=300)
    os.remove(path)


def write_attack(folder, name, unix):
    """One hostile student's folder and file."""
    os.makedirs(folder)
    if name == 'replay':
        record_transcript(folder)
    body = hostile.ATTACKS[name].replace(
        '@REFERENCE@', repr(os.path.join(ROOT, '0-vanilla.py'))).replace(
        '@UNIX@', repr(unix))
    filename = ('3-variational.py' if name in hostile.VARIATIONAL
                else '0-vanilla.py')
    if name in hostile.ON_HONEST:
        with open(os.path.join(STUDENT, filename)) as handle:
            text = handle.read() + '\nimport sys\nimport numpy as np\n' + body
    else:
        text = hostile.HEAD + body
    with open(os.path.join(folder, filename), 'w') as handle:
        handle.write(text)
    if name in ('patcher', 'tables_only'):
        reference_tables(os.path.join(folder, 'tables.json'),
                         every=name == 'tables_only')


@pytest.fixture(scope='module')
def attacked(tmp_path_factory):
    """Grades the hostile class once, a unix listener held open and a
    secret in the grader's environment."""
    folder = tmp_path_factory.mktemp('hostile')
    submissions, out = folder / 'submissions', folder / 'results'
    honest_class(str(submissions))
    unix = str(folder / 'listener.sock')
    listener = socket.socket(socket.AF_UNIX)
    listener.bind(unix)
    listener.listen()
    listener.setblocking(False)
    for name in hostile.ATTACKS:
        write_attack(str(submissions / name), name, unix)
    environment = dict(os.environ, GRADER_SECRET='the-graders-own-4242')
    since = boot_ticks()
    run = run_class(submissions, out, *OPTIONS, env=environment)
    return {'run': run, 'out': str(out), 'submissions': submissions,
            'connected': connected(listener), 'since': since}


def checks(attacked, name):
    """The checks of a student's one file, by name, and its whole text."""
    path = os.path.join(attacked['out'], 'students', name, 'report.json')
    with open(path) as handle:
        text = handle.read()
    entry = json.loads(text)['reports'][0]
    return {check['name']: check for check in entry['checks']}, text


def passed_beyond_file_rules(found):
    """The checks but the file rules that a file passed."""
    return sorted(name for name, check in found.items()
                  if check['passed'] and check['kind'] != 'file')


def test_every_student_has_a_row_and_the_honest_keep_full_marks(attacked):
    """The run ends well; the honest students lose nothing."""
    assert attacked['run'].returncode == 0, attacked['run'].stderr[-3000:]
    with open(os.path.join(attacked['out'], 'grades.csv')) as handle:
        rows = {row['student']: row for row in csv.DictReader(handle)}
    assert set(rows) == set(hostile.ATTACKS) | {'ada', 'bob', 'cyd'}
    for name in ('ada', 'bob'):
        assert rows[name]['points'] == rows[name]['maximum'] == '96', \
            rows[name]


def test_a_forger_passes_nothing_it_claims_about_its_models(attacked):
    """A file that answers for the student side with the reference's
    tables is held to them: returns fails, so that nothing read off those
    tables counts, and no structure or computation passes."""
    found, _ = checks(attacked, 'patcher')
    returns = found['returns encoder, decoder, auto (Keras models)']
    assert returns['passed'] is False
    assert 'other outputs than the reference' in returns['detail']
    assert found["structure: the task's (784, [128, 64], 32)"]['passed'] \
        is not True
    for name in VERIFIED:
        assert not found[name]['passed'], found[name]


def test_tables_alone_earn_no_structure(attacked):
    """The reference's tables for every configuration, and outputs that
    fail: no structure, beyond the exercise or not, passes on the word of
    tables alone, and only the claims that rest on it do."""
    found, _ = checks(attacked, 'tables_only')
    for name, check in found.items():
        if name.startswith('structure:'):
            assert check['passed'] is not True, check
    assert set(passed_beyond_file_rules(found)) <= CLAIMS


@pytest.mark.parametrize('name', ['odd_after', 'deep', 'no_codes',
                                  'no_roles'])
def test_an_answer_no_check_foresaw_fails_a_check(attacked, name):
    """Arguments back as no arguments are, nested 600 deep, an encoder
    with no outputs, a VAE without its roles: each fails a check in plain
    words, caught by the protocol's checks, and the class goes on."""
    found, text = checks(attacked, name)
    assert any(check['passed'] is False and check['kind'] != 'file'
               for check in found.values())
    assert 'could not judge' not in text


def test_a_file_cannot_frame_a_neighbour(attacked):
    """A refusal the sandbox never says is refused, and summary.md names
    no limit of the honest student."""
    found, text = checks(attacked, 'framer')
    assert 'a refusal the sandbox never says' in text
    with open(os.path.join(attacked['out'], 'summary.md')) as handle:
        summary = handle.read()
    assert '- ada,' not in summary


@pytest.mark.parametrize('name', ['memory', 'disk'])
def test_the_reference_is_out_of_reach(attacked, name):
    """Neither the process's memory nor the disk holds the reference."""
    found, _ = checks(attacked, name)
    returns = found['returns encoder, decoder, auto (Keras models)']
    assert returns['passed'] is False and 'NoneType' in returns['detail']


def test_no_grader_module_is_loaded(attacked):
    """The student side holds none of the checks or the reference."""
    found, _ = checks(attacked, 'modules')
    assert 'grader modules: []' in found['imports without error']['detail']


@pytest.mark.parametrize('name', ['descriptors', 'malformed', 'oversized'])
def test_writing_to_the_channel_forges_nothing(attacked, name):
    """Lines written to every descriptor, a line that is not JSON, an
    answer past the cap: no check but the file rules passes."""
    found, _ = checks(attacked, name)
    assert passed_beyond_file_rules(found) in ([], [
        'prints nothing while imported and built']), found


def test_each_channel_lie_is_told(attacked):
    """Each lie is named in the report's words."""
    details = {name: json.dumps(checks(attacked, name)[0])
               for name in ('descriptors', 'malformed', 'oversized', 'nan',
                            'shape')}
    assert 'answered a question the grader had not asked' in \
        details['descriptors']
    assert 'not JSON' in details['malformed']
    assert 'past the grader\'s cap of 32 MB' in details['oversized']
    assert 'NaN' in details['nan']
    assert 'weights of' in details['shape']


def test_a_poisoned_answer_fails_its_own_check(attacked):
    """NaN outputs fail the outputs check; one layer short fails the step;
    the checks before them still pass."""
    nan, _ = checks(attacked, 'nan')
    assert nan['outputs on a fixed batch']['passed'] is False
    assert nan["structure: the task's (784, [128, 64], 32)"]['passed']
    shape, _ = checks(attacked, 'shape')
    assert shape['weights after one training step']['passed'] is False
    assert shape['loss that evaluate returns']['passed']


def test_a_replayed_transcript_fails_on_fresh_numbers(attacked, tmp_path):
    """Answers recorded in an earlier run fail where the seed is new, and
    pass only under the seed they were recorded with."""
    found, _ = checks(attacked, 'replay')
    assert found['returns encoder, decoder, auto (Keras models)']['passed'] \
        is False
    for name in VERIFIED:
        assert not found[name]['passed'], found[name]
    folder = tmp_path / 'replay'
    shutil.copytree(attacked['submissions'] / 'replay', folder)
    replayed = subprocess.run(
        [sys.executable, os.path.join(ROOT, 'check.py'), '--json', '--seed',
         str(RECORDED_SEED), str(folder / '0-vanilla.py')],
        capture_output=True, text=True, timeout=300)
    report = json.loads(replayed.stdout)[0]
    assert [check['name'] for check in report['checks']
            if check['passed'] is False and check['kind'] != 'file'] == []


def test_no_process_outside_its_own_is_reached(attacked):
    """prlimit, signals and ptrace reach no other process."""
    found, _ = checks(attacked, 'neighbours')
    assert 'limited 0, signalled 0, traced 0' in \
        found['imports without error']['detail']


def test_no_secret_of_the_machine_or_the_grader(attacked):
    """/etc/shadow is unreadable; the grader's environment is in no
    process the file can see."""
    for name in hostile.ATTACKS:
        assert 'root:' not in checks(attacked, name)[1]
        assert 'the-graders-own-4242' not in checks(attacked, name)[1]
    found, _ = checks(attacked, 'environ')
    assert 'secret seen: False' in found['imports without error']['detail']


def test_no_socket_opens(attacked):
    """A unix socket, an abstract one and netlink are refused; the
    listener saw nothing."""
    found, _ = checks(attacked, 'sockets')
    assert 'sockets: refused, refused, refused' in \
        found['imports without error']['detail']
    assert not attacked['connected']


def test_no_file_flag_is_set(attacked):
    """chattr's ioctl is refused."""
    found, _ = checks(attacked, 'chattr')
    assert 'chattr: refused' in found['imports without error']['detail']


@pytest.mark.parametrize('name, words', [
    ('forkbomb', 'started more than 20 processes'),
    ('hoarders', 'used more than 1 GB of memory'),
    ('files', 'wrote more than 50 MB')])
def test_each_limit_is_named_as_that_limit(attacked, name, words):
    """A bounded fork bomb, memory held by detached children, many files:
    each is stopped and named by its limit."""
    _, text = checks(attacked, name)
    assert words in text


def test_nothing_is_left_behind(attacked):
    """No process of the run works in the scratch once it ended, and no
    scratch of a run that ended stays; another grader's run may be alive
    beside this one, its processes in the scratch's same paths."""
    from checker.running import scratch
    left = [name for name in os.listdir(scratch.root())
            if not name.endswith('.lock') and not scratch.alive(name)]
    assert left == []
    assert leftovers(attacked['since']) == []
