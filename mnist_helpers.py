#!/usr/bin/env python3
"""What the four mains share: TensorFlow's environment, their settings,
loading MNIST, how to train (the compile policy, the input pipeline, Ctrl-C)
and their figures. Import it before anything that imports TensorFlow."""
import contextlib
import os
import re
import signal
import sys
import time

import matplotlib
import matplotlib.pyplot as plt
import matplotlib.ticker
import numpy as np

# TensorFlow reads these once, when it is imported; a value the user has set
# wins. oneDNN's CPU kernels are on by default only on some Intel CPUs, and
# make the convolutional model about 2.5x faster on the others. Level 3 hides
# TensorFlow's C++ info lines and the "failed call to cuInit" error that
# machines without a GPU print; Python warnings and exceptions still show.
os.environ.setdefault('TF_ENABLE_ONEDNN_OPTS', '1')
os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '3')
# Lines TensorFlow 2.16+ writes while it loads, before its logging starts,
# so that no log level reaches them (tensorflow/tensorflow pull request
# 102212). To a student, "Could not find cuda drivers" reads as an error.
KNOWN_START_LINES = re.compile(
    rb'WARNING: All log messages before absl::InitializeLog\(\) is called'
    rb'|[IW]\d{4} [\d:.]+ +\d+ (port|cudart_stub)\.cc:\d+\] '
    rb'(oneDNN custom operations are on|Could not find cuda drivers)')


def _copy_unknown_lines(source, target):
    """Copies lines from file descriptor source to target as they come,
    except the known start-up lines; returns at end of file."""
    pending = b''
    while True:
        chunk = os.read(source, 65536)
        if not chunk:
            break
        *lines, pending = (pending + chunk).split(b'\n')
        for line in lines:
            if not KNOWN_START_LINES.match(line):
                os.write(target, line + b'\n')
    if pending and not KNOWN_START_LINES.match(pending):
        os.write(target, pending)


@contextlib.contextmanager
def known_start_lines_held_back():
    """While TensorFlow is imported, sends stderr through a forked filter
    that drops KNOWN_START_LINES and passes every other line on in order,
    even if the import fails or the process dies. TF_CPP_MIN_LOG_LEVEL=0
    shows everything, as does a system without fork."""
    if os.environ.get('TF_CPP_MIN_LOG_LEVEL') == '0' \
            or not hasattr(os, 'fork'):
        yield
        return
    sys.stderr.flush()
    read_end, write_end = os.pipe()
    filter_pid = os.fork()
    if filter_pid == 0:  # the filter: stderr's lines until the import ends
        os.close(write_end)
        _copy_unknown_lines(read_end, 2)
        os._exit(0)
    os.close(read_end)
    saved_stderr = os.dup(2)
    os.dup2(write_end, 2)
    os.close(write_end)
    try:
        yield
    finally:
        sys.stderr.flush()
        os.dup2(saved_stderr, 2)  # the pipe's last writer: the filter ends
        os.close(saved_stderr)
        _wait_for(filter_pid)


def _wait_for(pid, limit=5.0):
    """Waits for the filter to pass on its last lines, killing it after
    `limit` seconds should a child process of the import hold the pipe."""
    deadline = time.monotonic() + limit
    while os.waitpid(pid, os.WNOHANG) == (0, 0):
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return
        time.sleep(0.005)


with known_start_lines_held_back():
    import tensorflow as tf
    import tensorflow.keras as keras

IMAGES_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                          '0x04-images')
MNIST_KEYS = ('x_train', 'y_train', 'x_test', 'y_test')
NON_INTERACTIVE_BACKENDS = {'agg', 'cairo', 'pdf', 'pgf', 'ps', 'svg',
                            'template'}
BATCH_SIZE = 256  # the seed's
# The training policy (docs/speed.md, "Training policy"). Steps run per call
# on a CPU: most of Keras' per-step dispatch is saved by then.
STEPS_PER_CALL = 32
# On a CPU, the fewest epochs for which XLA's compile in the first epoch is
# won back by faster epochs after it, by Keras version; None where XLA never
# pays (benchmarks/xla_break_even.py). TensorFlow 2.15 counts as Keras 2.
XLA_BREAK_EVEN = {
    2: {'vanilla': 6, 'sparse': 6, 'convolutional': None, 'variational': 3},
    3: {'vanilla': 5, 'sparse': 8, 'convolutional': None, 'variational': 5}}
