#!/usr/bin/env python3
"""GitHub Classroom's autograding workflow for a template repository:
.github/workflows/classroom.yml, with one command-grader step per task
that counts, each checking the task's file with this checker, fetched at
a pinned commit, and passing only when the task passes; then the reporter,
which names every step. GitHub's command grader scores a step all or
nothing, so a task's points are earned there when all its checks pass."""
import os
import subprocess

from checker.grading import scores

PYTHON = '3.11'  # TensorFlow 2.15's newest Python; ubuntu-latest has newer
CHECKER = '.checker'  # where the steps fetch the checker to


def quoted(text):
    """A YAML scalar in single quotes, whatever it holds."""
    return "'" + str(text).replace("'", "''") + "'"


def origin():
    """This checkout's remote URL and HEAD commit, where git knows them."""
    found = []
    for command in (['git', 'remote', 'get-url', 'origin'],
                    ['git', 'rev-parse', 'HEAD']):
        try:
            found.append(subprocess.run(
                command, cwd=os.path.dirname(os.path.dirname(
                    os.path.dirname(os.path.abspath(__file__)))),
                capture_output=True, text=True, check=True).stdout.strip())
        except (OSError, subprocess.CalledProcessError):
            found.append('')
    return found


def workflow(url, ref, points, tasks, timeout=15):
    """The workflow's text."""
    setup = ('git clone --quiet {url} {to} && git -C {to} checkout --quiet '
             '{ref} && python -m pip install --quiet -r '
             '{to}/requirements-tf2.15.txt'.format(url=url, ref=ref,
                                                   to=CHECKER))
    lines = ['name: Autograding Tests', "'on':", '- push',
             '- repository_dispatch', 'permissions:', '  checks: write',
             '  actions: read', '  contents: read', 'jobs:',
             '  run-autograding-tests:', '    runs-on: ubuntu-latest',
             "    if: github.actor != 'github-classroom[bot]'",
             '    steps:', '    - name: Checkout code',
             '      uses: actions/checkout@v4', '    - name: Set up Python',
             '      uses: actions/setup-python@v5', '      with:',
             '        python-version: ' + quoted(PYTHON)]
    ids = []
    for task in scores.counted(tasks):
        ids.append('task{}'.format(task.number))
        lines += ['    - name: ' + quoted(task.filename),
                  '      id: ' + ids[-1],
                  '      uses: classroom-resources/autograding-command-'
                  'grader@v1', '      with:',
                  '        test-name: ' + quoted(task.filename),
                  '        setup-command: ' + quoted(setup if len(ids) == 1
                                                     else 'true'),
                  '        command: ' + quoted(command(task)),
                  '        timeout: {}'.format(timeout),
                  '        max-score: {}'.format(
                      scores.task_maximum(task, points))]
    lines += ['    - name: Autograding Reporter',
              '      uses: classroom-resources/autograding-grading-'
              'reporter@v1', '      env:']
    lines += ['        {}_RESULTS: "${{{{steps.{}.outputs.result}}}}"'.format(
        runner.upper(), runner) for runner in ids]
    lines += ['      with:', '        runners: ' + ','.join(ids)]
    return '\n'.join(lines) + '\n'


def command(task):
    """The command of one task's step: the checker on the task's file of
    the student's repository; exit status 0 when every check passes."""
    return 'python {}/check.py {}'.format(CHECKER, task.filename)


def write(folder, url, ref, points, tasks):
    """Writes folder/.github/workflows/classroom.yml; returns its path."""
    path = os.path.join(folder, '.github', 'workflows', 'classroom.yml')
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w') as handle:
        handle.write(workflow(url, ref, points, tasks))
    return path
