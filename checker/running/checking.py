#!/usr/bin/env python3
"""One run of checks, for one student or a class: the student side's
server, which the caller starts before importing this module, so that its
TensorFlow loads while the grader's does; the references; the pump that
reads every file's output; the rule processes; and the run's seed. Files
are checked a few at a time, each in a thread of the grader that asks its
process questions and decides its verdicts."""
import concurrent.futures
import os
import secrets
import threading

import tensorflow
import tensorflow.keras as keras

from checker.checks import report, table
from checker.checks.reference import references
from checker.checks.run import results
from checker.checks.answer import Ended
from checker.checks.limits import verdicts
from checker.checks.student import StudentFile
from checker.running import bounded, runner, sandbox_layers


def stack_name():
    """Names the stack the grader runs: Keras and TensorFlow versions."""
    if hasattr(keras, 'ops'):
        return 'Keras {} on TensorFlow {}'.format(keras.__version__,
                                                  tensorflow.__version__)
    if tuple(map(int, tensorflow.__version__.split('.')[:2])) >= (2, 16):
        return 'Keras 2 (tf-keras) on TensorFlow {}'.format(
            tensorflow.__version__)
    return 'TensorFlow {} with its Keras 2'.format(tensorflow.__version__)


def new_seed():
    """A seed drawn fresh, so that no earlier run's answers fit this one."""
    return secrets.randbelow(2 ** 31)


class Checking:
    """The parts of one run, and the files it checks."""

    def __init__(self, server, limits, seed=None):
        """server: the student side's, started; limits: runner.Limits;
        seed: the run's, or a fresh one."""
        self.server, self.limits = server, limits
        self.seed = new_seed() if seed is None else seed
        self.references = references(self.seed)
        self.stack = stack_name()
        self.keras_3 = hasattr(keras, 'ops')
        self.server.ready()
        self.pump = runner.Pump()
        self.rules = bounded.Rules(limits.timeout, limits.memory)
        self.active, self.lock = set(), threading.Lock()
        self.stopping = False
        self.count = 0

    def check(self, task, path, text, place=None):
        """One file's report and the limits it hit. path: the file; text:
        its text; place(number): where its process runs it, as (path in
        the copy, sandbox spec, cgroups), by default in place, unboxed. A
        failure of the grader's own is that file's, never the run's."""
        try:
            checks, hit = self._check(task, path, text, place)
            passed = report.task_passed(checks)
        except Exception as error:
            passed, checks, hit = False, [report.result(
                table.BY_KEY['finishes'].id,
                table.name('finishes', timeout=self.limits.timeout),
                'interface', None, 'The checker could not check your file '
                '({}: {}): that is the checker\'s fault, not yours.'.format(
                    type(error).__name__, str(error)[:200]),
                checker_error=True)], []
        return {'file': path, 'task': task.number, 'name': task.name,
                'stack': self.stack, 'passed': passed, 'checks': checks}, hit

    def _check(self, task, path, text, place):
        """check's work: the checks found and the limits hit."""
        with self.lock:
            self.count += 1
            number = self.count
        inside, spec, groups = (place(number) if place else (
            os.path.abspath(path), sandbox_layers.single(path), None))
        run = runner.FileRun(self.pump, self.server, number, inside, spec,
                             self.limits, groups)
        with self.lock:
            self.active.add(run)
            stopping = self.stopping
        if stopping:  # Ctrl-C came while this file started
            run.stop('stopped')
        file_checks = self.rules.check(path)
        student = StudentFile(task, text, run, self.references[task.number],
                              self.keras_3)
        found, done = [], False
        try:
            for result in results(student, self.references[task.number]):
                found.append(result)
            done = True
        except Ended:
            pass
        finally:
            run.finish()
            with self.lock:
                self.active.discard(run)
        return verdicts(run.seen(), file_checks + found, done)

    def run_all(self, jobs, work):
        """Runs work, a dict of key: function giving a report, jobs at a
        time; yields (key, report) as each ends. Ctrl-C stops them all."""
        executor = concurrent.futures.ThreadPoolExecutor(max_workers=jobs)
        futures = {executor.submit(function): key
                   for key, function in work.items()}
        try:
            for future in concurrent.futures.as_completed(futures):
                yield futures[future], future.result()
        finally:
            for future in futures:
                future.cancel()
            with self.lock:
                self.stopping = True  # a file that starts now stops at once
                running = list(self.active)
            for run in running:
                run.stop('stopped')
            executor.shutdown(wait=True)

    def close(self):
        """Ends the server and the rule processes."""
        self.rules.close()
        self.server.close()
