#!/usr/bin/env python3
"""Shared fixtures: the builder modules (their names start with a digit), a
seeded, cleared Keras session per test, and NumPy references for losses."""
import importlib
import os
import shutil
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from mains import stack  # noqa: E402 (from ROOT)

os.environ.setdefault('MPLBACKEND', 'Agg')
os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', stack.LOG_LEVEL)

import matplotlib.pyplot as plt  # noqa: E402 (after MPLBACKEND is set)
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import tensorflow.keras as keras  # noqa: E402

vanilla = importlib.import_module('0-vanilla')
sparse = importlib.import_module('1-sparse')
convolutional = importlib.import_module('2-convolutional')
variational = importlib.import_module('3-variational')

KERAS_3 = stack.keras_major(keras) == 3
FLOAT = r'-?\d+(?:\.\d*)?(?:e[-+]?\d+)?'  # a number as the mains print it
EPSILON = 1e-7  # Keras' clipping of probabilities in binary cross-entropy
# Keras 3's clear_session runs a full garbage collection by default, 0.15 s
# a test; these models are tiny, so the suite skips it.
CLEAR_SESSION_ARGS = {'free_memory': False} if KERAS_3 else {}


@pytest.fixture(autouse=True)
def fresh_session():
    """Seeds every generator with 0 and starts each test from a clean
    Keras session, closing any figures it left."""
    keras.backend.clear_session(**CLEAR_SESSION_ARGS)
    keras.utils.set_random_seed(0)
    yield
    plt.close('all')


def binary_crossentropy(targets, probabilities):
    """Elementwise binary cross-entropy in float64, clipped as Keras does."""
    targets = np.asarray(targets, dtype=np.float64)
    p = np.clip(np.asarray(probabilities, dtype=np.float64),
                EPSILON, 1 - EPSILON)
    return -(targets * np.log(p) + (1 - targets) * np.log(1 - p))


def layer_summary(model):
    """Lists (class, units or filters, activation, output shape) of each
    layer of a model, input layer included, for structure checks."""
    rows = []
    for layer in model.layers:
        size = getattr(layer, 'units', getattr(layer, 'filters', None))
        activation = getattr(layer, 'activation', None)
        rows.append((type(layer).__name__, size,
                     activation.__name__ if activation else None,
                     tuple(layer.output.shape)))
    return rows


def pin_log_var(encoder, value=-30.0):
    """Makes the log-variance layer output `value` everywhere, so that z is
    the mean to float precision and the loss becomes deterministic."""
    log_var_layer = encoder.layers[-2]
    kernel, bias = log_var_layer.get_weights()
    log_var_layer.set_weights([np.zeros_like(kernel),
                               np.full_like(bias, value)])


def patterns(count, features, seed=0):
    """Makes learnable data in [0, 1]: noisy mixtures of 3 fixed patterns."""
    rng = np.random.default_rng(seed)
    basis = rng.random((3, features))
    weights = rng.dirichlet(np.ones(3), size=count)
    noise = 0.05 * rng.random((count, features))
    return np.clip(weights @ basis + noise, 0, 1).astype(np.float32)


def write_mnist(path, train=512, test=128, **overrides):
    """Writes a small file in the layout of Keras' mnist.npz: blurry random
    strokes as uint8 digits, with labels 0-9."""
    rng = np.random.default_rng(0)
    arrays = {}
    for split, count in (('train', train), ('test', test)):
        images = np.zeros((count, 28, 28), dtype=np.uint8)
        rows, cols = rng.integers(6, 22, size=(2, count))
        for i in range(count):
            images[i, rows[i] - 4:rows[i] + 4, cols[i] - 2:cols[i] + 2] = 255
        arrays['x_' + split] = images
        arrays['y_' + split] = rng.integers(0, 10, count).astype(np.uint8)
    arrays.update(overrides)
    np.savez(path, **arrays)
    return str(path)


def main_environment(**env):
    """A student's environment, headless, with TensorFlow's settings left
    to the main, plus env."""
    environment = {key: value for key, value in os.environ.items()
                   if key not in ('DISPLAY', 'MNIST_PATH', 'EPOCHS', 'SEED',
                                  'TF_CPP_MIN_LOG_LEVEL',
                                  'TF_ENABLE_ONEDNN_OPTS')}
    environment.update(MPLBACKEND='Agg', **env)
    return environment


def copy_project(folder, names):
    """Copies the named files and folders of the project into folder."""
    for name in names:
        source = os.path.join(ROOT, name)
        if os.path.isdir(source):
            shutil.copytree(source, os.path.join(folder, name),
                            ignore=shutil.ignore_patterns('__pycache__'))
        else:
            shutil.copy(source, folder)
