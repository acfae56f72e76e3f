#!/usr/bin/env python3
"""This project's builders as the reference, on the grader's side alone:
each configuration's models as tables, and for a run's seed everything the
computation checks hold the student's answers up against: the batch, the
weights sent, and the reference's outputs, losses, step and sampling. All
of it is computed once per run and task and shared by every file, under
one lock, since the grader checks several files at once."""
import collections
import copy
import importlib.util
import os
import threading

import numpy as np
import tensorflow.keras as keras

from checker import protocol
from checker.checks import described, models
from checker.checks.computation import KL_SHIFT
from checker.checks.sampling import (DECODED, SAMPLE_LOG_VAR, SAMPLE_MEAN,
                                     SAMPLES)
from checker.checks.tasks import TASKS
from checker.student import tables

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
LOCK = threading.RLock()  # the grader's TensorFlow work, one at a time
AVERAGED_NOTE = ('Your penalty is keras.regularizers.l1(lambtha), which '
                 'Keras 2.x and 3 average over the batch; TensorFlow 1.12, '
                 'the task\'s, summed it. That comes from the stack, not '
                 'from you.')

Variant = collections.namedtuple('Variant', 'note loss weights stepped')


class ReferenceFailed(Exception):
    """The checker's own reference builder failed: the checker's fault."""


def fixed_batch(input_dims, seed, count=32):
    """count inputs in [0, 1] drawn from the seed: noisy mixtures of 3
    patterns, shaped (count,) + input_dims."""
    shape = tuple(np.atleast_1d(input_dims))
    rng = np.random.default_rng(seed)
    features = int(np.prod(shape))
    basis = rng.random((3, features))
    weights = rng.dirichlet(np.ones(3), size=count)
    noise = 0.05 * rng.random((count, features))
    batch = np.clip(weights @ basis + noise, 0, 1).astype(np.float32)
    return batch.reshape((count,) + shape)


def drawn_codes(shape, seed, vae):
    """Inputs for a decoder drawn from the seed, never from an encoder:
    standard normal for the VAE's z, in [0, 1] for the others' codes,
    which come out of relu and sigmoid layers. shape: (count,) + latent.
    """
    rng = np.random.default_rng([seed, 1])
    codes = rng.standard_normal(shape) if vae else rng.random(shape)
    return codes.astype(np.float32)


def predict(model, x):
    """A model's outputs on x from one eager call, as a list of arrays."""
    outputs = model(x, training=False)
    outputs = outputs if isinstance(outputs, (list, tuple)) else [outputs]
    return [np.asarray(output, dtype=np.float64) for output in outputs]


def pin(weights, index, bias, kernel=0.0):
    """weights with the layer at index given a constant bias and a constant
    kernel, or its own kernel with None."""
    weights = copy.deepcopy(weights)
    old_kernel, old_bias = weights[index]
    weights[index] = [old_kernel if kernel is None
                      else np.full_like(old_kernel, kernel),
                      np.full_like(old_bias, bias)]
    return weights


def _load(task):
    """This project's module of a task."""
    spec = importlib.util.spec_from_file_location(
        'reference_{}'.format(task.number),
        os.path.join(ROOT, task.filename))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Reference:
    """One task's reference for a run: its builder, each configuration's
    models built once from the run's seed, their tables, and the values of
    the computations."""

    lock = LOCK

    def __init__(self, task, seed):
        """Takes the builder from this project's file of the task."""
        self.task, self.seed = task, seed
        self.vae = task.name == 'variational'
        self.builder = getattr(_load(task), task.functions[0])
        self.computed = task.computed or task.configurations[0].arguments
        self.found = {}

    def build(self, arguments):
        """Fresh (encoder, decoder, auto) of the reference."""
        try:
            return self.builder(*copy.deepcopy(arguments))
        except Exception as error:
            raise ReferenceFailed(
                'The checker\'s own reference could not build {} ({}: {}): '
                'that is the checker\'s fault, not your file\'s. Please '
                'report it.'.format(arguments, type(error).__name__,
                                    str(error)[:200]))

    def _cached(self, key, compute):
        """compute() once per key, under the lock."""
        with LOCK:
            if key not in self.found:
                self.found[key] = compute()
            return self.found[key]

    def tables(self, arguments):
        """The models of a configuration as the grader holds a student's:
        through the protocol and its checks, so both compare alike."""
        def compute():
            """Describes the configuration's models once."""
            described = tables.describe(self.parts(arguments).models,
                                        self.vae)
            return models.models(protocol.loads(protocol.dumps(described)),
                                 self.vae)
        return self._cached(('tables', repr(arguments)), compute)

    def batch(self, input_dims):
        """32 inputs of a shape, drawn from the run's seed."""
        return fixed_batch(input_dims, self.seed)

    def codes(self, shape):
        """Inputs for a decoder of a shape, drawn from the run's seed."""
        return drawn_codes(shape, self.seed, self.vae)

    def described(self, student):
        """'' where the student's models compute what their tables say,
        else why not (checker/checks/described.py)."""
        return described.tie(student, self)

    def values(self):
        """The computations' reference values."""
        return self._cached('values', lambda: Values(self, self.seed))

    def parts(self, arguments):
        """A configuration's models and outputs; the computations' own for
        their configuration."""
        if arguments == self.computed:
            return self.values()
        return self._cached(('parts', repr(arguments)),
                            lambda: Parts(self, arguments, self.seed))


