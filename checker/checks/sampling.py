#!/usr/bin/env python3
"""The VAE's sampling checks, named after their keys in
checker/checks/table.py: z spreads as exp(log_var / 2) around the mean,
and auto decodes z. The student side samples with the mean and
log-variance layers pinned; the grader measures what comes back and
decodes the file's z itself with the weights it sent."""
import numpy as np

from checker.checks import causes

SPREAD_BAND = (0.9, 1.1)  # z's spread over exp(log_var / 2); 9 errors wide
SAMPLES = 4096  # copies of one input, to measure the VAE's sampling
DECODED = 256  # of them decoded by auto, to see that it decodes z
# How far auto's spread and centre, pixel by pixel, may be from the
# grader's decoding of the file's z, as shares of that spread: two draws
# of 256 copies differ by about 0.08 and 0.1; the mean decoded, with noise
# of the best even size added, by 0.37 in spread.
DECODED_GAPS = (0.2, 0.5)
SAMPLE_MEAN, SAMPLE_LOG_VAR = 0.5, -2.0


def spread(sampled):
    """With the mean pinned to SAMPLE_MEAN and log_var to SAMPLE_LOG_VAR, z
    over SAMPLES copies of one input spreads as exp(log_var / 2) around
    the mean."""
    if sampled.failure:
        return sampled.verdict()
    z = sampled.value['z']
    expected = np.exp(SAMPLE_LOG_VAR / 2)
    ratio = float(z.std(axis=0).mean()) / expected
    centre = float(np.abs(z.mean(axis=0) - SAMPLE_MEAN).max())
    passed = (SPREAD_BAND[0] <= ratio <= SPREAD_BAND[1]
              and centre <= 5 * expected / np.sqrt(SAMPLES))
    detail = ('with mean {} and log_var {} for {} copies of one input: z '
              'centred {:.3g} off the mean, spread {:.3g} x exp(log_var / '
              '2)'.format(SAMPLE_MEAN, SAMPLE_LOG_VAR, SAMPLES, centre,
                          ratio))
    if not passed:
        detail = causes.spread_cause(ratio, centre, SAMPLE_LOG_VAR) + '\n' \
            + detail
    return passed, detail


def spread_alone(failed, paired):
    """Whether the sampling can be measured where the models' weights can
    be set and their layers differ from the reference's: the mean and
    log-variance layers are pinned. Where the outputs failed, so would
    it."""
    return None if failed == 'outputs' or paired.failure else True


def decodes_z_alone(failed, paired):
    """Whether what auto decodes can be judged: where the weights can be
    set and the outputs' order, which decides what auto should decode, is
    not what failed."""
    return None if failed in ('outputs', 'output order') \
        or paired.failure else True


def decodes_z(sampled, built, reference):
    """auto's output varies over the copies as the grader's own decoding
    of the file's z does: it decodes z, not the mean."""
    if sampled.failure:
        return None, 'not run: sampling fails'
    values = reference.values()
    student_auto = sampled.value['auto']
    decoded = values.decode(sampled.value['z'][:len(student_auto)])
    varies = float(student_auto.std(axis=0).mean())
    measured = ('spread of auto over the copies: yours {:.3g}, the '
                'reference\'s {:.3g}'.format(varies, values.sample_spread))
    if varies <= 0.01 * values.sample_spread:
        return False, _decoded_cause(built.value.models) + '\n' + measured
    scale = float(decoded.std(axis=0).sum())
    spread_gap = float(np.abs(student_auto.std(axis=0)
                              - decoded.std(axis=0)).sum()) / scale
    centre_gap = float(np.abs(student_auto.mean(axis=0)
                              - decoded.mean(axis=0)).sum()) / scale
    if spread_gap > DECODED_GAPS[0] or centre_gap > DECODED_GAPS[1]:
        return False, (
            'Your file\'s process says auto varies over the copies, but not '
            'as the decoder\'s output on its own z does (the spread differs '
            'by {:.0%}, the centre by {:.0%} of it): auto decodes neither z '
            'nor the mean as the task\'s does.\n{}'.format(
                spread_gap, centre_gap, measured))
    return True, measured


def _decoded_cause(models):
    """What auto decodes instead of z, read off its graph where it can be:
    which of the encoder's outputs the decoder is called on."""
    roles = models.encoder.roles
    decodes = models.auto['decodes']
    fix = ('pass z, the encoder\'s output {0}, to the decoder: '
           'decoder(encoder(inputs)[{0}]).'.format(roles[0]))
    for role, name in ((1, 'the mean'), (2, 'the log-variance')):
        if decodes is not None and decodes == roles[role]:
            return 'Your auto decodes {}, not the sample z: {}'.format(
                name, fix)
    return ('Your auto\'s output does not vary with the noise, so it does '
            'not decode the sample z: ' + fix)
