#!/usr/bin/env python3
"""Grades a whole class: each folder in SUBMISSIONS is one student, whose
task files are those nearest the top of their folder. Each file runs in
the sandbox, in a fresh copy of its student's folder; each student's
results are written the moment they are done, and a run again skips the
students whose results are complete and whose files have not changed."""
import collections
import functools
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time

from checker.checks.tasks import BY_FILENAME
from checker.grading import grades, layers, scratch
from checker.grading.server import ROOT, Server
from mains import stack

Submission = collections.namedtuple('Submission', 'name folder files note')
IGNORED = ('__pycache__', 'node_modules')


def submissions(root):
    """Every student of the class, in sorted order."""
    return [_submission(name, os.path.join(root, name))
            for name in sorted(os.listdir(root))
            if os.path.isdir(os.path.join(root, name))
            and not os.path.islink(os.path.join(root, name))
            and not name.startswith('.')]


def _submission(name, folder):
    """One student: the folder nearest the top that holds task files."""
    found = {}
    for where, folders, names in os.walk(folder):
        folders[:] = sorted(entry for entry in folders
                            if not entry.startswith('.')
                            and entry not in IGNORED)
        files = [entry for entry in sorted(names) if entry in BY_FILENAME
                 and not os.path.islink(os.path.join(where, entry))]
        if files:
            depth = os.path.relpath(where, folder).count(os.sep)
            found.setdefault(depth, []).append((where, files))
    if not found:
        return Submission(name, folder, [], '')
    candidates = found[min(found)]
    where, files = candidates[0]
    note = ''
    if len(candidates) > 1:
        note = 'task files in {} folders at the same depth: {}; checked {}' \
            .format(len(candidates), ', '.join(
                os.path.relpath(entry[0], folder) for entry in candidates),
                    os.path.relpath(where, folder))
    return Submission(name, folder, [(BY_FILENAME[entry],
                                      os.path.join(where, entry))
                                     for entry in files], note)


def fingerprint(submission, options):
    """What the results depend on: the task files and the grading options."""
    digest = hashlib.sha256(json.dumps(options, sort_keys=True).encode())
    for _, path in submission.files:
        digest.update(os.path.relpath(path, submission.folder).encode())
        with open(path, 'rb') as handle:
            digest.update(handle.read())
    return digest.hexdigest()


def write_atomically(path, text):
    """Writes a whole file or nothing: a temporary file beside it, synced,
    then renamed over it."""
    handle, temporary = tempfile.mkstemp(dir=os.path.dirname(path),
                                         prefix='.writing-')
    with os.fdopen(handle, 'w') as stream:
        stream.write(text)
        stream.flush()
        os.fsync(stream.fileno())
    os.replace(temporary, path)


def complete(results, submission, stamp):
    """True when this student's results were written for these files."""
    folder = os.path.join(results, submission.name)
    try:
        with open(os.path.join(folder, 'report.json')) as handle:
            done = json.load(handle).get('fingerprint') == stamp
        return done and os.path.isfile(os.path.join(folder, 'results.json'))
    except (OSError, ValueError):
        return False


