#!/usr/bin/env python3
"""Models as the grader holds them, once their tables have passed the
protocol's checks (checker/protocol/tables.py): a layer row in a few
words, and the order in which the reference's weights go into the
student's weighted layers."""


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
