#!/usr/bin/env python3
"""Classroom 50's autograder, written by ./check.py --classroom50 and run
as its runner runs it: in a student's checkout, with the runner's
environment, CLASSROOM50_PYTHON naming this Python. Its result.json is
held to the schema classroom50/result/v1 (foundation50/classroom50,
schemas/result-v1.schema.json: the required fields, their types and
patterns, no others at the top, and each test's), with checkouts that are
honest, missing files, malformed and hostile."""
import json
import os
import re
import subprocess
import sys

import pytest

from classes import BUILDERS, STUDENT
from conftest import ROOT

MAXIMUM = 96  # the checks of the four tasks
STAMP = r'^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d:[0-5]\dZ$'
# The schema's top-level fields: (type, pattern or None); all required
# but graded_at and submitted_by, and no other allowed.
FIELDS = {'schema': (str, r'^classroom50/result/v1$'),
          'classroom': (str, '.'), 'assignment': (str, '.'),
          'assignment_type': (str, '^(individual|group)$'),
          'owner': (str, '.'), 'submission': (str, '^submit/'),
          'commit': (str, '.'), 'release': (str, '.'), 'review': (str, '.'),
          'datetime': (str, STAMP), 'graded_at': (str, STAMP),
          'score': (int, None), 'max-score': (int, None),
          'tests': (list, None), 'submitted_by': (dict, None)}
OPTIONAL = {'graded_at', 'submitted_by'}
TEST_FIELDS = {'test-name': str, 'passed': bool, 'score': int,
               'max-score': int}
RUNNER = {'CLASSROOM': 'ml-2026', 'ASSIGNMENT': 'autoencoders',
          'SUBMISSION_TAG': 'submit/2026-09-01T10-00-00Z-abc1234',
          'OWNER': 'ada', 'ASSIGNMENT_TYPE': 'individual',
          'COMMIT_URL': 'https://github.com/o/r/commit/abc1234',
          'RELEASE_URL': 'https://github.com/o/r/releases/tag/submit',
          'REVIEW_URL': 'https://github.com/o/r/compare/000...abc1234'}


def assert_schema(found):
    """found holds to classroom50/result/v1, and its points add up."""
    assert set(found) <= set(FIELDS), set(found) - set(FIELDS)
    assert set(FIELDS) - OPTIONAL <= set(found)
    for name, value in found.items():
        kind, pattern = FIELDS[name]
        assert type(value) is kind, name
        if pattern:
            assert re.search(pattern, value), (name, value)
    for test in found['tests']:
        for name, kind in TEST_FIELDS.items():
            assert type(test[name]) is kind, (name, test)
        assert test['test-name']
        assert 0 <= test['score'] <= test['max-score']
    assert 0 <= found['score'] <= found['max-score']
    assert found['score'] == sum(test['score'] for test in found['tests'])
    assert found['max-score'] == sum(test['max-score']
                                     for test in found['tests'])


