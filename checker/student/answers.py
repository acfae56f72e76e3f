#!/usr/bin/env python3
"""The student side's answers: imports the student's file, calls their
builder, runs their models on the inputs and weights the grader sends,
and answers each question with data (checker/protocol/). input(), pdb
and exit become errors; an error is sent as its type, message and the
line of their file where it happened. Nothing here judges: the grader
decides every verdict from these answers."""
import builtins
import copy
import importlib.util
import inspect
import os
import pdb
import sys
import traceback

import numpy as np
import tensorflow.keras as keras

from checker import protocol
from checker.student import tables


class WaitsForAPerson(Exception):
    """A call that a checked file may not make: input(), pdb, breakpoint()."""


def _refuse(what):
    """Returns a stand-in for `what` that raises WaitsForAPerson."""
    def refuse(*args, **kwargs):
        """Raises WaitsForAPerson instead of waiting for a person."""
        raise WaitsForAPerson(what)
    return refuse


def _text(value):
    """str() of a value that may be hostile, cut to the protocol's size."""
    try:
        return str(value)[:protocol.MAX_TEXT]
    except Exception:
        return '?'


class Answers:
    """The student's file and every call into it, each answer as data."""

    def __init__(self, path, refusals):
        """path: their file; refusals: the list where the sandbox's audit
        hook records what it refused, sent with the next answer."""
        self.path = os.path.abspath(path)
        self.refusals = refusals
        self.module = None
        self.built = {}  # the models of each build, by the grader's key
        builtins.input = _refuse('input()')
        sys.breakpointhook = _refuse('breakpoint()')
        pdb.set_trace = _refuse('pdb.set_trace()')
        self.asks = {'import': self.load, 'signature': self.signature,
                     'build': self.build, 'outputs': self.outputs,
                     'loss': self.loss, 'step': self.step,
                     'sample': self.sample}

    def answer(self, request):
        """The answer to one question: {'ok': value} or {'error': ...},
        with what the audit hook refused since the last answer."""
        found = self.asks[request['ask']](request)
        found['limits'] = self.refusals[:]
        del self.refusals[:]
        return found

    def run(self, function, *args, **kwargs):
        """{'ok': function's value}, or {'error': ...} when their code
        raises, exits or asks for a person."""
        try:
            return {'ok': function(*args, **kwargs)}
        except BaseException as error:  # their code may raise anything
            return {'error': self.error(error)}

    def error(self, error):
        """An error as data: its kind, type, bases, message, their line."""
        kind = ('exit' if isinstance(error, SystemExit) else 'refused'
                if isinstance(error, WaitsForAPerson) else 'raised')
        number = getattr(error, 'errno', None)
        lines = [frame.lineno for frame in traceback.extract_tb(
            error.__traceback__) if os.path.abspath(frame.filename)
            == self.path]
        return {'kind': kind, 'type': type(error).__name__,
                'bases': [base.__name__ for base in type(error).__mro__[1:]],
                'message': _text(repr(error.code) if kind == 'exit'
                                 else error),
                'line': lines[-1] if lines else None,
                'errno': number if isinstance(number, int) else None}

    def load(self, request):
        """Imports their file as a module; says which of the names asked
        for are callable, and which functions the file defines."""
        sys.path.insert(0, os.path.dirname(self.path))
        spec = importlib.util.spec_from_file_location('student_module',
                                                      self.path)
        self.module = importlib.util.module_from_spec(spec)
        found = self.run(spec.loader.exec_module, self.module)
        if 'ok' in found:
            found = self.run(self._names, request['names'])
        return found

    def _names(self, names):
        """The names of the task that are callable; the file's functions."""
        return {'callable': [name for name in names
                             if callable(getattr(self.module, name, None))],
                'functions': sorted(
                    name for name, value in vars(self.module).items()
                    if inspect.isfunction(value)
                    and value.__module__ == self.module.__name__)}

    def signature(self, request):
        """The builder's name and parameters (name, kind, has a default),
        or None where it is not a plain function."""
        function = getattr(self.module, request['name'])
        try:
            parameters = inspect.signature(function).parameters.values()
        except (TypeError, ValueError):
            return {'ok': None}
        return {'ok': {'name': _text(getattr(function, '__name__', '')),
                       'parameters': [
                           {'name': parameter.name,
                            'kind': parameter.kind.name,
                            'default': parameter.default
                            is not parameter.empty}
                           for parameter in parameters]}}

    def build(self, request):
        """Calls their builder on fresh copies of the arguments, by keyword
        or by position; the models' tables, or what it returned instead,
        and the arguments as the call left them."""
        names = request['parameters']
        given = copy.deepcopy(protocol.from_arguments(request['arguments']))
        function = getattr(self.module, request['name'])
        if request['keywords']:
            found = self.run(function, **dict(zip(names, given)))
        else:
            found = self.run(function, *given)
        found['after'] = protocol.arguments(given)
        if 'ok' in found:
            value = found['ok']
            if isinstance(value, (tuple, list)) and len(value) == 3 and all(
                    isinstance(part, keras.Model) for part in value):
                self.built[request['key']] = tuple(value)
                described = self.run(tables.describe, value, request['vae'])
                if 'error' in described:
                    return dict(described, after=found['after'])
                found['ok'] = {'models': described['ok'], 'returned': None}
            else:
                found['ok'] = {'models': None, 'returned': (
                    [type(part).__name__ for part in value]
                    if isinstance(value, (tuple, list))
                    else type(value).__name__)}
        return found

    def _models(self, request):
        """The built models the request names, its weights set in them."""
        models = self.built[request['key']]
        for entry in request['weights']:
            part = models[('encoder', 'decoder').index(entry['part'])]
            part.layers[entry['layer']].set_weights(
                [protocol.to_array(values) for values in entry['values']])
        return models

    def outputs(self, request):
        """encoder(x), decoder(code) and auto(x), those asked for, with the
        weights sent."""
        def compute():
            """Runs the models once each, eagerly."""
            encoder, decoder, auto = self._models(request)
            x, code = (protocol.to_array(request[name])
                       for name in ('x', 'code'))
            found = {}
            if 'encoder' in request['models']:
                codes = encoder(x, training=False)
                codes = codes if isinstance(codes, (list, tuple)) else [codes]
                found['encoder'] = [protocol.array(value) for value in codes]
            if 'decoder' in request['models']:
                found['decoder'] = protocol.array(decoder(code,
                                                          training=False))
            if 'auto' in request['models']:
                found['auto'] = protocol.array(auto(x, training=False))
            return found
        return self.run(compute)

    def loss(self, request):
        """The loss that evaluate gives on x, run eagerly: tracing would
        cost more than the one batch."""
        def compute():
            """Evaluates auto once on x against x."""
            auto = self._models(request)[2]
            x = protocol.to_array(request['x']).astype(np.float32)
            auto.run_eagerly = True
            value = auto.evaluate(x, x, batch_size=len(x), verbose=0)
            return float(value[0] if isinstance(value, (list, tuple))
                         else value)
        return self.run(compute)

    def step(self, request):
        """The weights of the layers sent, after one training step on x."""
        def compute():
            """Trains auto one step, eagerly, and reads the weights back."""
            models = self._models(request)
            x = protocol.to_array(request['x']).astype(np.float32)
            models[2].run_eagerly = True
            models[2].train_on_batch(x, x)
            return [[protocol.array(values) for values in models[
                ('encoder', 'decoder').index(entry['part'])].layers[
                    entry['layer']].get_weights()]
                for entry in request['weights']]
        return self.run(compute)

    def sample(self, request):
        """z, the encoder's output the request names, over copies of one
        input with the generator seeded; then auto's output on the first
        of them."""
        def compute():
            """Draws z and decodes, as the grader asked."""
            encoder, _, auto = self._models(request)
            x = np.repeat(protocol.to_array(request['x']).astype(np.float32),
                          request['copies'], axis=0)
            keras.utils.set_random_seed(request['seed'])
            codes = encoder(x, training=False)
            codes = codes if isinstance(codes, (list, tuple)) else [codes]
            decoded = auto(x[:request['decoded']], training=False)
            return {'z': protocol.array(codes[request['output']]),
                    'auto': protocol.array(decoded)}
        return self.run(compute)
