#!/usr/bin/env python3
"""The interface, structure and compile checks, one method each, named
after its key in checker/checks.py: each returns (passed, detail), passed
None for a check that cannot judge on this stack."""
import inspect

import numpy as np
import tensorflow.keras as keras

from checker import models
from checker.behaviour import Behaviour
from checker.diff import compare_model


def is_model(value):
    """True for a Keras model."""
    return isinstance(value, keras.Model)


def three_models(value):
    """True for three Keras models in a tuple or list."""
    return (isinstance(value, (tuple, list)) and len(value) == 3
            and all(map(is_model, value)))


def _learning_rate(optimizer):
    """Returns an optimizer's learning rate as a float, or None."""
    try:
        return float(np.asarray(optimizer.learning_rate))
    except (AttributeError, TypeError, ValueError):
        return None


def loss_name(loss):
    """A compiled loss as a student wrote it: a string, a function's name,
    a loss object's class; never a repr."""
    if isinstance(loss, str):
        return repr(loss)
    if inspect.isfunction(loss):
        return 'the function {}'.format(loss.__name__)
    if not loss:
        return 'no loss given to compile'
    return 'a {} object'.format(type(loss).__name__)


class Verdicts(Behaviour):
    """The checks that read the student's file and models."""

    def build(self, arguments, stage):
        """Builds their models on one configuration's arguments: (value,
        error); what it changed of the task's own is kept for the
        arguments check."""
        value, error, changes = self.student.build(
            self.function, self.task.parameters, arguments, self.keywords,
            stage)
        if arguments == self.task.configurations[0].arguments:
            self.changes = changes
        return value, error

    def check_imports(self, configuration):
        """Importing their file raises, exits and waits for nothing."""
        error, self.module = self.student.load()
        return error is None, error[1] if error else ''

    def check_defines(self, configuration):
        """The builder exists under the task's name; for sparse either."""
        names = [name for name in self.task.functions
                 if callable(getattr(self.module, name, None))]
        self.function = getattr(self.module, names[0]) if names else None
        if self.task.name == 'sparse' and names:
            return True, ('defines {}; the 2020 curriculum\'s graders call '
                          '`sparse`, later ones `autoencoder`'.format(
                              ' and '.join('`{}`'.format(name)
                                           for name in names)))
        if names:
            return True, ''
        defined = sorted(name for name, value in vars(self.module).items()
                         if inspect.isfunction(value)
                         and value.__module__ == self.module.__name__)
        return False, 'Your file defines {}; the task asks for {}.'.format(
            ', '.join(defined) if defined else 'no function',
            self.builder_names())

    def check_parameters(self, configuration):
        """The task's parameter names bind, so that keyword calls work."""
        wanted = list(self.task.parameters)
        self.keywords = False
        try:
            signature = inspect.signature(self.function)
        except (TypeError, ValueError):
            return False, 'Your {} is not a plain function.'.format(
                self.builder_names())
        try:
            signature.bind(**dict(zip(wanted, configuration.arguments)))
            self.keywords = True
            return True, ''
        except TypeError:
            pass
        theirs = list(signature.parameters)
        call = '{}({})'.format(self.function.__name__, ', '.join(wanted))
        missing = [name for name in wanted if name not in theirs]
        if len(theirs) == len(wanted) and missing:
            renamed = ['{} is {}'.format(mine, name) for mine, name
                       in zip(theirs, wanted) if mine != name]
            return False, ('Your parameter {} in the task: calls by position '
                           'work, calls by keyword ({}=...) fail. Rename it: '
                           'def {}.'.format(' and '.join(renamed),
                                            missing[0], call))
        if missing:
            return False, ('Your {} has no parameter {}: the task\'s main '
                           'file passes it. Take it: def {}.'.format(
                               self.function.__name__, ' or '.join(missing),
                               call))
        return False, ('Your {}{} does not take the task\'s call: def {}.'
                       .format(self.function.__name__, signature, call))

    def check_returns(self, configuration):
        """On the task's configuration it returns three Keras models."""
        self.built, error = self.build(configuration.arguments,
                                       'building the task\'s configuration')
        if error and not self.keywords and isinstance(error[0], TypeError):
            return False, ('This follows from the parameters above: your '
                           'builder does not take the task\'s {} arguments.'
                           .format(len(self.task.parameters)))
        if error:
            return (None if error[2] else False), error[1]
        if three_models(self.built):
            return True, ''
        kinds = ([type(part).__name__ for part in self.built]
                 if isinstance(self.built, (tuple, list))
                 else type(self.built).__name__)
        return False, ('Your builder returns {}; the task returns encoder, '
                       'decoder, auto: three keras.Model.'.format(kinds))

    def check_arguments(self, configuration):
        """The builder leaves the lists it was given as they were."""
        if not self.changes:
            return True, ''
        name, before, after = self.changes[0]
        return False, ('Your builder changes the {0} it was given: {1!r} '
                       'became {2!r}. The task\'s main may use them again: '
                       'loop over reversed({0}) instead of reversing {0} '
                       'itself, or work on a copy, list({0}).'.format(
                           name, before, after))

    def check_auto_layers(self, configuration):
        """auto.layers is [InputLayer, encoder, decoder], as graders print."""
        encoder, decoder, auto = self.built
        layers = auto.layers
        passed = (len(layers) == 3
                  and type(layers[0]).__name__ == 'InputLayer'
                  and layers[1] is encoder and layers[2] is decoder)
        if passed:
            return True, ''
        shown = 'yours: [{}]'.format(', '.join(
            type(layer).__name__ + ('' if layer not in (encoder, decoder)
                                    else ' (the ' + ('encoder' if layer
                                                     is encoder else
                                                     'decoder') + ')')
            for layer in layers))
        if len(layers) > 3:
            return False, ('Extra layers in auto come from computing on its '
                           'tensors (add_loss, or arithmetic on the '
                           'encoder\'s outputs): graders that print '
                           'auto.layers see them.\n' + shown)
        return False, shown

    def compare(self, theirs, configuration):
        """The encoder and decoder of theirs against the reference's."""
        ours = self.reference.models(configuration.arguments)
        differences = [compare_model(self.task, part, mine, reference,
                                     configuration.arguments)
                       for part, mine, reference in (
                           ('encoder', theirs[0], ours[0]),
                           ('decoder', theirs[1], ours[1]))]
        differences = [text for text in differences if text]
        return not differences, '\n'.join(differences)

    def check_structure(self, configuration):
        """The task's configuration, layer by layer."""
        return self.compare(self.built, configuration)

    def check_beyond(self, configuration):
        """A configuration beyond the exercise, layer by layer."""
        theirs, error = self.build(configuration.arguments,
                                   'building ' + configuration.label)
        if error:
            return (None if error[2] else False), error[1]
        if not three_models(theirs):
            return False, 'Your builder does not return three Keras models.'
        return self.compare(theirs, configuration)

    def check_output_order(self, configuration):
        """The VAE encoder's outputs are z, mean, log_var, each (None,
        latent), read off the graph."""
        encoder = self.built[0]
        latent = configuration.arguments[2]
        self.roles = models.vae_roles(encoder)
        shapes = [tuple(output.shape) for output in encoder.outputs]
        names = ['?'] * len(shapes)
        for role, index in zip(('z', 'mean', 'log_var'), self.roles):
            if index is not None:
                names[index] = role
        passed = (tuple(self.roles) == (0, 1, 2)
                  and shapes == [(None, latent)] * 3)
        shown = 'yours: [{}], shapes {}'.format(', '.join(names), shapes)
        if not passed and len(shapes) == 3 and None not in self.roles:
            return False, ('Your encoder returns [{}]; the task returns z, '
                           'mean, log_var, in that order: keras.Model('
                           'inputs, [z, mean, log_var]), and auto decodes '
                           'encoder(inputs)[0].'.format(', '.join(names)))
        return passed, '' if passed else shown

    def check_loss(self, configuration):
        """The compiled loss: binary cross-entropy, as graders print it;
        for the VAE any loss, judged by its value later."""
        loss = getattr(self.built[2], 'loss', None)
        if loss is None or (not loss and not callable(loss)):
            return False, ('auto is not compiled with a loss: call '
                           'auto.compile(optimizer=\'adam\', loss=...)')
        if self.task.name == 'variational':
            return True, ('yours: {}; evaluate shows whether it computes '
                          'the task\'s loss'.format(loss_name(loss)))
        if loss == 'binary_crossentropy':
            return True, ''
        return False, ('Your loss is {}; the task\'s is '
                       '\'binary_crossentropy\', and graders print '
                       'auto.loss: compile with loss=\'binary_crossentropy\'.'
                       .format(loss_name(loss)))

    def check_optimizer(self, configuration):
        """The optimizer's class and learning rate, as the reference's."""
        ours = self.reference.models(configuration.arguments)[2].optimizer
        optimizer = getattr(self.built[2], 'optimizer', None)
        theirs = (type(optimizer).__name__, _learning_rate(optimizer))
        mine = (type(ours).__name__, _learning_rate(ours))
        if theirs == mine:
            return True, '{} with learning rate {:g}'.format(*mine)
        return False, ('Your optimizer is {} with learning rate {}; the '
                       'task\'s is {} with learning rate {:g}: '
                       'optimizer=\'adam\'.'.format(*(theirs + mine)))

    def check_prints(self, configuration):
        """Importing and building printed nothing."""
        lines = ''.join(self.student.printed).strip().splitlines()
        if not lines:
            return True, ''
        return False, ('Your file printed {} line{}, the first {!r}: graders '
                       'compare what is printed; remove the print or '
                       'summary().'.format(len(lines),
                                           '' if len(lines) == 1 else 's',
                                           lines[0][:60]))
