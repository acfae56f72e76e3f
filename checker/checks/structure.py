#!/usr/bin/env python3
"""The structure and compile checks, one function each, named after its
key in checker/checks/table.py: the student's models' tables against the
reference's, layer by layer (checker/checks/diff.py), the VAE encoder's
outputs, the loss and the optimizer."""
from checker.checks.computation import only_inputs_differ, output_mismatch
from checker.checks.diff import compare_model
from checker.checks.errors import loss_weights_sentence
from checker.checks.source import Source


def _compare(student, reference, answer, configuration):
    """The encoder and decoder of the student's build (answer) against the
    reference's, layer by layer; where the tables say they are the
    reference's, held to it: with the reference's weights, on numbers
    drawn for this run, they must compute its outputs."""
    built = answer.value.models
    reference_tables = reference.tables(configuration.arguments)
    differences = [compare_model(student.task, part, student_table,
                                 reference_table, configuration.arguments)
                   for part, student_table, reference_table in (
                       ('encoder', built.encoder, reference_tables.encoder),
                       ('decoder', built.decoder, reference_tables.decoder))]
    differences = [text for text in differences if text]
    if differences:
        return False, '\n'.join(differences)
    ran = student.parts(configuration.arguments, answer)
    if ran.failure:
        return False, ('Your models are the reference\'s layer for layer, '
                       'but they fail when run with its weights:\n'
                       + ran.failure.replace('not run: ', ''))
    mismatch = output_mismatch(student.vae, built.encoder.roles,
                               reference.parts(configuration.arguments),
                               ran.value)
    if mismatch:
        return False, ('Your file\'s process says its models are the '
                       'reference\'s, layer for layer, but with the '
                       'reference\'s weights they compute other outputs '
                       '({}): they are not the models it describes.'.format(
                           mismatch))
    return True, ''


def structure(student, reference, configuration):
    """The task's configuration, layer by layer."""
    return _compare(student, reference, student.exercise(), configuration)


def beyond(student, reference, configuration):
    """A configuration beyond the exercise, layer by layer."""
    answer = student.build(configuration.arguments,
                           'building ' + configuration.label)
    if answer.failure:
        return answer.verdict()[:2]
    if answer.value.models is None:
        return False, 'Your builder does not return three Keras models.'
    return _compare(student, reference, answer, configuration)


def beyond_alone(student, reference, configuration, failed):
    """A configuration beyond the exercise where the task's own differs
    only in the InputLayers that Sequential models lack, and this one in
    more than those: its other differences are named. One that differs in
    those alone is not run, so that no table passes on its own word."""
    task = student.task.configurations[0].arguments
    if failed != 'structure' or not only_inputs_differ(
            student.built(), reference.tables(task)):
        return None
    answer = student.build(configuration.arguments,
                           'building ' + configuration.label)
    if answer.failure or not answer.value.models or only_inputs_differ(
            answer.value.models, reference.tables(configuration.arguments)):
        return None
    return beyond(student, reference, configuration)


def output_order(student, reference, configuration):
    """The VAE encoder's outputs are z, mean, log_var, each (None,
    latent), read off the graph."""
    encoder = student.built().encoder
    latent = configuration.arguments[2]
    shapes = encoder.outputs
    names = ['?'] * len(shapes)
    for role, index in zip(('z', 'mean', 'log_var'), encoder.roles):
        if index is not None:
            names[index] = role
    passed = (list(encoder.roles) == [0, 1, 2]
              and shapes == [(None, latent)] * 3)
    shown = 'yours: [{}], shapes {}'.format(', '.join(names), shapes)
    if not passed and len(shapes) == 3 and None not in encoder.roles:
        return False, ('Your encoder returns [{}]; the task returns z, '
                       'mean, log_var, in that order: keras.Model(inputs, '
                       '[z, mean, log_var]), and auto decodes '
                       'encoder(inputs)[0].'.format(', '.join(names)))
    return passed, '' if passed else shown


def output_order_alone(student, reference, configuration, failed):
    """The outputs' order where the structure failed, when the graph
    tells z, mean and log_var apart (a file without them is no VAE, which
    the structure check says)."""
    built = student.exercise().value
    if built is None or built.models is None:
        return None
    roles = built.models.encoder.roles
    if None in roles or len(set(roles)) != 3:
        return None
    return output_order(student, reference, configuration)


def _loss_name(loss):
    """A compiled loss as a student wrote it: a string, a function's name,
    a loss object's class; never a repr."""
    if loss['kind'] == 'string':
        return repr(loss['name'])
    if loss['kind'] == 'function':
        return 'the function {}'.format(loss['name'])
    if loss['kind'] == 'none':
        return 'no loss given to compile'
    return 'a {} object'.format(loss['name'])


def loss(student, reference, configuration):
    """The compiled loss: binary cross-entropy, as graders print it; for
    the VAE any loss, judged by its value later."""
    compiled = student.built().auto['loss']
    weights = Source(student.source).keyword('compile', 'loss_weights')
    if weights:
        return False, loss_weights_sentence(' ({}) at line {}'.format(
            weights[1], weights[0]))
    if compiled['kind'] == 'none':
        return False, ('auto is not compiled with a loss: call '
                       'auto.compile(optimizer=\'adam\', loss=...)')
    if student.vae:
        return True, ('yours: {}; evaluate shows whether it computes the '
                      'task\'s loss'.format(_loss_name(compiled)))
    if compiled == {'kind': 'string', 'name': 'binary_crossentropy'}:
        return True, ''
    return False, ('Your loss is {}; the task\'s is \'binary_crossentropy\', '
                   'and graders print auto.loss: compile with '
                   'loss=\'binary_crossentropy\'.'.format(
                       _loss_name(compiled)))


def _rate(value):
    """A learning rate as the detail shows it."""
    return 'None' if value is None else repr(value)


def optimizer(student, reference, configuration):
    """The optimizer's class and learning rate, as the reference's."""
    reference_optimizer = reference.tables(
        configuration.arguments).auto['optimizer']
    student_optimizer = student.built().auto['optimizer']
    if student_optimizer == reference_optimizer:
        return True, '{} with learning rate {:g}'.format(
            reference_optimizer['class'], reference_optimizer['learning rate'])
    return False, ('Your optimizer is {} with learning rate {}; the task\'s '
                   'is {} with learning rate {:g}: optimizer=\'adam\'.'
                   .format(student_optimizer['class'],
                           _rate(student_optimizer['learning rate']),
                           reference_optimizer['class'],
                           reference_optimizer['learning rate']))
