#!/usr/bin/env python3
"""Holds a student's own task files up against this project's builders and
says, check by check, what differs and why:

    ./check.py PATH [PATH ...] [--json] [--timeout SECONDS]

PATH is a folder holding any of 0-vanilla.py, 1-sparse.py,
2-convolutional.py and 3-variational.py, or one of those files. Each file
is checked in a process of its own, with a time limit. Exit status: 0 when
every check passes, 1 when one fails, 2 for a usage error."""
import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

from checker import checks, report, rules
from mains import stack
from checker.report import result
from checker.tasks import BY_FILENAME

ROOT = os.path.dirname(os.path.abspath(__file__))
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


class Run:
    """One task file's worker process and the lines it has written."""

    def __init__(self, task, path, timeout):
        """Starts the worker for one file, in a process group of its own."""
        self.task, self.path, self.timeout = task, path, timeout
        handle, self.results = tempfile.mkstemp(suffix='.jsonl')
        os.close(handle)
        self.log = tempfile.TemporaryFile()
        environment = dict(os.environ)
        environment.setdefault('TF_CPP_MIN_LOG_LEVEL', stack.LOG_LEVEL)
        self.started = time.monotonic()
        self.process = subprocess.Popen(
            [sys.executable, '-m', 'checker.worker', str(task.number),
             os.path.abspath(path), self.results],
            cwd=ROOT, env=environment, stdin=subprocess.DEVNULL,
            stdout=self.log, stderr=subprocess.STDOUT,
            start_new_session=True)

    def finished(self):
        """True once the worker has ended, stopping it at its time limit."""
        if self.process.poll() is not None:
            return True
        if time.monotonic() - self.started > self.timeout:
            self.stop()
            return True
        return False

    def stop(self):
        """Kills the worker and anything it started."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def checks(self):
        """Returns the file checks and the worker's, with one failed check
        when the worker did not finish, and the stack it named."""
        checks, stack, stage, done = (rules.check_file(self.path), None, '',
                                      False)
        with open(self.results) as handle:
            for line in handle:
                message = json.loads(line)
                checks += [message['check']] if 'check' in message else []
                stack = message.get('stack', stack)
                stage = message.get('stage', stage)
                done = done or message.get('done', False)
        os.unlink(self.results)
        if not done:
            checks.append(self.unfinished(stage))
        return checks, stack

    def unfinished(self, stage):
        """The check that says how the worker ended before its last line."""
        code = self.process.returncode
        self.log.seek(0)
        lines = [line for line in self.log.read().decode(
            errors='replace').splitlines()
            if line.strip() and not stack.LOG_LINE.match(line)]
        if code == -signal.SIGKILL:
            detail = ('Your file was stopped after {:g} s while {}: it hangs '
                      'there (an endless loop, or it waits for something).'
                      .format(self.timeout, stage or 'starting'))
        else:
            detail = ('Your file ended its process (status {}) while {}: {}.'
                      .format(code, stage or 'starting',
                              lines[-1] if lines else 'os._exit, or a crash'))
        return result(checks.name('finishes', timeout=self.timeout),
                      'interface', False, detail)


def check_all(files, timeout):
    """Runs the task files' workers, PARALLEL at a time, and returns one
    report per file, in order, and the stack they ran on. Workers still
    running when this ends, by Ctrl-C say, are killed."""
    waiting, running, reports = list(enumerate(files)), [], {}
    try:
        while waiting or running:
            while waiting and len(running) < PARALLEL:
                index, (task, path) = waiting.pop(0)
                running.append((index, Run(task, path, timeout)))
            time.sleep(0.05)
            for index, run in [entry for entry in running
                               if entry[1].finished()]:
                running.remove((index, run))
                checks, stack = run.checks()
                reports[index] = {
                    'file': run.path, 'task': run.task.number,
                    'name': run.task.name, 'stack': stack,
                    'passed': report.task_passed(checks), 'checks': checks}
    finally:
        for _, run in running:
            run.stop()
    stack = next((entry['stack'] for entry in reports.values()
                  if entry['stack']), 'an unknown stack')
    return [reports[index] for index in range(len(files))], stack


def main():
    """Parses the command line, checks the files, prints the report."""
    parser = argparse.ArgumentParser(
        description=__doc__.split('\n\n')[0],
        epilog='Exit status: 0 every check passes, 1 one fails, 2 usage.')
    parser.add_argument('paths', nargs='+', metavar='PATH',
                        help='a folder with task files, or a task file')
    parser.add_argument('--json', action='store_true',
                        help='print a JSON list, one object per task')
    parser.add_argument('--timeout', type=float, default=60,
                        help='seconds each task may take (default 60)')
    arguments = parser.parse_args()
    files = task_files(arguments.paths)
    try:
        reports, stack = check_all(files, arguments.timeout)
    except KeyboardInterrupt:
        print('check.py: interrupted; no report', file=sys.stderr)
        sys.exit(130)
    print(report.as_json(reports) if arguments.json
          else report.as_text(reports, stack))
    sys.exit(0 if all(entry['passed'] for entry in reports) else 1)


if __name__ == '__main__':
    main()