KERAS_MAJOR = 3 if hasattr(keras, 'ops') else 2
# The seed's run on TensorFlow 1.12 printed epochs 1-5 and the last five of
# each run: {epoch: (loss, val_loss)}, drawn on the loss curves.
SEED_LOSSES = {
    'vanilla': {1: (0.2504, 0.1667), 2: (0.1498, 0.1361),
                3: (0.1312, 0.1242), 4: (0.1220, 0.1173),
                5: (0.1170, 0.1132), 46: (0.0852, 0.0850),
                47: (0.0851, 0.0846), 48: (0.0850, 0.0848),
                49: (0.0849, 0.0845), 50: (0.0848, 0.0844)},
    'sparse': {1: (0.3123, 0.2538), 2: (0.2463, 0.2410),
               3: (0.2400, 0.2381), 4: (0.2379, 0.2360),
               5: (0.2360, 0.2339), 96: (0.1602, 0.1609),
               97: (0.1601, 0.1608), 98: (0.1601, 0.1601),
               99: (0.1601, 0.1604), 100: (0.1597, 0.1601)},
    'variational': {1: (214.4525, 177.2306), 2: (171.7558, 168.7191),
                    3: (167.4977, 166.5061), 4: (165.6473, 165.1279),
                    5: (164.0918, 163.7083), 46: (148.1491, 151.3205),
                    47: (148.0358, 151.2141), 48: (147.9396, 151.3823),
                    49: (147.8144, 151.4026), 50: (147.6572, 151.1969)}}
NO_SEED_LOSSES = {
    'convolutional': "No markers for the seed's run: its losses (63.97 to "
                     '23.77) fit no binary cross-entropy of this model; '
                     'docs/reproduction.md says why.'}


def fail(message):
    """Prints message as one line to stderr and exits with status 1."""
    print('error: ' + message, file=sys.stderr)
    sys.exit(1)


def _int_setting(name, default, smallest):
    """Returns environment variable `name` as an int >= smallest (0 or 1),
    or default when it is unset or empty; exits with one line otherwise."""
    value = os.environ.get(name, '').strip()
    if not value:
        return default
    if not value.isdigit() or int(value) < smallest:
        fail('{} must be a {} integer, got {!r}'.format(
            name, 'positive' if smallest else 'non-negative', value))
    return int(value)


def epochs(default):
    """Returns the EPOCHS environment variable as a positive int, else
    default (the seed's count for that main)."""
    return _int_setting('EPOCHS', default, 1)


def seed():
    """Seeds Python, NumPy and TensorFlow with the SEED environment
    variable (default 0), so that a run can be repeated; returns it."""
    value = _int_setting('SEED', 0, 0)
    keras.utils.set_random_seed(value)
    return value


