#!/usr/bin/env python3
"""Theirs against ours with the same weights: outputs on a fixed batch, the
loss that evaluate returns, the weights after one training step, and for
the VAE the sampling, with the tolerances that docs/checking.md gives."""
import numpy as np
import tensorflow.keras as keras

from checker.models import copy_weights, describe, layer_row

OUTPUT_RTOL, OUTPUT_ATOL = 1e-4, 1e-5
LOSS_RTOL = 1e-4
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
EPSILON = 1e-7  # Keras' clipping of probabilities in cross-entropy


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


def binary_crossentropy(targets, probabilities):
    """Elementwise binary cross-entropy in float64, clipped as Keras does."""
    p = np.clip(np.float64(probabilities), EPSILON, 1 - EPSILON)
    targets = np.float64(targets)
    return -(targets * np.log(p) + (1 - targets) * np.log(1 - p))


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


def _as_list(outputs):
    """Returns predict's outputs as a list of arrays."""
    return list(outputs) if isinstance(outputs, (list, tuple)) \
        else [outputs]


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
    our_codes = _as_list(ours[0].predict(x, verbose=0))
    their_codes = _as_list(their_encoder.predict(x, verbose=0))
    if task.name == 'variational':
        compared = [('encoder ' + name, their_codes[roles[index]],
                     our_codes[index])
                    for index, name in ((1, 'mean'), (2, 'log_var'))]
        code = our_codes[1]
    else:
        compared = [('encoder', their_codes[0], our_codes[0])]
        code = our_codes[0]
    compared.append(('decoder', their_decoder.predict(code, verbose=0),
                     ours[1].predict(code, verbose=0)))
    their_output = their_auto.predict(x, verbose=0)
    our_output = ours[2].predict(x, verbose=0)
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
    """Returns the loss that evaluate gives on one batch of x."""
    value = auto.evaluate(x, x, batch_size=len(x), verbose=0)
    return float(value[0] if isinstance(value, (list, tuple)) else value)


def losses_agree(theirs, ours):
    """Two losses agree within LOSS_RTOL of ours."""
    return abs(theirs - ours) <= LOSS_RTOL * abs(ours)


def step_check(pair, x):
    """Trains both models one step on x from the same weights and compares
    every weight after it."""
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


def _penalties(models):
    """Lists where a model pair puts regularizers: (part, index, kind,
    layer) for each activity, kernel or bias regularizer."""
    found = []
    for part, model in zip(('encoder', 'decoder'), models):
        for index, layer in enumerate(model.layers):
            for kind in ('activity', 'kernel', 'bias'):
                if getattr(layer, kind + '_regularizer', None) is not None:
                    found.append((part, index, kind, layer))
    return found


def _where(penalty):
    """Names one regularizer's place in a few words."""
    part, index, kind, layer = penalty
    return '{} on {} layer {} ({})'.format(
        kind + '_regularizer', part, index, describe(layer_row(layer)))


def _sparse_cause(pair, x, their_loss, lambtha):
    """Names where their L1 penalty is, or by how much it is off, from
    their layers' regularizers and the loss's parts computed in NumPy."""
    their_encoder = pair.theirs[0]
    penalties = _penalties(pair.theirs[:2])
    latent_layer = their_encoder.layers[-1]
    if not penalties:
        return 'Your loss has no L1 penalty: lambtha is not used.'
    others = [p for p in penalties if not (p[3] is latent_layer
                                           and p[2] == 'activity')]
    if others:
        return ('Your L1 penalty is at {}; the task asks for '
                'activity_regularizer=keras.regularizers.l1(lambtha) on the '
                'latent layer alone.'.format(', '.join(map(_where, others))))
    code = pair.ours[0].predict(x, verbose=0)
    reconstruction = binary_crossentropy(
        x, pair.ours[2].predict(x, verbose=0)).mean()
    ratio = (their_loss - reconstruction) / (lambtha * np.abs(code).sum())
    return ('Your penalty on the latent layer is {:.3g} x lambtha * '
            'sum(|latent|) over the batch; the task adds 1 x that '
            '(TensorFlow 1.12), and keras.regularizers.l1(lambtha) gives 1 / '
            'batch size on Keras 2.x and 3.'.format(ratio))


