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

from checker import grades, runner, sandbox
from checker.tasks import BY_FILENAME

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

    def __init__(self, arguments, layers):
        """arguments: the command line's; layers: the probe's findings."""
        self.arguments, self.layers = arguments, layers
        self.results = os.path.abspath(arguments.out)
        self.limits = runner.Limits(arguments.timeout,
                                    int(arguments.memory * 2 ** 30),
                                    int(arguments.output * 2 ** 20))
        self.options = {'timeout': arguments.timeout,
                        'memory': arguments.memory,
                        'output': arguments.output,
                        'python': sys.executable,
                        'legacy': os.environ.get('TF_USE_LEGACY_KERAS', '')}
        self.scratch = tempfile.mkdtemp(prefix='check-class-')
        self.reports, self.started, self.copies = {}, {}, {}

    def spec(self, submission, path):
        """A fresh copy of the student's folder and the sandbox around it;
        returns the file's path in the copy and the sandbox's spec."""
        copy = tempfile.mkdtemp(dir=self.scratch)
        shutil.copytree(submission.folder, os.path.join(copy, 'home'),
                        symlinks=True)
        home = os.path.join(copy, 'home')
        inside = os.path.join(home, os.path.relpath(path, submission.folder))
        return inside, {
            'copy': home, 'cwd': os.path.dirname(inside),
            'forbidden': [os.path.abspath(self.arguments.submissions),
                          self.results, self.scratch],
            'memory': self.limits.memory, 'output': self.limits.output,
            'layers': [layer for layer, why in self.layers.items()
                       if not why]}

    def start(self, server, key, submission, task, path):
        """Copies the student's folder and starts one file's check."""
        inside, spec = self.spec(submission, path)
        self.copies[key] = os.path.dirname(spec['copy'])
        self.started.setdefault(submission.name, time.monotonic())
        return runner.Run(server, key, task, inside, self.limits, spec)

    def finish(self, run, submission, path):
        """Takes one file's report, its path said from the student's folder.
        """
        entry = run.report()
        entry['limits'] = run.hit
        entry['file'] = os.path.join(submission.name, os.path.relpath(
            path, submission.folder))
        shutil.rmtree(self.copies.pop(run.id), ignore_errors=True)
        self.reports.setdefault(submission.name, []).append(entry)

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
                  'layers': self.layers, 'reports': reports}
        write_atomically(os.path.join(folder, 'report.json'),
                         json.dumps(record, indent=2))
        write_atomically(os.path.join(folder, 'results.json'),
                         json.dumps(grades.gradescope(record), indent=2))

    def run(self, students):
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
        files, starts = {}, []
        server = runner.Server()
        for student in busy:
            for task, path in student.files:
                key = len(files)
                files[key] = (student, path)
                starts.append(functools.partial(self.start, server, key,
                                                student, task, path))
        try:
            for run in runner.run_all(server, self.arguments.jobs, starts):
                student, path = files[run.id]
                self.finish(run, student, path)
                left[student.name] -= 1
                if not left[student.name]:
                    self.write(student, stamps[student.name])
                    progress.done()
        finally:
            server.close()
            progress.end()
            shutil.rmtree(self.scratch, ignore_errors=True)


def grade(arguments):
    """The class mode of ./check.py: checks, then grades.csv and summary.md
    from every student's results; returns the exit status."""
    layers = sandbox.probe()
    for layer, why in layers.items():
        if why:
            print('check.py: WARNING: the sandbox\'s {} layer is off on this '
                  'machine ({}); the other layers still hold.'.format(
                      layer, why), file=sys.stderr)
    students = submissions(arguments.submissions)
    part, shards = arguments.shard
    os.makedirs(arguments.out, exist_ok=True)
    try:
        Grading(arguments, layers).run(students[part - 1::shards])
    except KeyboardInterrupt:
        print('\ncheck.py: interrupted; the students done are kept',
              file=sys.stderr)
        return 130
    finally:
        grades.write_tables(arguments.out, students, layers,
                            write_atomically)
    return 0
