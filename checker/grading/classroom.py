#!/usr/bin/env python3
"""Grades a whole class: each folder in SUBMISSIONS is one student
(checker/grading/submissions.py judges it before it is touched). Each task
file runs in the sandbox, from a copy of what its student's folder may
give it; each student's results are written the moment they are done, in
RESULTS/students/<their name, made safe>/, and a run again skips the
students whose results are complete and whose files have not changed.
grades.csv and summary.md are rebuilt from there at the end."""
import functools
import json
import os
import shutil
import sys
import tempfile
import threading
import time

from checker.checks import rules
from checker.grading import (
    beneath, fingerprints, grades, pages, scores, submissions)
from checker.running import sandbox_layers, scratch
from checker.running.server import Server
from mains import stack

STUDENTS = 'students'  # RESULTS' folder of the students' results


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


def folder_of(results, student):
    """The folder of one student's results."""
    return os.path.join(results, STUDENTS, submissions.safe(student.name))


def complete(results, student, stamp):
    """True when this student's results were written for these files."""
    folder = folder_of(results, student)
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
        self.reports, self.started, self.copies = {}, {}, {}
        self.refused = {}  # task files the copy found changed, by student
        self.copying = threading.Lock()

    def prepared(self, student):
        """The copy of what a student's files may have, made once."""
        with self.copying:
            return self._prepared(student)

    def _prepared(self, student):
        """prepared's work, under its lock."""
        if student.name not in self.copies:
            home = os.path.join(self.sandbox.run.folder(), 'home')
            left = submissions.copy(student, home, self.checking.limits.disk)
            self.copies[student.name] = (home, left)
        return self.copies[student.name]

    def place(self, student, path):
        """Returns place(number) for one file: its copy of the student's
        folder, or where its process makes one, and the sandbox around."""
        def place(number):
            """The file's path in its copy, its spec and its cgroups."""
            prepared, _ = self.prepared(student)
            if self.sandbox.copies_inside:
                home = self.sandbox.inside
            else:
                home = os.path.join(self.sandbox.run.folder(), 'home')
                shutil.copytree(prepared, home, symlinks=True)
            inside = os.path.join(home, os.fsdecode(os.path.relpath(
                path, student.folder)))
            return inside, self.sandbox.spec(
                number, home, os.path.dirname(inside),
                prepared if self.sandbox.copies_inside else None), \
                self.sandbox.groups
        return place

    def check(self, student, task, path):
        """One file's report, its path said from the student's folder; None
        where its copy is not the file judged (the copy says why). The
        file rules and the text are the copy's, the grader's own."""
        self.started.setdefault(student.name, time.monotonic())
        relative = os.path.relpath(path, student.folder)
        home, left = self.prepared(student)
        copied = os.path.join(os.fsencode(home), relative)
        text = _read_copy(home, relative)
        if text is None:
            why = next((words.split(': ', 1)[1] for words in left
                        if words.startswith(submissions.shown(relative)
                                            + ': ')),
                       submissions.CHANGED)
            self.refused.setdefault(student.name, {})[task.number] = \
                '{}: {}'.format(task.filename, why)
            return None
        entry, hit = self.checking.check(task, os.fsdecode(copied), text,
                                         self.place(student, path))
        entry['limits'] = hit
        entry['file'] = submissions.shown(os.path.join(
            student.name, os.fsdecode(relative)))
        return entry

    def write(self, student, stamp):
        """Writes one student's report.json, then results.json."""
        folder = folder_of(self.results, student)
        os.makedirs(folder, exist_ok=True)
        reports = sorted(self.reports.pop(student.name, []),
                         key=lambda entry: entry['task'])
        seconds = time.monotonic() - self.started.pop(student.name,
                                                      time.monotonic())
        left = self.copies.pop(student.name, (None, student.left))[1]
        record = {'student': student.name,
                  'shown': submissions.shown(student.name),
                  'fingerprint': stamp, 'note': student.note,
                  'problems': {str(number): why for number, why in {
                      **student.problems,
                      **self.refused.pop(student.name, {})}.items()},
                  'left out': left, 'seconds': round(seconds, 1),
                  'seed': self.checking.seed, 'layers': self.sandbox.found,
                  'points': self.options['points'],
                  'tasks': self.options['tasks'],
                  'visibility': self.options['visibility'],
                  'reports': reports}
        write_atomically(os.path.join(folder, 'report.json'),
                         json.dumps(record, indent=2))
        write_atomically(os.path.join(folder, 'results.json'),
                         json.dumps(scores.gradescope(record), indent=2))

    def run(self, students, jobs):
        """Checks every file of the students, jobs at a time, writing each
        student as soon as their last file is done."""
        stamps = {student.name: fingerprints.fingerprint(
            student, self.options) for student in students}
        waiting = [student for student in students
                   if not complete(self.results, student,
                                   stamps[student.name])]
        for student in waiting:
            if not student.files:
                self.write(student, stamps[student.name])
        busy = {student.name: student for student in waiting
                if student.files}
        if not busy:
            return
        progress = grades.Progress(len(waiting), len(waiting) - len(busy))
        left = {name: len(student.files) for name, student in busy.items()}
        work = {(name, path): functools.partial(self.check, student, task,
                                                path)
                for name, student in busy.items()
                for task, path in student.files}
        try:
            for (name, _), entry in self.checking.run_all(jobs, work):
                if entry:
                    self.reports.setdefault(name, []).append(entry)
                left[name] -= 1
                if not left[name]:
                    self.write(busy[name], stamps[name])
                    progress.done()
        finally:
            progress.end()


