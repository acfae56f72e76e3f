#!/usr/bin/env python3
"""The student's encoder or decoder against the reference's, as a diff: the
two layer sequences aligned as an edit distance does, then one sentence per
layer that is extra, missing or replaced, and per field that differs on
layers aligned, in the task's terms (filters[0], the latent layer)."""
import collections

from checker.checks.models import describe
from checker.protocol.tables import FIELDS

# Fields that differ as a consequence of others, named only when alone.
FOLLOWING = ('output shape', 'parameters')
PLURALS = {'Conv2D': 'convolutions', 'MaxPooling2D': 'pooling layers',
           'UpSampling2D': 'upsampling layers', 'Dense': 'Dense layers'}
RESHAPERS = ('Cropping2D', 'ZeroPadding2D', 'Resizing')
BACKEND_OPS = ('TFOpLambda', 'SlicingOpLambda')
Step = collections.namedtuple('Step', 'kind student reference')


def _differing(student_row, reference_row):
    """The fields in which two rows differ, in FIELDS' order."""
    return [field for field in FIELDS
            if student_row[field] != reference_row[field]]


def _cost(student_row, reference_row):
    """What it costs to align two layers: nothing for the same layer, a
    little for the same class, more for a class replaced."""
    if student_row['class'] != reference_row['class']:
        return 1.5
    fields = [field for field in _differing(student_row, reference_row)
              if field not in FOLLOWING]
    return 0.5 + 0.1 * len(fields) if fields else 0.01 * bool(
        _differing(student_row, reference_row))


def align(student, reference):
    """Returns the Steps that turn the reference's rows into the
    student's at least cost: 'same', 'changed', 'replaced', 'extra' (the
    student's only), 'missing'."""
    rows, cols = len(student) + 1, len(reference) + 1
    cost = [[0.0] * cols for _ in range(rows)]
    for i in range(rows):
        for j in range(cols):
            if i and j:
                cost[i][j] = min(cost[i - 1][j - 1]
                                 + _cost(student[i - 1], reference[j - 1]),
                                 cost[i - 1][j] + 1, cost[i][j - 1] + 1)
            elif i or j:
                cost[i][j] = i + j
    steps, i, j = [], len(student), len(reference)
    while i or j:
        if i and j and cost[i][j] == cost[i - 1][j - 1] + _cost(
                student[i - 1], reference[j - 1]):
            kind = ('replaced' if student[i - 1]['class'] !=
                    reference[j - 1]['class'] else 'changed'
                    if _differing(student[i - 1], reference[j - 1])
                    else 'same')
            steps.append(Step(kind, i - 1, j - 1))
            i, j = i - 1, j - 1
        elif i and cost[i][j] == cost[i - 1][j] + 1:
            steps.append(Step('extra', i - 1, None))
            i -= 1
        else:
            steps.append(Step('missing', None, j - 1))
            j -= 1
    return steps[::-1]


def roles(task, part, arguments):
    """Names each of the reference's layers by what the task makes it of,
    e.g. 'convolution with filters[1] = 8'."""
    sizes = list(arguments[1])
    name = 'filters' if task.name == 'convolutional' else 'hidden_layers'
    count = len(sizes)
    if task.name == 'convolutional' and part == 'encoder':
        return ['input'] + [role for index, size in enumerate(sizes)
                            for role in ('convolution with filters[{}] = {}'
                                         .format(index, size),
                                         'pooling layer {}'.format(index + 1))]
    if task.name == 'convolutional':
        layers = ['input']
        for step, index in enumerate(reversed(range(count))):
            layers += ['{}convolution with filters[{}] = {}'.format(
                'second-to-last ' if index == 0 else '', index, sizes[index]),
                'upsampling layer {}'.format(step + 1)]
        return layers + ['last convolution']
    hidden = ['Dense layer with {}[{}] = {}'.format(name, index, size)
              for index, size in enumerate(sizes)]
    if part == 'decoder':
        return ['input'] + hidden[::-1] + ['output layer']
    if task.name == 'variational':
        return ['input'] + hidden + ['mean layer', 'log-variance layer',
                                     'sampling Lambda']
    return ['input'] + hidden + ['latent layer']


