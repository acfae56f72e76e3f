#!/usr/bin/env python3
"""Checks one task file against this project's builder of the same task,
in a process of its own: ./check.py starts it, with a time limit, as
`python -m checker.worker TASK FILE RESULTS`. Each result and each stage is
a JSON line in RESULTS as soon as it is known, so that a file which hangs
or kills the process still leaves what was found before."""
import builtins
import contextlib
import importlib.util
import inspect
import io
import json
import os
import pdb
import sys
import traceback

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

import tensorflow as tf  # noqa: E402 (after sys.path)
import tensorflow.keras as keras  # noqa: E402

from checker import computation, models  # noqa: E402
from checker.report import result  # noqa: E402
from checker.tasks import TASKS  # noqa: E402

KERAS_3 = hasattr(keras, 'ops')


class Refused(Exception):
    """A call that a checked file may not make: input(), pdb, breakpoint()."""


def _refuse(what):
    """Returns a stand-in for `what` that raises Refused."""
    def refuse(*args, **kwargs):
        """Raises Refused instead of waiting for a person."""
        raise Refused(what)
    return refuse


def stack():
    """Names the stack this process runs: Keras and TensorFlow versions."""
    if KERAS_3:
        return 'Keras {} on TensorFlow {}'.format(keras.__version__,
                                                  tf.__version__)
    if tuple(map(int, tf.__version__.split('.')[:2])) >= (2, 16):
        return 'Keras 2 (tf-keras) on TensorFlow {}'.format(tf.__version__)
    return 'TensorFlow {} with its Keras 2'.format(tf.__version__)


class Student:
    """Runs the student's code: prints are kept, input(), pdb and exit are
    turned into errors, and each error is told in one line with the line
    of their file where it happened."""

    def __init__(self, path, send):
        """path: their file; send: writes one JSON line of results."""
        self.path = os.path.abspath(path)
        self.send = send
        self.printed = []
        builtins.input = _refuse('input()')
        sys.breakpointhook = _refuse('breakpoint()')
        pdb.set_trace = _refuse('pdb.set_trace()')

    def run(self, stage, function, *args, **kwargs):
        """Returns (value, None), or (None, (error, text)) when their code
        raises or exits; says first which stage runs, for a hang."""
        self.send({'stage': stage})
        printed = io.StringIO()
        try:
            with contextlib.redirect_stdout(printed):
                return function(*args, **kwargs), None
        except SystemExit as error:
            return None, (error, 'your file exits (sys.exit({!r}))'.format(
                error.code))
        except Refused as error:
            return None, (error, 'your file calls {}, which waits for a '
                                 'person; graders have none'.format(error))
        except Exception as error:
            return None, (error, self.describe(error))
        finally:
            self.printed.append(printed.getvalue())

    def describe(self, error):
        """Returns 'Type: message (line N of your file)'."""
        lines = [frame.lineno for frame in traceback.extract_tb(
            error.__traceback__) if os.path.abspath(frame.filename)
            == self.path]
        text = '{}: {}'.format(type(error).__name__, _message(error))
        return text + (' (line {} of your file)'.format(lines[-1])
                       if lines else '')

    def load(self):
        """Imports their file as a module of its own name."""
        sys.path.insert(0, os.path.dirname(self.path))
        spec = importlib.util.spec_from_file_location('student_module',
                                                      self.path)
        module = importlib.util.module_from_spec(spec)
        return self.run('importing your file', spec.loader.exec_module,
                        module)[1], module


def _message(error):
    """Returns the line of an error's message that says what went wrong:
    for errors raised inside a tf.function, the inner error's, not the
    traceback TensorFlow puts first."""
    lines = [line.strip() for line in str(error).strip().splitlines()
             if line.strip()]
    if not lines or lines[0] != 'in user code:':
        return lines[0][:300] if lines else ''
    inner = [index for index, line in enumerate(lines) if 'Error: ' in line]
    if not inner:
        return lines[-1][:300]
    tail = lines[inner[-1]:]
    if 'Exception encountered' in tail[0] and len(tail) > 1:
        return tail[1][:300]
    return tail[0][:300]


def load_ours(task):
    """Returns this project's builder of the task."""
    spec = importlib.util.spec_from_file_location(
        'reference_{}'.format(task.number),
        os.path.join(ROOT, task.filename))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, task.functions[0])


