#!/usr/bin/env python3
"""Shows, with nothing of this project, the stall that tf.data's autotuning
puts into Keras' fit: at an epoch's start, deleting the last epoch's
iterator can wait until that iterator's tuning thread wakes from its sleep,
which grows towards the epoch's length.

    ./benchmarks/iterator_stall.py --epochs 10 --pause 1

A one-layer model trains on random digits through a pipeline shaped like
the mains' (a shuffled range, batches gathered from a constant, prefetch),
47 steps a call, validating every epoch. After each call the model idles
for --pause seconds, so that epochs last long while the CPU is free. It
prints each epoch's first call, with autotuning on (TensorFlow's default)
and then off, each in one process.
"""
import argparse
import statistics
import subprocess
import sys
import time

DIGITS = 60000
STEPS_PER_CALL = 47


def first_calls(autotune, epochs, pause):
    """Trains in this process; returns the seconds of each epoch's first
    call of steps after the first epoch."""
    import numpy as np
    import tensorflow as tf
    import tensorflow.keras as keras
    digits = np.random.default_rng(0).random((DIGITS, 784), np.float32)
    images = tf.constant(digits)
    options = tf.data.Options()
    options.autotune.enabled = autotune

    def inputs_and_targets(indices):
        """One batch of digits, as inputs and targets."""
        batch = tf.gather(images, indices)
        return batch, batch

    training = (tf.data.Dataset.range(DIGITS).shuffle(DIGITS).batch(256)
                .map(inputs_and_targets).prefetch(tf.data.AUTOTUNE)
                .with_options(options))
    validation = (tf.data.Dataset.from_tensor_slices(digits[:10000])
                  .batch(256).map(lambda batch: (batch, batch))
                  .with_options(options))
    model = keras.Sequential([keras.Input((784,)), keras.layers.Dense(784)])
    model.compile('adam', 'mse', steps_per_execution=STEPS_PER_CALL)

    class FirstCall(keras.callbacks.Callback):
        """Times each epoch's first call; idles after every call."""

        def on_epoch_begin(self, epoch, logs=None):
            """Starts the clock for this epoch's first call."""
            self.start = time.perf_counter()

        def on_train_batch_end(self, batch, logs=None):
            """Stops the clock after the first call, then idles."""
            if self.start is not None:
                seconds.append(time.perf_counter() - self.start)
                self.start = None
            time.sleep(pause)

    seconds = []
    model.fit(training, epochs=epochs, validation_data=validation,
              verbose=0, callbacks=[FirstCall()])
    return seconds[1:]


def main():
    """Runs both settings, each in a fresh process, and prints them."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--epochs', type=int, default=10)
    parser.add_argument('--pause', type=float, default=1.0,
                        help='seconds idled after each call (default 1)')
    parser.add_argument('--child', choices=['on', 'off'],
                        help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        seconds = first_calls(options.child == 'on', options.epochs,
                              options.pause)
        print(' '.join('{:.2f}'.format(second) for second in seconds))
        return
    for setting in ('on', 'off'):
        output = subprocess.run(
            [sys.executable, __file__, '--child', setting, '--epochs',
             str(options.epochs), '--pause', str(options.pause)],
            capture_output=True, text=True, check=True).stdout
        seconds = [float(second) for second in output.split()]
        typical = statistics.median(seconds)
        stalls = sum(1 for second in seconds if second > typical + 1)
        print('autotune {}: first calls of epochs 2-{} (s): {}; over 1 s '
              'above their median: {}'.format(
                  setting, options.epochs, output.strip(), stalls),
              flush=True)


if __name__ == '__main__':
    main()
