#!/usr/bin/env python3
"""The computation checks, one function each, named after its key in
checker/checks/table.py: the student side runs the student's models with
the reference's weights on the run's batch and sends back what they gave;
these hold it up against the reference's values, with the tolerances that
docs/checking.md gives."""
import numpy as np

from checker.checks import causes
from checker.checks.models import describe, weighted
from checker.protocol.tables import FIELDS

OUTPUT_RTOL, OUTPUT_ATOL = 1e-4, 1e-5
# One Adam step moves each weight by about the learning rate, whatever its
# gradient's size: a weight "moves differently" when its step differs by
# more than a tenth of that, and a few such weights are float noise.
STEP_TOLERANCE, STEP_SHARE = 0.1, 1e-3
# Biases of the mean and log-variance layers for the VAE's loss: a KL term
# of about 11 per digit beside a reconstruction of about 540, 200 times
# the loss tolerance, where the fresh layers' KL is 0.1.
KL_SHIFT = (3.0, -3.0)


def _mismatch(student_array, reference_array):
    """'' when two arrays agree within the output tolerance, else how they
    differ."""
    if student_array.shape != reference_array.shape:
        return 'shape {} in yours, {} in the reference\'s'.format(
            student_array.shape, reference_array.shape)
    if np.allclose(student_array, reference_array, rtol=OUTPUT_RTOL,
                   atol=OUTPUT_ATOL):
        return ''
    return 'largest difference {:.3g} (values up to {:.3g})'.format(
        float(np.max(np.abs(student_array - reference_array))),
        float(np.max(np.abs(reference_array))))


def within_tolerance(student_array, reference_array):
    """Two arrays of one shape that agree within the output tolerance."""
    return not _mismatch(student_array, reference_array)


def outputs(ran, built, reference, task):
    """Encoder, decoder and autoencoder outputs on the batch; for the VAE,
    the mean and log_var (z is random), the decoder, and auto's shape."""
    if ran.failure:
        return ran.verdict()
    mismatch = output_mismatch(task.name == 'variational',
                               built.value.models.encoder.roles,
                               reference.values(), ran.value)
    if mismatch:
        return False, mismatch
    return True, 'within {} + {} x |reference|'.format(OUTPUT_ATOL,
                                                       OUTPUT_RTOL)


def output_mismatch(vae, roles, expected, found):
    """'' when the student's outputs (those found) are the reference's
    (expected, a reference Parts), else where they first differ and how.
    For the VAE, z is random: the mean and log_var, and auto's shape."""
    compared = []
    if 'encoder' in found:
        codes = found['encoder']
        compared += ([('encoder ' + name, codes[roles[index]],
                       expected.codes[index])
                      for index, name in ((1, 'mean'), (2, 'log_var'))]
                     if vae else [('encoder', codes[0], expected.codes[0])])
    if 'decoder' in found:
        compared.append(('decoder', found['decoder'], expected.decoded))
    if 'auto' in found:
        student_values, reference_values = found['auto'], expected.auto
        if vae:
            student_values = np.zeros(student_values.shape)
            reference_values = np.zeros(reference_values.shape)
        compared.append(('auto', student_values, reference_values))
    for name, student_values, reference_values in compared:
        difference = _mismatch(student_values, reference_values)
        if difference:
            return '{}: {}'.format(name, difference)
    return ''


def losses_agree(student_values, reference_values):
    """Two losses agree within the tolerance of the reference's."""
    return causes.losses_agree(student_values, reference_values)


def matching_variant(evaluated, reference):
    """The accepted form of the loss that the student's (evaluated)
    matches, or None."""
    if evaluated.failure:
        return None
    for variant in reference.values().variants:
        if losses_agree(evaluated.value, variant.loss):
            return variant
    return None