def build_cause(error, task, arguments):
    """Returns a plain sentence for a known reason a build fails, and
    whether the stack, not the student, is the cause."""
    text = str(error)
    hidden = arguments[1] if task.name != 'convolutional' else None
    if ('input_shape' in text or 'output_shape' in text) and KERAS_3:
        return ('This comes from the stack, not from you: input_shape and '
                'output_shape exist only in Keras 2. Run ./check.py with '
                'TF_USE_LEGACY_KERAS=1 or on TensorFlow 2.15 to see your '
                'file as the graders do.'), True
    if 'add_loss' in text:
        return ('Keras 3 cannot add a loss of symbolic tensors with '
                'add_loss, and on Keras 2 it puts extra layers in '
                'auto.layers: add the KL term with activity_regularizer on '
                'the mean and log-variance layers instead.'), False
    if isinstance(error, IndexError) and hidden is not None \
            and len(hidden) <= 1:
        return ('Your builder indexes hidden_layers (hidden_layers[0] or '
                '[-1], say): it breaks with {} hidden layer{}.'.format(
                    len(hidden), '' if len(hidden) == 1 else 's')), False
    if isinstance(error, NameError) and hidden == []:
        return ('A name set inside your loop over hidden_layers is used '
                'after it: with no hidden layers the loop never runs.'), False
    return '', False


def structure_name(configuration):
    """The structure check's name for one configuration."""
    return 'structure: ' + configuration.label + (
        ' (beyond the seed)' if configuration.beyond_seed else '')


def is_model(value):
    """True for a Keras model."""
    return isinstance(value, keras.Model)


