#!/usr/bin/env python3
"""How the mains train: the device, the training policy (XLA and steps per
call, docs/speed.md), Ctrl-C that stops after the current step, and
train, which puts them together around Keras' fit."""
import signal

import numpy as np

from mains.startup import KERAS_MAJOR  # before TensorFlow: its environment
import tensorflow as tf
import tensorflow.keras as keras

from mains import inputs

# The training policy (docs/speed.md, "Training policy"). Steps run per call
# on a CPU: most of Keras' per-step dispatch is saved by then.
STEPS_PER_CALL = 32
# On a CPU, the fewest epochs for which XLA's compile in the first epoch is
# won back by faster epochs after it, by Keras version; None where XLA never
# pays (benchmarks/xla_break_even.py). TensorFlow 2.15 counts as Keras 2.
XLA_BREAK_EVEN = {
    2: {'vanilla': 6, 'sparse': 6, 'convolutional': None, 'variational': 3},
    3: {'vanilla': 5, 'sparse': 8, 'convolutional': None, 'variational': 5}}


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
    steps_per_epoch = -(-len(x_train) // inputs.BATCH_SIZE)
    options = compile_options(model_name, epoch_count, steps_per_epoch,
                              device_kind())
    if options:
        auto.compile(optimizer=auto.optimizer, loss=auto.loss, **options)
    training, validation = inputs.batches(x_train, x_test)
    previous_handler = signal.getsignal(signal.SIGINT)
    try:
        return auto.fit(training, epochs=epoch_count,
                        validation_data=validation,
                        shuffle=False,  # the pipeline shuffles
                        callbacks=[StopOnCtrlC(epoch_count)])
    finally:  # also when fit raises, which skips on_train_end
        signal.signal(signal.SIGINT, previous_handler)
