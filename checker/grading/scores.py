#!/usr/bin/env python3
"""Points, decided in one place for grades.csv, results.json, the
Gradescope autograder and the GitHub Classroom steps: a point per check
(--points check) or a point per task that passes every check (--points
task), over the tasks that count (--tasks). Every student is graded out of
the same maximum: a task file not handed in, or refused, counts as a task
failed, with its reason."""
from checker.checks import table
from checker.checks.tasks import TASKS

ADDED = ('finishes', 'limits')  # checks only added when a file misbehaves


def task_maximum(task, mode):
    """The points a task is worth."""
    if mode == 'task':
        return 1
    return sum(len(task.configurations) - 1 if check.key == 'beyond' else 1
               for check in table.for_task(task) if check.key not in ADDED)


def task_points(entry, mode):
    """The points one file's report earns; 0 where there is none."""
    if not entry or not entry['checks']:
        return 0
    if mode == 'task':
        return int(entry['passed'])
    return min(sum(check['passed'] is True for check in entry['checks']),
               task_maximum(TASKS[entry['task']], mode))


def counted(tasks):
    """The tasks that count, from their numbers."""
    return [task for task in TASKS if task.number in tasks]


def by_task(record):
    """(task, report entry or None, why it has none) for every task that
    counts, in order."""
    entries = {entry['task']: entry for entry in record['reports']}
    problems = record.get('problems', {})
    found = []
    for task in counted(record.get('tasks', [0, 1, 2, 3])):
        entry = entries.get(task.number)
        why = '' if entry else problems.get(str(task.number)) or \
            '{} was not handed in'.format(task.filename)
        found.append((task, entry, why))
    return found


def score(record):
    """A student's (points, maximum) under the record's mode."""
    mode = record.get('points', 'check')
    rows = by_task(record)
    return (sum(task_points(entry, mode) for _, entry, _ in rows),
            sum(task_maximum(task, mode) for task, _, _ in rows))


def gradescope(record):
    """A student's results.json: in --points check one test per check,
    worth 1; in --points task one test per task; each task not checked a
    test worth its points, failed, with its reason."""
    mode = record.get('points', 'check')
    visibility = record.get('visibility', 'visible')
    tests = []
    for task, entry, why in by_task(record):
        if entry is None:
            tests.append(_test('{}: handed in'.format(task.filename), 0,
                               task_maximum(task, mode), why, visibility))
        elif mode == 'task':
            failed = [check for check in entry['checks']
                      if check['passed'] is not True]
            tests.append(_test(
                '{}: every check'.format(entry['file']),
                task_points(entry, mode), 1, '\n'.join(
                    '{}: {}'.format(labelled(check), check['detail'])
                    for check in failed), visibility))
        else:
            tests += _check_tests(task, entry, visibility)
    points, maximum = score(record)
    lines = ['Checked against the reference builders.'
             if record['reports'] else 'No task files: none of {} was found.'
             .format(', '.join(task.filename for task in TASKS))]
    lines += [record['note']] if record.get('note') else []
    lines.append('Sandbox layers on: {}.'.format(', '.join(
        layer for layer, why in record['layers'].items() if not why)
        or 'none'))
    return {'score': points, 'execution_time': round(record['seconds']),
            'output': '\n'.join(lines), 'visibility': visibility,
            'stdout_visibility': 'hidden', 'tests': tests}


def labelled(check):
    """A check's name after its id, as a test is named."""
    return '[{}] {}'.format(check['id'], check['name'])


def added(check):
    """True for the checks the runner adds when a file misbehaves."""
    return check['id'] in [table.BY_KEY[key].id for key in ADDED]


def _check_tests(task, entry, visibility):
    """A test per check, worth 1; the checks the runner adds worth
    nothing; those a stopped file never reached as one test, failed."""
    tests = [_test('{}: {}'.format(entry['file'], labelled(check)),
                   0 if added(check) else int(check['passed'] is True),
                   0 if added(check) else 1, check['detail'], visibility)
             for check in entry['checks']]
    reached = sum(not added(check) for check in entry['checks'])
    missing = task_maximum(task, 'check') - reached
    if missing > 0:
        tests.append(_test('{}: the checks it never reached'.format(
            entry['file']), 0, missing, 'not run: the file was stopped '
            'before them', visibility))
    return tests


def _test(name, points, maximum, output, visibility):
    """One test of results.json."""
    return {'name': name, 'score': points, 'max_score': maximum,
            'status': 'passed' if points == maximum and maximum else
            'failed', 'output': output, 'visibility': visibility}
