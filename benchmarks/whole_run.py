#!/usr/bin/env python3
"""Times whole runs of each ./N-main.py against the textbook run of the same
main (benchmarks/textbook_main.py), in fresh processes, start-up included,
with PyTorch's epoch beside them where PyTorch is installed.

    MNIST_PATH=../shared/data/mnist.npz ./benchmarks/whole_run.py

After one untimed run per side, each side runs each main at 1 epoch and at
a few more, the sides taking turns; the fastest repeat counts. Each epoch's
end is read off the main's own output as it arrives, so a run's steady
seconds per epoch come from inside one process. The seed's full run is
predicted as the longer run plus its remaining epochs at that pace. Runs
happen in a temporary copy of the project, so its figures are left alone.
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

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HERE = os.path.join(ROOT, 'benchmarks')
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
    parser = argparse.ArgumentParser(
        description=__doc__.split('\n\n')[0],
        epilog='Needs MNIST_PATH; PyTorch is optional '
               '(benchmarks/requirements.txt).')
    parser.add_argument('--epochs', type=int, default=3,
                        help='epochs of the longer run, at least 2; raised '
                             "to where the policy turns XLA on (default 3)")
    parser.add_argument('--repeats', type=int, default=2,
                        help='runs per side and count; the fastest counts')
    parser.add_argument('--models', nargs='+', choices=list(MAINS),
                        default=list(MAINS))
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


def torch_epoch(name):
    """Returns PyTorch's seconds per epoch for the model, or None where
    PyTorch is missing or has no anchor for it."""
    if name not in ('convolutional', 'vanilla'):
        return None
    command = [sys.executable, os.path.join(HERE, 'torch_anchor.py'),
               '--model', name]
    result = subprocess.run(command, capture_output=True, text=True)
    found = re.findall(r'seconds per epoch: ([\d.]+)', result.stdout)
    if not found:
        print((result.stderr or result.stdout).strip().splitlines()[-1])
        return None
    return float(found[0])


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
    from xla_break_even import SEED_MODELS
    module, function, arguments, _ = SEED_MODELS[name]
    forward = 0
    for model in getattr(__import__(module), function)(*arguments)[:2]:
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
    """Runs both sides at both counts, in turns; returns the fastest wall
    time of each (side, count), each side's fastest steady epoch, its
    val_loss after its last run, and PyTorch's epoch."""
    main_file = MAINS[name][0]
    wall, epoch, val_loss, anchors = {}, {}, {}, []
    for _ in range(repeats):
        for count in counts:
            for side in SIDES:
                seconds, ends, val_loss[side] = run_main(
                    folder, main_file, side, count)
                wall[side, count] = min(wall.get((side, count), seconds),
                                        seconds)
                if len(ends) > 1:
                    steady = statistics.median(
                        later - earlier for earlier, later
                        in zip(ends, ends[1:]))
                    epoch[side] = min(epoch.get(side, steady), steady)
        anchors.append(torch_epoch(name))
    anchors = [anchor for anchor in anchors if anchor]
    return wall, epoch, val_loss, min(anchors) if anchors else None


def main():
    """Runs the benchmark; prints a Markdown row per model and a total."""
    options = parse_args()
    os.environ['MNIST_PATH'] = mnist_path()
    sys.path[:0] = [ROOT, HERE]  # the builders and SEED_MODELS
    import mnist_helpers
    import tensorflow as tf
    folder = copy_project()
    peak = matmul_flops_per_second()
    print('Keras {}, TensorFlow {}; 1 epoch and more, fastest of {}; '
          'float32 matmul peak {:.1f} GFLOP/s'.format(
              mnist_helpers.KERAS_MAJOR, tf.__version__, options.repeats,
              peak / 1e9))
    print('| model | epochs | s/epoch, ours / textbook / PyTorch '
          '| full run, ours / textbook (s) | ratio | 1-epoch run, ours / '
          'textbook (s) | ratio | ours, % of matmul peak '
          '| val_loss, ours / textbook |')
    print('|---|---|---|---|---|---|---|---|---|')
    for side in SIDES:  # untimed: the first runs read TensorFlow from disk
        run_main(folder, MAINS[options.models[0]][0], side, 1)
    totals = dict.fromkeys(SIDES, 0.0)
    for name in options.models:
        break_even = mnist_helpers.xla_break_even(name) or 0
        more = max(options.epochs, 2, break_even)
        wall, epoch, val_loss, anchor = time_model(
            folder, name, (1, more), options.repeats)
        full = {side: wall[side, more] + (MAINS[name][1] - more) * epoch[side]
                for side in SIDES}
        for side in SIDES:
            totals[side] += full[side]
        share = epoch_flops(name) / epoch['ours'] / peak
        print('| {} | {} | {:.2f} / {:.2f} / {} | {:.0f} / {:.0f} | {:.2f} '
              '| {:.1f} / {:.1f} | {:.2f} | {} | {:.4g} / {:.4g} |'.format(
                  name, more, epoch['ours'], epoch['textbook'],
                  '{:.2f}'.format(anchor) if anchor else '-',
                  full['ours'], full['textbook'],
                  full['ours'] / full['textbook'], wall['ours', 1],
                  wall['textbook', 1], wall['ours', 1] / wall['textbook', 1],
                  '{:.0%}'.format(share) if share <= 1 else 'too noisy',
                  val_loss['ours'], val_loss['textbook']), flush=True)
    print('| all {} | | | {:.0f} / {:.0f} | {:.2f} | | | | |'.format(
        len(options.models), totals['ours'], totals['textbook'],
        totals['ours'] / totals['textbook']))
    shutil.rmtree(folder)


if __name__ == '__main__':
    main()
