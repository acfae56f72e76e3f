#!/usr/bin/env python3
"""What the mains train on: their settings from the environment (EPOCHS,
SEED, MNIST_PATH), MNIST loaded and scaled, and the tf.data pipelines of
the seed's runs."""
import os
import sys

import numpy as np

from mains import startup  # noqa: F401 (before TensorFlow: its environment)
import tensorflow as tf
import tensorflow.keras as keras

MNIST_KEYS = ('x_train', 'y_train', 'x_test', 'y_test')
BATCH_SIZE = 256  # the seed's


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
