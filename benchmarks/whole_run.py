#!/usr/bin/env python3
"""Times whole runs of each ./N-main.py against the textbook run of the same
main (benchmarks/textbook_main.py), in fresh processes, start-up included,
with PyTorch's epoch beside them where PyTorch is installed.

    MNIST_PATH=../shared/data/mnist.npz ./benchmarks/whole_run.py

After one untimed run per side, each side runs each main at 1 epoch and at
5 or more, in fresh processes, the sides taking turns, 6 times. Each
epoch's end is read off the main's own output as it arrives; every epoch
but a process's first is a steady epoch, and the table gives their median
and spread (min-max) over all processes, PyTorch's beside them. Ratios
come from medians. The seed's full run is predicted as the longer run's
median wall time plus its remaining epochs at the median steady epoch.
Runs happen in a temporary copy of the project, so its figures are left
alone; each run's times go to stderr as it ends.
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from shared import ROOT, SEED_RUNS, fresh_process

HERE = os.path.join(ROOT, 'benchmarks')
PROJECT_FILES = ['0-vanilla.py', '1-sparse.py', '2-convolutional.py',
                 '3-variational.py', 'mains',
                 'benchmarks/textbook_main.py'] + [
                     run.main for run in SEED_RUNS.values()]
SIDES = ('ours', 'textbook')
# Left to each side: ours sets its own, the textbook keeps TensorFlow's.
TENSORFLOW_SETTINGS = ('TF_ENABLE_ONEDNN_OPTS', 'TF_CPP_MIN_LOG_LEVEL')


def parse_args():
    """Returns the command-line options."""
    parser = argparse.ArgumentParser(
        description=__doc__.split('\n\n')[0],
        epilog='Needs MNIST_PATH; PyTorch is optional '
               '(benchmarks/requirements.txt).')
    parser.add_argument('--epochs', type=int, default=5,
                        help='epochs of the longer run, at least 2; raised '
                             "to where the policy turns XLA on (default 5)")
    parser.add_argument('--repeats', type=int, default=6,
                        help='fresh processes per side and count (default '
                             '6); medians count')
    parser.add_argument('--models', nargs='+', choices=list(SEED_RUNS),
                        default=list(SEED_RUNS))
    return parser.parse_args()


def mnist_path():
    """Returns MNIST_PATH made absolute, for the runs in another folder."""
    path = os.path.abspath(os.environ.get('MNIST_PATH', ''))
    if not os.path.isfile(path):
        sys.exit('error: MNIST_PATH must name a local mnist.npz, got {!r}'
                 .format(os.environ.get('MNIST_PATH', '')))
    return path


def copy_project():
    """Copies what the mains need into a new temporary folder; returns it."""
    folder = tempfile.mkdtemp(prefix='whole_run_')
    for name in PROJECT_FILES:
        if os.path.isdir(os.path.join(ROOT, name)):
            shutil.copytree(os.path.join(ROOT, name),
                            os.path.join(folder, name),
                            ignore=shutil.ignore_patterns('__pycache__'))
        else:
            shutil.copy(os.path.join(ROOT, name), folder)
    return folder


def timed_run(command, folder, environment, marker):
    """Runs command to the end; returns its wall time, the seconds from its
    start at which each output line holding `marker` arrived, and its
    output. stderr joins stdout, so neither pipe can fill up unread."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=folder, env=environment,
                               stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    marks, lines = [], []
    for line in process.stdout:
        lines.append(line)
        if marker in line:
            marks.append(time.perf_counter() - start)
    output = ''.join(lines)
    if process.wait():
        sys.exit('{} failed:\n{}'.format(' '.join(command), output[-3000:]))
    return time.perf_counter() - start, marks, output


def run_main(folder, main, side, epochs):
    """Runs one main in a fresh process; returns its wall time, its epochs'
    end times and its last val_loss."""
    environment = {key: value for key, value in os.environ.items()
                   if key not in TENSORFLOW_SETTINGS}
    environment.update(EPOCHS=str(epochs), MPLBACKEND='Agg',
                       PYTHONUNBUFFERED='1')
    command = [sys.executable, main]
    if side == 'textbook':
        command = [sys.executable, 'textbook_main.py', main]
    seconds, ends, output = timed_run(command, folder, environment,
                                      'val_loss')
    return seconds, ends, float(re.findall(r'val_loss: ([\d.]+)',
                                           output)[-1])


def torch_epochs(name, epochs):
    """Returns PyTorch's steady epochs (all but the first) in one fresh
    process, or [] where PyTorch is missing or has no anchor for the model."""
    if name not in ('convolutional', 'vanilla'):
        return []
    result = fresh_process(os.path.join(HERE, 'torch_anchor.py'),
                           ['--model', name, '--epochs', epochs])
    found = re.findall(r'^epoch \d+: ([\d.]+) s', result.stdout, re.M)
    if not found:
        print((result.stderr or result.stdout).strip().splitlines()[-1],
              file=sys.stderr)
    return [float(seconds) for seconds in found[1:]]


