#!/usr/bin/env python3
"""Checks as functions of the stages they name (checker/checks/stages.py):
every name a check takes is a stage or given, every need the table names
exists and comes first, and a bug in a check is the checker's error, never
the student's, where an answer the protocol refuses stays theirs."""
import json
import os
import subprocess
import sys
import types

import pytest

import hostile
from checker import protocol
from checker.checks import run, stages, table
from checker.checks.tasks import TASKS
from classes import STUDENT
from conftest import ROOT

# Breaks the structure check with an error of the checker's own, then
# runs ./check.py --json on the paths given.
BROKEN = '''import runpy
import sys

from checker.checks import table


def broken(compared):
    """The structure check, with a bug of the checker's own."""
    raise KeyError('layers')


table.CHECKS = tuple(check._replace(function=broken)
                     if check.key == 'structure' else check
                     for check in table.CHECKS)
sys.argv = ['check.py', '--json'] + sys.argv[1:]
runpy.run_path('check.py', run_name='__main__')
'''


def functions():
    """Every function that judges, by the check's key: its own, and what
    it can still find where a need failed."""
    return [(check.key, check.function) for check in table.CHECKS
            if check.function] + sorted(table.ALONE.items())


@pytest.mark.parametrize('key, function', functions())
def test_every_name_a_check_takes_is_a_stage(key, function):
    """A check's parameters name stages or what it is given, and a stage
    that some check judges is judged before this one runs."""
    for name in stages.taken(function):
        assert name in stages.MAKERS or name in stages.GIVEN, (key, name)
    assert set(table.STAGE_JUDGES) <= set(stages.MAKERS)


def test_every_need_exists_and_comes_first():
    """The needs, from the stages and named after, are checks of the
    table, each before the check that needs it."""
    order = [check.key for check in table.CHECKS]
    for check in table.CHECKS:
        for need in table.NEEDS[check.key]:
            assert order.index(need) < order.index(check.key), (check, need)
    assert set(table.ALONE) <= set(order)


def test_needs_come_from_the_stages_and_keep_their_order():
    """A check that takes the build needs returns; one that takes the
    loss needs loss value, before the optimizer it names after."""
    assert table.NEEDS['defines'] == ('imports',)
    assert table.NEEDS['parameters'] == ('defines',)
    assert table.NEEDS['auto layers'] == ('returns',)
    assert table.NEEDS['step'] == ('loss value', 'optimizer')
    assert table.NEEDS['spread'] == ('outputs',)
    assert table.NEEDS['prints'] == ()


def test_the_table_loads_no_tensorflow():
    """The table, which the grading and platforms read for names and
    points, imports the checks' stages without TensorFlow, whose start-up
    lines a class run holds back until its checks start."""
    found = subprocess.run(
        [sys.executable, '-c', 'import sys, checker.checks.table; '
         'print("tensorflow" in sys.modules)'], cwd=ROOT,
        capture_output=True, text=True, timeout=120)
    assert found.stdout.split() == ['False'], found.stderr[-2000:]


def test_judged_tells_the_checkers_bug_from_the_students_answer():
    """An error in a check's own code is the checker's, not run; an answer
    the protocol refuses fails the check, as the student's."""
    given = stages.Stages(types.SimpleNamespace(task=TASKS[0]), None)
    configuration = TASKS[0].configurations[0]

    def refused(task):
        """A check that meets an answer the protocol refuses."""
        raise protocol.Invalid('a name that is not one')

    def buggy(task):
        """A check with a bug."""
        return task.no_such_field

    found, faulty = run.judged(refused, given, configuration)
    assert not faulty and found[0] is False
    assert 'could not judge this check (Invalid: a name' in found[1]
    found, faulty = run.judged(buggy, given, configuration)
    assert faulty and found[0] is None
    assert found[1].startswith('The checker failed on this check '
                               '(AttributeError: ')
    assert 'not your mistake' in found[1]


def test_a_bug_in_a_check_is_the_checkers_and_a_hostile_answer_theirs(
        tmp_path):
    """With the structure check broken, an honest file's report says the
    checker failed there, marks it, fails no check of the student's and
    does not pass the task; a file whose answer the protocol refuses
    still fails, as before."""
    with open(os.path.join(STUDENT, '0-vanilla.py')) as handle:
        honest = handle.read()
    paths = []
    for name, text in (('honest', honest), ('hostile', honest
                       + '\nimport sys\n' + hostile.ODD_AFTER)):
        os.makedirs(str(tmp_path / name))
        paths.append(str(tmp_path / name / '0-vanilla.py'))
        with open(paths[-1], 'w') as handle:
            handle.write(text)
        os.chmod(paths[-1], 0o755)
    found = subprocess.run([sys.executable, '-c', BROKEN] + paths, cwd=ROOT,
                           capture_output=True, text=True, timeout=600)
    assert found.returncode == 1, found.stderr[-2000:]
    reports = {report['file']: report for report in json.loads(found.stdout)}
    checks = {check['name']: check for check in reports[paths[0]]['checks']}
    broken = checks['structure: ' + TASKS[0].configurations[0].label]
    assert broken['passed'] is None and broken['checker_error'] is True
    assert broken['detail'] == (
        'The checker failed on this check (KeyError: \'layers\'); this is '
        'not your mistake: please report it to your instructor with this '
        'line.')
    beyond = 'structure: {} (beyond the exercise)'.format(
        TASKS[0].configurations[1].label)
    assert checks[beyond] == {
        'id': 'S03.1', 'name': beyond, 'kind': 'structure', 'passed': None,
        'detail': 'not run: the checker failed on a check this one needs',
        'beyond_exercise': True}
    assert checks['returns encoder, decoder, auto (Keras models)']['passed']
    assert not any(check['passed'] is False for check in checks.values())
    assert reports[paths[0]]['passed'] is False
    returns = {check['name']: check for check in reports[paths[1]][
        'checks']}['returns encoder, decoder, auto (Keras models)']
    assert returns['passed'] is False and 'checker_error' not in returns
    assert 'which the grader cannot use' in returns['detail']
