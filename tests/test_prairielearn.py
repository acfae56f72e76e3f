#!/usr/bin/env python3
"""PrairieLearn's external grading, written by ./check.py --prairielearn:
the question's info.json and question.html as PrairieLearn's docs
(docs/externalGrading.md, pl-file-upload) describe them, the Dockerfile's
content (no Docker engine runs here), and the entrypoint run directly on
a /grade of its own (PL_GRADE_ROOT), as the container would run it."""
import json
import os
import re
import shutil
import subprocess
import sys

import pytest

from classes import BUILDERS, STUDENT
from conftest import ROOT
from checker.platforms import prairielearn

MAXIMUM = 96  # the checks of the four tasks
# externalGradingOptions' documented keys.
OPTIONS = {'image', 'entrypoint', 'serverFilesCourse', 'timeout',
           'enableNetworking', 'environment'}
TEST_FIELDS = {'name', 'points', 'max_points', 'message', 'output'}


@pytest.fixture(scope='module')
def written(tmp_path_factory):
    """The question, the grader and the Dockerfile, in a folder."""
    folder = tmp_path_factory.mktemp('prairielearn') / 'course'
    done = subprocess.run([sys.executable, os.path.join(ROOT, 'check.py'),
                           '--prairielearn', str(folder), '--image',
                           'teacher/autoencoders-grader:1'],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return folder


def test_the_question_is_what_prairielearn_reads(written):
    """info.json: graded externally, in the image named, by an entrypoint
    under serverFilesCourse that exists, within PrairieLearn's 600 s, no
    network; question.html asks for the four files and shows the tests."""
    question = written / 'questions' / 'autoencoders'
    with open(question / 'info.json') as handle:
        info = json.load(handle)
    assert re.fullmatch(r'[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}',
                        info['uuid'])
    assert info['gradingMethod'] == 'External' and info['type'] == 'v3'
    options = info['externalGradingOptions']
    assert set(options) <= OPTIONS
    assert options['image'] == 'teacher/autoencoders-grader:1'
    assert options['enableNetworking'] is False
    assert 0 < options['timeout'] <= 600
    entrypoint = options['entrypoint']
    assert entrypoint.startswith('/grade/serverFilesCourse/')
    local = written / entrypoint[len('/grade/'):]
    assert os.access(local, os.X_OK)
    assert subprocess.run(['bash', '-n', str(local)]).returncode == 0
    for shared in options['serverFilesCourse']:
        assert os.path.isdir(written / 'serverFilesCourse' / shared)
    page = (question / 'question.html').read_text()
    upload = re.search(r'<pl-file-upload [^>]*file-names="([^"]*)"', page)
    assert [name.strip() for name in upload.group(1).split(',')] == BUILDERS
    assert '<pl-external-grader-results>' in page


def test_the_dockerfile_holds_the_stack_and_the_checker(written):
    """Python 3.11, the graders' requirements installed, the checker copied
    where the entrypoint looks; every file it copies is there."""
    lines = [line.split() for line in (written / 'Dockerfile').read_text()
             .splitlines() if line and not line.startswith('#')]
    assert lines[0][:2] == ['FROM', 'python:3.11-slim-bookworm']
    runs = [' '.join(line[1:]) for line in lines if line[0] == 'RUN']
    assert any('pip install' in run and 'requirements-tf2.15.txt' in run
               for run in runs)
    for line in lines:
        if line[0] == 'COPY':
            assert os.path.exists(written / line[1]), line
    assert ['ENV', 'PL_CHECKER=' + prairielearn.CHECKER] in lines
    assert 'checker="${PL_CHECKER:-' + prairielearn.CHECKER + '}"' in (
        written / 'serverFilesCourse' / 'autoencoders' / 'grade.sh'
    ).read_text()
    with open(written / 'grader' / 'requirements-tf2.15.txt') as handle, \
            open(os.path.join(ROOT, 'requirements-tf2.15.txt')) as ours:
        assert handle.read() == ours.read()
    for name in ['check.py', 'checker/platforms/prairielearn.py'] + BUILDERS:
        assert os.path.isfile(written / 'grader' / name), name


def run_entrypoint(written, tmp_path, files, python=sys.executable):
    """A /grade of its own: serverFilesCourse copied in, the submission in
    student/; runs the entrypoint; returns results.json."""
    root = tmp_path / 'grade'
    shutil.copytree(written / 'serverFilesCourse', root / 'serverFilesCourse')
    os.makedirs(root / 'student')
    files(root / 'student')
    subprocess.run(['bash', str(root / 'serverFilesCourse' / 'autoencoders'
                                / 'grade.sh')],
                   env=dict(os.environ, PL_GRADE_ROOT=str(root),
                            PL_CHECKER=str(written / 'grader'),
                            PL_PYTHON=python),
                   capture_output=True, timeout=600)
    with open(root / 'results' / 'results.json') as handle:
        return json.load(handle)


def copy_student(folder, fault=False):
    """The student-style solution's files, relu last where fault."""
    for name in BUILDERS:
        with open(os.path.join(STUDENT, name)) as handle:
            text = handle.read()
        if fault:
            text = text.replace("activation='sigmoid'", "activation='relu'")
        (folder / name).write_text(text)
        os.chmod(folder / name, 0o755)


def test_an_honest_and_a_faulty_submission(written, tmp_path):
    """Honest: score 1, every test full; faulty: below 1, the structure
    tests' message the cause in words; both out of the same maximum."""
    for fault in (False, True):
        found = run_entrypoint(written, tmp_path / str(fault),
                               lambda at: copy_student(at, fault))
        assert found['gradable'] is True
        for test in found['tests']:
            assert set(test) == TEST_FIELDS
            assert 0 <= test['points'] <= test['max_points']
        assert sum(test['max_points'] for test in found['tests']) == MAXIMUM
        points = sum(test['points'] for test in found['tests'])
        assert found['score'] == round(points / MAXIMUM, 4)
        assert 'Sandbox layers on:' in found['message']
        if not fault:
            assert found['score'] == 1.0
        else:
            assert 0 < found['score'] < 1
            assert any('activation relu; the task\'s has activation '
                       'sigmoid' in test['message']
                       for test in found['tests'])


@pytest.mark.parametrize('case', ['nothing', 'not python'])
def test_nothing_gradable(written, tmp_path, case):
    """No task file, or none that is Python: gradable false, and
    format_errors that say why, file by file."""
    def files(folder):
        """Writes the case's submission into folder."""
        if case == 'not python':
            (folder / '0-vanilla.py').write_bytes(b'\x00\xff' * 500)
            (folder / '1-sparse.py').write_text('def autoencoder(:\n')
        else:
            (folder / 'notes.txt').write_text('nothing here')
    found = run_entrypoint(written, tmp_path, files)
    assert found['gradable'] is False and 'score' not in found
    errors = found['format_errors']
    assert '3-variational.py was not handed in' in errors
    if case == 'not python':
        assert [error for error in errors if error.startswith(
            '1-sparse.py: SyntaxError')]
        assert len(errors) == 4
    else:
        assert len(errors) == 4


@pytest.mark.parametrize('python', [None, '/nonexistent/python'])
def test_a_failing_checker_still_writes_results(written, tmp_path, python):
    """Unreadable choices, or no Python at all: results.json says it is
    the grader's failure, not gradable, so the attempt costs nothing."""
    if python is None:
        broken = tmp_path / 'broken'
        shutil.copytree(written, broken)
        (broken / 'serverFilesCourse' / 'autoencoders' / 'choices.json') \
            .write_text('{broken')
        found = run_entrypoint(broken, tmp_path, copy_student)
    else:
        found = run_entrypoint(written, tmp_path, copy_student, python)
    assert found['gradable'] is False
    assert 'grader\'s failure, not yours' in ' '.join(found['format_errors'])


def test_each_layer_the_container_refuses_is_named(tmp_path):
    """In a container without user namespaces or cgroups the sandbox keeps
    the layers the kernel allows: results.json names each one off, with
    the kernel's reason, and grades as before."""
    record = {'reports': [{'file': 'submission/0-vanilla.py', 'task': 0,
                           'passed': True, 'checks': [{
                               'id': 'F02', 'name': 'file is executable',
                               'kind': 'file',
                               'passed': True, 'detail': ''}]}],
              'layers': {'namespaces': 'Operation not permitted',
                         'user': 'Operation not permitted',
                         'cgroup': 'Read-only file system', 'disk': '',
                         'landlock': '', 'seccomp': '', 'limits': ''},
              'points': 'task', 'tasks': [0], 'seconds': 1, 'note': ''}
    found = prairielearn.results(record)
    assert found['gradable'] is True and found['score'] == 1.0
    assert 'Sandbox layers on: disk, landlock, seccomp, limits.' in \
        found['message']
    for layer, why in [('namespaces', 'Operation not permitted'),
                       ('user', 'Operation not permitted'),
                       ('cgroup', 'Read-only file system')]:
        assert '{} ({})'.format(layer, why) in found['message']


def test_results_never_follow_a_link(written, tmp_path):
    """A results.json that something left as a link, to a file outside:
    the grader writes its own in its place, and the file is untouched."""
    root = tmp_path / 'grade'
    os.makedirs(root / 'results')
    os.makedirs(root / 'student')
    outside = tmp_path / 'outside.json'
    outside.write_text('{"score": 1}')
    os.symlink(outside, root / 'results' / 'results.json')
    subprocess.run([sys.executable, '-m', 'checker.platforms.prairielearn',
                    str(root)], cwd=written / 'grader', capture_output=True,
                   timeout=600)
    assert outside.read_text() == '{"score": 1}'
    assert not os.path.islink(root / 'results' / 'results.json')
    with open(root / 'results' / 'results.json') as handle:
        assert json.load(handle)['gradable'] is False
