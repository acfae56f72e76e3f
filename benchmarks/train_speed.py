#!/usr/bin/env python3
"""Times an epoch of each seed model as the builders compile it, against the
same network compiled with Keras' defaults, in one process, as a ratio.

    MNIST_PATH=../shared/data/mnist.npz ./benchmarks/train_speed.py
"""
import argparse
import importlib
import os
import sys
import time

import numpy as np
import tensorflow as tf
import tensorflow.keras as keras

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import mnist_helpers  # noqa: E402 (needs the project root on sys.path)

SEED_MODELS = {
    'vanilla': ('0-vanilla', 'autoencoder', (784, [128, 64], 32)),
    'sparse': ('1-sparse', 'sparse', (784, [128, 64], 32, 10e-6)),
    'convolutional': ('2-convolutional', 'autoencoder',
                      ((28, 28, 1), [16, 8, 8], (4, 4, 8))),
    'variational': ('3-variational', 'autoencoder', (784, [512], 2)),
}


def parse_args():
    """Returns the command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--samples', type=int, default=60000,
                        help='training digits per epoch (default: all)')
    parser.add_argument('--epochs', type=int, default=2,
                        help='epochs per timed fit call (default: 2)')
    parser.add_argument('--repeats', type=int, default=3,
                        help='timed repeats per side; the minimum counts')
    parser.add_argument('--models', nargs='+', choices=list(SEED_MODELS),
                        default=list(SEED_MODELS))
    return parser.parse_args()


def matmul_flops_per_second(size=2048, repeats=10):
    """Returns the best float32 FLOP/s of a size x size matmul on this
    machine: the peak that the models' rates are compared with."""
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


def forward_flops(model):
    """Counts multiply-adds (as 2 FLOPs) of one sample through the Dense and
    Conv2D layers of a model and the models nested in it."""
    total = 0
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            total += forward_flops(layer)
        elif isinstance(layer, keras.layers.Dense):
            total += 2 * layer.kernel.shape[0] * layer.kernel.shape[1]
        elif isinstance(layer, keras.layers.Conv2D):
            height, width = layer.output.shape[1:3]
            total += 2 * height * width * int(np.prod(layer.kernel.shape))
    return total


def build(name, baseline):
    """Builds a seed model; the baseline is recompiled with Keras' defaults
    (optimizer='adam' and the same loss, nothing else)."""
    module_name, function, args = SEED_MODELS[name]
    keras.utils.set_random_seed(0)
    auto = getattr(importlib.import_module(module_name), function)(*args)[2]
    if baseline:
        auto.compile(optimizer='adam', loss=auto.loss)
    return auto


class EpochTimer(keras.callbacks.Callback):
    """Records the wall time of each epoch, validation included, leaving out
    the set-up that fit does once per call."""

    def on_train_begin(self, logs=None):
        """Forgets the epochs of any earlier fit call."""
        self.best = float('inf')

    def on_epoch_begin(self, epoch, logs=None):
        """Starts the clock for this epoch."""
        self.start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        """Stops the clock and keeps the fastest epoch so far."""
        self.best = min(self.best, time.perf_counter() - self.start)


def train_timed(auto, data, epochs):
    """Trains as the mains do, for some epochs in one fit call; returns the
    fastest epoch's wall time and the last epoch's training loss."""
    x_train, x_test = data
    timer = EpochTimer()
    history = auto.fit(x_train, x_train, epochs=epochs, batch_size=256,
                       shuffle=True, validation_data=(x_test, x_test),
                       verbose=0, callbacks=[timer])
    return timer.best, history.history['loss'][-1]


def main():
    """Runs the benchmark and prints one table row per model."""
    options = parse_args()
    keras_name = 'Keras 3' if hasattr(keras, 'ops') else 'Keras 2'
    peak = matmul_flops_per_second()
    print('{} (TensorFlow {}), {} threads; float32 matmul peak {:.1f} '
          'GFLOP/s'.format(keras_name, tf.__version__, os.cpu_count(),
                           peak / 1e9))
    print('| model | shipped s/epoch | baseline s/epoch | ratio '
          '| shipped % of matmul peak | loss shipped / baseline |')
    print('|---|---|---|---|---|---|')
    for name in options.models:
        shape = (28, 28, 1) if name == 'convolutional' else (784,)
        (x_train, _), (x_test, _) = mnist_helpers.load_mnist(shape)
        data = (x_train[:options.samples], x_test)
        models = {'shipped': build(name, False), 'baseline': build(name, True)}
        best, loss = {}, {}
        for side, auto in models.items():
            train_timed(auto, data, 1)  # warm-up: traces and compiles
            best[side] = float('inf')
        for _ in range(options.repeats):
            for side, auto in models.items():
                seconds, loss[side] = train_timed(auto, data, options.epochs)
                best[side] = min(best[side], seconds)
        flops = forward_flops(models['shipped'])
        epoch_flops = flops * (3 * len(data[0]) + len(data[1]))
        print('| {} | {:.2f} | {:.2f} | {:.2f} | {:.1f}% | {:.4g} / {:.4g} |'
              .format(name, best['shipped'], best['baseline'],
                      best['shipped'] / best['baseline'],
                      100 * epoch_flops / best['shipped'] / peak,
                      loss['shipped'], loss['baseline']), flush=True)


if __name__ == '__main__':
    main()
