#!/usr/bin/env python3
"""The structure and compile checks, one function each, named after its
key in checker/checks/table.py and taking the stages it names: the
student's models' tables against the reference's, layer by layer (the
stage compared, from checker/checks/diff.py), the VAE encoder's outputs,
the loss and the optimizer."""
from checker.checks.computation import only_inputs_differ, output_mismatch
from checker.checks.errors import loss_weights_sentence


def _compared(compared, built, reference, configuration, task):
    """The verdict of a build compared with the reference's (stage
    compared): layer by layer, and where the tables say they are the
    reference's, held to it: with the reference's weights, on numbers
    drawn for this run, they must compute its outputs."""
    if compared.differences:
        return False, compared.differences
    if compared.ran.failure:
        return False, ('Your models are the reference\'s layer for layer, '
                       'but they fail when run with its weights:\n'
                       + compared.ran.failure.replace('not run: ', ''))
    mismatch = output_mismatch(task.name == 'variational',
                               built.value.models.encoder.roles,
                               reference.parts(configuration.arguments),
                               compared.ran.value)
    if mismatch:
        return False, ('Your file\'s process says its models are the '
                       'reference\'s, layer for layer, but with the '
                       'reference\'s weights they compute other outputs '
                       '({}): they are not the models it describes.'.format(
                           mismatch))
    return True, ''


def structure(compared, built, reference, configuration, task):
    """The task's configuration, layer by layer."""
    return _compared(compared, built, reference, configuration, task)


def beyond(built, compared, reference, configuration, task, failed):
    """A configuration beyond the exercise, layer by layer. Where the
    task's own failed (beyond_alone), one that does not build, or differs
    in the InputLayers alone, is not run, so that no table passes on its
    own word."""
    if failed and (built.failure or not built.value.models
                   or only_inputs_differ(built.value.models,
                                         reference.tables(
                                             configuration.arguments))):
        return None
    if built.failure:
        return built.verdict()[:2]
    if built.value.models is None:
        return False, 'Your builder does not return three Keras models.'
    return _compared(compared, built, reference, configuration, task)


def beyond_alone(failed, exercise, reference, task):
    """Whether a configuration beyond the exercise can still be judged
    where the task's own differs only in the InputLayers that Sequential
    models lack: its other differences are named (by beyond)."""
    return failed == 'structure' and only_inputs_differ(
        exercise.value.models, reference.tables(
            task.configurations[0].arguments)) or None


def output_order(built, configuration):
    """The VAE encoder's outputs are z, mean, log_var, each (None,
    latent), read off the graph."""
    encoder = built.value.models.encoder
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


def output_order_alone(built):
    """Whether the outputs' order can be judged where the structure
    failed: when the graph tells z, mean and log_var apart (a file without
    them is no VAE, which the structure check says)."""
    if built.value is None or built.value.models is None:
        return None
    roles = built.value.models.encoder.roles
    return None if None in roles or len(set(roles)) != 3 else True


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


def loss(compiled, source, task):
    """The compiled loss: binary cross-entropy, as graders print it; for
    the VAE any loss, judged by its value later."""
    student_loss = compiled.loss
    weights = source.keyword('compile', 'loss_weights')
    if weights:
        return False, loss_weights_sentence(' ({}) at line {}'.format(
            weights[1], weights[0]))
    if student_loss['kind'] == 'none':
        return False, ('auto is not compiled with a loss: call '
                       'auto.compile(optimizer=\'adam\', loss=...)')
    if task.name == 'variational':
        return True, ('yours: {}; evaluate shows whether it computes the '
                      'task\'s loss'.format(_loss_name(student_loss)))
    if student_loss == {'kind': 'string', 'name': 'binary_crossentropy'}:
        return True, ''
    return False, ('Your loss is {}; the task\'s is \'binary_crossentropy\', '
                   'and graders print auto.loss: compile with '
                   'loss=\'binary_crossentropy\'.'.format(
                       _loss_name(student_loss)))


def _rate(value):
    """A learning rate as the detail shows it."""
    return 'None' if value is None else repr(value)


def optimizer(compiled, reference, configuration):
    """The optimizer's class and learning rate, as the reference's."""
    reference_optimizer = reference.tables(
        configuration.arguments).auto['optimizer']
    student_optimizer = compiled.optimizer
    if student_optimizer == reference_optimizer:
        return True, '{} with learning rate {:g}'.format(
            reference_optimizer['class'], reference_optimizer['learning rate'])
    return False, ('Your optimizer is {} with learning rate {}; the task\'s '
                   'is {} with learning rate {:g}: optimizer=\'adam\'.'
                   .format(student_optimizer['class'],
                           _rate(student_optimizer['learning rate']),
                           reference_optimizer['class'],
                           reference_optimizer['learning rate']))
