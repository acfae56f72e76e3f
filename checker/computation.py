#!/usr/bin/env python3
"""Theirs against ours with the same weights: outputs on a fixed batch, the
loss that evaluate returns, the weights after one training step, and for
the VAE the sampling, with the tolerances that docs/checking.md gives."""
import numpy as np
import tensorflow.keras as keras

from checker.causes import (as_list, losses_agree, other_cause, predict,
                            sparse_cause, spread_cause, vae_cause)
from checker.models import copy_weights, describe, layer_row

OUTPUT_RTOL, OUTPUT_ATOL = 1e-4, 1e-5
# One Adam step moves each weight by about the learning rate, whatever its
# gradient's size: a weight "moves differently" when its step differs by
# more than a tenth of that, and a few such weights are float noise.
STEP_TOLERANCE, STEP_SHARE = 0.1, 1e-3
SAMPLES = 4096  # copies of one input, to measure the VAE's sampling
SAMPLE_MEAN, SAMPLE_LOG_VAR = 0.5, -2.0
SPREAD_BAND = (0.9, 1.1)  # z's spread over exp(log_var / 2); 9 errors wide
# Biases of the mean and log-variance layers for the VAE's loss: a KL term
# of about 11 per digit beside a reconstruction of about 540, 200 times
# the loss tolerance, where the fresh layers' KL is 0.1.
KL_SHIFT = (3.0, -3.0)


def fixed_batch(input_dims, count=32):
    """Returns count inputs in [0, 1], the same every run: noisy mixtures
    of 3 fixed patterns, shaped (count,) + input_dims."""
    shape = tuple(np.atleast_1d(input_dims))
    rng = np.random.default_rng(0)
    features = int(np.prod(shape))
    basis = rng.random((3, features))
    weights = rng.dirichlet(np.ones(3), size=count)
    noise = 0.05 * rng.random((count, features))
    batch = np.clip(weights @ basis + noise, 0, 1).astype(np.float32)
    return batch.reshape((count,) + shape)


class Pair:
    """Their model and ours, built on one configuration, with their weighted
    layers lined up against ours so that ours can be copied into theirs."""

    def __init__(self, theirs, ours, their_layers, our_layers,
                 encoder_count):
        """theirs, ours: (encoder, decoder, auto); *_layers: the weighted
        layers of each, encoder's then decoder's, in matching order;
        encoder_count: how many of them are the encoder's."""
        self.theirs, self.ours = theirs, ours
        self.their_layers, self.our_layers = their_layers, our_layers
        self.encoder_count = encoder_count
        self.initial = [layer.get_weights() for layer in our_layers]

    def reset(self):
        """Gives both models our initial weights again."""
        for layer, weights in zip(self.our_layers, self.initial):
            layer.set_weights(weights)
        copy_weights(self.their_layers, self.our_layers)

    def pin(self, index, bias, kernel=0.0):
        """Sets the weighted layer at index, in both models, to a constant
        bias and a constant kernel, or to its own kernel with None."""
        for layer in (self.our_layers[index], self.their_layers[index]):
            kernel_value, bias_value = layer.get_weights()
            if kernel is not None:
                kernel_value = np.full_like(kernel_value, kernel)
            layer.set_weights([kernel_value, np.full_like(bias_value, bias)])


def _mismatch(their_array, our_array):
    """Returns '' when two arrays agree within the output tolerance, else
    how they differ."""
    their_array, our_array = np.asarray(their_array), np.asarray(our_array)
    if their_array.shape != our_array.shape:
        return 'shape {} in yours, {} in ours'.format(their_array.shape,
                                                      our_array.shape)
    if np.allclose(their_array, our_array, rtol=OUTPUT_RTOL,
                   atol=OUTPUT_ATOL):
        return ''
    return 'largest difference {:.3g} (values up to {:.3g})'.format(
        float(np.max(np.abs(their_array - our_array))),
        float(np.max(np.abs(our_array))))


def outputs_check(task, pair, roles, x):
    """Encoder, decoder and autoencoder outputs on a fixed batch; for the
    VAE, the mean and log_var (z is random) and the decoder."""
    (their_encoder, their_decoder, their_auto), ours = pair.theirs, pair.ours
    pair.reset()
    our_codes = as_list(predict(ours[0], x))
    their_codes = as_list(predict(their_encoder, x))
    if task.name == 'variational':
        compared = [('encoder ' + name, their_codes[roles[index]],
                     our_codes[index])
                    for index, name in ((1, 'mean'), (2, 'log_var'))]
        code = our_codes[1]
    else:
        compared = [('encoder', their_codes[0], our_codes[0])]
        code = our_codes[0]
    compared.append(('decoder', predict(their_decoder, code),
                     predict(ours[1], code)))
    their_output = predict(their_auto, x)
    our_output = predict(ours[2], x)
    if task.name == 'variational':  # z is random: the shape alone
        their_output, our_output = (np.zeros(np.shape(their_output)),
                                    np.zeros(np.shape(our_output)))
    compared.append(('auto', their_output, our_output))
    for name, theirs, our_values in compared:
        difference = _mismatch(theirs, our_values)
        if difference:
            return False, '{}: {}'.format(name, difference)
    return True, 'within {} + {} x |reference|'.format(OUTPUT_ATOL,
                                                       OUTPUT_RTOL)


