#!/usr/bin/env python3
"""Whether the student's models compute what their tables describe. The
interface and compile checks read the tables that the student side sends
for the task's build; before any of them counts, the grader ties those
tables to a computation it can reproduce. Where the tables are the
reference's, the student side runs its models with the reference's
weights, and they must give the reference's outputs; otherwise the grader
rebuilds the described layers itself (checker/checks/rebuild.py), sets
weights drawn from the run's seed in both, and the student side's outputs
must be its own. A file whose tables no computation backs earns nothing
from them."""
from checker.checks import models, rebuild
from checker.checks.computation import output_mismatch, within_tolerance
from checker.checks.diff import compare_model

NOT_THEIRS = ('Your file\'s process says your builder returns three Keras '
              'models, and describes them layer by layer, but {}: the '
              'grader counts what it can hold to a computation, and so '
              'none of the checks that read that description.')


def tie(student, reference):
    """'' where the task's build's tables are what its models compute,
    else why not, in plain words: held to the reference, or to the
    grader's rebuild."""
    configuration = student.task.configurations[0]
    answer = student.exercise()
    built = answer.value.models
    reference_tables = reference.tables(configuration.arguments)
    if not any(compare_model(student.task, part, student_table,
                             reference_table, configuration.arguments)
               for part, student_table, reference_table in (
                   ('encoder', built.encoder, reference_tables.encoder),
                   ('decoder', built.decoder, reference_tables.decoder))):
        ran = student.parts(configuration.arguments, answer)
        if ran.failure:
            return NOT_THEIRS.format('they fail when run with the '
                                     'reference\'s weights')
        mismatch = output_mismatch(student.vae, built.encoder.roles,
                                   reference.parts(configuration.arguments),
                                   ran.value)
        return NOT_THEIRS.format('with the reference\'s weights they compute '
                                 'other outputs than the reference\'s ({})'
                                 .format(mismatch)) if mismatch else ''
    return _rebuilt(student, reference, built, configuration)


def _rebuilt(student, reference, built, configuration):
    """The tables held to the grader's own rebuild of them."""
    expected = reference.parts(configuration.arguments)
    vae = student.vae and None not in (built.encoder.roles or [None])[1:]
    order = models.pairing(built, vae)
    try:
        weights = rebuild.drawn_weights([
            built[('encoder', 'decoder').index(part)].layers[index][
                'weights'] for part, index in order], reference.seed)
        x = reference.batch(rebuild.input_shape(built.encoder,
                                                expected.x.shape[1:]))
        code = reference.codes((len(x),) + rebuild.input_shape(
            built.decoder, expected.code.shape[1:]))
        by_part = {'encoder': {}, 'decoder': {}}
        for (part, index), values in zip(order, weights):
            by_part[part][index] = values
        with reference.lock:
            rebuilt_codes = rebuild.encoder_outputs(
                built.encoder, x, by_part['encoder'], student.vae)
            rebuilt_decoded = rebuild.decoder_output(
                built.decoder, code, by_part['decoder'])
    except rebuild.Unknown as unknown:
        return NOT_THEIRS.format('the grader cannot rebuild {} from that '
                                 'description'.format(unknown))
    ran = student.described(order, weights, (x, code))
    if ran.failure:
        return NOT_THEIRS.format('they fail when run with weights drawn '
                                 'for the layers it describes')
    compared = [('encoder', ran.value['encoder'][index], values)
                for index, values in rebuilt_codes.items()]
    compared.append(('decoder', ran.value['decoder'], rebuilt_decoded))
    for part, student_values, rebuilt_values in compared:
        if not within_tolerance(student_values, rebuilt_values):
            return NOT_THEIRS.format('its {} computes other outputs than '
                                     'the one it describes'.format(part))
    return ''