class Grading:
    """One run over the class: the files still to check, the students
    still waiting for some of theirs, and what is written for each."""

    def __init__(self, checking, sandbox, results, options):
        """checking: the run's; sandbox: its layers; results: the folder;
        options: what the results depend on besides the files."""
        self.checking, self.sandbox = checking, sandbox
        self.results, self.options = results, options
        self.reports, self.started = {}, {}

    def place(self, submission, path):
        """Returns place(number) for one file: a fresh copy of the student's
        folder and the sandbox around it."""
        def place(number):
            """The file's path in its copy, its spec and its cgroups."""
            home = os.path.join(self.sandbox.run.folder(), 'home')
            shutil.copytree(submission.folder, home, symlinks=True)
            inside = os.path.join(home, os.path.relpath(path,
                                                        submission.folder))
            return inside, self.sandbox.spec(number, home, os.path.dirname(
                inside)), self.sandbox.groups
        return place

    def check(self, submission, task, path):
        """One file's report, its path said from the student's folder."""
        self.started.setdefault(submission.name, time.monotonic())
        with open(path, 'rb') as handle:
            text = handle.read().decode('utf-8', errors='replace')
        entry, hit = self.checking.check(task, path, text,
                                         self.place(submission, path))
        entry['limits'] = hit
        entry['file'] = os.path.join(submission.name, os.path.relpath(
            path, submission.folder))
        return entry

    def write(self, submission, stamp):
        """Writes one student's report.json, then results.json."""
        folder = os.path.join(self.results, submission.name)
        os.makedirs(folder, exist_ok=True)
        reports = sorted(self.reports.pop(submission.name, []),
                         key=lambda entry: entry['task'])
        seconds = time.monotonic() - self.started.pop(submission.name,
                                                      time.monotonic())
        record = {'student': submission.name, 'fingerprint': stamp,
                  'note': submission.note, 'seconds': round(seconds, 1),
                  'seed': self.checking.seed, 'layers': self.sandbox.found,
                  'reports': reports}
        write_atomically(os.path.join(folder, 'report.json'),
                         json.dumps(record, indent=2))
        write_atomically(os.path.join(folder, 'results.json'),
                         json.dumps(grades.gradescope(record), indent=2))

    def run(self, students, jobs):
        """Checks every file of the students, jobs at a time, writing each
        student as soon as their last file is done."""
        stamps = {student.name: fingerprint(student, self.options)
                  for student in students}
        waiting = [student for student in students
                   if not complete(self.results, student,
                                   stamps[student.name])]
        for student in waiting:
            if not student.files:
                self.write(student, stamps[student.name])
        busy = [student for student in waiting if student.files]
        if not busy:
            return
        progress = grades.Progress(len(waiting), len(waiting) - len(busy))
        left = {student.name: len(student.files) for student in busy}
        students = {student.name: student for student in busy}
        work = {(student.name, path): functools.partial(
            self.check, student, task, path)
            for student in busy for task, path in student.files}
        try:
            for (name, path), entry in self.checking.run_all(jobs, work):
                student = students[name]
                self.reports.setdefault(student.name, []).append(entry)
                left[student.name] -= 1
                if not left[student.name]:
                    self.write(student, stamps[student.name])
                    progress.done()
        finally:
            progress.end()


def grade(submissions_folder, out, limits, jobs, shard, seed):
    """The class mode of ./check.py: checks, then grades.csv and summary.md
    from every student's results; returns the exit status."""
    server = Server()
    run = scratch.Scratch()
    checking = sandbox = None
    students = submissions(submissions_folder)
    os.makedirs(out, exist_ok=True)
    try:
        with stack.known_start_lines_held_back():
            from checker.grading.checking import Checking
        checking = Checking(server, limits, seed)
        sandbox = layers.Sandbox(server, run, [
            ROOT, os.path.abspath(submissions_folder), os.path.abspath(out)],
            limits)
        for layer, why in sandbox.found.items():
            if why:
                print('check.py: WARNING: the sandbox\'s {} layer is off on '
                      'this machine ({}); the other layers still hold.'
                      .format(layer, why), file=sys.stderr)
        options = dict(limits._asdict(), python=sys.executable,
                       legacy=os.environ.get('TF_USE_LEGACY_KERAS', ''))
        part, shards = shard
        Grading(checking, sandbox, os.path.abspath(out), options).run(
            students[part - 1::shards], jobs)
    except KeyboardInterrupt:
        print('\ncheck.py: interrupted; the students done are kept',
              file=sys.stderr)
        return 130
    finally:
        if sandbox:
            sandbox.close()
        if checking:
            checking.close()
        else:
            server.close()
        run.close()
        grades.write_tables(out, students, sandbox.found if sandbox else {},
                            write_atomically)
    return 0
