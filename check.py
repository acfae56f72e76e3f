#!/usr/bin/env python3
"""Holds a student's own task files up against this project's builders and
says, check by check, what differs and why:

    ./check.py PATH [PATH ...] [--json] [--timeout SECONDS] [--seed N]

PATH is a folder holding any of the four task files, or one of them. Exit
status: 0 when every check passes, 1 when one fails, 2 for a usage error.
A grader checks a class, each file in a sandbox, or writes what a platform
runs (docs/grading.md, docs/platforms.md):

    ./check.py --class SUBMISSIONS --out RESULTS [options]
    ./check.py --gradescope-zip ZIP | --classroom50 DIR | --prairielearn DIR
               | --github-classroom DIR (retired 28 August 2026) [options]
"""
import functools
import importlib.util
import os
import stat
import sys

from checker import options
from checker.checks import report
from checker.checks.tasks import BY_FILENAME
from mains import stack

PARALLEL = 2  # task processes at once: the 2 cores of a student's laptop
NEEDED = {'tensorflow': 'TensorFlow', 'numpy': 'NumPy',
          'pycodestyle': 'pycodestyle'}


def task_files(paths):
    """Returns (task, path) for each task file that the paths name, or
    exits with status 2 naming a path that is neither."""
    found = []
    for path in paths:
        if os.path.isdir(path):
            names = [name for name in sorted(BY_FILENAME)
                     if _regular(os.path.join(path, name))]
            if not names:
                usage_error('{} holds none of {}'.format(
                    path, ', '.join(sorted(BY_FILENAME))))
            found += [(BY_FILENAME[name], os.path.join(path, name))
                      for name in names]
        elif os.path.basename(path) in BY_FILENAME and _regular(path):
            found.append((BY_FILENAME[os.path.basename(path)], path))
        elif os.path.lexists(path) and not _regular(path):
            usage_error('{} is not a regular file'.format(path))
        elif os.path.exists(path):
            usage_error('{} is not a task file: its name must be one of {}'
                        .format(path, ', '.join(sorted(BY_FILENAME))))
        else:
            usage_error('{} does not exist'.format(path))
    return found


