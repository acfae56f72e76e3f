#!/usr/bin/env python3
"""The layer table's schema: the answer to a build holds its three models
as tables of plain values (checker/student/tables.py writes them, for the
student's models and the reference's alike), and the grader reads each
field through these checks. A model's table holds its layers as rows,
the shapes of its outputs, the layer that makes each output (its
producer) and, for the VAE encoder, which output is z, mean and log_var
(its roles); auto's table says what each of its layers is, which encoder
output the decoder is called on, which returned models each holds, and
how auto was compiled."""
import collections

from checker.protocol.values import (Invalid, integer, items, mapping,
                                     number, text)

# A layer's row: the fields compared, then its weights' shapes, the class
# of each penalty and each penalty's L1 and L2 factors.
FIELDS = ('class', 'units', 'filters', 'kernel size', 'strides', 'padding',
          'pool size', 'upsampling size', 'activation', 'output shape',
          'parameters')
ROW = FIELDS + ('weights', 'penalties', 'factors')
PENALTIES = ('activity', 'kernel', 'bias')
Table = collections.namedtuple('Table', 'layers outputs producers roles')
Models = collections.namedtuple('Models', 'encoder decoder auto')
AUTO = ('layers', 'loss', 'optimizer', 'decodes', 'holds')
AUTO_KINDS = ('encoder', 'decoder', 'of the encoder', 'of the decoder',
              None)
LOSS_KINDS = ('string', 'function', 'object', 'none')


def field_value(value):
    """A layer's field as the tables hold it: None, a number, a short text,
    or a tuple of those; lists become tuples, as the reference's have."""
    if value is None or isinstance(value, (int, float)) \
            and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        return text(value, 'a layer field', 200)
    if isinstance(value, list) and len(value) <= 8:
        return tuple(field_value(entry) for entry in value)
    raise Invalid('a layer field of another kind')


def _shape(value, what):
    """A shape: a tuple of sizes, None for the batch."""
    return tuple(integer(size, what, empty=True)
                 for size in items(value, what, 8))


def _row(value):
    """One layer's row: the compared fields, the weights' shapes and the
    classes of its penalties."""
    row = mapping(value, ROW, 'a layer')
    checked = {field: field_value(row[field]) for field in FIELDS}
    if not isinstance(checked['class'], str):
        raise Invalid('a layer without a class name')
    checked['weights'] = [_shape(shape, 'a weight\'s shape')
                          for shape in items(row['weights'], 'weights', 64)]
    penalties = mapping(row['penalties'], PENALTIES, 'a layer\'s penalties')
    checked['penalties'] = {
        kind: None if name is None else text(name, 'a penalty', 200)
        for kind, name in penalties.items()}
    factors = mapping(row['factors'], PENALTIES,
                      'a layer\'s penalty factors')
    checked['factors'] = {
        kind: None if pair is None else [
            None if factor is None else number(factor, 'a factor')
            for factor in items(pair, 'factors', 2)]
        for kind, pair in factors.items()}
    return checked


def _table(value, vae):
    """A model's table: rows, output shapes, each output's maker and the
    VAE encoder's roles, every index inside what it points into."""
    found = mapping(value, Table._fields, 'a model')
    layers = [_row(row) for row in items(found['layers'], 'layers')]
    outputs = [_shape(shape, 'an output\'s shape')
               for shape in items(found['outputs'], 'outputs', 16)]
    producers = [integer(index, 'an output\'s layer', empty=True)
                 for index in items(found['producers'], 'producers', 16)]
    roles = None
    if vae:
        roles = [integer(index, 'a role', empty=True)
                 for index in items(found['roles'], 'roles', 3)]
        if len(roles) != 3 or any(index is not None and not
                                  0 <= index < len(outputs)
                                  for index in roles):
            raise Invalid('roles that point at no output')
    if len(producers) != len(outputs) or any(
            index is not None and not 0 <= index < len(layers)
            for index in producers):
        raise Invalid('outputs made by no layer')
    return Table(layers, outputs, producers, roles)


def _auto(value):
    """auto's layers (each the encoder, the decoder, one of their layers or
    another), the encoder output it decodes, which returned models each
    returned model holds, its loss and its optimizer."""
    found = mapping(value, AUTO, 'auto')
    layers = []
    for entry in items(found['layers'], 'auto\'s layers'):
        entry = mapping(entry, ('class', 'is'), 'a layer of auto')
        if entry['is'] not in AUTO_KINDS:
            raise Invalid('a layer of auto of an unknown kind')
        layers.append({'class': text(entry['class'], 'a class', 200),
                       'is': entry['is']})
    loss = mapping(found['loss'], ('kind', 'name'), 'a loss')
    if loss['kind'] not in LOSS_KINDS:
        raise Invalid('a loss of an unknown kind')
    text(loss['name'], 'a loss\'s name', 200)
    optimizer = mapping(found['optimizer'], ('class', 'learning rate'),
                        'an optimizer')
    text(optimizer['class'], 'an optimizer\'s class', 200)
    rate = optimizer['learning rate']
    if rate is not None:
        optimizer['learning rate'] = number(rate, 'a learning rate')
    holds = [[integer(index, 'a returned model')
              for index in items(held, 'held models', 3)]
             for held in items(found['holds'], 'models', 3)]
    if len(holds) != 3 or any(not 0 <= index < 3 for held in holds
                              for index in held):
        raise Invalid('held models that were not returned')
    return {'layers': layers, 'loss': loss, 'optimizer': optimizer,
            'decodes': integer(found['decodes'], 'a decoded output',
                               empty=True), 'holds': holds}


def models(value, vae):
    """The tables of (encoder, decoder, auto) from a build's answer."""
    found = mapping(value, Models._fields, 'the models')
    return Models(_table(found['encoder'], vae),
                  _table(found['decoder'], False), _auto(found['auto']))