def matmul_flops_per_second(size=2048, repeats=10):
    """Returns the best float32 FLOP/s of a size x size matmul here: the
    peak that the models' rates are compared with."""
    import tensorflow as tf
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
    import tensorflow.keras as keras
    run = SEED_RUNS[name]
    builder = getattr(__import__(run.module), run.function)
    forward = 0
    for model in builder(*run.arguments)[:2]:
        for layer in model.layers:
            if isinstance(layer, keras.layers.Dense):
                forward += 2 * int(layer.kernel.shape[0] *
                                   layer.kernel.shape[1])
            elif isinstance(layer, keras.layers.Conv2D):
                height, width = layer.output.shape[1:3]
                kernel = layer.kernel.shape
                forward += 2 * height * width * int(
                    kernel[0] * kernel[1] * kernel[2] * kernel[3])
    return forward * (3 * 60000 + 10000)


def time_model(folder, name, counts, repeats):
    """Runs both sides at both counts, in turns, then PyTorch; returns the
    wall times of each (side, count), each side's steady epochs over all
    its processes (PyTorch's under 'PyTorch') and each side's last
    val_loss."""
    main_file = SEED_RUNS[name].main
    wall = {(side, count): [] for side in SIDES for count in counts}
    steady = {side: [] for side in SIDES + ('PyTorch',)}
    val_loss = {}
    for repeat in range(1, repeats + 1):
        for count in counts:
            for side in SIDES:
                seconds, ends, val_loss[side] = run_main(
                    folder, main_file, side, count)
                wall[side, count].append(seconds)
                epochs = [later - earlier
                          for earlier, later in zip(ends, ends[1:])]
                steady[side] += epochs
                steady_seconds = ''.join(', {:.2f}'.format(epoch)
                                         for epoch in epochs)
                print('{} {} {}, {} epochs: {:.1f} s{}'.format(
                    name, repeat, side, count, seconds, steady_seconds),
                    file=sys.stderr, flush=True)
        steady['PyTorch'] += torch_epochs(name, counts[-1])
    return wall, steady, val_loss


def spread(seconds):
    """Returns 'median (min-max)' of a list of seconds, or '-' if empty."""
    if not seconds:
        return '-'
    return '{:.2f} ({:.2f}-{:.2f})'.format(
        statistics.median(seconds), min(seconds), max(seconds))


def main():
    """Runs the benchmark; prints a Markdown row per model and a total."""
    options = parse_args()
    os.environ['MNIST_PATH'] = mnist_path()
    sys.path.insert(0, ROOT)  # the builders
    import tensorflow as tf
    from mains import startup, training
    folder = copy_project()
    peak = matmul_flops_per_second()
    print('Keras {}, TensorFlow {}; {} fresh processes per side and count; '
          'float32 matmul peak {:.1f} GFLOP/s'.format(
              startup.KERAS_MAJOR, tf.__version__, options.repeats,
              peak / 1e9))
    print('| model | epochs | steady epoch (s), median (min-max): '
          'ours / textbook / PyTorch | ours / PyTorch '
          '| ours, slowest / fastest | full run, ours / textbook (s) '
          '| ratio | 1-epoch run, ours / textbook (s) | ratio '
          '| ours, % of matmul peak | val_loss, ours / textbook |')
    print('|---|---|---|---|---|---|---|---|---|---|---|')
    for side in SIDES:  # untimed: the first runs read TensorFlow from disk
        run_main(folder, SEED_RUNS[options.models[0]].main, side, 1)
    totals = dict.fromkeys(SIDES, 0.0)
    for name in options.models:
        break_even = training.xla_break_even(name) or 0
        more = max(options.epochs, 2, break_even)
        wall, steady, val_loss = time_model(folder, name, (1, more),
                                            options.repeats)
        epoch = {side: statistics.median(steady[side]) for side in SIDES}
        one = {side: statistics.median(wall[side, 1]) for side in SIDES}
        full = {side: statistics.median(wall[side, more])
                + (SEED_RUNS[name].epochs - more) * epoch[side]
                for side in SIDES}
        for side in SIDES:
            totals[side] += full[side]
        share = epoch_flops(name) / epoch['ours'] / peak
        print('| {} | {} | {} | {} | {:.2f} | {:.0f} / {:.0f} | {:.2f} '
              '| {:.1f} / {:.1f} | {:.2f} | {} | {:.4g} / {:.4g} |'.format(
                  name, more, ' / '.join(spread(steady[side]) for side
                                         in SIDES + ('PyTorch',)),
                  '{:.2f}'.format(epoch['ours'] / statistics.median(
                      steady['PyTorch'])) if steady['PyTorch'] else '-',
                  max(steady['ours']) / min(steady['ours']),
                  full['ours'], full['textbook'],
                  full['ours'] / full['textbook'], one['ours'],
                  one['textbook'], one['ours'] / one['textbook'],
                  '{:.0%}'.format(share) if share <= 1 else 'too noisy',
                  val_loss['ours'], val_loss['textbook']), flush=True)
    print('| all {} | | | | | {:.0f} / {:.0f} | {:.2f} | | | | |'.format(
        len(options.models), totals['ours'], totals['textbook'],
        totals['ours'] / totals['textbook']))
    shutil.rmtree(folder)


if __name__ == '__main__':
    main()
