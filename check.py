#!/usr/bin/env python3
"""Holds a student's own task files up against this project's builders and
says, check by check, what differs and why:

    ./check.py PATH [PATH ...] [--json] [--timeout SECONDS]

PATH is a folder holding any of 0-vanilla.py, 1-sparse.py,
2-convolutional.py and 3-variational.py, or one of those files. Each file
is checked in a process of its own, with a time limit. Exit status: 0 when
every check passes, 1 when one fails, 2 for a usage error.

A grader checks a whole class, each file in a sandbox, with

    ./check.py --class SUBMISSIONS --out RESULTS [--jobs N] [--timeout S]
               [--memory GB] [--output MB] [--shard K/N]

which writes RESULTS/<student>/results.json, grades.csv and summary.md
(docs/checking.md, "Grading a class")."""
import argparse
import functools
import os
import sys

from checker import classroom, report, runner
from checker.tasks import BY_FILENAME

PARALLEL = 2  # task processes at once: the 2 cores of a student's laptop


def task_files(paths):
    """Returns (task, path) for each task file that the paths name, or
    exits with status 2 naming a path that is neither."""
    found = []
    for path in paths:
        if os.path.isdir(path):
            names = [name for name in sorted(BY_FILENAME)
                     if os.path.isfile(os.path.join(path, name))]
            if not names:
                usage_error('{} holds none of {}'.format(
                    path, ', '.join(sorted(BY_FILENAME))))
            found += [(BY_FILENAME[name], os.path.join(path, name))
                      for name in names]
        elif os.path.isfile(path) and os.path.basename(path) in BY_FILENAME:
            found.append((BY_FILENAME[os.path.basename(path)], path))
        elif os.path.isfile(path):
            usage_error('{} is not a task file: its name must be one of {}'
                        .format(path, ', '.join(sorted(BY_FILENAME))))
        else:
            usage_error('{} does not exist'.format(path))
    return found


def usage_error(message):
    """Prints one line and exits with status 2."""
    print('check.py: error: ' + message, file=sys.stderr)
    sys.exit(2)


def check_all(files, timeout):
    """Checks the task files, PARALLEL at a time, each in a process forked
    from one that has TensorFlow loaded; returns one report per file, in
    order, and the stack they ran on."""
    server = runner.Server()
    limits = runner.Limits(timeout, None, None)
    starts = [functools.partial(runner.Run, server, index, task, path,
                                limits)
              for index, (task, path) in enumerate(files)]
    reports = {}
    try:
        for run in runner.run_all(server, PARALLEL, starts):
            reports[run.id] = run.report()
    finally:
        server.close()
    stack = next((entry['stack'] for entry in reports.values()
                  if entry['stack']), 'an unknown stack')
    return [reports[index] for index in range(len(files))], stack


def shard(text):
    """K/N, with K from 1 to N, as a pair of numbers."""
    try:
        part, shards = (int(number) for number in text.split('/'))
    except ValueError:
        raise argparse.ArgumentTypeError('give K/N, as 2/4')
    if not 1 <= part <= shards:
        raise argparse.ArgumentTypeError('K must be from 1 to N')
    return part, shards


def arguments_parser():
    """The command line of both modes."""
    parser = argparse.ArgumentParser(
        description=__doc__.split('\n\n')[0],
        epilog='Exit status: 0 every check passes (with --class: the class '
               'is graded), 1 one fails, 2 usage, 130 interrupted.')
    parser.add_argument('paths', nargs='*', metavar='PATH',
                        help='a folder with task files, or a task file')
    parser.add_argument('--json', action='store_true',
                        help='print a JSON list, one object per task')
    parser.add_argument('--timeout', type=float, default=60,
                        help='seconds each task may take (default 60)')
    grading = parser.add_argument_group('grading a class')
    grading.add_argument('--class', dest='submissions', metavar='SUBMISSIONS',
                         help='a folder with one folder per student')
    grading.add_argument('--out', metavar='RESULTS',
                         help='where the results go (with --class)')
    grading.add_argument('--jobs', type=int, default=os.cpu_count() or 1,
                         help='files at once (default: the cores, {})'
                         .format(os.cpu_count()))
    grading.add_argument('--memory', type=float, default=4,
                         help='GB of memory each file may hold (default 4)')
    grading.add_argument('--output', type=float, default=1,
                         help='MB each file may print (default 1)')
    grading.add_argument('--shard', type=shard, default=(1, 1),
                         metavar='K/N',
                         help='check every N-th student from the K-th')
    return parser


def main():
    """Parses the command line, checks the files, prints the report."""
    arguments = arguments_parser().parse_args()
    if arguments.submissions:
        if arguments.paths or not arguments.out:
            usage_error('--class takes --out RESULTS and no PATH')
        if not os.path.isdir(arguments.submissions):
            usage_error('{} is not a folder'.format(arguments.submissions))
        try:
            sys.exit(classroom.grade(arguments))
        except runner.ServerFailed as error:
            print('check.py: error: {}'.format(error), file=sys.stderr)
            sys.exit(1)
    if not arguments.paths:
        usage_error('give a PATH, or --class SUBMISSIONS --out RESULTS')
    files = task_files(arguments.paths)
    try:
        reports, stack = check_all(files, arguments.timeout)
    except KeyboardInterrupt:
        print('check.py: interrupted; no report', file=sys.stderr)
        sys.exit(130)
    except runner.ServerFailed as error:
        print('check.py: error: {}'.format(error), file=sys.stderr)
        sys.exit(1)
    print(report.as_json(reports) if arguments.json
          else report.as_text(reports, stack))
    sys.exit(0 if all(entry['passed'] for entry in reports) else 1)


if __name__ == '__main__':
    main()
