#!/usr/bin/env python3
"""The known mistakes behind a loss or a sample that differ from the
reference's, told apart by computing each candidate in NumPy on the
reference's outputs, and named in a sentence."""
import numpy as np

from checker.checks.models import describe

LOSS_RTOL = 1e-4
EPSILON = 1e-7  # Keras' clipping of probabilities in cross-entropy


def binary_crossentropy(targets, probabilities):
    """Elementwise binary cross-entropy in float64, clipped as Keras does."""
    p = np.clip(np.float64(probabilities), EPSILON, 1 - EPSILON)
    targets = np.float64(targets)
    return -(targets * np.log(p) + (1 - targets) * np.log(1 - p))


def losses_agree(student_loss, reference_loss):
    """Two losses agree within LOSS_RTOL of the reference's."""
    return (abs(student_loss - reference_loss)
            <= LOSS_RTOL * abs(reference_loss))


def _penalties(student):
    """Lists where the student's models put regularizers: (part, index,
    kind, row) for each activity, kernel or bias regularizer."""
    found = []
    for part, table in zip(('encoder', 'decoder'), student[:2]):
        for index, row in enumerate(table.layers):
            for kind, name in row['penalties'].items():
                if name is not None:
                    found.append((part, index, kind, row))
    return found


def _where(penalty):
    """Names one regularizer's place in a few words."""
    part, index, kind, row = penalty
    return '{} on {} layer {} ({})'.format(kind + '_regularizer', part, index,
                                           describe(row))


def _latent_penalty(student):
    """The latent layer's activity penalty: its class name and its L1 and
    L2 factors ([None, None] where its config gives none)."""
    row = student.encoder.layers[-1]
    return (row['penalties']['activity'],
            row['factors']['activity'] or [None, None])


def penalty_cause(student, lambtha, exercise, exercise_lambtha):
    """Names what is wrong with their L1 penalty from their layers alone:
    where it is, its kind, and its factor against the lambtha passed
    (student: the tables built with lambtha; exercise: those built with
    exercise_lambtha); '' where the layers show no mistake."""
    penalties = _penalties(student)
    latent = len(student.encoder.layers) - 1
    if not penalties:
        return 'Your loss has no L1 penalty: lambtha is not used.'
    others = [p for p in penalties if not (p[:3] == ('encoder', latent,
                                                     'activity'))]
    if others:
        return ('Your L1 penalty is at {}; the task asks for '
                'activity_regularizer=keras.regularizers.l1(lambtha) on the '
                'latent layer alone.'.format(', '.join(map(_where, others))))
    name, (l1, l2) = _latent_penalty(student)
    if name == 'L2' or (l2 and not l1):
        return ('Your penalty on the latent layer is an L2 penalty, the sum '
                'of squares (keras.regularizers.l2); the task\'s is L1: '
                'keras.regularizers.l1(lambtha).')
    if not l1:
        return ''
    exercise_l1 = _latent_penalty(exercise)[1][0]
    if exercise_l1 == l1 and exercise_lambtha != lambtha:
        return ('Your L1 factor is {:g} whatever lambtha is: the checker '
                'passed lambtha = {:g} and {:g}, and the factor stayed {:g}. '
                'Use keras.regularizers.l1(lambtha).'.format(
                    l1, exercise_lambtha, lambtha, l1))
    if abs(l1 / lambtha - 1) > 1e-4:
        return ('Your L1 factor is {:g} x lambtha; the task\'s is lambtha '
                'itself: keras.regularizers.l1(lambtha).'.format(
                    l1 / lambtha))
    return ''


def sparse_cause(student, values, student_loss, lambtha, exercise,
                 exercise_lambtha):
    """Names where their L1 penalty is, or what its factor is, from their
    layers; else by how much it is off, from the loss's parts computed in
    NumPy."""
    cause = penalty_cause(student, lambtha, exercise, exercise_lambtha)
    if cause:
        return cause
    reconstruction = binary_crossentropy(values.x, values.loss_auto).mean()
    ratio = (student_loss - reconstruction) / (
        lambtha * np.abs(values.loss_codes[0]).sum())
    return ('Your penalty on the latent layer is {:.3g} x lambtha * '
            'sum(|latent|) over the batch; the task adds 1 x that '
            '(TensorFlow 1.12), and keras.regularizers.l1(lambtha) gives 1 / '
            'batch size on Keras 2.x and 3.'.format(ratio))


def vae_cause(values, student_loss):
    """Names which known mistake their VAE loss matches, from the loss's
    parts computed in NumPy on the reference's outputs."""
    x = values.x
    _, mean, log_var = values.loss_codes
    reconstruction = binary_crossentropy(x, values.loss_decoded)
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
    squared = ((np.float64(x) - np.float64(values.loss_decoded)) ** 2).mean()
    mse = ('Your reconstruction term is the mean squared error{}; the '
           'task\'s is binary cross-entropy summed over the inputs.')
    known += [(squared + kl, mse.format(', averaged over the inputs')),
              (squared * features + kl, mse.format(', summed over the '
                                                   'inputs')),
              (squared, mse.format(' alone, with no KL term'))]
    for value, cause in known:
        if losses_agree(student_loss, value):
            return cause
    return ('It matches none of the known mistakes: reconstruction {:.6g} '
            '(summed over the inputs), KL {:.6g}, both averaged over the '
            'batch, should add up.'.format(summed, kl))


def other_cause(student):
    """Names a penalty that the vanilla or convolutional model should not
    have."""
    penalties = _penalties(student)
    if penalties:
        return 'Your model adds a penalty the task does not ask for: {}.' \
            .format(', '.join(map(_where, penalties)))
    return ''


def spread_cause(spread, centre, log_var):
    """Names the mistake from z's spread (a multiple of the standard
    deviation exp(log_var / 2)) and its distance from the mean, where
    exactly one known mistake gives that spread; else says what differs."""
    expected = np.exp(log_var / 2)
    if centre > 1:
        return ('z is not centred on the mean: the mean and log-variance '
                'may be swapped in your sampling.')
    if spread < 0.01:
        return 'z does not vary: your encoder returns the mean as z.'
    known = [(np.exp(log_var) / expected,
              'Your noise is scaled by exp(log_var), the variance; the '
              'standard deviation is exp(log_var / 2).'),
             (1 / expected, 'Your noise is not scaled: z = mean + eps. '
                            'Multiply eps by exp(log_var / 2).'),
             (0.1, 'Your z spreads a tenth of exp(log_var / 2): eps is drawn '
                   'with stddev=0.1, or scaled by 0.1; it must be standard '
                   'normal, keras.backend.random_normal(shape).'),
             (0.1 * np.exp(log_var) / expected,
              'Your noise is scaled by exp(log_var), the variance, and eps '
              'is drawn with stddev=0.1: both are off. z = mean + '
              'exp(log_var / 2) * eps, eps standard normal.'),
             (abs(log_var) / expected,
              'Your noise is scaled by log_var itself, z = mean + log_var * '
              'eps; the standard deviation is exp(log_var / 2).')]
    fits = [cause for ratio, cause in known if abs(spread / ratio - 1) < 0.1]
    if len(fits) == 1:
        return fits[0]
    return ('Your sample spreads {:.3g} x the standard deviation '
            'exp(log_var / 2), which {} of the usual mistakes gives.'.format(
                spread, 'more than one' if fits else 'none'))
