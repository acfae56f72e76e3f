#!/usr/bin/env python3
"""Grading where the course already is: Gradescope's autograder zip,
unpacked into an /autograder tree of its own and run on submissions nested
a few folders down; GitHub Classroom's workflow, read as YAML and its steps
run on a template-like repository; a roster join on a Canvas-style and a
Moodle-style export; and the same maximum for every student."""
import csv
import json
import os
import shutil
import subprocess
import sys
import zipfile

import pytest
import yaml

from classes import BUILDERS, STUDENT, run_class
from conftest import ROOT

FAULT = ("activation='sigmoid'", "activation='relu'")
MAXIMUM = 96  # the checks of the four tasks
# Each action's inputs, as its README declares them.
INPUTS = {'classroom-resources/autograding-command-grader@v1': {
    'test-name', 'setup-command', 'command', 'timeout', 'max-score'},
    'classroom-resources/autograding-grading-reporter@v1': {'runners'}}
CANVAS = [['Student', 'ID', 'SIS User ID', 'SIS Login ID', 'Section',
           'Homework 1 (123)'],
          ['    Points Possible', '', '', '', '', '10'],
          ['Lovelace, Ada', '1', 'A1', 'ADA@uni.edu', 'S1', '9'],
          ['Babbage, Charles', '2', 'A2', 'charles@uni.edu', 'S1', '8'],
          ['Hopper, Grace', '3', 'A3', 'grace@uni.edu', 'S2', '7']]
MOODLE = [['First name', 'Last name', 'ID number', 'Email address',
           'Username'],
          ['Ada', 'Lovelace', '1', 'ada@uni.edu', 'ADA'],
          ['Grace', 'Hopper', '3', 'grace@uni.edu', 'grace']]


def student_files(folder, names, fault=False):
    """Writes the student-style solution's task files of names into
    folder, with relu last where fault."""
    os.makedirs(folder, exist_ok=True)
    for name in names:
        with open(os.path.join(STUDENT, name)) as handle:
            text = handle.read()
        with open(os.path.join(folder, name), 'w') as handle:
            handle.write(text.replace(*FAULT) if fault else text)
        os.chmod(os.path.join(folder, name), 0o755)


@pytest.fixture(scope='module')
def graded(tmp_path_factory):
    """A class of four: ada honest, bob with a fault, cyd with one file,
    dan with none; graded once with a Canvas roster that knows ada (by her
    email, in capitals), bob is not in it, and Grace handed nothing in."""
    folder = tmp_path_factory.mktemp('platforms')
    submissions = folder / 'submissions'
    student_files(submissions / 'ada' / 'hw' / 'src', BUILDERS)
    student_files(submissions / 'bob' / 'src', BUILDERS, fault=True)
    student_files(submissions / 'cyd', BUILDERS[:1])
    os.makedirs(submissions / 'dan' / 'notes')
    canvas = folder / 'canvas.csv'
    with open(canvas, 'w', newline='', encoding='utf-8-sig') as handle:
        csv.writer(handle).writerows(CANVAS)
    out = folder / 'results'
    run = run_class(submissions, out, '--roster', str(canvas),
                    '--roster-key', 'SIS Login ID')
    assert run.returncode == 0, run.stderr[-3000:]
    return {'folder': folder, 'submissions': submissions, 'out': out,
            'stdout': run.stdout}


def grades(out):
    """grades.csv's rows, by student."""
    with open(os.path.join(out, 'grades.csv'), newline='') as handle:
        return {row['student']: row for row in csv.DictReader(handle)}


def results(out, student):
    """A student's results.json."""
    with open(os.path.join(out, 'students', student, 'results.json')) as \
            handle:
        return json.load(handle)


def assert_gradescope_format(found):
    """results.json has Gradescope's fields, its tests theirs."""
    assert {'score', 'execution_time', 'output', 'visibility',
            'stdout_visibility', 'tests'} <= set(found)
    for test in found['tests']:
        assert set(test) == {'name', 'score', 'max_score', 'status',
                             'output', 'visibility'}
        assert test['status'] in ('passed', 'failed')
        assert 0 <= test['score'] <= test['max_score']
    assert found['score'] == sum(test['score'] for test in found['tests'])


