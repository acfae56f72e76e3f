#!/usr/bin/env python3
"""Measures, per seed model, how many epochs a run needs before XLA's compile
in the first epoch is won back: the numbers behind XLA_BREAK_EVEN in
mains/training.py.

    MNIST_PATH=../shared/data/mnist.npz ./benchmarks/xla_break_even.py

Each try trains a fresh model in a fresh process, as a main does, with or
without XLA in turns; the steps per call are the policy's. Epochs without
XLA are bimodal on a 2-core machine (some tries run them half again as
slow), so the table gives means over all tries, the mix a student meets,
not medians. Break-even is the first epoch count at which the XLA run's
total is lower: 1 + (first-epoch extra) / (per-epoch saving), rounded up.
"""
import argparse
import json
import math
import os
import statistics
import sys
import time

from shared import ROOT, SEED_RUNS, fresh_process


def parse_args():
    """Returns the command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--models', nargs='+', choices=list(SEED_RUNS),
                        default=['vanilla', 'sparse', 'variational'])
    parser.add_argument('--epochs', type=int, default=6,
                        help='epochs per try (default 6, at least 2)')
    parser.add_argument('--tries', type=int, default=5,
                        help='tries per model and setting (default 5)')
    parser.add_argument('--worker', choices=list(SEED_RUNS),
                        help=argparse.SUPPRESS)
    parser.add_argument('--xla', action='store_true', help=argparse.SUPPRESS)
    return parser.parse_args()


def worker(name, use_xla, epoch_count):
    """Trains a fresh seed model in this process, as a main does; prints
    the seconds from the start of fit to each epoch's end, as JSON."""
    sys.path.insert(0, ROOT)
    from mains import inputs, startup, training  # environment first
    run = SEED_RUNS[name]
    (x_train, _), (x_test, _) = inputs.load_mnist(run.image_shape)
    steps = -(-len(x_train) // inputs.BATCH_SIZE)
    auto = getattr(__import__(run.module), run.function)(*run.arguments)[2]
    auto.compile(optimizer=auto.optimizer, loss=auto.loss,
                 jit_compile=use_xla,
                 steps_per_execution=training.steps_per_call(steps))
    pipeline, validation = inputs.batches(x_train, x_test)
    ends = []
    clock = startup.keras.callbacks.LambdaCallback(
        on_epoch_end=lambda epoch, logs: ends.append(time.perf_counter()))
    start = time.perf_counter()
    auto.fit(pipeline, epochs=epoch_count, validation_data=validation,
             verbose=0, callbacks=[clock])
    print(json.dumps([end - start for end in ends]))


def try_once(name, use_xla, epoch_count):
    """Runs one worker process; returns its epoch-end times."""
    result = fresh_process(__file__, ['--epochs', epoch_count, '--worker',
                                      name] + (['--xla'] if use_xla else []))
    if result.returncode:
        sys.exit('the worker failed:\n' + result.stderr[-3000:])
    return json.loads(result.stdout.strip().splitlines()[-1])


def main():
    """Measures each model with and without XLA; prints a Markdown table."""
    options = parse_args()
    if options.worker:
        worker(options.worker, options.xla, options.epochs)
        return
    path = os.path.abspath(os.environ.get('MNIST_PATH', ''))
    if not os.path.isfile(path):
        sys.exit('error: set MNIST_PATH to a local mnist.npz')
    os.environ['MNIST_PATH'] = path
    print('| model | first epoch, XLA / none (s) | later epochs, XLA / none '
          '(s) | break-even (epochs) |')
    print('|---|---|---|---|')
    for name in options.models:
        tries = {True: [], False: []}
        for _ in range(options.tries):
            for use_xla in (True, False):
                tries[use_xla].append(try_once(name, use_xla, options.epochs))
        first = {key: statistics.mean(run[0] for run in runs)
                 for key, runs in tries.items()}
        later = {key: statistics.mean(
            later - earlier for run in runs
            for earlier, later in zip(run, run[1:]))
            for key, runs in tries.items()}
        saving = later[False] - later[True]
        extra = first[True] - first[False]
        break_even = ('never' if saving <= 0 else
                      max(1, 1 + math.ceil(extra / saving)))
        print('| {} | {:.2f} / {:.2f} | {:.2f} / {:.2f} | {} |'.format(
            name, first[True], first[False], later[True], later[False],
            break_even), flush=True)


if __name__ == '__main__':
    main()
