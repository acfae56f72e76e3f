#!/usr/bin/env python3
"""./check.py --class over students who answer for the student side to
earn checks their code does not (tests/hostile_claims.py), each beside its
honest twin, the same mistake answered honestly: none earns more than its
twin, and twenty invented claims leave a few lines, without links."""
import csv
import json
import os

import pytest

import hostile_claims
from classes import run_class
from conftest import vanilla

OPTIONS = ['--memory', '2', '--processes', '40', '--disk', '50',
           '--timeout', '60']
ATTACKS = sorted(name for name, entry in hostile_claims.STUDENTS.items()
                 if entry[2])


def correct_tables(path):
    """A correct solution's tables of every vanilla configuration, by its
    arguments, as anyone can write them from the task."""
    from checker.checks.tasks import TASKS
    from checker.student import tables
    found = {repr(configuration.arguments): tables.describe(
        vanilla.autoencoder(*configuration.arguments), False)
        for configuration in TASKS[0].configurations}
    with open(path, 'w') as handle:
        json.dump(json.loads(json.dumps(found)), handle)


@pytest.fixture(scope='module')
def graded(tmp_path_factory):
    """Grades the class once: the rows of grades.csv by student, summary.md,
    and each student's report.json as text."""
    folder = tmp_path_factory.mktemp('claims')
    submissions, out = folder / 'submissions', folder / 'results'
    for name in hostile_claims.STUDENTS:
        hostile_claims.write(str(submissions), name)
    correct_tables(str(submissions / 'none_tables' / 'tables.json'))
    run = run_class(submissions, out, *OPTIONS)
    assert run.returncode == 0, run.stderr[-3000:]
    with open(os.path.join(out, 'grades.csv')) as handle:
        rows = {row['student']: row for row in csv.DictReader(handle)}
    with open(os.path.join(out, 'summary.md')) as handle:
        summary = handle.read()
    reports = {}
    for name in hostile_claims.STUDENTS:
        with open(os.path.join(out, 'students', name, 'report.json')) as \
                handle:
            reports[name] = handle.read()
    return {'rows': rows, 'summary': summary, 'reports': reports}


def checks(graded, name):
    """A student's one file's checks, by name."""
    entry = json.loads(graded['reports'][name])['reports'][0]
    return {check['name']: check for check in entry['checks']}


@pytest.mark.parametrize('name', ATTACKS)
def test_no_attack_earns_more_than_its_honest_twin(graded, name):
    """Each hostile student's points are at most its twin's."""
    twin = hostile_claims.STUDENTS[name][3]
    points = {student: int(graded['rows'][student]['points'])
              for student in (name, twin)}
    assert points[name] <= points[twin], points


def test_tables_without_models_earn_what_a_stub_earns(graded):
    """A builder that returns None earns nothing from a correct solution's
    tables: returns fails, and what reads the tables is not run."""
    found = checks(graded, 'none_tables')
    returns = found['returns encoder, decoder, auto (Keras models)']
    assert returns['passed'] is False
    assert 'the grader counts what it can hold' in returns['detail']
    for name in ('leaves its arguments unchanged', 'loss', 'optimizer',
                 'auto.layers is [InputLayer, encoder, decoder]'):
        assert found[name]['passed'] is None, found[name]
        assert 'do not compute what your file says' in found[name]['detail']


def test_an_echoed_code_passes_no_computation(graded):
    """The decoder's input is drawn from the seed, not the reference's
    encoder output: echoing it back fails the outputs, where the honest
    twin keeps the checks that its own description earns."""
    found = checks(graded, 'echo')
    for name, check in found.items():
        if check['kind'] in ('structure', 'computation'):
            assert check['passed'] is not True, (name, check)
    twin = checks(graded, 'no_relu')
    assert twin['returns encoder, decoder, auto (Keras models)']['passed']
    assert twin['loss']['passed'] and twin['optimizer']['passed']


def test_noise_on_auto_does_not_make_it_decode_z(graded):
    """The grader decodes the file's z itself: noise added to a decoded
    mean is not what the decoder makes of z."""
    for name in ('noisy', 'decodes_mean'):
        check = checks(graded, name)['sampling: auto decodes z, not the mean']
        assert check['passed'] is False, (name, check)


def test_twenty_claims_leave_a_few_lines_and_no_link(graded):
    """Three claims a file, cut short, and the rest counted, in
    grades.csv, summary.md and the report; no link anywhere."""
    note = graded['rows']['claims']['note']
    assert len(note) <= 600, note
    assert 'tried 17 more things that the sandbox refused' in note
    listed = [line for line in graded['summary'].splitlines()
              if line.startswith('- claims,')]
    assert 1 <= len(listed) <= 4, listed
    assert len(graded['reports']['claims']) < 20000
    for text in (note, graded['summary'], graded['reports']['claims']):
        for link in ('://', 'www.'):
            assert link not in text
    earned, maximum = graded['rows']['honest']['0-vanilla.py'].split('/')
    assert earned == maximum, graded['rows']['honest']