def test_every_student_is_graded_out_of_the_same_maximum(graded):
    """One file or four: the same maximum in grades.csv and results.json;
    a task not handed in is a failed test worth its points."""
    rows = grades(graded['out'])
    for name in ('ada', 'bob', 'cyd', 'dan'):
        assert rows[name]['maximum'] == str(MAXIMUM), rows[name]
        found = results(graded['out'], name)
        assert_gradescope_format(found)
        assert sum(test['max_score'] for test in found['tests']) == MAXIMUM
    assert rows['ada']['points'] == str(MAXIMUM)
    assert rows['cyd']['points'] == '23'
    assert '1-sparse.py was not handed in' in rows['cyd']['note']
    handed = [test for test in results(graded['out'], 'cyd')['tests']
              if test['name'] == '1-sparse.py: handed in']
    assert handed[0]['max_score'] == 23 and handed[0]['score'] == 0


def test_failed_checks_are_named_by_id(graded):
    """grades.csv lists each file's failed checks by id, and results.json
    names each test by its check's id: bob's relu fails the structure of
    every task, and ada fails nothing."""
    rows = grades(graded['out'])
    assert rows['ada']['failed checks'] == ''
    failed = dict(part.split(': ') for part in
                  rows['bob']['failed checks'].split('; '))
    assert sorted(failed) == BUILDERS
    assert all('S01' in ids.split() for ids in failed.values()), failed
    names = [test['name'] for test in results(graded['out'], 'bob')['tests']
             if test['status'] == 'failed']
    assert any(name.endswith("0-vanilla.py: [S01] structure: the task's "
                             "(784, [128, 64], 32)") for name in names)


def test_the_roster_join(graded):
    """Canvas's identifying columns first; ada matched by her email in
    another case; Grace, who handed nothing in, has a row with no points;
    bob, cyd and dan, whom the roster lacks, keep rows and are listed."""
    with open(graded['out'] / 'grades.csv', newline='') as handle:
        table = list(csv.reader(handle))
    assert table[0][:6] == ['Student', 'ID', 'SIS User ID', 'SIS Login ID',
                            'Section', 'student']
    rows = grades(graded['out'])
    assert rows['ada']['Student'] == 'Lovelace, Ada'
    assert rows['grace@uni.edu']['status'] == 'nothing handed in'
    assert rows['grace@uni.edu']['points'] == '0'
    assert rows['grace@uni.edu']['maximum'] == str(MAXIMUM)
    with open(graded['out'] / 'summary.md') as handle:
        summary = handle.read()
    assert 'match no one in the roster' in summary
    assert '- bob, cyd, dan' in summary
    assert 'Results in' in graded['stdout'].splitlines()[-1]


def test_a_moodle_roster(graded):
    """A second run with Moodle's export only rebuilds the tables: matched
    by username, Charles missing, Grace with nothing handed in."""
    moodle = graded['folder'] / 'moodle.csv'
    with open(moodle, 'w', newline='') as handle:
        csv.writer(handle).writerows(MOODLE)
    run = run_class(graded['submissions'], graded['out'], '--roster',
                    str(moodle), '--roster-key', 'Username')
    assert run.returncode == 0, run.stderr[-3000:]
    rows = grades(graded['out'])
    assert rows['ada']['First name'] == 'Ada'
    assert rows['grace']['status'] == 'nothing handed in'
    assert list(rows)[:2] == ['ada', 'grace']


@pytest.fixture(scope='module')
def autograder(tmp_path_factory):
    """The zip, built and unpacked into an /autograder tree of its own."""
    folder = tmp_path_factory.mktemp('gradescope')
    archive = folder / 'autograder.zip'
    subprocess.run([sys.executable, os.path.join(ROOT, 'check.py'),
                    '--gradescope-zip', str(archive)], check=True,
                   capture_output=True)
    return folder, archive


def run_zip(autograder, name, files, python=sys.executable, broken=False):
    """Unpacks the zip under a fresh root, hands it a submission, runs
    run_autograder; returns its results.json."""
    folder, archive = autograder
    root = folder / name
    with zipfile.ZipFile(archive) as unzipped:
        unzipped.extractall(root / 'source')
    if broken:
        (root / 'source' / 'gradescope.json').write_text('{broken')
    files(root / 'submission')
    subprocess.run(['bash', str(root / 'source' / 'run_autograder')],
                   env=dict(os.environ, AUTOGRADER_ROOT=str(root),
                            AUTOGRADER_PYTHON=python),
                   capture_output=True, timeout=600)
    with open(root / 'results' / 'results.json') as handle:
        return json.load(handle)


