#!/usr/bin/env python3
"""What the four mains share: TensorFlow's environment, loading MNIST,
reading their settings from the environment, and drawing and saving their
figures. Import it before anything that imports TensorFlow."""
import os
import sys

import matplotlib
import matplotlib.pyplot as plt
import numpy as np

# TensorFlow reads these once, when it is imported; a value the user has set
# wins. oneDNN's CPU kernels are on by default only on some Intel CPUs, and
# make the convolutional model about 2.5x faster on the others. Level 3 hides
# TensorFlow's C++ info lines and the "failed call to cuInit" error that
# machines without a GPU print; Python warnings and exceptions still show.
os.environ.setdefault('TF_ENABLE_ONEDNN_OPTS', '1')
os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '3')

import tensorflow as tf  # noqa: E402 (after its environment)
import tensorflow.keras as keras  # noqa: E402

IMAGES_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                          '0x04-images')
MNIST_KEYS = ('x_train', 'y_train', 'x_test', 'y_test')
NON_INTERACTIVE_BACKENDS = {'agg', 'cairo', 'pdf', 'pgf', 'ps', 'svg',
                            'template'}


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


def train(auto, x_train, x_test, epoch_count):
    """Fits auto to reproduce its inputs as the seed's runs do: batches of
    256, reshuffled every epoch, validated on the test set, with Keras'
    progress bar.

    The batches come from a tf.data pipeline that gathers them from the
    images in TensorFlow's memory: an epoch takes about a quarter less time
    than fit on the NumPy arrays, and computes the same.
    """
    images = tf.constant(x_train)

    def inputs_and_targets(indices):
        """Returns one batch of training images, as inputs and targets."""
        batch = tf.gather(images, indices)
        return batch, batch

    batches = (tf.data.Dataset.range(len(x_train))
               .shuffle(len(x_train)).batch(256)
               .map(inputs_and_targets).prefetch(tf.data.AUTOTUNE))
    validation = (tf.data.Dataset.from_tensor_slices(x_test).batch(256)
                  .map(lambda batch: (batch, batch)))
    return auto.fit(batches, epochs=epoch_count, validation_data=validation,
                    shuffle=False)  # the pipeline shuffles


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
