#!/usr/bin/env python3
"""How long a grader waits: ./check.py --class over a made-up class (each
student the project's four builders, every third with one mistake, so that
failures cost their share), and one student's four files as ./check.py
PATH, the two run in turn, each in a fresh process; then where one file's
time goes: TensorFlow's start-up in the server, each file's process from
fork to exit, and inside it their code, our reference builds and the rest
of the checks. Prints a Markdown table for docs/checking.md.

    python3 benchmarks/class_grading.py [--students 32] [--files 125]
                                        [--repeats 3]
"""
import argparse
import collections
import functools
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from checker import runner  # noqa: E402 (after sys.path)
from checker.tasks import TASKS  # noqa: E402

MISTAKE = ("activation='sigmoid'", "activation='relu'")
PARTS = {'theirs': 'their code: import, builds; both models on the batch',
         'ours': 'ours: the reference models built',
         'checks': 'the rest: layer diffs and verdicts'}


def make_class(folder, students, files):
    """Writes students folders holding files task files in all, four to a
    student where there are enough, one at least."""
    remaining = files
    for index in range(students):
        home = os.path.join(folder, 'student{:02d}'.format(index))
        os.makedirs(home)
        count = max(1, min(len(TASKS), remaining - (students - index - 1)))
        remaining -= count
        for task in TASKS[:count]:
            with open(os.path.join(ROOT, task.filename)) as handle:
                text = handle.read()
            if index % 3 == 2:
                text = text.replace(*MISTAKE)
            target = os.path.join(home, task.filename)
            with open(target, 'w') as handle:
                handle.write(text)
            os.chmod(target, 0o755)


def spread(times, digits=1):
    """Median and range of a list of seconds, as the table shows them."""
    return '{0:.{3}f} s ({1:.{3}f}-{2:.{3}f})'.format(
        statistics.median(times), min(times), max(times), digits)


def timed(command):
    """Seconds one command takes, start-up included; fails loudly."""
    start = time.monotonic()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return time.monotonic() - start


def tasks_of(student):
    """The tasks whose files the student's folder holds."""
    return [task for task in TASKS
            if os.path.isfile(os.path.join(student, task.filename))]


def file_times(student):
    """The server's start-up and each file's fork-to-exit seconds."""
    start = time.monotonic()
    server = runner.Server()
    while server.replies.empty():
        time.sleep(0.01)
    ready = time.monotonic() - start
    limits = runner.Limits(60, None, None)
    starts = [functools.partial(runner.Run, server, number, task,
                                os.path.join(student, task.filename), limits)
              for number, task in enumerate(tasks_of(student))]
    seconds = {}
    try:
        for run in runner.run_all(server, 1, starts):
            seconds[run.task.filename] = time.monotonic() - run.started
            run.report()
    finally:
        server.close()
    return ready, seconds


def stages(student):
    """Prints, as JSON, where each file's time goes inside its process,
    forked as the server forks it: their code (import, builds, and the
    computations that run both models on the batch, under Student.run),
    our reference builds, the rest of the checks."""
    from checker import worker
    from checker.student import Student
    spent = collections.Counter()

    def timing(owner, name, key):
        """Wraps owner.name so that its seconds add up under key."""
        original = getattr(owner, name)

        def timed_call(*args, **kwargs):
            """The wrapped call, timed."""
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                spent[key] += time.perf_counter() - start
        setattr(owner, name, timed_call)
    timing(Student, 'run', 'theirs')
    timing(worker.Reference, 'models', 'ours')
    worker.reference_modules()
    found = {}
    for task in tasks_of(student):
        reader, writer = os.pipe()
        if os.fork() == 0:
            start = time.perf_counter()
            worker.check(task.number, os.path.join(student, task.filename),
                         lambda message: None)
            spent['checks'] = (time.perf_counter() - start - spent['theirs']
                               - spent['ours'])
            os.write(writer, json.dumps(spent).encode())
            os._exit(0)
        os.close(writer)
        with os.fdopen(reader) as handle:
            found[task.filename] = json.load(handle)
        os.wait()
    print(json.dumps(found))


def stage_times(student):
    """stages(student) in a fresh process; returns what it found."""
    done = subprocess.run([sys.executable, os.path.abspath(__file__),
                           '--stages', student], check=True,
                          capture_output=True, text=True)
    return json.loads(done.stdout.splitlines()[-1])


def main():
    """Builds the class, times both commands in turn, prints the table."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--students', type=int, default=32)
    parser.add_argument('--files', type=int, default=125)
    parser.add_argument('--repeats', type=int, default=3)
    parser.add_argument('--stages', help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.stages:
        return stages(arguments.stages)
    folder = tempfile.mkdtemp(prefix='class-benchmark-')
    try:
        submissions = os.path.join(folder, 'submissions')
        make_class(submissions, arguments.students, arguments.files)
        student = os.path.join(submissions, 'student00')
        whole, single, ready, files, parts = [], [], [], {}, {}
        for repeat in range(arguments.repeats):
            out = os.path.join(folder, 'results{}'.format(repeat))
            whole.append(timed([sys.executable, os.path.join(ROOT,
                                                             'check.py'),
                                '--class', submissions, '--out', out]))
            single.append(timed([sys.executable,
                                 os.path.join(ROOT, 'check.py'), student]))
            started, seconds = file_times(student)
            ready.append(started)
            for name, value in seconds.items():
                files.setdefault(name, []).append(value)
            for name, spent in stage_times(student).items():
                for key, value in spent.items():
                    parts.setdefault((name, key), []).append(value)
        count = sum(len(os.listdir(os.path.join(submissions, name)))
                    for name in os.listdir(submissions))
        print('| what | median (range) over {} runs |'.format(
            arguments.repeats))
        print('|---|---|')
        print('| `--class`: {} students, {} files, every layer on | {} |'
              .format(arguments.students, count, spread(whole)))
        print('| `./check.py PATH`: one student\'s four files | {} |'.format(
            spread(single)))
        print('| start-up: TensorFlow imported, the builders loaded | {} |'
              .format(spread(ready)))
        for name, values in sorted(files.items()):
            print('| one file, fork to exit, alone: {} | {} |'.format(
                name, spread(values)))
        for (name, key), values in sorted(parts.items()):
            print('| {}: {} | {} |'.format(name, PARTS[key],
                                           spread(values, 2)))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == '__main__':
    main()