def test_the_zip_holds_what_gradescope_needs(autograder):
    """setup.sh and run_autograder at its root, executable; setup.sh is
    sound bash and installs the project's own requirements; no tests."""
    _, archive = autograder
    with zipfile.ZipFile(archive) as unzipped:
        names = unzipped.namelist()
        setup = unzipped.read('setup.sh').decode()
        modes = {entry.filename: entry.external_attr >> 16
                 for entry in unzipped.infolist()}
        requirements = unzipped.read('requirements-tf2.15.txt')
    assert {'setup.sh', 'run_autograder', 'check.py', 'gradescope.json',
            '0-vanilla.py'} <= set(names)
    assert modes['setup.sh'] & 0o111 and modes['run_autograder'] & 0o111
    assert not any(name.startswith(('tests/', 'benchmarks/', '0x04'))
                   for name in names)
    assert subprocess.run(['bash', '-n'], input=setup.encode()).returncode \
        == 0
    assert '-r /autograder/source/requirements-tf2.15.txt' in setup
    with open(os.path.join(ROOT, 'requirements-tf2.15.txt'), 'rb') as handle:
        assert handle.read() == requirements


def test_the_zip_grades_as_the_class_does(autograder, graded):
    """Honest and faulty submissions nested in folders, and one with no
    task files: the zip's score is what --class gives the same student."""
    for name, maker in (
            ('ada', lambda at: student_files(at / 'a' / 'b', BUILDERS)),
            ('bob', lambda at: student_files(at / 'x', BUILDERS, True)),
            ('dan', lambda at: os.makedirs(at / 'empty'))):
        found = run_zip(autograder, name, maker)
        assert_gradescope_format(found)
        assert found['score'] == results(graded['out'], name)['score']
        assert sum(test['max_score'] for test in found['tests']) == MAXIMUM


@pytest.mark.parametrize('python, broken', [(sys.executable, True),
                                            ('/nonexistent/python', False)])
def test_the_zip_writes_results_when_the_checker_fails(autograder, python,
                                                       broken):
    """A checker that fails in Python, or cannot start: results.json still,
    saying that it is the grader's failure."""
    found = run_zip(autograder, 'failing' + str(broken),
                    lambda at: student_files(at, BUILDERS[:1]), python,
                    broken)
    assert found['score'] == 0 and found['tests'] == []
    assert 'grader\'s failure, not yours' in found['output']


@pytest.fixture(scope='module')
def workflow(tmp_path_factory):
    """The workflow for a template repository, read as YAML."""
    folder = tmp_path_factory.mktemp('template')
    subprocess.run([sys.executable, os.path.join(ROOT, 'check.py'),
                    '--github-classroom', str(folder), '--checker-url',
                    'https://example.org/autoencoders.git', '--checker-ref',
                    'abc123'], check=True, capture_output=True)
    with open(folder / '.github' / 'workflows' / 'classroom.yml') as handle:
        return yaml.safe_load(handle)


def test_the_workflow_is_what_github_classroom_reads(workflow):
    """Its name and job as GitHub Classroom wants them; every step gives
    the inputs its action declares; a step per task with its points; the
    reporter names every step and reads each one's result."""
    assert workflow['name'] == 'Autograding Tests'
    steps = workflow['jobs']['run-autograding-tests']['steps']
    graders = [step for step in steps if step.get('uses', '').startswith(
        'classroom-resources/autograding-command')]
    reporter = steps[-1]
    for step in graders + [reporter]:
        assert set(step['with']) <= INPUTS[step['uses']], step
    assert [step['with']['test-name'] for step in graders] == BUILDERS
    assert [step['with']['max-score'] for step in graders] == [23, 23, 24,
                                                               26]
    assert 'abc123' in graders[0]['with']['setup-command']
    ids = [step['id'] for step in graders]
    assert reporter['with']['runners'] == ','.join(ids)
    assert set(reporter['env']) == {'{}_RESULTS'.format(runner.upper())
                                    for runner in ids}


def test_each_step_passes_an_honest_task_alone(workflow, tmp_path):
    """Run in a student repository laid out as the template is, each
    step's command exits 0 for an honest task, and not for a faulty one."""
    steps = [step for step in workflow['jobs']['run-autograding-tests'][
        'steps'] if 'command' in step.get('with', {})]
    repository = tmp_path / 'student'
    student_files(repository, BUILDERS)
    student_files(tmp_path / 'faulty', BUILDERS, fault=True)
    shutil.copy(tmp_path / 'faulty' / '2-convolutional.py', repository)
    os.symlink(ROOT, repository / '.checker')
    environment = dict(os.environ, PATH=os.path.dirname(sys.executable)
                       + os.pathsep + os.environ['PATH'])
    for step in steps[:3]:
        done = subprocess.run(step['with']['command'], shell=True,
                              cwd=repository, env=environment,
                              capture_output=True, timeout=600)
        failed = step['with']['test-name'] == '2-convolutional.py'
        assert (done.returncode != 0) == failed, done.stderr[-2000:]
