#!/usr/bin/env python3
"""How long a grader waits: ./check.py --class over a made-up class (each
student the project's four builders, every third with one mistake, so that
failures cost their share), and one student's four files as ./check.py
PATH, each in a fresh process, in turn; with --vs, the same two commands of
another checkout's check.py between them, for the ratio. Then where one
student's time goes, in one process: start-up (the student side's server
and the grader's TensorFlow, in parallel), the reference's values once per
task, and for each file the student side (waiting for its answers) against
the grader's own work. Prints Markdown tables for docs/sandbox.md.

    python3 benchmarks/class_grading.py [--students 32] [--files 125]
                                        [--repeats 3] [--vs OTHER/check.py]
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

from shared import ROOT  # noqa: E402 (puts ROOT on sys.path)

from checker.checks.tasks import TASKS  # noqa: E402 (after sys.path)

MISTAKE = ("activation='sigmoid'", "activation='relu'")


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
    """Seconds one command takes, start-up included; fails loudly, with
    the end of what it printed."""
    start = time.monotonic()
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode:
        sys.exit('{} ended with {}:\n{}'.format(
            ' '.join(command), done.returncode,
            (done.stdout + done.stderr)[-3000:]))
    return time.monotonic() - start


def breakdown(student):
    """Prints, as JSON, where one student's time goes in one grader: the
    start-up, the reference's values, and per file the seconds spent
    waiting for the student side and the grader's own."""
    from checker.checks import reference
    from checker.checks.rules import read
    from checker.running import runner
    from checker.running.server import Server
    spent = collections.Counter()

    def timing(owner, name, key):
        """Wraps owner.name so that its seconds add up under key(args)."""
        original = getattr(owner, name)

        def timed_call(*args, **kwargs):
            """The wrapped call, timed."""
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                spent[key(args)] += time.perf_counter() - start
        setattr(owner, name, timed_call)
    current = ['']
    timing(runner.FileRun, 'ask',
           lambda args: ('student side', current[0]))
    timing(reference, 'Values', lambda args: ('reference', current[0]))
    start = time.perf_counter()
    server = Server(home=True)
    from checker.running.checking import Checking
    checking = Checking(server, runner.Limits(60, 0, 0, 0, 0), seed=0)
    found = {'start-up': time.perf_counter() - start}
    try:
        for task in TASKS:
            path = os.path.join(student, task.filename)
            if not os.path.exists(path):
                continue
            current[0] = path
            start = time.perf_counter()
            checking.check(task, path, read(path))
            whole = time.perf_counter() - start
            theirs, ours = (spent['student side', path],
                            spent['reference', path])
            found[task.filename] = {
                'student side (their code, our answers)': theirs,
                'the reference\'s values, once per task': ours,
                'the grader (asking, checking answers, verdicts)':
                    whole - theirs - ours}
    finally:
        checking.close()
    print(json.dumps(found))


def main():
    """Builds the class, times the commands in turn, prints the tables."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--students', type=int, default=32)
    parser.add_argument('--files', type=int, default=125)
    parser.add_argument('--repeats', type=int, default=3)
    parser.add_argument('--vs', help='another checkout\'s check.py')
    parser.add_argument('--breakdown', help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.breakdown:
        return breakdown(arguments.breakdown)
    folder = tempfile.mkdtemp(prefix='class-benchmark-')
    try:
        submissions = os.path.join(folder, 'submissions')
        make_class(submissions, arguments.students, arguments.files)
        student = os.path.join(submissions, 'student00')
        checkers = [('this', os.path.join(ROOT, 'check.py'))]
        if arguments.vs:
            checkers.append(('other', os.path.abspath(arguments.vs)))
        times = collections.defaultdict(list)
        for repeat in range(arguments.repeats):
            for who, command in checkers:
                out = os.path.join(folder, '{}{}'.format(who, repeat))
                times[who, 'class'].append(timed(
                    [sys.executable, command, '--class', submissions,
                     '--out', out]))
                times[who, 'single'].append(timed([sys.executable, command,
                                                   student]))
        parts = collections.defaultdict(list)
        for repeat in range(arguments.repeats):
            done = subprocess.run(
                [sys.executable, os.path.abspath(__file__), '--breakdown',
                 student], check=True, capture_output=True, text=True)
            for name, value in json.loads(
                    done.stdout.splitlines()[-1]).items():
                for part, seconds in (value.items() if isinstance(value, dict)
                                      else [('', value)]):
                    parts[name, part].append(seconds)
        count = sum(len(os.listdir(os.path.join(submissions, name)))
                    for name in os.listdir(submissions))
        print('| what | median (range) over {} runs |'.format(
            arguments.repeats))
        print('|---|---|')
        for who, _ in checkers:
            print('| `--class` ({}): {} students, {} files | {} |'.format(
                who, arguments.students, count, spread(times[who, 'class'])))
            print('| `./check.py PATH` ({}): one student\'s four files | {} |'
                  .format(who, spread(times[who, 'single'])))
        if arguments.vs:
            for mode in ('class', 'single'):
                ratios = [mine / theirs for mine, theirs in zip(
                    times['this', mode], times['other', mode])]
                print('| {}: this / other, run by run | {:.2f} ({:.2f}-{:.2f})'
                      ' |'.format(mode, statistics.median(ratios),
                                  min(ratios), max(ratios)))
        for (name, part), values in sorted(parts.items()):
            print('| one student, {}{} | {} |'.format(
                name, ', ' + part if part else '', spread(values, 2)))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == '__main__':
    main()