def _read_mnist():
    """Returns MNIST's four arrays from MNIST_PATH, or from Keras' download
    when MNIST_PATH is unset."""
    path = os.environ.get('MNIST_PATH')
    if not path:
        (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
        return x_train, y_train, x_test, y_test
    with np.load(path) as data:
        missing = [key for key in MNIST_KEYS if key not in data]
        if missing:
            raise ValueError('it has no {}'.format(', '.join(missing)))
        return tuple(data[key] for key in MNIST_KEYS)


def _check_layout(x_train, y_train, x_test, y_test):
    """Raises ValueError unless the arrays have the layout of Keras' MNIST:
    uint8 images (n, 28, 28) with n labels, for training and for testing."""
    for images, labels, split in ((x_train, y_train, 'train'),
                                  (x_test, y_test, 'test')):
        if images.ndim != 3 or images.shape[1:] != (28, 28) \
                or not len(images) or images.dtype != np.uint8:
            raise ValueError('x_{} is {} {}, expected uint8 (n, 28, 28)'
                             .format(split, images.dtype, images.shape))
        if labels.shape != (len(images),):
            raise ValueError('y_{} has shape {}, expected ({},)'
                             .format(split, labels.shape, len(images)))


def load_mnist(image_shape):
    """Loads MNIST with pixels scaled to [0, 1] as float32.

    Args:
        image_shape: shape of one sample for the model, (784,) for the dense
            models or (28, 28, 1) for the convolutional one.

    Returns:
        (x_train, y_train), (x_test, y_test). On any failure it prints one
        line naming the problem and MNIST_PATH, and exits with status 1.
    """
    source = os.environ.get('MNIST_PATH') or "Keras' download"
    try:
        arrays = _read_mnist()
        _check_layout(*arrays)
    except Exception as error:
        fail('could not load MNIST from {}: {}. Set MNIST_PATH to a local '
             'mnist.npz in the layout of keras.datasets.mnist (x_train, '
             'y_train, x_test, y_test)'
             .format(source, str(error).splitlines()[0] if str(error)
                     else type(error).__name__))
    x_train, y_train, x_test, y_test = arrays
    scale = np.float32(1 / 255)
    x_train = x_train.reshape((-1,) + tuple(image_shape)) * scale
    x_test = x_test.reshape((-1,) + tuple(image_shape)) * scale
    return (x_train, y_train), (x_test, y_test)


def device_kind():
    """Returns 'cuda' for an NVIDIA GPU, 'other' for any other accelerator
    (Apple's Metal plugin, say), or 'cpu' when TensorFlow sees none."""
    accelerators = [device for device in tf.config.list_physical_devices()
                    if device.device_type != 'CPU']
    if not accelerators:
        return 'cpu'
    if tf.test.is_built_with_cuda() and all(
            device.device_type == 'GPU' for device in accelerators):
        return 'cuda'
    return 'other'


def steps_per_call(steps_per_epoch):
    """Returns the divisor of steps_per_epoch nearest STEPS_PER_CALL (on a
    log scale): Keras 3's progress bar overshoots an epoch whose last call
    runs fewer steps, 256/235 for 32 steps a call."""
    divisors = [count for count in range(1, steps_per_epoch + 1)
                if steps_per_epoch % count == 0]
    return min(divisors, key=lambda count: abs(np.log(count / STEPS_PER_CALL)))


def xla_break_even(model_name):
    """Returns XLA's break-even epoch count for the model on this Keras."""
    return XLA_BREAK_EVEN[KERAS_MAJOR][model_name]


def compile_options(model_name, epoch_count, steps_per_epoch, device):
    """Returns the compile options the policy picks (docs/speed.md,
    "Training policy"): XLA on a CPU only for a model and run length where
    its compile pays for itself, several steps per call on a CPU, and
    Keras' own defaults on a CUDA GPU, which no one has measured here.

    Args:
        model_name: 'vanilla', 'sparse', 'convolutional' or 'variational'.
        epoch_count: how many epochs the run will train.
        steps_per_epoch: batches in one epoch.
        device: what device_kind() returns.
    """
    if device == 'cuda':
        return {}
    if device != 'cpu':
        return {'jit_compile': False}  # XLA fails on Metal, for one
    break_even = xla_break_even(model_name)
    return {'jit_compile': bool(break_even and epoch_count >= break_even),
            'steps_per_execution': steps_per_call(steps_per_epoch)}


def batches(x_train, x_test):
    """Returns the training and validation tf.data pipelines of the seed's
    runs: batches of 256, reshuffled every epoch, the test set to validate.

    Each batch is gathered from the images in TensorFlow's memory: an epoch
    takes about a quarter less time than fit on the NumPy arrays. tf.data's
    autotuning model is off: deleting an epoch's iterator can wait for its
    tuning thread to wake, stalling the next epoch by up to 12 s
    (docs/speed.md).
    """
    images = tf.constant(x_train)

    def inputs_and_targets(indices):
        """Returns one batch of training images, as inputs and targets."""
        batch = tf.gather(images, indices)
        return batch, batch

    options = tf.data.Options()
    options.autotune.enabled = False
    training = (tf.data.Dataset.range(len(x_train))
                .shuffle(len(x_train)).batch(BATCH_SIZE)
                .map(inputs_and_targets).prefetch(tf.data.AUTOTUNE))
    validation = (tf.data.Dataset.from_tensor_slices(x_test)
                  .batch(BATCH_SIZE).map(lambda batch: (batch, batch)))
    return training.with_options(options), validation.with_options(options)


class StopOnCtrlC(keras.callbacks.Callback):
    """Turns the first Ctrl-C during fit into a stop after the current step,
    so that the mains go on to their figures; a second Ctrl-C ends the
    program at once. train gives Ctrl-C back when fit ends, however."""

    def __init__(self, epoch_count):
        """Keeps the run's length, for the line that says where it stopped."""
        super().__init__()
        self.epoch_count = epoch_count
        self.epoch = 0
        self.stopped = False
        self.announced = False

    def on_train_begin(self, logs=None):
        """Installs the Ctrl-C handler once fit has set the model."""
        signal.signal(signal.SIGINT, self._stop)

    def on_epoch_begin(self, epoch, logs=None):
        """Remembers which epoch (counted from 1) is running."""
        self.epoch = epoch + 1

    def on_train_batch_end(self, batch, logs=None):
        """Says where training stopped as soon as the step is done."""
        self._announce()

    def on_train_end(self, logs=None):
        """Says where training stopped if a Ctrl-C came after the last step
        (during validation)."""
        self._announce()

    def _announce(self):
        """Prints the stop line once, on a line of its own."""
        if self.stopped and not self.announced:
            self.announced = True
            print('\nCtrl-C: stopped training in epoch {} of {}; what follows '
                  'uses the weights trained so far'
                  .format(self.epoch, self.epoch_count), flush=True)

    def _stop(self, signal_number, frame):
        """Asks fit to stop after this step; the next Ctrl-C kills."""
        self.stopped = True
        self.model.stop_training = True
        signal.signal(signal.SIGINT, signal.SIG_DFL)


def train(auto, x_train, x_test, epoch_count, model_name):
    """Fits auto to reproduce its inputs as the seed's runs do, compiled as
    the training policy picks for this device, model and run length, with
    Keras' progress bar; the first Ctrl-C ends training early.

    Args:
        auto: a compiled autoencoder from one of the builders.
        x_train, x_test: images for training and validation, float32.
        epoch_count: epochs to train.
        model_name: 'vanilla', 'sparse', 'convolutional' or 'variational'.

    Returns:
        Keras' History: loss and val_loss per epoch trained.
    """
    steps_per_epoch = -(-len(x_train) // BATCH_SIZE)
    options = compile_options(model_name, epoch_count, steps_per_epoch,
                              device_kind())
    if options:
        auto.compile(optimizer=auto.optimizer, loss=auto.loss, **options)
    training, validation = batches(x_train, x_test)
    previous_handler = signal.getsignal(signal.SIGINT)
    try:
        return auto.fit(training, epochs=epoch_count,
                        validation_data=validation,
                        shuffle=False,  # the pipeline shuffles
                        callbacks=[StopOnCtrlC(epoch_count)])
    finally:  # also when fit raises, which skips on_train_end
        signal.signal(signal.SIGINT, previous_handler)


def _save_and_show(figure, filename):
    """Saves figure as 0x04-images/filename, shows it where a display can,
    then closes it."""
    os.makedirs(IMAGES_DIR, exist_ok=True)
    figure.savefig(os.path.join(IMAGES_DIR, filename), dpi=100,
                   bbox_inches='tight')
    print('saved', os.path.join('0x04-images', filename))
    if matplotlib.get_backend().lower() not in NON_INTERACTIVE_BACKENDS:
        plt.show()
    plt.close(figure)


def plot_reconstructions(originals, reconstructions, filename, title):
    """Draws digits in the top row over their reconstructions below.

    Args:
        originals, reconstructions: arrays of n images, any shape that holds
            784 pixels each, values in [0, 1].
        filename: PNG name under 0x04-images/.
        title: what the figure shows, e.g. the model's name.
    """
    count = len(originals)
    figure, axes = plt.subplots(2, count, figsize=(count, 2.3))
    for column in range(count):
        for row, images in enumerate((originals, reconstructions)):
            axes[row, column].imshow(images[column].reshape(28, 28),
                                     cmap='gray', vmin=0, vmax=1)
            axes[row, column].set_xticks([])
            axes[row, column].set_yticks([])
    axes[0, 0].set_ylabel('original')
    axes[1, 0].set_ylabel('decoded')
    figure.suptitle(title)
    _save_and_show(figure, filename)


def plot_latent_grid(decoder, filename, size=25, limit=3.0):
    """Decodes a size x size grid of points of a 2-D latent plane spanning
    [-limit, limit] on both axes, and draws the digits in place."""
    values = np.linspace(-limit, limit, size, dtype=np.float32)
    z0, z1 = np.meshgrid(values, values[::-1])  # z1 grows upwards
    points = np.stack([z0.ravel(), z1.ravel()], axis=1)
    digits = decoder.predict(points, verbose=0).reshape(size, size, 28, 28)
    canvas = digits.transpose(0, 2, 1, 3).reshape(size * 28, size * 28)
    figure, axis = plt.subplots(figsize=(9, 9))
    axis.imshow(canvas, cmap='gray', vmin=0, vmax=1,
                extent=(-limit, limit, -limit, limit))
    axis.set_xlabel('z[0]')
    axis.set_ylabel('z[1]')
    axis.set_title('Digits decoded across the latent plane')
    _save_and_show(figure, filename)


def plot_latent_map(means, labels, filename):
    """Scatters 2-D latent means, coloured by digit label, with a colour bar
    that names the digits."""
    figure, axis = plt.subplots(figsize=(8, 7))
    points = axis.scatter(means[:, 0], means[:, 1], c=labels, s=2,
                          cmap='tab10', vmin=-0.5, vmax=9.5)
    figure.colorbar(points, ticks=range(10), label='digit')
    axis.set_xlabel('mean[0]')
    axis.set_ylabel('mean[1]')
    axis.set_title('Test digits in the latent plane (encoder means)')
    _save_and_show(figure, filename)


def plot_loss_curve(history, filename, title, loss_name, model_name):
    """Draws loss and val_loss per epoch, on a log scale that shows both the
    steep first epochs and the slow end of a run, with the seed's printed
    epochs as markers where this run reached them.

    Args:
        history: the History that train returns.
        filename: PNG name under 0x04-images/.
        title: what was trained, e.g. the model's name.
        loss_name: what the loss measures, for the y axis.
        model_name: which seed run to mark (a key of SEED_LOSSES), or one
            whose figure says why it has none (NO_SEED_LOSSES).
    """
    losses = {name: history.history[name] for name in ('loss', 'val_loss')}
    epochs_trained = np.arange(1, len(losses['loss']) + 1)
    seed = {epoch: values for epoch, values
            in SEED_LOSSES.get(model_name, {}).items()
            if epoch <= len(epochs_trained)}
    figure, axis = plt.subplots(figsize=(7, 4.5))
    shown = []
    for column, (name, values) in enumerate(losses.items()):
        line, = axis.plot(epochs_trained, values, label=name)
        shown += values
        if seed:
            seed_values = [pair[column] for pair in seed.values()]
            axis.plot(list(seed), seed_values, linestyle='none',
                      marker='o' if column == 0 else 's', markersize=5,
                      markerfacecolor='none', color=line.get_color(),
                      label="{}, the seed's run on TensorFlow 1.12"
                      .format(name))
            shown += seed_values
    axis.set_yscale('log')
    ticks = np.geomspace(min(shown), max(shown), 6)
    axis.set_yticks(ticks, ['{:.3g}'.format(tick) for tick in ticks])
    axis.yaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
    axis.set_xlabel('epoch')
    axis.set_ylabel(loss_name)
    axis.set_title(title)
    axis.grid(True, alpha=0.3)
    axis.legend()
    if model_name in NO_SEED_LOSSES:
        figure.text(0.5, -0.02, NO_SEED_LOSSES[model_name], ha='center',
                    va='top', fontsize=8, wrap=True)
    _save_and_show(figure, filename)