class Parts:
    """A configuration's models built fresh from a seed, the seed's batch
    and codes, the encoder's outputs on the batch and the decoder's on the
    codes, with the first weights.
    """

    def __init__(self, reference, arguments, seed):
        """Builds the reference's models from the seed and runs them."""
        self.arguments = arguments
        keras.utils.set_random_seed(seed)
        self.models = reference.build(arguments)
        encoder = [layer for layer in self.models[0].layers if layer.weights]
        self.layers = encoder + [layer for layer in self.models[1].layers
                                 if layer.weights]
        self.encoder_count = len(encoder)
        self.initial = [layer.get_weights() for layer in self.layers]
        self.x = fixed_batch(arguments[0], seed)
        self.codes = predict(self.models[0], self.x)
        self.code = drawn_codes(self.codes[0].shape, seed, reference.vae)
        self.decoded = predict(self.models[1], self.code)[0]


class Values(Parts):
    """One seed's batch and weights, and the reference's results on them:
    outputs with the first weights; the loss and the step with the weights
    prepared for each (per accepted variant of the loss); the sampling."""

    def __init__(self, reference, seed):
        """Builds fresh reference models from the seed and runs them."""
        super().__init__(reference, reference.computed, seed)
        self.auto = predict(self.models[2], self.x)[0]
        self.rate = float(np.asarray(self.models[2].optimizer.learning_rate))
        self.sample_seed = (seed * 7919 + 1) % 2 ** 31
        self.loss_weights = self.prepared_for_loss(reference.vae)
        self.step_weights = (pin(self.initial, self.encoder_count - 1, -30.0)
                             if reference.vae else self.initial)
        self.set(self.models, self.loss_weights)
        self.loss_codes = predict(self.models[0], self.x)
        self.loss_auto = predict(self.models[2], self.x)[0]
        self.loss_decoded = predict(self.models[1], self.loss_codes[1]
                                    if reference.vae else
                                    self.loss_codes[0])[0]
        self.variants = [self.variant('', self.models)]
        if reference.task.name == 'sparse':
            averaged = reference.build(self.arguments[:3] + (
                self.arguments[3] / len(self.x),))
            self.variants.append(self.variant(AVERAGED_NOTE, averaged))
        if reference.vae:
            self.sample_weights = pin(pin(
                self.initial, self.encoder_count - 2, SAMPLE_MEAN),
                self.encoder_count - 1, SAMPLE_LOG_VAR)
            self.samples = np.repeat(self.x[:1], SAMPLES, axis=0)
            self.set(self.models, self.sample_weights)
            decoded = predict(self.models[2], self.samples[:DECODED])[0]
            self.sample_spread = float(decoded.std(axis=0).mean())

    def decode(self, z):
        """The reference's decoder, with the sampling's weights, on z: what
        a decoder that the student's tables match gives on their z."""
        with LOCK:
            self.set(self.models, self.sample_weights)
            return predict(self.models[1], z.astype(np.float32))[0]

    def prepared_for_loss(self, vae):
        """The first weights, and for the VAE the decoder's first kernel
        zero, so that its output no longer depends on the random z; the
        mean and log-variance layers keep their kernels but are shifted by
        KL_SHIFT, so that the KL term weighs a few percent of the loss."""
        if not vae:
            return self.initial
        weights = pin(self.initial, self.encoder_count, 0.0)
        for offset, bias in zip((2, 1), KL_SHIFT):
            weights = pin(weights, self.encoder_count - offset, bias,
                          kernel=None)
        return weights

    def set(self, built, weights):
        """Sets the weighted layers of built reference models to weights."""
        layers = [layer for part in built[:2] for layer in part.layers
                  if layer.weights]
        for layer, values in zip(layers, weights):
            layer.set_weights(values)

    def variant(self, note, built):
        """One accepted form of the loss: its value on the batch, and the
        weights after one step, both eager as the student side runs them."""
        self.set(built, self.loss_weights)
        built[2].run_eagerly = True
        loss = built[2].evaluate(self.x, self.x, batch_size=len(self.x),
                                 verbose=0)
        loss = float(loss[0] if isinstance(loss, (list, tuple)) else loss)
        self.set(built, self.step_weights)
        built[2].train_on_batch(self.x, self.x)
        stepped = [layer.get_weights() for part in built[:2]
                   for layer in part.layers if layer.weights]
        return Variant(note, loss, self.loss_weights, stepped)


def references(seed):
    """Every task's reference for a run with that seed, by task number."""
    return {task.number: Reference(task, seed) for task in TASKS}