def _value(field, value):
    """One field's value in words: "padding 'same'", '8 filters'."""
    if field in ('units', 'filters'):
        return '{} {}'.format(value, field)
    if value is None:
        return 'no {}'.format(field)
    if isinstance(value, tuple) and field != 'output shape':
        value = ' x '.join(map(str, value))
    if isinstance(value, str) and field == 'padding':
        value = repr(value)
    return '{} {}'.format(field, value)


def _brief(row):
    """One layer in a few words for a sentence: 'Conv2D (8 filters)'."""
    for field in ('filters', 'units'):
        if row[field] is not None:
            return '{} ({})'.format(row['class'], _value(field, row[field]))
    return row['class']


def _position(student, index):
    """Where a layer of the student's is: 'after its last
    MaxPooling2D'."""
    if index == 0:
        return 'at its start'
    before = student[index - 1]['class']
    same = [i for i, row in enumerate(student) if row['class'] == before]
    if index - 1 == same[-1] and len(same) > 1:
        return 'after its last {}'.format(before)
    if index == len(student) - 1:
        return 'at its end'
    return 'after its layer {} ({})'.format(index - 1,
                                            describe(student[index - 1]))


def _whole_model(task, part, student_table, student):
    """A sentence for a model that is another kind of model altogether, or
    ''."""
    classes = [row['class'] for row in student]
    if 'InputLayer' not in classes:
        return ('Your {} has no InputLayer: it is a Sequential model, or '
                'was never built from keras.Input; the reference builds '
                'keras.Model(inputs, outputs).'.format(part))
    if any(kind in classes for kind in BACKEND_OPS):
        return ('Your {} computes with backend operations outside any layer '
                '(they show as {} TFOpLambda layers): the task wraps the '
                'sampling in one keras.layers.Lambda(sampling)([mean, '
                'log_var]).'.format(part, sum(kind in BACKEND_OPS
                                              for kind in classes)))
    if task.name == 'variational' and part == 'encoder' \
            and len(student_table.outputs) == 1:
        return ('Your encoder has no mean, log-variance or sampling layers: '
                'this is the vanilla autoencoder. The task\'s encoder ends '
                'with a Dense layer for the mean, one for the log-variance, '
                'and a Lambda that samples z from them.')
    return ''


def _sentences(task, part, student, reference, names, steps):
    """One sentence per difference the aligned steps show."""
    said, skip = [], set()
    whose = 'Your {}\'s'.format(part)
    for step in steps:
        if step.kind == 'extra' and \
                student[step.student]['class'] in RESHAPERS:
            valid = [j for j, row in enumerate(reference)
                     if row['padding'] == 'valid']
            if valid and task.name == 'convolutional':
                skip.add(valid[0])
                side = reference[valid[0] - 1]['output shape'][1]
                said.append(
                    'Your {} has a {} {}; the task needs none: it gets from '
                    '{} x {} to {} x {} with the second-to-last '
                    'convolution\'s padding \'valid\'.'.format(
                        part, student[step.student]['class'],
                        _position(student, step.student), side, side, side - 2,
                        side - 2))
            else:
                said.append('Your {} has a {} {}; the task needs none: its '
                            'pooling with padding \'same\' gives the shape.'
                            .format(part, student[step.student]['class'],
                                    _position(student, step.student)))
        elif step.kind == 'extra':
            said.append('Your {} has an extra {} {}.'.format(
                part, _brief(student[step.student]),
                _position(student, step.student)))
    missing = [names[step.reference] for step in steps
               if step.kind == 'missing']
    if missing:
        said.append('Your {} lacks the {}.'.format(
            part, ' and the '.join(missing)))
    for step in steps:
        if step.kind == 'replaced':
            if reference[step.reference]['class'] == 'Lambda':
                said.append('Your sampling layer is of class {}; the '
                            'reference, and graders that print class names, '
                            'have a keras.layers.Lambda.'.format(
                                student[step.student]['class']))
            else:
                said.append('{} {} is a {}; the task\'s is a {}.'.format(
                    whose, names[step.reference],
                    student[step.student]['class'],
                    reference[step.reference]['class']))
    return said + _field_sentences(part, student, reference, names, steps,
                                   skip, alone=not said)