def evaluate(auto, x):
    """Returns the loss that evaluate gives on one batch of x, run eagerly:
    tracing evaluate's function would cost more than the step itself."""
    auto.run_eagerly = True
    value = auto.evaluate(x, x, batch_size=len(x), verbose=0)
    return float(value[0] if isinstance(value, (list, tuple)) else value)


def step_check(pair, x):
    """Trains both models one step on x from the same weights and compares
    every weight after it, eagerly, as evaluate."""
    for auto in (pair.theirs[2], pair.ours[2]):
        auto.run_eagerly = True
    pair.theirs[2].train_on_batch(x, x)
    pair.ours[2].train_on_batch(x, x)
    rate = float(np.asarray(pair.ours[2].optimizer.learning_rate))
    moved, total, largest, where = 0, 0, 0.0, ''
    for theirs, ours in zip(pair.their_layers, pair.our_layers):
        for their_value, our_value in zip(theirs.get_weights(),
                                          ours.get_weights()):
            difference = np.abs(their_value - our_value)
            moved += int(np.sum(difference > STEP_TOLERANCE * rate))
            total += difference.size
            if difference.size and difference.max() > largest:
                largest, where = float(difference.max()), describe(
                    layer_row(ours))
    passed = moved <= STEP_SHARE * total
    detail = ('{} of {} weights moved differently by more than {} x the '
              'learning rate {:g}'.format(moved, total, STEP_TOLERANCE, rate))
    if largest:
        detail += '; largest difference {:.3g}, in {}'.format(largest, where)
    return passed, detail


def prepare_loss(task, pair):
    """Makes the VAE's loss deterministic: with the decoder's first kernel
    zero, its output no longer depends on the random z. The mean and
    log-variance layers keep their kernels but are shifted by KL_SHIFT, so
    that the KL term weighs a few percent of the loss."""
    pair.reset()
    if task.name == 'variational':
        pair.pin(pair.encoder_count, 0.0, kernel=0.0)
        for offset, bias in zip((2, 1), KL_SHIFT):
            pair.pin(pair.encoder_count - offset, bias, kernel=None)


def prepare_step(task, pair):
    """Makes the VAE's step deterministic: log_var pinned to -30 makes z
    the mean to float precision."""
    pair.reset()
    if task.name == 'variational':
        pair.pin(pair.encoder_count - 1, -30.0)


def loss_check(task, variants, x, lambtha=None):
    """Compares evaluate's loss with ours under each accepted variant (the
    sparse penalty summed or averaged over the batch); returns the result
    and the pair of the variant that matched, or None."""
    their_loss = None
    for note, pair in variants:
        prepare_loss(task, pair)
        our_loss = evaluate(pair.ours[2], x)
        if their_loss is None:
            their_loss = evaluate(pair.theirs[2], x)
        if losses_agree(their_loss, our_loss):
            detail = 'yours {:.6g}, the reference\'s {:.6g}'.format(
                their_loss, our_loss)
            return (True, detail + ('\n' + note if note else '')), pair
    note, pair = variants[0]
    prepare_loss(task, pair)
    our_loss = evaluate(pair.ours[2], x)
    if task.name == 'sparse':
        cause = sparse_cause(pair, x, their_loss, lambtha)
    elif task.name == 'variational':
        cause = vae_cause(pair, x, their_loss)
    else:
        cause = other_cause(pair)
    detail = 'yours {:.6g}, the reference\'s {:.6g} on {} inputs'.format(
        their_loss, our_loss, len(x))
    return (False, (cause + '\n' if cause else '') + detail), None


def sampling_checks(pair, roles, x):
    """With the mean pinned to SAMPLE_MEAN and log_var to SAMPLE_LOG_VAR,
    draws z for SAMPLES copies of one input: z must spread as
    exp(log_var / 2), and the autoencoder must decode it, not the mean."""
    pair.reset()
    pair.pin(pair.encoder_count - 2, SAMPLE_MEAN)
    pair.pin(pair.encoder_count - 1, SAMPLE_LOG_VAR)
    copies = np.repeat(x[:1], SAMPLES, axis=0)
    keras.utils.set_random_seed(0)
    z = as_list(predict(pair.theirs[0], copies))[roles[0]]
    expected = np.exp(SAMPLE_LOG_VAR / 2)
    spread = float(z.std(axis=0).mean()) / expected
    centre = float(np.abs(z.mean(axis=0) - SAMPLE_MEAN).max())
    passed = (SPREAD_BAND[0] <= spread <= SPREAD_BAND[1]
              and centre <= 5 * expected / np.sqrt(SAMPLES))
    detail = ('with mean {} and log_var {} for {} copies of one input: z '
              'centred {:.3g} off the mean, spread {:.3g} x exp(log_var / '
              '2)'.format(SAMPLE_MEAN, SAMPLE_LOG_VAR, SAMPLES, centre,
                          spread))
    if not passed:
        detail = spread_cause(spread, centre, SAMPLE_LOG_VAR) + '\n' + detail
    checks = [(passed, detail)]
    decoded = predict(pair.theirs[2], copies)
    ours = predict(pair.ours[2], copies)
    varies = float(decoded.std(axis=0).mean())
    our_varies = float(ours.std(axis=0).mean())
    passed = varies > 0.01 * our_varies
    measured = ('spread of auto over the copies: yours {:.3g}, the '
                'reference\'s {:.3g}'.format(varies, our_varies))
    checks.append((passed, measured if passed else
                   'Your auto decodes the mean, not the sample z: pass the '
                   'encoder\'s first output to the decoder, '
                   'decoder(encoder(inputs)[0]).\n' + measured))
    return checks