def _regular(path):
    """True for a regular file, a symbolic link to one included."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


def usage_error(message):
    """Prints one line and exits with status 2."""
    print('check.py: error: ' + message, file=sys.stderr)
    sys.exit(2)


def needs_packages():
    """Exits with one line where this Python lacks what the checker needs.
    """
    missing = [name for module, name in NEEDED.items()
               if importlib.util.find_spec(module) is None]
    if missing:
        names = ', '.join(missing[:-1]) + ' and ' + missing[-1] \
            if len(missing) > 1 else missing[0]
        usage_error('this Python ({}) lacks {}: activate the project\'s '
                    'environment first (. .venv/bin/activate), or pip '
                    'install -r requirements.txt'.format(sys.executable,
                                                         names))


def check_all(files, timeout, seed):
    """Checks the task files, PARALLEL at a time, each in a process of the
    student side's; returns one report per file, in order, and the stack
    they ran on."""
    from checker.running.runner import Limits
    from checker.running.server import Server
    server = Server(home=True)
    checking = None
    try:
        with stack.known_start_lines_held_back():
            from checker.running.checking import Checking
        from checker.checks.rules import read
        checking = Checking(server, Limits(timeout, 0, 0, 0, 0), seed)
        work = {index: functools.partial(checking.check, task, path,
                                         read(path))
                for index, (task, path) in enumerate(files)}
        reports = {index: found[0] for index, found
                   in checking.run_all(PARALLEL, work)}
    except KeyboardInterrupt:
        server.kill()
        raise
    finally:
        if checking:
            checking.close()
        else:
            server.close()
    return [reports[index] for index in range(len(files))], checking.stack


def grade_class(arguments):
    """The class mode: checks every student, writes the results; returns
    the exit status."""
    if arguments.paths or not arguments.out:
        usage_error('--class takes --out RESULTS and no PATH')
    if not os.path.isdir(arguments.submissions):
        usage_error('{} is not a folder'.format(arguments.submissions))
    from checker.grading import classroom, roster
    from checker.running.runner import Limits
    joined = None
    if arguments.roster or arguments.roster_key:
        if not (arguments.roster and arguments.roster_key):
            usage_error('--roster and --roster-key come together')
        try:
            joined = roster.Roster(arguments.roster, arguments.roster_key)
        except roster.RosterError as error:
            usage_error(str(error))
    limits = Limits(**options.choices(arguments)['limits'])
    return classroom.grade(
        arguments.submissions, arguments.out, limits, jobs=arguments.jobs,
        shard=arguments.shard, seed=arguments.seed, points=arguments.points,
        tasks=arguments.tasks, visibility=arguments.visibility,
        roster=joined)


def write_platform(arguments):
    """Writes what the platform named runs; says where, and what next."""
    choices = options.choices(arguments)
    if arguments.gradescope_zip:
        from checker.platforms import gradescope
        gradescope.build(arguments.gradescope_zip, arguments.stack, choices)
        print('Wrote {}: upload it as the assignment\'s autograder on '
              'Gradescope, with its Ubuntu 22.04 base image '
              '(docs/platforms.md, "Gradescope").'.format(
                  arguments.gradescope_zip))
        return
    if arguments.classroom50:
        from checker.platforms import classroom50
        print('Wrote {} and {}: commit the folder as CLASSROOM/autograders/'
              'ASSIGNMENT/ in the classroom\'s repository, and give '
              'runtime.json as the assignment\'s runtime '
              '(docs/platforms.md, "Classroom 50").'.format(*classroom50.build(
                  arguments.classroom50, arguments.stack, choices)))
        return
    if arguments.prairielearn:
        from checker.platforms import prairielearn
        print('Wrote {} and {}: build and push the image, then copy '
              'questions/ and serverFilesCourse/ into the course '
              '(docs/platforms.md, "PrairieLearn").'.format(
                  *prairielearn.build(arguments.prairielearn, arguments.stack,
                                      choices, arguments.image
                                      or prairielearn.IMAGE)))
        return
    from checker.platforms import github
    url, ref = github.origin()
    url, ref = arguments.checker_url or url, arguments.checker_ref or ref
    if not url or not ref:
        usage_error('this checkout has no remote or commit to fetch the '
                    'checker from: give --checker-url and --checker-ref')
    path = github.write(arguments.github_classroom, url, ref,
                        arguments.points, arguments.tasks)
    print('Wrote {}: commit it to the template repository. GitHub Classroom '
          'was retired on 28 August 2026: the workflow runs in plain GitHub '
          'Actions, and nothing gathers its points '
          '(docs/platforms.md, "GitHub Classroom, retired").'.format(path))


def main():
    """Parses the command line, checks the files, prints the report; a
    Ctrl-C at any moment ends it with one line and exit status 130."""
    try:
        sys.exit(run(options.arguments_parser(
            __doc__.split('\n\n')[0]).parse_args()))
    except KeyboardInterrupt:
        print('check.py: interrupted; no report', file=sys.stderr)
        sys.exit(130)


def run(arguments):
    """What main does between its Ctrl-C guards; returns the exit status.
    """
    platforms = [arguments.gradescope_zip, arguments.classroom50,
                 arguments.prairielearn, arguments.github_classroom]
    modes = [mode for mode in [arguments.paths, arguments.submissions]
             + platforms if mode]
    if len(modes) != 1:
        usage_error('give one of: PATH ..., --class SUBMISSIONS --out '
                    'RESULTS, --gradescope-zip ZIP, --classroom50 DIR, '
                    '--prairielearn DIR, --github-classroom DIR')
    if any(platforms):
        return write_platform(arguments)
    files = [] if arguments.submissions else task_files(arguments.paths)
    needs_packages()
    os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', stack.LOG_LEVEL)
    from checker.running.server import ServerFailed
    try:
        if arguments.submissions:
            return grade_class(arguments)
        reports, named = check_all(files, arguments.timeout, arguments.seed)
    except ServerFailed as error:
        print('check.py: error: {}'.format(error), file=sys.stderr)
        return 1
    print(report.as_json(reports) if arguments.json
          else report.as_text(reports, named))
    sys.stdout.flush()
    sys.stderr.flush()
    # Every file is written and closed: exit without tearing TensorFlow
    # down, which takes longer than a check.
    os._exit(0 if all(entry['passed'] for entry in reports) else 1)


if __name__ == '__main__':
    main()