def _vae_cause(pair, x, their_loss):
    """Names which known mistake their VAE loss matches, from the loss's
    parts computed in NumPy on our outputs."""
    _, mean, log_var = _as_list(pair.ours[0].predict(x, verbose=0))
    reconstruction = binary_crossentropy(
        x, pair.ours[1].predict(mean, verbose=0))  # z is ignored here
    features, latent = x.shape[-1], mean.shape[-1]
    summed = reconstruction.sum(axis=-1).mean()
    averaged = reconstruction.mean()
    kl = (-0.5 * np.sum(1 + np.float64(log_var) - np.float64(mean) ** 2
                        - np.exp(np.float64(log_var)), axis=-1)).mean()
    known = [
        (summed, 'KL term missing: your loss equals the reconstruction '
                 'term alone. The KL divergence splits between the two '
                 'layers: on the mean, activity_regularizer=lambda m: 0.5 * '
                 'keras.backend.sum(keras.backend.square(m)); on the '
                 'log-variance, lambda v: 0.5 * keras.backend.sum('
                 'keras.backend.exp(v) - v - 1).'),
        (averaged + kl, 'Your reconstruction term is averaged over the {} '
                        'inputs; the task sums it (binary cross-entropy '
                        'times input_dims).'.format(features)),
        (averaged, 'Your loss is the per-pixel binary cross-entropy alone: '
                   'no KL term, and the reconstruction is averaged, not '
                   'summed.'),
        (summed + kl / latent, 'Your KL term is averaged over the {} latent '
                               'dimensions; the task sums it.'.format(latent)),
        (averaged + kl / latent, 'Both terms are averaged, over the inputs '
                                 'and over the latent dimensions; the task '
                                 'sums both.'),
        (summed + len(x) * kl, 'Your KL term is summed over the batch; the '
                               'task averages the whole loss over it.'),
        (summed + 2 * kl, 'Your KL term lacks the factor 0.5.')]
    for value, cause in known:
        if losses_agree(their_loss, value):
            return cause
    return ('It matches none of the known mistakes: reconstruction {:.6g} '
            '(summed over the inputs), KL {:.6g}, both averaged over the '
            'batch, should add up.'.format(summed, kl))


def _other_cause(pair):
    """Names a penalty that the vanilla or convolutional model should not
    have."""
    penalties = _penalties(pair.theirs[:2])
    if penalties:
        return 'Your model adds a penalty the task does not ask for: {}.' \
            .format(', '.join(map(_where, penalties)))
    return ''


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
        cause = _sparse_cause(pair, x, their_loss, lambtha)
    elif task.name == 'variational':
        cause = _vae_cause(pair, x, their_loss)
    else:
        cause = _other_cause(pair)
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
    z = _as_list(pair.theirs[0].predict(copies, verbose=0))[roles[0]]
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
        detail = _spread_cause(spread, centre, expected) + '\n' + detail
    checks = [(passed, detail)]
    decoded = pair.theirs[2].predict(copies, verbose=0)
    ours = pair.ours[2].predict(copies, verbose=0)
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


def _spread_cause(spread, centre, expected):
    """Names the likely mistake from z's spread (a multiple of the standard
    deviation `expected`) and its distance from the mean."""
    if centre > 1:
        return ('z is not centred on the mean: the mean and log-variance '
                'may be swapped in your sampling.')
    if spread < 0.01:
        return 'z does not vary: your encoder returns the mean as z.'
    known = [(np.exp(SAMPLE_LOG_VAR) / expected,
              'Your noise is scaled by exp(log_var), the variance; the '
              'standard deviation is exp(log_var / 2).'),
             (1 / expected, 'Your noise is not scaled: z = mean + eps. '
                            'Multiply eps by exp(log_var / 2).'),
             (0.1, 'Your z spreads a tenth of exp(log_var / 2): eps is drawn '
                   'with stddev=0.1, or scaled by 0.1; it must be standard '
                   'normal, keras.backend.random_normal(shape).')]
    for ratio, cause in known:
        if abs(spread / ratio - 1) < 0.1:
            return cause
    return ('Your sample spreads {:.3g} x the standard deviation '
            'exp(log_var / 2).'.format(spread))
