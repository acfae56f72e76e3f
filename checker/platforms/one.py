#!/usr/bin/env python3
"""One submission, as a platform hands it over: its folder graded as a
class of one, and the record of its checks (report.json) that every
platform's result file is made from; the project's files that a
platform's grader carries; the sandbox's layers in words; a result file
written where the student may have left something in its place."""
import json
import os
import shutil
import tempfile

from checker.checks.tasks import TASKS
from mains import stack

STACKS = {'2.15': 'requirements-tf2.15.txt', 'current': 'requirements.txt'}


def project_files():
    """The project's files a platform's grader needs, relative to its
    root: the checker, the four builders; no tests, benchmarks, figures."""
    found = ['check.py', 'mains/__init__.py', 'mains/stack.py']
    found += [task.filename for task in TASKS]
    for where, folders, names in os.walk(os.path.join(stack.ROOT, 'checker')):
        folders[:] = sorted(name for name in folders
                            if name != '__pycache__')
        found += [os.path.relpath(os.path.join(where, name), stack.ROOT)
                  for name in sorted(names) if name.endswith('.py')]
    return found


def record(folder, choices, name='submission'):
    """Grades the task files in folder, wherever they lie in it, in the
    sandbox; returns the record of its checks."""
    from checker.grading import classroom, submissions
    from checker.running.runner import Limits
    student = submissions.judge(name, folder)
    out = tempfile.mkdtemp(prefix='graded-')
    classroom.grade(folder, out, Limits(**choices['limits']),
                    jobs=os.cpu_count() or 1, points=choices['points'],
                    tasks=choices['tasks'],
                    visibility=choices.get('visibility', 'visible'),
                    students=[student])
    with open(os.path.join(out, classroom.STUDENTS, submissions.safe(name),
                           'report.json')) as handle:
        return json.load(handle)


def layers_said(record):
    """The sandbox's layers in a sentence or two: those on, and each one
    off with the kernel's reason."""
    found = record.get('layers', {})
    lines = ['Sandbox layers on: {}.'.format(', '.join(
        layer for layer, why in found.items() if not why) or 'none')]
    off = ['{} ({})'.format(layer, why) for layer, why in found.items()
           if why]
    if off:
        lines.append('Off on this machine, the other layers still hold: '
                     '{}.'.format('; '.join(off)))
    return lines


def write_new(path, text):
    """Writes text to a file made anew at path: whatever the student left
    there, a link included, is removed first, and never followed."""
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path)
    elif os.path.lexists(path):
        os.remove(path)
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL
                     | getattr(os, 'O_NOFOLLOW', 0), 0o644)
    with os.fdopen(handle, 'w') as stream:
        stream.write(text)