class Checker:
    """Runs one task's checks in order and sends each result as it comes;
    a check that cannot run after an earlier failure is sent as not run."""

    def __init__(self, task, path, send):
        """task: from checker.tasks; path: their file; send: one line."""
        self.task, self.send = task, send
        self.student = Student(path, send)
        self.ours = load_ours(task)
        self.roles = None  # the VAE encoder's (z, mean, log_var) indices

    def report(self, name, kind, passed, detail=''):
        """Sends one check's result; returns passed."""
        self.send({'check': result(name, kind, passed, detail)})
        return passed

    def not_run(self, names, why):
        """Sends each (name, kind) as not run, saying why."""
        for name, kind in names:
            self.report(name, kind, None, 'not run: ' + why)

    def later_checks(self):
        """Returns (name, kind) of the structure, compile and computation
        checks, for reporting them as not run."""
        names = [(structure_name(configuration), 'structure')
                 for configuration in self.task.configurations]
        names += [('loss', 'compile'), ('optimizer', 'compile'),
                  ('outputs on a fixed batch', 'computation'),
                  ('loss that evaluate returns', 'computation'),
                  ('weights after one training step', 'computation')]
        return names

    def run(self):
        """All the checks of the task, in the report's order."""
        error, module = self.student.load()
        if not self.report('imports without error', 'interface',
                           error is None, error[1] if error else ''):
            return self.finish(self.later_checks(), 'your file does not '
                               'import')
        function = self.find_function(module)
        if function is None:
            return self.finish(self.later_checks(), 'no builder to call')
        keywords = self.check_parameters(function)
        built = self.check_returns(function, keywords)
        if built is None:
            return self.finish(self.later_checks(), 'the seed configuration '
                               'does not build')
        self.check_auto_layers(*built)
        matched = self.check_structures(function, keywords, built)
        compiled = self.check_compile(built[2])
        self.check_computation(function, keywords, built, matched, compiled)
        self.finish([], '')

    def finish(self, skipped, why):
        """Sends the skipped checks, then whether their file printed."""
        self.not_run(skipped, why)
        printed = ''.join(self.student.printed)
        lines = printed.strip().splitlines()
        self.report('prints nothing while imported and built', 'interface',
                    not printed,
                    'it printed {} line{}, first {!r}: graders compare '
                    'what is printed'.format(len(lines), '' if len(lines) == 1
                                             else 's', lines[0][:60])
                    if lines else '')

    def find_function(self, module):
        """The builder under the seed's name; for sparse, either name."""
        names = [name for name in self.task.functions
                 if callable(getattr(module, name, None))]
        wanted = ' or '.join('`{}`'.format(name)
                             for name in self.task.functions)
        detail = ''
        if self.task.name == 'sparse' and names:
            detail = ('defines {}; the 2020 curriculum\'s graders call '
                      '`sparse`, later ones `autoencoder`'.format(
                          ' and '.join('`{}`'.format(name)
                                       for name in names)))
        elif not names:
            defined = sorted(name for name, value in vars(module).items()
                             if inspect.isfunction(value)
                             and value.__module__ == module.__name__)
            detail = 'your file defines {}'.format(
                ', '.join(defined) if defined else 'no function')
        self.report('defines ' + wanted, 'interface', bool(names), detail)
        return getattr(module, names[0]) if names else None

    def check_parameters(self, function):
        """The seed's parameter names, so that keyword calls work; returns
        whether to call with keywords."""
        seed = self.task.configurations[0].arguments
        try:
            inspect.signature(function).bind(
                **dict(zip(self.task.parameters, seed)))
            passed, detail = True, ''
        except (TypeError, ValueError):
            passed = False
            detail = 'yours: {}{}; the seed\'s: ({})'.format(
                function.__name__, inspect.signature(function),
                ', '.join(self.task.parameters))
        self.report('takes ' + ', '.join(self.task.parameters),
                    'interface', passed, detail)
        return passed

    def build(self, function, arguments, keywords, stage):
        """Calls their builder with keywords or by position."""
        if keywords:
            return self.student.run(stage, function, **dict(
                zip(self.task.parameters, arguments)))
        return self.student.run(stage, function, *arguments)

    def check_returns(self, function, keywords):
        """On the seed configuration it returns three Keras models."""
        arguments = self.task.configurations[0].arguments
        value, error = self.build(function, arguments, keywords,
                                  'building the seed configuration')
        name = 'returns encoder, decoder, auto (Keras models)'
        if error:
            cause, _ = build_cause(error[0], self.task, arguments)
            self.report(name, 'interface', False,
                        error[1] + ('\n' + cause if cause else ''))
            return None
        if not (isinstance(value, (tuple, list)) and len(value) == 3
                and all(map(is_model, value))):
            self.report(name, 'interface', False,
                        'yours returns {}'.format(
                            repr(value)[:100] if not isinstance(
                                value, (tuple, list)) else
                            [type(part).__name__ for part in value]))
            return None
        self.report(name, 'interface', True)
        return tuple(value)

    def check_auto_layers(self, encoder, decoder, auto):
        """auto.layers is [InputLayer, encoder, decoder], as graders print."""
        layers = auto.layers
        passed = (len(layers) == 3
                  and type(layers[0]).__name__ == 'InputLayer'
                  and layers[1] is encoder and layers[2] is decoder)
        detail = '' if passed else 'yours: [{}]'.format(', '.join(
            type(layer).__name__ + ('' if layer not in (encoder, decoder)
                                    else ' (the ' + ('encoder' if layer
                                                     is encoder else
                                                     'decoder') + ')')
            for layer in layers))
        if not passed and len(layers) > 3:
            detail += ('\nExtra layers in auto come from computing on its '
                       'tensors (add_loss, or arithmetic on the encoder\'s '
                       'outputs): graders that print auto.layers see them.')
        self.report('auto.layers is [InputLayer, encoder, decoder]',
                    'interface', passed, detail)

    def check_structures(self, function, keywords, seed_built):
        """Builds each configuration, theirs and ours, and compares the
        encoders and the decoders layer by layer; for the VAE also the
        encoder's outputs. Returns whether the seed's matched."""
        seed_matched = False
        for configuration in self.task.configurations:
            name = structure_name(configuration)
            if configuration.beyond_seed and not seed_matched:
                self.not_run([(name, 'structure')], 'the seed configuration '
                             'differs already; mend that first')
                continue
            ours = self.ours(*configuration.arguments)
            if configuration.beyond_seed:
                theirs, error = self.build(function, configuration.arguments,
                                           keywords, 'building ' + name)
            else:
                theirs, error = seed_built, None
            if error:
                cause, from_stack = build_cause(error[0], self.task,
                                                configuration.arguments)
                self.report(name, 'structure', None if from_stack else False,
                            error[1] + ('\n' + cause if cause else ''))
                continue
            if not (isinstance(theirs, (tuple, list)) and len(theirs) == 3
                    and all(map(is_model, theirs))):
                self.report(name, 'structure', False,
                            'it does not return three Keras models')
                continue
            differences = [models.compare_model(self.task, part, mine, ref)
                           for part, mine, ref in (
                               ('encoder', theirs[0], ours[0]),
                               ('decoder', theirs[1], ours[1]))]
            differences = [text for text in differences if text]
            matched = self.report(name, 'structure', not differences,
                                  '\n'.join(differences))
            if not configuration.beyond_seed:
                seed_matched = matched
                if self.task.name == 'variational':
                    seed_matched = self.check_vae_outputs(theirs[0]) \
                        and matched
        return seed_matched

    def check_vae_outputs(self, encoder):
        """The encoder's outputs are z, mean, log_var, each (None, latent)."""
        latent = self.task.configurations[0].arguments[2]
        roles = models.vae_roles(encoder)
        shapes = [tuple(output.shape) for output in encoder.outputs]
        names = ['?'] * len(shapes)
        for role, index in zip(('z', 'mean', 'log_var'), roles):
            if index is not None:
                names[index] = role
        passed = (tuple(roles) == (0, 1, 2)
                  and shapes == [(None, latent)] * 3)
        detail = 'yours: [{}], shapes {}'.format(', '.join(names), shapes)
        if not passed and len(shapes) == 3 and None not in roles:
            detail += ('\nYour encoder returns its outputs in another order; '
                       'the seed asks for z, mean, log_var, in that order.')
        self.report('structure: encoder outputs z, mean, log_var',
                    'structure', passed, detail)
        self.roles = roles
        return None not in roles

    def check_compile(self, auto):
        """The loss, and the optimizer's class and learning rate, as ours."""
        ours = self.ours(*self.task.configurations[0].arguments)[2]
        loss = getattr(auto, 'loss', None)
        if self.task.name == 'variational':
            loss_ok = loss is not None
            detail = 'yours: {}; evaluate shows whether it computes the ' \
                'seed\'s loss'.format(getattr(loss, '__name__', loss))
        else:
            loss_ok = loss == 'binary_crossentropy'
            detail = '' if loss_ok else (
                'yours: {!r}, ours: \'binary_crossentropy\'; graders print '
                'auto.loss'.format(getattr(loss, '__name__', loss)))
        if loss is None:
            detail = ('auto is not compiled: call auto.compile(optimizer='
                      '\'adam\', loss=...)')
        self.report('loss', 'compile', loss_ok, detail)
        optimizer = getattr(auto, 'optimizer', None)
        theirs = (type(optimizer).__name__, _learning_rate(optimizer))
        mine = (type(ours.optimizer).__name__, _learning_rate(ours.optimizer))
        optimizer_ok = theirs == mine
        self.report('optimizer', 'compile', optimizer_ok,
                    '{} with learning rate {:g}'.format(*mine) if optimizer_ok
                    else 'yours: {} with learning rate {}; ours: {} with '
                    'learning rate {:g}'.format(*(theirs + mine)))
        return loss_ok, optimizer_ok

    def check_computation(self, function, keywords, built, matched,
                          compiled):
        """Our weights in theirs: outputs, loss and one training step; for
        the VAE also its sampling."""
        outputs, loss, step = ('outputs on a fixed batch',
                               'loss that evaluate returns',
                               'weights after one training step')
        sampling = [] if self.task.name != 'variational' else [
            'sampling: z = mean + exp(log_var / 2) * eps',
            'sampling: auto decodes z, not the mean']
        if not matched:
            return self.not_run(
                [(name, 'computation')
                 for name in [outputs] + sampling + [loss, step]],
                'the seed configuration\'s structure differs from ours')
        arguments = self.task.computed or \
            self.task.configurations[0].arguments
        if self.task.computed:
            built, error = self.build(function, arguments, keywords,
                                      'building for the computation')
            if error:
                return self.not_run(
                    [(name, 'computation')
                     for name in [outputs] + sampling + [loss, step]],
                    'it does not build with arguments {}: {}'.format(
                        arguments, error[1]))
        x = computation.fixed_batch(arguments[0])
        pair = self.pair(built, self.ours(*arguments))
        variants = [('', pair)] + self.variants(built, pair, arguments,
                                                len(x))
        value, error = self.student.run(
            'comparing outputs', computation.outputs_check, self.task, pair,
            self.roles, x)
        if error:
            self.report(outputs, 'computation', False,
                        error[1] + _predict_cause(error[0]))
            return self.not_run([(name, 'computation')
                                 for name in sampling + [loss, step]],
                                'predict fails')
        self.send({'check': value})
        if sampling:
            checks, error = self.student.run(
                'sampling', computation.sampling_checks, pair, self.roles, x)
            for check in checks or [result(sampling[0], 'computation', False,
                                           error[1])]:
                self.send({'check': check})
        if not compiled[0]:
            return self.not_run([(loss, 'computation'),
                                 (step, 'computation')],
                                'the loss differs at compile')
        value, error = self.student.run(
            'evaluating the loss', computation.loss_check, self.task,
            variants, x, arguments[3] if self.task.name == 'sparse' else None)
        if error:
            self.report(loss, 'computation', False,
                        error[1] + _evaluate_cause(error[0]))
            return self.not_run([(step, 'computation')], 'evaluate fails')
        check, matching = value
        self.send({'check': check})
        if matching is None or not compiled[1]:
            return self.not_run([(step, 'computation')],
                                'the loss or the optimizer differs, so the '
                                'step would too')
        computation.prepare_step(self.task, matching)
        value, error = self.student.run('training one step',
                                        computation.step_check, matching, x)
        if error:
            return self.report(step, 'computation', False,
                               error[1] + _evaluate_cause(error[0]))
        self.send({'check': value})

    def variants(self, built, pair, arguments, batch_size):
        """The other losses accepted as ours: for sparse, the L1 penalty
        averaged over the batch, as keras.regularizers.l1 is on Keras 2.x
        and 3, beside the seed's sum."""
        if self.task.name != 'sparse':
            return []
        averaged = self.pair(built, self.ours(
            *(arguments[:3] + (arguments[3] / batch_size,))))
        models.copy_weights(averaged.our_layers, pair.our_layers)
        averaged.initial = pair.initial
        return [('Your penalty is keras.regularizers.l1(lambtha), which '
                 'Keras 2.x and 3 average over the batch; TensorFlow 1.12, '
                 'the seed\'s, summed it. That comes from the stack, not '
                 'from you.', averaged)]

    def pair(self, theirs, ours):
        """Lines up their weighted layers with ours: for the VAE, their
        mean and log-variance layers as their sampling uses them."""
        first = ()
        if self.task.name == 'variational':
            outputs = theirs[0].outputs
            first = (models.producer(outputs[self.roles[1]]),
                     models.producer(outputs[self.roles[2]]))
        their_encoder = models.weighted_layers(theirs[0], first)
        our_encoder = models.weighted_layers(ours[0])
        return computation.Pair(
            theirs, ours, their_encoder + models.weighted_layers(theirs[1]),
            our_encoder + models.weighted_layers(ours[1]), len(our_encoder))