def counted(student, tasks):
    """The student with only the task files and problems that count."""
    return student._replace(
        files=[(task, path) for task, path in student.files
               if task.number in tasks],
        problems={number: why for number, why in student.problems.items()
                  if number in tasks})


def grade(submissions_folder, out, limits, jobs=1, shard=(1, 1), seed=None,
          points='check', tasks=(0, 1, 2, 3), visibility='visible',
          roster=None, students=None):
    """The class mode of ./check.py: checks, then grades.csv and summary.md
    from every student's results; returns the exit status. roster: a
    roster.Roster to join the rows to, or None; students: the judged
    students, by default every folder in submissions_folder."""
    server = Server()
    if scratch.replaced():
        print('check.py: WARNING: TMPDIR {} is a folder every file may read; '
              'the run keeps its copies in {} instead.'.format(
                  scratch.replaced(), os.path.dirname(scratch.root())),
              file=sys.stderr)
    run = scratch.Scratch()
    checking = sandbox = None
    students = [counted(student, tasks) for student in (
        students or submissions.students(submissions_folder))]
    results = os.path.abspath(out)
    os.makedirs(os.path.join(results, STUDENTS), exist_ok=True)
    try:
        with stack.known_start_lines_held_back():
            from checker.running.checking import Checking
        checking = Checking(server, limits, seed)
        sandbox = sandbox_layers.Sandbox(server, run, [
            stack.ROOT, os.path.abspath(submissions_folder), results], limits)
        for layer, why in sandbox.found.items():
            if why:
                print('check.py: WARNING: the sandbox\'s {} layer is off on '
                      'this machine ({}); the other layers still hold.'
                      .format(layer, why), file=sys.stderr)
        options = dict(limits._asdict(), python=sys.executable,
                       legacy=os.environ.get('TF_USE_LEGACY_KERAS', ''),
                       points=points, tasks=sorted(tasks),
                       visibility=visibility)
        part, shards = shard
        Grading(checking, sandbox, results, options).run(
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
        tables(results, students, sandbox.found if sandbox else {}, roster,
               points, tasks)
    return 0


def tables(results, students, found, roster, points, tasks):
    """Rebuilds grades.csv and summary.md from every student's results,
    joined to the roster where there is one; prints the run's last line.
    """
    records = [(student.name, grades.read_record(folder_of(results,
                                                           student)))
               for student in students]
    if roster:
        rows, strays = roster.join(records, points, tasks)
    else:
        rows = [grades.Row(name, record, []) for name, record in records]
        strays = []
    grades.write_tables(rows, results, found, write_atomically, strays,
                        roster.identity if roster else [])
    pages.write(results, STUDENTS, rows, found, write_atomically)
    done = [row for row in rows if row.record]
    passed = sum(1 for row in done if row.record['reports']
                 and scores.score(row.record)[0]
                 == scores.score(row.record)[1])
    print('Results in {}: {} of {} students passed every check; grades.csv, '
          'summary.md and students/<name>/.'.format(results, passed,
                                                    len(rows)))


def _read_copy(home, relative):
    """The text of a copy in a student's home, read through descriptors
    with no link followed (the student's earlier files ran there); None
    where it is no longer a plain file."""
    folder = os.open(home, beneath.FOLDER)
    try:
        handle = beneath.open_beneath(folder, relative)
    except OSError:
        return None
    finally:
        os.close(folder)
    return rules.read_open(handle)