def loss_value(evaluated, computed, built, source, reference, task):
    """evaluate's loss against the reference's, under each accepted form
    of it (for sparse, the penalty summed or averaged over the batch)."""
    if evaluated.failure:
        return evaluated.verdict(blocks='evaluate fails')
    values = reference.values()
    student_loss = evaluated.value
    variant = matching_variant(evaluated, reference)
    if variant:
        detail = 'yours {:.6g}, the reference\'s {:.6g}'.format(student_loss,
                                                                variant.loss)
        return True, detail + ('\n' + variant.note if variant.note else '')
    if task.name == 'sparse':
        cause = causes.sparse_cause(
            computed, values, student_loss, values.arguments[3],
            built.value.models, task.configurations[0].arguments[3])
    elif task.name == 'variational':
        cause = causes.vae_cause(values, student_loss)
        indexed = source.indexed_prediction()
        if indexed and cause.startswith('It matches none'):
            cause = ('Your loss indexes {} as if it held more than the '
                     'reconstruction: y_pred is auto\'s output alone, '
                     '(batch, input_dims).'.format(indexed))
    else:
        cause = causes.other_cause(built.value.models)
    detail = 'yours {:.6g}, the reference\'s {:.6g} on {} inputs'.format(
        student_loss, values.variants[0].loss, len(values.x))
    return False, (cause + '\n' if cause else '') + detail


def outputs_alone(failed, built, reference, configuration, task):
    """Whether the outputs can be judged where the structure differs only
    in InputLayers that Sequential models lack: the layers that compute
    are the reference's, so every check of the numbers can run."""
    models = built.value.models
    if failed != 'structure' or task.name == 'variational' and list(
            models.encoder.roles) != [0, 1, 2]:
        return None
    return only_inputs_differ(models, reference.tables(
        configuration.arguments)) or None


def only_inputs_differ(student_tables, reference_tables):
    """True when the encoders and decoders differ in InputLayers alone."""
    return all(_computing_rows(student_table) == _computing_rows(
        reference_table) for student_table, reference_table in zip(
            student_tables[:2], reference_tables[:2]))


def _computing_rows(table):
    """A table's rows but its InputLayers, field by field."""
    return [{field: row[field] for field in FIELDS} for row in table.layers
            if row['class'] != 'InputLayer']


def loss_value_alone(failed, computed, paired, built, reference, task):
    """The loss's checks that hold where the check failed did: for the
    VAE, the whole loss (True: loss_value judges it) where only the order
    of the encoder's outputs differs (its weights go where their roles
    say); for sparse, the L1 penalty's place, kind and factor, read off
    the layers."""
    if not computed:
        return None
    if task.name == 'variational' and failed == 'output order' \
            and not paired.failure:
        return True
    if task.name == 'sparse':
        cause = causes.penalty_cause(
            computed, reference.values().arguments[3],
            built.value.models, task.configurations[0].arguments[3])
        if cause:
            return False, cause + ('\nRead off your layers: the loss '
                                   'itself is compared once the checks '
                                   'above pass.')
    return None


def step(stepped, evaluated, source, reference):
    """The weights after one training step against the reference's."""
    if stepped.failure:
        return stepped.verdict()
    values = reference.values()
    variant = matching_variant(evaluated, reference)
    tables = reference.tables(values.arguments)
    rows = [part.layers[index] for part in tables[:2]
            for index in weighted(part)]
    rate = values.rate
    moved, total, largest, where = 0, 0, 0.0, ''
    for row, student_weights, reference_weights in zip(
            rows, stepped.value, variant.stepped):
        for student_value, reference_value in zip(student_weights,
                                                  reference_weights):
            if student_value.shape != reference_value.shape:
                return False, ('a weight of shape {} in yours, {} in the '
                               'reference\'s'.format(student_value.shape,
                                                     reference_value.shape))
            difference = np.abs(student_value - reference_value)
            moved += int(np.sum(difference > STEP_TOLERANCE * rate))
            total += difference.size
            if difference.size and difference.max() > largest:
                largest, where = float(difference.max()), describe(row)
    passed = moved <= STEP_SHARE * total
    indexed = source.indexed_prediction()
    detail = ('' if passed or not indexed else
              'Your loss indexes {} as if it held more than the '
              'reconstruction: y_pred is auto\'s output alone, (batch, '
              'input_dims); its rows differ only once the weights do, so '
              'the loss matched and this step did not.\n'.format(indexed))
    detail += ('{} of {} weights moved differently by more than {} x the '
               'learning rate {:g}'.format(moved, total, STEP_TOLERANCE,
                                           rate))
    if largest:
        detail += '; largest difference {:.3g}, in {}'.format(largest, where)
    return passed, detail
