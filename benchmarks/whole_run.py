#!/usr/bin/env python3
"""Times whole runs of each ./N-main.py against the textbook run of the same
main (benchmarks/textbook_main.py), in fresh processes, start-up included,
and predicts the seed's full runs from two epoch counts.

    MNIST_PATH=../shared/data/mnist.npz ./benchmarks/whole_run.py

After one untimed run per side, each side runs at both epoch counts, the
sides taking turns, and the fastest of the repeats counts. Two counts split
a run into start-up `a` (importing, loading, compiling, figures) and
seconds per epoch `b`; the full seed run is predicted as a + b x epochs.
The runs happen in a temporary copy of the project, so its figures are
left alone.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np
import tensorflow as tf
import tensorflow.keras as keras

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)  # for the builders, whose layers give the FLOPs
MAINS = {'vanilla': ('0-main.py', 50), 'sparse': ('1-main.py', 100),
         'convolutional': ('2-main.py', 50), 'variational': ('3-main.py', 50)}
PROJECT_FILES = ['0-vanilla.py', '1-sparse.py', '2-convolutional.py',
                 '3-variational.py', 'mnist_helpers.py',
                 'benchmarks/textbook_main.py'] + [
                     main for main, _ in MAINS.values()]
SIDES = ('ours', 'textbook')
# Left to each side: ours sets its own, the textbook keeps TensorFlow's.
TENSORFLOW_SETTINGS = ('TF_ENABLE_ONEDNN_OPTS', 'TF_CPP_MIN_LOG_LEVEL')


def parse_args():
    """Returns the command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--epochs', type=int, nargs=2, default=[1, 4],
                        metavar=('FEW', 'MORE'),
                        help='the two epoch counts (default: 1 4)')
    parser.add_argument('--repeats', type=int, default=2,
                        help='runs per side and count; the fastest counts')
    parser.add_argument('--models', nargs='+', choices=list(MAINS),
                        default=list(MAINS))
    return parser.parse_args()


def copy_project():
    """Copies what the mains need into a new temporary folder; returns it."""
    folder = tempfile.mkdtemp(prefix='whole_run_')
    for name in PROJECT_FILES:
        shutil.copy(os.path.join(ROOT, name), folder)
    return folder


def run_main(folder, main, side, epochs):
    """Runs one main to the end in a fresh process; returns its wall time
    and its last val_loss. Fails loudly if the run fails."""
    environment = {key: value for key, value in os.environ.items()
                   if key not in TENSORFLOW_SETTINGS}
    environment.update(EPOCHS=str(epochs), MPLBACKEND='Agg')
    command = [sys.executable, main]
    if side == 'textbook':
        command = [sys.executable, 'textbook_main.py', main]
    start = time.perf_counter()
    result = subprocess.run(command, cwd=folder, env=environment,
                            capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode:
        sys.exit('{} {} failed:\n{}'.format(side, main, result.stderr[-3000:]))
    return seconds, float(re.findall(r'val_loss: ([\d.]+)',
                                     result.stdout)[-1])


def matmul_flops_per_second(size=2048, repeats=10):
    """Returns the best float32 FLOP/s of a size x size matmul here: the
    peak that the models' rates are compared with."""
    a = tf.random.normal((size, size))
    b = tf.random.normal((size, size))
    matmul = tf.function(lambda: tf.linalg.matmul(a, b))
    matmul().numpy()
    best = float('inf')
    for _ in range(repeats):
        start = time.perf_counter()
        matmul().numpy()
        best = min(best, time.perf_counter() - start)
    return 2 * size ** 3 / best


def epoch_flops(name):
    """FLOPs of one epoch of a seed model as the mains train it: 3 x forward
    for 60000 training digits plus 1 x forward for 10000 test digits."""
    builders = {
        'vanilla': lambda: __import__('0-vanilla').autoencoder(
            784, [128, 64], 32),
        'sparse': lambda: __import__('1-sparse').sparse(
            784, [128, 64], 32, 10e-6),
        'convolutional': lambda: __import__('2-convolutional').autoencoder(
            (28, 28, 1), [16, 8, 8], (4, 4, 8)),
        'variational': lambda: __import__('3-variational').autoencoder(
            784, [512], 2)}
    forward = 0
    for model in builders[name]()[:2]:  # the encoder, then the decoder
        for layer in model.layers:
            if isinstance(layer, keras.layers.Dense):
                forward += 2 * int(np.prod(layer.kernel.shape))
            elif isinstance(layer, keras.layers.Conv2D):
                height, width = layer.output.shape[1:3]
                forward += 2 * height * width * int(
                    np.prod(layer.kernel.shape))
    return forward * (3 * 60000 + 10000)


def time_model(folder, name, counts, repeats):
    """Returns the fastest wall time of each (side, epoch count), and each
    side's val_loss after its last run."""
    main_file = MAINS[name][0]
    best = {}
    val_loss = {}
    for _ in range(repeats):
        for count in counts:
            for side in SIDES:
                seconds, val_loss[side] = run_main(folder, main_file, side,
                                                   count)
                best[side, count] = min(best.get((side, count), seconds),
                                        seconds)
    return best, val_loss


def main():
    """Runs the benchmark; prints a row per model and the four together."""
    options = parse_args()
    few, more = options.epochs
    folder = copy_project()
    peak = matmul_flops_per_second()
    print('Keras {}, TensorFlow {}; epochs {} and {}, fastest of {}; '
          'float32 matmul peak {:.1f} GFLOP/s'.format(
              3 if hasattr(keras, 'ops') else 2, tf.__version__, few, more,
              options.repeats, peak / 1e9))
    print('| model | a, ours / textbook (s) | b, ours / textbook (s/epoch) '
          '| full run, ours / textbook (s) | ratio | {}-epoch run ratio '
          '| ours, % of matmul peak | val_loss, ours / textbook |'
          .format(few))
    print('|---|---|---|---|---|---|---|---|')
    for side in SIDES:  # untimed: the first runs read TensorFlow from disk
        run_main(folder, MAINS[options.models[0]][0], side, few)
    totals = dict.fromkeys(SIDES, 0.0)
    for name in options.models:
        best, val_loss = time_model(folder, name, (few, more),
                                    options.repeats)
        start_up, per_epoch, full = {}, {}, {}
        for side in SIDES:
            per_epoch[side] = (best[side, more] - best[side, few]) / (
                more - few)
            start_up[side] = best[side, few] - few * per_epoch[side]
            full[side] = start_up[side] + per_epoch[side] * MAINS[name][1]
            totals[side] += full[side]
        print('| {} | {:.1f} / {:.1f} | {:.2f} / {:.2f} | {:.0f} / {:.0f} '
              '| {:.2f} | {:.2f} | {:.0f}% | {:.4g} / {:.4g} |'.format(
                  name, start_up['ours'], start_up['textbook'],
                  per_epoch['ours'], per_epoch['textbook'], full['ours'],
                  full['textbook'], full['ours'] / full['textbook'],
                  best['ours', few] / best['textbook', few],
                  100 * epoch_flops(name) / per_epoch['ours'] / peak,
                  val_loss['ours'], val_loss['textbook']), flush=True)
    print('| all {} | | | {:.0f} / {:.0f} | {:.2f} | | | |'.format(
        len(options.models), totals['ours'], totals['textbook'],
        totals['ours'] / totals['textbook']))
    shutil.rmtree(folder)


if __name__ == '__main__':
    main()