@pytest.fixture(scope='module')
def autograder(tmp_path_factory):
    """The folder a teacher commits as CLASSROOM/autograders/ASSIGNMENT/."""
    folder = tmp_path_factory.mktemp('classroom50') / 'autoencoders'
    done = subprocess.run([sys.executable, os.path.join(ROOT, 'check.py'),
                           '--classroom50', str(folder)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert 'CLASSROOM/autograders/ASSIGNMENT/' in done.stdout
    return folder


def grade(autograder, checkout):
    """Runs autograder.py in the checkout as the runner does; returns the
    finished process and result.json, or None where there is none."""
    done = subprocess.run(
        [sys.executable, str(autograder / 'autograder.py')], cwd=checkout,
        env=dict(os.environ, CLASSROOM50_PYTHON=sys.executable, **RUNNER),
        capture_output=True, text=True, timeout=600)
    path = checkout / 'result.json'
    if not os.path.isfile(path):
        return done, None
    with open(path) as handle:
        return done, json.load(handle)


def test_the_folder_holds_what_the_runner_runs(autograder):
    """autograder.py, executable and sound Python; the runtime block with
    the graders' Python; their requirements, the checker; no tests."""
    assert os.access(autograder / 'autograder.py', os.X_OK)
    subprocess.run([sys.executable, '-m', 'py_compile',
                    str(autograder / 'autograder.py')], check=True)
    with open(autograder / 'runtime.json') as handle:
        runtime = json.load(handle)
    assert runtime == {'runs-on': 'ubuntu-latest', 'python': '3.11'}
    with open(autograder / 'requirements-tf2.15.txt') as handle, \
            open(os.path.join(ROOT, 'requirements-tf2.15.txt')) as ours:
        assert handle.read() == ours.read()
    assert 'requirements-tf2.15.txt' in (autograder / 'autograder.py') \
        .read_text()
    for name in ['check.py', 'checker/platforms/classroom50.py'] + BUILDERS:
        assert os.path.isfile(autograder / name), name
    assert not os.path.exists(autograder / 'tests')


def test_an_honest_checkout_earns_every_point(autograder, tmp_path):
    """The four files at the checkout's top: exit 0, every point, the
    runner's fields as its environment gave them."""
    checkout = tmp_path / 'repository'
    subprocess.run(['cp', '-r', STUDENT, str(checkout)], check=True)
    done, found = grade(autograder, checkout)
    assert done.returncode == 0, done.stderr[-3000:]
    assert_schema(found)
    assert found['score'] == found['max-score'] == MAXIMUM
    assert all(test['passed'] for test in found['tests'])
    assert (found['classroom'], found['assignment'], found['owner'],
            found['submission'], found['commit'], found['release'],
            found['review']) == tuple(RUNNER[name] for name in (
                'CLASSROOM', 'ASSIGNMENT', 'OWNER', 'SUBMISSION_TAG',
                'COMMIT_URL', 'RELEASE_URL', 'REVIEW_URL'))


def hostile(checkout):
    """A checkout that forges its result: a result.json that links to a
    file outside holding a perfect score, and a file that writes one into
    its folder and the checkout's while it is imported."""
    os.makedirs(checkout)
    outside = checkout.parent / 'outside.json'
    outside.write_text('{"score": 999}')
    os.symlink(outside, checkout / 'result.json')
    forger = ('#!/usr/bin/env python3\n"""Forges."""\nimport json\n'
              'for path in ("result.json", "../result.json"):\n'
              '    try:\n        open(path, "w").write(json.dumps('
              '{"score": 999}))\n    except OSError:\n        pass\n')
    (checkout / '0-vanilla.py').write_text(forger)


@pytest.mark.parametrize('case', ['missing', 'malformed', 'hostile'])
def test_a_bad_checkout_is_graded_and_exits_0(autograder, tmp_path, case):
    """No task file, files that are not Python, or a forger: exit 0, a
    result.json that holds to the schema, out of the same maximum, with a
    failed test naming what is wrong; a forged result is never read, and
    the file outside is untouched."""
    checkout = tmp_path / 'repository'
    if case == 'missing':
        os.makedirs(checkout / 'notes')
    elif case == 'malformed':
        os.makedirs(checkout)
        (checkout / '0-vanilla.py').write_bytes(b'\x00\xff' * 500)
        (checkout / '1-sparse.py').write_text('def autoencoder(:\n')
        os.mkdir(checkout / '2-convolutional.py')
    else:
        hostile(checkout)
    done, found = grade(autograder, checkout)
    assert done.returncode == 0, done.stderr[-3000:]
    assert_schema(found)
    assert found['max-score'] == MAXIMUM and found['score'] < 10
    outputs = '\n'.join(test['output'] for test in found['tests']
                        if not test['passed'])
    expected = {'missing': '0-vanilla.py was not handed in',
                'malformed': 'SyntaxError',
                'hostile': '3-variational.py was not handed in'}[case]
    assert expected in outputs
    assert not os.path.islink(checkout / 'result.json')
    if case == 'malformed':
        assert '2-convolutional.py is a folder, not a file' in outputs
    if case == 'hostile':
        assert (tmp_path / 'outside.json').read_text() == '{"score": 999}'


def test_a_grader_that_fails_exits_non_zero(autograder, tmp_path):
    """The grader's own failure (its choices unreadable): a non-zero exit,
    which the runner reports as an error, and no result.json, not even
    the one the student committed."""
    broken = tmp_path / 'broken'
    subprocess.run(['cp', '-r', str(autograder), str(broken)], check=True)
    (broken / 'classroom50.json').write_text('{broken')
    checkout = tmp_path / 'repository'
    os.makedirs(checkout)
    (checkout / 'result.json').write_text('{"score": 999}')
    done, found = grade(broken, checkout)
    assert done.returncode != 0
    assert found is None
    assert '::error::' in done.stdout


def test_help_says_github_classroom_was_retired():
    """--help says when GitHub Classroom was retired, and names the three
    platforms to grade on instead; two platforms at once is a usage
    error."""
    done = subprocess.run([sys.executable, os.path.join(ROOT, 'check.py'),
                           '--help'], capture_output=True, text=True,
                          env=dict(os.environ, COLUMNS='200'))
    said = ' '.join(done.stdout.split())
    assert 'GitHub Classroom was retired on 28 August 2026' in said
    assert 'nothing gathers its points' in said
    assert 'see --classroom50, --gradescope-zip, --prairielearn' in said
    for option in ('--classroom50 DIR', '--gradescope-zip ZIP',
                   '--prairielearn DIR'):
        assert option in said
    both = subprocess.run([sys.executable, os.path.join(ROOT, 'check.py'),
                           '--classroom50', 'a', '--prairielearn', 'b'],
                          capture_output=True, text=True)
    assert both.returncode == 2 and 'give one of' in both.stderr