def _learning_rate(optimizer):
    """Returns an optimizer's learning rate as a float, or None."""
    try:
        return float(np.asarray(optimizer.learning_rate))
    except (AttributeError, TypeError, ValueError):
        return None


def _predict_cause(error):
    """A sentence for a known reason predict fails."""
    text = str(error)
    if 'expects 1 input' in text or 'but it received 3' in text:
        return ('\nYour auto passes all three encoder outputs to the '
                'decoder: pass z alone, encoder(inputs)[0].')
    return ''


def _evaluate_cause(error):
    """A sentence for a known reason evaluate or a training step fails."""
    text = str(error)
    if any(word in text for word in ('KerasTensor', 'symbolic',
                                     'out of scope', 'Graph tensor',
                                     'inaccessible')):
        return ('\nYour loss uses tensors of the model from outside (a '
                'closure over the encoder\'s mean and log_var, the 2020 '
                'pattern): TensorFlow 2 cannot run it in evaluate or fit. '
                'Add the KL term with activity_regularizer on the mean and '
                'log-variance layers instead.')
    return ''


def main():
    """python -m checker.worker TASK FILE RESULTS"""
    number, path, results = sys.argv[1:4]
    with open(results, 'a') as handle:
        def send(message):
            """Writes one JSON line and flushes it at once."""
            handle.write(json.dumps(message) + '\n')
            handle.flush()
        send({'stack': stack()})
        Checker(TASKS[int(number)], path, send).run()
        send({'done': True})


if __name__ == '__main__':
    main()