def _field_sentences(part, student, reference, names, steps, skip, alone):
    """Sentences for the fields that differ on aligned layers of a class,
    one per field and value when several layers share it; alone: nothing
    else differs, so a shape that differs is named too."""
    changes = collections.OrderedDict()
    for step in steps:
        if step.kind != 'changed' or step.reference in skip:
            continue
        student_row, reference_row = (student[step.student],
                                      reference[step.reference])
        for field in _differing(student_row, reference_row):
            if field not in FOLLOWING:
                key = (reference_row['class'], field, student_row[field],
                       reference_row[field])
                changes.setdefault(key, []).append(step.reference)
    said = _reversed_sizes(part, student, reference, changes)
    for key, places in changes.items():
        kind, field, student_value, reference_value = key
        of_class = [j for j, row in enumerate(reference)
                    if row['class'] == kind]
        if len(places) > 1 and len(places) == len(of_class):
            said.append('Your {} use {}; the task asks for {}.'.format(
                PLURALS.get(kind, kind + ' layers'),
                _value(field, student_value), _value(field, reference_value)))
            continue
        for place in places:
            said.append('Your {}\'s {} has {}; the task\'s has {}.'.format(
                part, names[place], _value(field, student_value),
                _value(field, reference_value)))
    if said or skip or not alone:
        return said
    for step in steps:
        if step.kind == 'changed':
            field = _differing(student[step.student],
                               reference[step.reference])[0]
            return ['Your {}\'s {} has {}; the task\'s has {}.'.format(
                part, names[step.reference],
                _value(field, student[step.student][field]),
                _value(field, reference[step.reference][field]))]
    return said


def _reversed_sizes(part, student, reference, changes):
    """A sentence for a decoder whose sizes come in the encoder's order,
    removing those changes; [] when that is not what differs."""
    sized = [key for key in changes if key[1] in ('units', 'filters')]
    if part != 'decoder' or not sized:
        return []
    field = sized[0][1]
    student_sizes = [row[field] for row in student if row[field] is not None]
    reference_sizes = [row[field] for row in reference
                       if row[field] is not None]
    if student_sizes[:-1] != reference_sizes[-2::-1] and (
            field != 'filters' or student_sizes[:-2] == reference_sizes[:-2]
            or student_sizes[:-2] != reference_sizes[-3::-1]):
        return []
    for key in sized:
        del changes[key]
    name = 'filters' if field == 'filters' else 'hidden_layers'
    return ['Your decoder uses {0} in the encoder\'s order; the task\'s '
            'decoder reverses them: loop over reversed({0}).'.format(name)]


def compare_model(task, part, student_table, reference_table, arguments):
    """Returns '' when two models' tables match layer by layer, else one
    sentence per difference and both models in brief."""
    student, reference = student_table.layers, reference_table.layers
    steps = align(student, reference)
    if all(step.kind == 'same' for step in steps):
        return ''
    whole = _whole_model(task, part, student_table, student)
    said = [whole] if whole else _sentences(
        task, part, student, reference, roles(task, part, arguments), steps)
    if whole and 'no InputLayer' in whole:  # the rest compared all the same
        given = reference[:1] + student
        said += _sentences(task, part, given, reference,
                           roles(task, part, arguments),
                           align(given, reference))
    if task.name == 'variational' and part == 'encoder' and not whole \
            and [reference[step.reference]['units'] for step in steps
                 if step.kind == 'missing'] == [arguments[2]]:
        said = ['One Dense layer seems to give both the mean and the '
                'log-variance: the task has one Dense layer for each.']
    return '\n'.join(said + [
        'yours:      ' + ' > '.join(map(describe, student)),
        'the task\'s: ' + ' > '.join(map(describe, reference))])
