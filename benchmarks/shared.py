#!/usr/bin/env python3
"""What the benchmarks share: the seed's runs, read from where the project
keeps them, not restated (each model's main and its epoch count, the
main's own default; its builder and configuration, the task's own, from
checker/checks/tasks.py; the shape of one input), and a benchmark script run
again in a fresh process, where its measurements are made."""
import collections
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from checker.checks.tasks import TASKS  # noqa: E402 (after sys.path)

SeedRun = collections.namedtuple(
    'SeedRun', 'main epochs module function arguments image_shape')


def _default_epochs(main):
    """The epoch count a main trains when EPOCHS is unset."""
    with open(os.path.join(ROOT, main)) as handle:
        return int(re.search(r'inputs\.epochs\((\d+)\)', handle.read())
                   .group(1))


def _seed_run(task):
    """One task's run: its main, epochs, builder, arguments, input shape."""
    main = '{}-main.py'.format(task.number)
    arguments = task.configurations[0].arguments
    shape = arguments[0]
    return SeedRun(main, _default_epochs(main), task.filename[:-3],
                   task.functions[0], arguments,
                   tuple(shape) if isinstance(shape, tuple) else (shape,))


SEED_RUNS = {task.name: _seed_run(task) for task in TASKS}


def fresh_process(script, arguments, env=None):
    """Runs a benchmark script again as a process of its own, as a user's
    run starts, and returns it finished, its output captured as text."""
    return subprocess.run([sys.executable, os.path.abspath(script)]
                          + [str(argument) for argument in arguments],
                          env=env, capture_output=True, text=True)
