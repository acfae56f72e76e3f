#!/usr/bin/env python3
"""Models as the grader holds them: the tables that a build answers with
(checker/student/tables.py), checked field by field on their way in; a
layer row in a few words; and the order in which the reference's weights
go into the student's weighted layers."""
import collections

from checker import protocol
from checker.student.tables import FIELDS, PENALTIES

Table = collections.namedtuple('Table', 'layers outputs producers roles')
Models = collections.namedtuple('Models', 'encoder decoder auto')
ROLES = ('z', 'mean', 'log_var')
AUTO_KINDS = ('encoder', 'decoder', 'of the encoder', 'of the decoder',
              None)
LOSS_KINDS = ('string', 'function', 'object', 'none')


def _shape(value, what):
    """A shape: a tuple of sizes, None for the batch."""
    return tuple(protocol.integer(size, what, empty=True)
                 for size in protocol.items(value, what, 8))


def _row(value):
    """One layer's row: the compared fields, the weights' shapes and the
    classes of its penalties."""
    row = protocol.mapping(value, FIELDS + ('weights', 'penalties',
                                            'factors'), 'a layer')
    checked = {field: protocol.field_value(row[field]) for field in FIELDS}
    if not isinstance(checked['class'], str):
        raise protocol.Invalid('a layer without a class name')
    checked['weights'] = [_shape(shape, 'a weight\'s shape')
                          for shape in protocol.items(row['weights'],
                                                      'weights', 64)]
    penalties = protocol.mapping(row['penalties'], PENALTIES,
                                 'a layer\'s penalties')
    checked['penalties'] = {
        kind: None if name is None else protocol.text(name, 'a penalty',
                                                      200)
        for kind, name in penalties.items()}
    factors = protocol.mapping(row['factors'], PENALTIES,
                               'a layer\'s penalty factors')
    checked['factors'] = {
        kind: None if pair is None else [
            None if factor is None else protocol.number(factor, 'a factor')
            for factor in protocol.items(pair, 'factors', 2)]
        for kind, pair in factors.items()}
    return checked


def _table(value, vae):
    """A model's table: rows, output shapes, each output's maker and the
    VAE encoder's roles, every index inside what it points into."""
    found = protocol.mapping(value, Table._fields, 'a model')
    layers = [_row(row) for row in protocol.items(found['layers'], 'layers')]
    outputs = [_shape(shape, 'an output\'s shape')
               for shape in protocol.items(found['outputs'], 'outputs', 16)]
    producers = [protocol.integer(index, 'an output\'s layer', empty=True)
                 for index in protocol.items(found['producers'],
                                             'producers', 16)]
    roles = None
    if vae:
        roles = [protocol.integer(index, 'a role', empty=True)
                 for index in protocol.items(found['roles'], 'roles', 3)]
        if len(roles) != 3 or any(index is not None and not
                                  0 <= index < len(outputs)
                                  for index in roles):
            raise protocol.Invalid('roles that point at no output')
    if len(producers) != len(outputs) or any(
            index is not None and not 0 <= index < len(layers)
            for index in producers):
        raise protocol.Invalid('outputs made by no layer')
    return Table(layers, outputs, producers, roles)


def _auto(value):
    """auto's layers (each the encoder, the decoder, one of their layers or
    another), the encoder output it decodes, which returned models each
    returned model holds, its loss and its optimizer."""
    found = protocol.mapping(value, ('layers', 'loss', 'optimizer',
                                     'decodes', 'holds'), 'auto')
    layers = []
    for entry in protocol.items(found['layers'], 'auto\'s layers'):
        entry = protocol.mapping(entry, ('class', 'is'), 'a layer of auto')
        if entry['is'] not in AUTO_KINDS:
            raise protocol.Invalid('a layer of auto of an unknown kind')
        layers.append({'class': protocol.text(entry['class'], 'a class',
                                              200), 'is': entry['is']})
    loss = protocol.mapping(found['loss'], ('kind', 'name'), 'a loss')
    if loss['kind'] not in LOSS_KINDS:
        raise protocol.Invalid('a loss of an unknown kind')
    protocol.text(loss['name'], 'a loss\'s name', 200)
    optimizer = protocol.mapping(found['optimizer'],
                                 ('class', 'learning rate'), 'an optimizer')
    protocol.text(optimizer['class'], 'an optimizer\'s class', 200)
    rate = optimizer['learning rate']
    if rate is not None:
        optimizer['learning rate'] = protocol.number(rate, 'a learning rate')
    holds = [[protocol.integer(index, 'a returned model')
              for index in protocol.items(held, 'held models', 3)]
             for held in protocol.items(found['holds'], 'models', 3)]
    if len(holds) != 3 or any(not 0 <= index < 3 for held in holds
                              for index in held):
        raise protocol.Invalid('held models that were not returned')
    return {'layers': layers, 'loss': loss, 'optimizer': optimizer,
            'decodes': protocol.integer(found['decodes'], 'a decoded output',
                                        empty=True), 'holds': holds}


def models(value, vae):
    """The tables of (encoder, decoder, auto) from a build's answer."""
    found = protocol.mapping(value, Models._fields, 'the models')
    return Models(_table(found['encoder'], vae),
                  _table(found['decoder'], False), _auto(found['auto']))


def describe(row):
    """One layer row in a few words, e.g. 'Dense 64 relu'."""
    words = [row['class']]
    for field in ('units', 'filters'):
        if row[field] is not None:
            words.append(str(row[field]))
    if isinstance(row['kernel size'], tuple):
        words.append('x'.join(map(str, row['kernel size'])))
    if row['padding'] is not None:
        words.append(str(row['padding']))
    if row['activation'] not in (None, 'linear'):
        words.append(str(row['activation']))
    if row['class'] == 'InputLayer' and isinstance(row['output shape'],
                                                   tuple):
        words.append(str(row['output shape'][1:]))
    return ' '.join(words)


def weighted(table):
    """The indices of a model's layers that hold weights."""
    return [index for index, row in enumerate(table.layers) if row['weights']]


def pairing(found, vae):
    """(part, layer index) of the student's weighted layers in the order of
    the reference's: for the VAE, the mean and log-variance layers last,
    as their sampling uses them, whatever order they were made in."""
    encoder = weighted(found.encoder)
    if vae:
        last = [found.encoder.producers[found.encoder.roles[index]]
                for index in (1, 2)]
        encoder = [index for index in encoder if index not in last] + last
    return ([('encoder', index) for index in encoder]
            + [('decoder', index) for index in weighted(found.decoder)])
