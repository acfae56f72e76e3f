#!/usr/bin/env python3
"""Every message the student side sends, each named with its schema and
read through its checks: whatever fails them is `Invalid`, with its
reason in plain words.

From the student side's server, a packet each (framing.send), by the
fields each holds (SERVER): ready, once TensorFlow is loaded; probe, the
layers that hold ({layer: ''} or {layer: why}); pid, a file's keeper;
status, its exit status.
From a file's process, a line each (framing.dumps), one per question:
{'ok': value} or {'error': fields}, with the question's `n` and, in
`limits`, what the student side's audit hook refused since the last
answer (its own words, `claims`); a build's answer holds `after` too, the
arguments as the call left them. Each question's value has its check
here, by the question's `ask`: `names`, `signature`, `build`, `outputs`,
`loss`, `step`, `sample`."""
import inspect
import re

from checker.protocol.tables import models
from checker.protocol.values import (Invalid, from_arguments, integer,
                                     items, mapping, number, text,
                                     to_array)

SERVER = {'ready': ('ready',), 'probe': ('probe',), 'pid': ('id', 'pid'),
          'status': ('id', 'status')}
ERROR = ('kind', 'type', 'bases', 'message', 'line', 'errno')
ERROR_KINDS = ('raised', 'exit', 'refused')
# What the student side's audit hook may say it refused.
CLAIM = re.compile(r'tried to (write|read) outside its folder: .{1,500}|'
                   r'tried to open a network connection', re.S)


def ready():
    """The server's first packet: TensorFlow is loaded."""
    return {'ready': True}


def probed(found):
    """The server's answer to a probe: {layer: ''} or {layer: why}."""
    return {'probe': found}


def started(number, pid):
    """The server's word that file `number`'s keeper runs as `pid`."""
    return {'id': number, 'pid': pid}


def ended(number, status):
    """The server's word that file `number`'s keeper ended so."""
    return {'id': number, 'status': status}


def from_server(message):
    """Which of the server's packets a message is, by its fields."""
    for kind, fields in SERVER.items():
        if isinstance(message, dict) and set(message) == set(fields):
            return kind
    raise Invalid('a packet of the server of no known kind')


def claims(value):
    """What the student side says its sandbox refused: known sentences."""
    found = items(value, 'refusals', 20)
    for claim in found:
        if not isinstance(claim, str) or not CLAIM.fullmatch(claim):
            raise Invalid('a refusal the sandbox never says')
    return found


def error(answer):
    """An error answer's fields, checked: kind, type, the class names it
    derives from, message, line, errno."""
    found = mapping(answer, ERROR, 'an error')
    if found['kind'] not in ERROR_KINDS:
        raise Invalid('an error of an unknown kind')
    for name in [found['type']] + items(found['bases'], 'an error', 40):
        if not text(name, 'an error\'s type', 100).isidentifier():
            raise Invalid('an error whose type is not a name')
    text(found['message'], 'an error\'s message')
    integer(found['line'], 'an error\'s line', empty=True)
    integer(found['errno'], 'an error\'s errno', empty=True)
    return found


def names(value):
    """import: the task's names that are callable, the file's functions."""
    value = mapping(value, ('callable', 'functions'), 'the names')
    for found in value.values():
        for name in items(found, 'names'):
            if not text(name, 'a name', 200).isidentifier():
                raise Invalid('a name that is not one')
    return value


def signature(value):
    """signature: the builder's parameters as an inspect.Signature and its
    name, or None where it is not a plain function."""
    if value is None:
        return None
    value = mapping(value, ('name', 'parameters'), 'a signature')
    parameters = []
    for entry in items(value['parameters'], 'parameters', 100):
        entry = mapping(entry, ('name', 'kind', 'default'), 'a parameter')
        kind = getattr(inspect.Parameter, str(entry['kind']), None)
        if not isinstance(kind, inspect._ParameterKind) or not \
                text(entry['name'], 'a parameter', 200).isidentifier():
            raise Invalid('a parameter of no known kind')
        parameters.append(inspect.Parameter(
            entry['name'], kind, default=None if entry['default']
            else inspect.Parameter.empty))
    try:
        return (inspect.Signature(parameters),
                text(value['name'], 'a name', 200))
    except ValueError:
        raise Invalid('parameters in an impossible order')


def build(value, answer, arguments, vae):
    """build: the models' tables (checker/protocol/tables.py) or the types
    of what came back instead, and the arguments as the call left them,
    as many as were sent."""
    value = mapping(value, ('models', 'returned'), 'a build')
    after = from_arguments(answer.get('after'))
    if not isinstance(after, (list, tuple)) or len(after) != len(
            arguments):
        raise Invalid('arguments that came back changed in number')
    if value['models'] is not None:
        return models(value['models'], vae), None, after
    returned = value['returned']
    if isinstance(returned, list):
        returned = [text(name, 'a type', 200)
                    for name in items(returned, 'types')]
    else:
        returned = text(returned, 'a type', 200)
    return None, returned, after


def outputs(value, parts, encoder_outputs):
    """outputs: an array for each model asked, a list of them for the
    encoder, as many as its table has outputs."""
    value = mapping(value, parts, 'the outputs')
    checked = {part: to_array(value[part], what='an output')
               for part in parts if part != 'encoder'}
    if 'encoder' in parts:
        codes = items(value['encoder'], 'outputs', 16)
        if len(codes) != encoder_outputs:
            raise Invalid('{} outputs of the encoder, whose table has {}'
                          .format(len(codes), encoder_outputs))
        checked['encoder'] = [to_array(code, what='an output')
                              for code in codes]
    return checked


def loss(value):
    """loss: what evaluate gave."""
    return number(value, 'a loss')


def step(value, layers):
    """step: a list of arrays per layer, as many layers as were sent."""
    found = items(value, 'layers', 100)
    if len(found) != layers:
        raise Invalid('weights of {} layers, {} were sent'.format(
            len(found), layers))
    return [[to_array(entry, what='a weight')
             for entry in items(layer, 'weights', 16)]
            for layer in found]


def sample(value, z_shape, auto_shape):
    """sample: z, of z_shape, and auto's output, of auto_shape."""
    value = mapping(value, ('z', 'auto'), 'a sample')
    return {'z': to_array(value['z'], z_shape, 'z'),
            'auto': to_array(value['auto'], auto_shape, 'auto\'s output')}
