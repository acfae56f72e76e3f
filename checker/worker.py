#!/usr/bin/env python3
"""Checks one task file against this project's builder of the same task,
in a process of its own that checker/server.py forks for it. The checks
run in the order
of checker/checks.py's table, each one that needs an earlier failed check
reported as not run; each result and each stage is a JSON line in RESULTS
as soon as it is known, so that a file which hangs or kills the process
still leaves what was found before."""
import copy
import importlib.util
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

import tensorflow as tf  # noqa: E402 (after sys.path)
import tensorflow.keras as keras  # noqa: E402

from checker import checks, errors  # noqa: E402
from checker.report import result  # noqa: E402
from checker.student import Student  # noqa: E402
from checker.tasks import TASKS  # noqa: E402
from checker.verdicts import Verdicts  # noqa: E402
from mains.stack import keras_major  # noqa: E402

KERAS_3 = keras_major(keras) == 3


def stack():
    """Names the stack this process runs: Keras and TensorFlow versions."""
    if KERAS_3:
        return 'Keras {} on TensorFlow {}'.format(keras.__version__,
                                                  tf.__version__)
    if tuple(map(int, tf.__version__.split('.')[:2])) >= (2, 16):
        return 'Keras 2 (tf-keras) on TensorFlow {}'.format(tf.__version__)
    return 'TensorFlow {} with its Keras 2'.format(tf.__version__)


class ReferenceFailed(Exception):
    """The checker's own reference builder failed: the checker's fault."""


def reference_modules():
    """Imports this project's four builders, once, before any fork."""
    if not REFERENCES:
        for task in TASKS:
            spec = importlib.util.spec_from_file_location(
                'reference_{}'.format(task.number),
                os.path.join(ROOT, task.filename))
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            REFERENCES[task.number] = module
    return REFERENCES


REFERENCES = {}


class Reference:
    """This project's builder of the task, the reference: each
    configuration built once, from fresh copies of its arguments."""

    def __init__(self, task):
        """Takes the builder from this project's file of the task."""
        self.builder = getattr(reference_modules()[task.number],
                               task.functions[0])
        self.built = {}

    def models(self, arguments, fresh=False):
        """Returns (encoder, decoder, auto) of the reference; fresh ones,
        not the shared ones, for computations that change weights."""
        key = repr(arguments)
        if fresh or key not in self.built:
            try:
                models = self.builder(*copy.deepcopy(arguments))
            except Exception as error:
                raise ReferenceFailed(
                    'The checker\'s own reference could not build {} ({}): '
                    'that is the checker\'s fault, not your file\'s. Please '
                    'report it.'.format(arguments, errors.error_line(error)))
            if fresh:
                return models
            self.built[key] = models
        return self.built[key]


class Checker(Verdicts):
    """Runs one task's checks in the table's order and sends each result
    as it comes; the checks themselves are Verdicts' methods."""

    def __init__(self, task, path, send):
        """task: from checker.tasks; path: their file; send: one line."""
        self.task, self.send = task, send
        self.student = Student(path, send, KERAS_3)
        self.reference = Reference(task)
        self.keras_3 = KERAS_3
        self.outcomes, self.reasons = {}, {}
        self.applicable = {check.key for check in checks.for_task(task)}

    def run(self):
        """Every check of the task but the file's and the limits'."""
        exercise = self.task.configurations[0]
        for check in checks.for_task(self.task):
            if check.kind == 'file' or check.key in ('finishes', 'limits'):
                continue
            if check.key == 'beyond':
                for configuration in self.task.configurations[1:]:
                    self.run_one(check, configuration)
            else:
                self.run_one(check, exercise)

    def run_one(self, check, configuration):
        """Runs one check, or reports it as not run and why."""
        why = self.blocked(check)
        if why:
            outcome, detail = None, 'not run: ' + why
            self.reasons[check.key] = why
        else:
            method = getattr(self, 'check_' + check.key.replace(' ', '_'))
            try:
                outcome, detail = method(configuration)
            except ReferenceFailed as failure:
                outcome, detail = None, str(failure)
                self.reasons[check.key] = 'the checker\'s reference failed'
        self.outcomes.setdefault(check.key, outcome)
        self.send({'check': result(
            checks.name(check.key, configuration=configuration.label,
                        builder=self.builder_names(),
                        parameters=', '.join(self.task.parameters)),
            check.kind, outcome, detail, configuration.beyond)})

    def blocked(self, check):
        """Why a check cannot run: the first of its needs not passed."""
        for need in check.needs:
            if need in self.applicable and self.outcomes.get(need) is not True:
                return self.reasons.get(need) or checks.BY_KEY[need].blocks
        return ''

    def builder_names(self):
        """The builder's names as the defines check says them."""
        return ' or '.join('`{}`'.format(name)
                           for name in self.task.functions)


def sender(handle):
    """Returns send(message): one JSON line, flushed at once, so that what
    was found survives a file that hangs or kills its process."""
    def send(message):
        """Writes one JSON line and flushes it."""
        handle.write(json.dumps(message) + '\n')
        handle.flush()
    return send


def check(number, path, send):
    """Checks one task file, the stack first and 'done' last; seeded, so
    that a file's report is the same in every run."""
    send({'stack': stack()})
    keras.utils.set_random_seed(0)
    Checker(TASKS[number], path, send).run()
    send({'done': True})
