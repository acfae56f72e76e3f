#!/usr/bin/env python3
"""Measures, per seed model, how many epochs a run needs before XLA's compile
in the first epoch is won back: the numbers behind XLA_BREAK_EVEN in
mnist_helpers.

    MNIST_PATH=../shared/data/mnist.npz ./benchmarks/xla_break_even.py

For each model a fresh process builds it twice, compiled with and without
XLA (the steps per call are the policy's), trains each for a first epoch,
the one that compiles, then alternates their epochs, so that the machine's
drift hits both alike. A second process does the same in the other order,
since the first model trained pays TensorFlow's first-use costs; the
first-epoch extra is the mean of the two. Break-even is the first epoch
count at which the XLA run's total is lower:
1 + (first-epoch extra) / (per-epoch saving), rounded up.
"""
import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEED_MODELS = {
    'vanilla': ('0-vanilla', 'autoencoder', (784, [128, 64], 32), (784,)),
    'sparse': ('1-sparse', 'sparse', (784, [128, 64], 32, 10e-6), (784,)),
    'convolutional': ('2-convolutional', 'autoencoder',
                      ((28, 28, 1), [16, 8, 8], (4, 4, 8)), (28, 28, 1)),
    'variational': ('3-variational', 'autoencoder', (784, [512], 2), (784,))}


def parse_args():
    """Returns the command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--models', nargs='+', choices=list(SEED_MODELS),
                        default=['vanilla', 'sparse', 'variational'])
    parser.add_argument('--alternations', type=int, default=8,
                        help='later epochs of each variant, in turns; '
                             'their median counts (default 8)')
    parser.add_argument('--worker', choices=list(SEED_MODELS),
                        help=argparse.SUPPRESS)
    parser.add_argument('--xla-first', action='store_true',
                        help=argparse.SUPPRESS)
    return parser.parse_args()


def worker(name, alternations, xla_first):
    """Trains the seed model with and without XLA in this process; prints
    each variant's first epoch and its later epochs, in seconds, as JSON."""
    sys.path.insert(0, ROOT)
    import mnist_helpers  # sets TensorFlow's environment first
    module, function, arguments, image_shape = SEED_MODELS[name]
    (x_train, _), (x_test, _) = mnist_helpers.load_mnist(image_shape)
    steps = -(-len(x_train) // mnist_helpers.BATCH_SIZE)
    training, validation = mnist_helpers.batches(x_train, x_test)
    epochs = {}
    for use_xla in (xla_first, not xla_first):
        auto = getattr(__import__(module), function)(*arguments)[2]
        auto.compile(optimizer=auto.optimizer, loss=auto.loss,
                     jit_compile=use_xla,
                     steps_per_execution=mnist_helpers.steps_per_call(steps))
        epochs['xla' if use_xla else 'none'] = (auto, [])
    for _ in range(1 + alternations):
        for auto, seconds in epochs.values():
            start = time.perf_counter()
            auto.fit(training, validation_data=validation, verbose=0)
            seconds.append(time.perf_counter() - start)
    print(json.dumps({key: seconds for key, (_, seconds) in epochs.items()}))


def measure(name, alternations, order):
    """Runs one worker process; returns its epoch times by variant."""
    result = subprocess.run(
        [sys.executable, os.path.abspath(__file__), '--alternations',
         str(alternations), '--worker', name] + order,
        capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main():
    """Measures each model in its own process; prints a Markdown table."""
    options = parse_args()
    if options.worker:
        worker(options.worker, options.alternations, options.xla_first)
        return
    path = os.path.abspath(os.environ.get('MNIST_PATH', ''))
    if not os.path.isfile(path):
        sys.exit('error: set MNIST_PATH to a local mnist.npz')
    os.environ['MNIST_PATH'] = path
    print('| model | first epoch, XLA / none (s) | later epochs, XLA / none '
          '(s) | break-even (epochs) |')
    print('|---|---|---|---|')
    for name in options.models:
        runs = [measure(name, options.alternations, order)
                for order in ([], ['--xla-first'])]
        first = {key: statistics.mean(run[key][0] for run in runs)
                 for key in ('xla', 'none')}
        later = {key: statistics.median(sum((run[key][1:] for run in runs),
                                            []))
                 for key in ('xla', 'none')}
        saving = later['none'] - later['xla']
        extra = first['xla'] - first['none']
        break_even = ('never' if saving <= 0 else
                      max(1, 1 + math.ceil(extra / saving)))
        print('| {} | {:.2f} / {:.2f} | {:.2f} / {:.2f} | {} |'.format(
            name, first['xla'], first['none'], later['xla'], later['none'],
            break_even), flush=True)


if __name__ == '__main__':
    main()
