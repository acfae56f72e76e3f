#!/usr/bin/env python3
"""The checker's command line: its options, read into values."""
import argparse
import os


def shard(text):
    """K/N, with K from 1 to N, as a pair of numbers."""
    try:
        part, shards = (int(number) for number in text.split('/'))
    except ValueError:
        raise argparse.ArgumentTypeError('give K/N, as 2/4')
    if not 1 <= part <= shards:
        raise argparse.ArgumentTypeError('K must be from 1 to N')
    return part, shards


def tasks(text):
    """A comma-separated list of task numbers, as a tuple."""
    try:
        numbers = tuple(sorted({int(number) for number in text.split(',')}))
    except ValueError:
        raise argparse.ArgumentTypeError('give task numbers, as 0,2')
    if not numbers or not set(numbers) <= {0, 1, 2, 3}:
        raise argparse.ArgumentTypeError('tasks are 0, 1, 2 and 3')
    return numbers


def arguments_parser(description):
    """The command line of every mode, under the description given."""
    parser = argparse.ArgumentParser(
        description=description,
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
    grading.add_argument('--processes', type=int, default=100,
                         help='processes each file may start (default 100)')
    grading.add_argument('--disk', type=float, default=100,
                         help='MB each file\'s copy may hold (default 100)')
    grading.add_argument('--shard', type=shard, default=(1, 1),
                         metavar='K/N',
                         help='check every N-th student from the K-th')
    grading.add_argument('--points', choices=('check', 'task'),
                         default='check',
                         help='a point per check, or per task that passes '
                              'every check (default check)')
    grading.add_argument('--tasks', type=tasks, default=(0, 1, 2, 3),
                         metavar='0,1,2,3',
                         help='the tasks that count (default all four)')
    grading.add_argument('--visibility', default='visible',
                         choices=('visible', 'hidden', 'after_due_date',
                                  'after_published'),
                         help='of the tests in results.json (Gradescope\'s '
                              'words; default visible)')
    grading.add_argument('--roster', metavar='ROSTER.csv',
                         help='a gradebook export to join the rows to')
    grading.add_argument('--roster-key', metavar='COLUMN',
                         help='the roster\'s column that names each folder')
    platforms = parser.add_argument_group('grading on a platform')
    platforms.add_argument('--gradescope-zip', metavar='ZIP',
                           help='write Gradescope\'s autograder zip; takes '
                                'the grading options above')
    platforms.add_argument('--classroom50', metavar='DIR',
                           help='write Classroom 50\'s autograder.py and '
                                'runtime.json into DIR, to commit as '
                                'CLASSROOM/autograders/ASSIGNMENT/')
    platforms.add_argument('--prairielearn', metavar='DIR',
                           help='write a PrairieLearn question, its grader '
                                'under serverFilesCourse and the grader\'s '
                                'Dockerfile into DIR')
    platforms.add_argument('--image', default=None, metavar='NAME',
                           help='the Docker Hub image that the PrairieLearn '
                                'question names')
    platforms.add_argument('--stack', choices=('2.15', 'current'),
                           default='2.15',
                           help='the platforms\' stack: TensorFlow 2.15, '
                                'the graders\', or today\'s (default 2.15)')
    platforms.add_argument('--github-classroom', metavar='DIR',
                           help='write DIR/.github/workflows/classroom.yml. '
                                'GitHub Classroom was retired on 28 August '
                                '2026: the workflow still runs in plain '
                                'GitHub Actions, but nothing gathers its '
                                'points; see --classroom50, '
                                '--gradescope-zip, --prairielearn')
    platforms.add_argument('--checker-url', metavar='URL',
                           help='where the workflow fetches this checker '
                                '(default: this checkout\'s origin)')
    platforms.add_argument('--checker-ref', metavar='COMMIT',
                           help='the commit it fetches (default: HEAD)')
    parser.add_argument('--seed', type=int, default=None,
                        help='the seed of the computations\' inputs and '
                             'weights: a report.json\'s, to replay its run')
    return parser


def choices(arguments):
    """The grader's choices that a class and the platforms share."""
    return {'points': arguments.points, 'tasks': list(arguments.tasks),
            'visibility': arguments.visibility,
            'limits': {'timeout': arguments.timeout,
                       'memory': int(arguments.memory * 2 ** 30),
                       'output': int(arguments.output * 2 ** 20),
                       'processes': arguments.processes,
                       'disk': int(arguments.disk * 2 ** 20)}}
