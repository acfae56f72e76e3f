#!/usr/bin/env python3
"""Errors raised in a student's code, told in plain words: one sentence
that names the likely cause and the line of their file, then the one line
of the error that says what went wrong, with TensorFlow's internals (tensor
reprs, object addresses, node names) taken out. An error reaches the
grader as data (checker/protocol/): its type, the types it derives
from, its message and the line of their file."""
import ast
import difflib
import re

from checker.checks.source import Source

LONGEST_LINE = 200
# Lines of TensorFlow's and Keras' messages that never say what went wrong.
NOISE = re.compile(r'in user code:|File "|Traceback|Exception encountered|'
                   r'Call arguments received|•|-+$|return |raise ')
SYMBOLIC = ('KerasTensor', 'symbolic', 'TypeSpec', 'out of scope',
            'Graph tensor', 'inaccessible')


def _without_call(text, opener, replacement):
    """Replaces each `opener...)` with replacement, brackets balanced, so
    that a repr with nested brackets goes whole."""
    while opener in text:
        start = text.index(opener)
        depth, end = 0, len(text)
        for index in range(start + len(opener) - 1, len(text)):
            depth += {'(': 1, ')': -1}.get(text[index], 0)
            if depth == 0:
                end = index + 1
                break
        text = text[:start] + replacement + text[end:]
    return text


def clean(text):
    """Returns a message without tensor reprs, addresses or node names."""
    text = re.sub(r'\x1b\[[0-9;]*m', '', text)
    text = _without_call(text, 'KerasTensor(', 'a symbolic tensor')
    text = re.sub(r'<KerasTensor[^>]*>', 'a symbolic tensor', text)
    text = re.sub(r"<class '[\w.]*?(\w+)'>", r'\1', text)
    text = _without_call(text, 'tf.Tensor(', 'a tensor')
    text = _without_call(text, 'Tensor("', 'a tensor')
    text = re.sub(r'<(?:function )?([\w.]+?)(?: object)? at 0x[0-9a-f]+>',
                  lambda match: match.group(1).split('.')[-1], text)
    text = re.sub(r"\s*for '\{\{node.*$|\s*\(type \w+\)|name='[^']*'",
                  '', text)
    text = re.sub(r'\b0x[0-9a-f]{4,}\b', '', text)
    text = re.sub(r'^(\w+): (?:\1: )+', r'\1: ', text)
    text = re.sub(r'(?<=[a-z)]\.) [A-Z].*$', '', text)
    if len(text) > LONGEST_LINE:
        text = text[:LONGEST_LINE].rsplit(' ', 1)[0] + ' ...'
    return text.strip()


def is_a(error, kind):
    """True when the error is of the type named kind or derives from it."""
    return kind == error['type'] or kind in error['bases']


def error_line(error):
    """Returns 'Type: the line of its message that says what went wrong'."""
    lines = [line.strip() for line in error['message'].splitlines()
             if line.strip() and not NOISE.match(line.strip())
             and 'Exception encountered' not in line]
    inner = [line for line in lines if re.match(r'\w+(Error|Exception): ',
                                                line)]
    line = inner[-1] if inner else (lines[0] if lines else '')
    kind = error['type']
    if not re.match(r'\w+(Error|Exception|Exit): ', line):
        line = '{}: {}'.format(kind, line) if line else kind
    return clean(line)


def _unset_name(error, source, where, parameters):
    """The sentence for a NameError: a name set only in a loop that did not
    run, or a name never set, with the nearest name the file has."""
    match = re.search(r"'(\w+)'", error['message'])
    if not match:
        return ''
    name = match.group(1)
    loop = source.loop_setting(name)
    if loop is not None:
        looped = ast.unparse(loop.iter)
        given = ', '.join('{} = {!r}'.format(parameter, value)
                          for parameter, value in parameters.items()
                          if parameter in looped)
        return ('{} is set only inside your loop `for ... in {}` (line {}) '
                'and used after it{}: {} that loop does not run. Set {} '
                'before the loop (x = inputs, say) and let the loop update '
                'it.'.format(name, looped, loop.lineno, where,
                             'with ' + given if given else 'here',
                             name))
    near = difflib.get_close_matches(name, source.names() - {name}, n=1)
    return '{} is used{} but never set{}'.format(
        name, where, ': did you mean {}?'.format(near[0]) if near else '.')


def _short_list(parameters):
    """The list parameters of one or no item, as 'hidden_layers = [64]'."""
    return ['{} = {!r}'.format(parameter, value)
            for parameter, value in parameters.items()
            if isinstance(value, list) and len(value) <= 1]


def explain(error, source, parameters, stage, keras_3):
    """Returns (sentence, from_stack): the likely cause of an error raised
    in the student's code, in their terms, with their line; from_stack
    when the stack, not the student, is the cause. source: their file's
    text; parameters: the builder's arguments by name; stage: what the
    checker was doing."""
    text = error['message']
    line = error['line']
    where = ' at line {}'.format(line) if line else ''
    if is_a(error, 'AttributeError') and keras_3 and (
            'input_shape' in text or 'output_shape' in text):
        return ('This comes from the stack, not from you: input_shape and '
                'output_shape exist only in Keras 2. Run ./check.py with '
                'TF_USE_LEGACY_KERAS=1 or on TensorFlow 2.15 to see your '
                'file as the graders do.'), True
    if is_a(error, 'SyntaxError'):
        return _syntax(text, line), False
    found = _explained_by_kind(error, Source(source), parameters, where)
    if found:
        return found, False
    lines = source.splitlines()
    if 'add_loss' in text or line and line <= len(lines) and \
            'add_loss' in lines[line - 1]:
        return ('Keras 3 cannot add a loss of symbolic tensors with '
                'add_loss{}, and on Keras 2 it puts extra layers in '
                'auto.layers: add the KL term with activity_regularizer on '
                'the mean and log-variance layers instead.'.format(where)
                ), False
    if is_a(error, 'NameError'):
        return _unset_name(error, Source(source), where, parameters), False
    if 'reduction dimension' in text or re.search(r'axis -?\d+ is out of '
                                                  r'bounds', text):
        return ('Your code sums or averages over an axis that the tensor '
                'does not have{}: keras.losses.binary_crossentropy already '
                'averages over the last axis and gives one value per '
                'sample, so there is no axis 1 left; multiply it by '
                'input_dims instead of summing it.'.format(where)), False
    if any(word in text for word in ('Graph disconnected', 'not connected',
                                     'cannot find parent')):
        return ('A keras.Model{} is given outputs that do not come from its '
                'inputs: build each model from the keras.Input its layers '
                'were called on (the decoder from an Input of its own, not '
                'the encoder\'s).'.format(where)), False
    if 'expects 1 input' in text or 'but it received 3' in text:
        return ('Your auto passes all three encoder outputs to the '
                'decoder{}: pass z alone, decoder(encoder(inputs)[0]).'
                .format(where)), False
    if any(word in text for word in SYMBOLIC + ('shape of the Lambda',)):
        if stage in ('evaluating the loss', 'training one step'):
            return ('Your loss uses tensors of the model from outside (a '
                    'closure over the encoder\'s mean and log_var){}: '
                    'TensorFlow 2 cannot run it in evaluate or fit. Add the '
                    'KL term with activity_regularizer on the mean and '
                    'log-variance layers instead.'.format(where)), False
        return ('Your code{} computes on the model\'s symbolic tensors '
                'outside a layer, or a Lambda reads tensors from outside '
                'its own input: put the computation in a function of its '
                'argument alone and wrap it, keras.layers.Lambda(sampling)'
                '([mean, log_var]).'.format(where)), False
    if is_a(error, 'IndexError') and _short_list(parameters):
        short = _short_list(parameters)
        return ('Your builder indexes a list{} ({}[0] or [-1], say): it '
                'breaks with {}.'.format(where, short[0].split(' = ')[0],
                                         ' and '.join(short))), False
    if 'incompatible with the layer' in text:
        return ('A layer{} gets a tensor of another shape than the one it '
                'was built for: compare the shapes below with the task\'s.'
                .format(where)), False
    return ('The checker cannot tell the cause of this error, raised{} of '
            'your file; the line below is Python\'s own.'.format(
                where or ' outside the lines'), False)


def _syntax(text, line):
    """The sentence for a file that Python cannot read, with the line
    where it stopped: the error is raised by the import, outside the
    file's lines, but names the line in its message."""
    if 'null bytes' in text:
        return ('Your file is not Python text: it holds null bytes. Save it '
                'again as plain text.')
    named = re.search(r'line (\d+)\)', text)
    line = line or (named and named.group(1))
    return ('Python cannot read your file{}: the line below says what it '
            'stopped at. Fix it, then check again.'.format(
                ' at line {}'.format(line) if line else ''))


def _valid_pooling(text, parameters):
    """The sentence for a decoder that gets smaller maps than latent_dims,
    where pooling with padding 'valid' gives exactly those: '' if not."""
    shapes = re.findall(r'shape=\(None, (\d+), (\d+), \d+\)', text)
    if len(shapes) != 2 or 'filters' not in parameters or not isinstance(
            parameters.get('input_dims'), (list, tuple)):
        return ''
    side = parameters['input_dims'][0]
    for _ in parameters['filters']:
        side //= 2
    expected, found = (int(shape[0]) for shape in shapes)
    if found != side or found == expected:
        return ''
    return ('Your encoder gives {0} x {0} maps{{}} where the decoder takes '
            'latent_dims, {1} x {1}: pooling with padding \'valid\' rounds '
            'odd sizes down. The task\'s pooling has padding=\'same\'.'.format(
                found, expected))


def loss_weights_sentence(where):
    """The sentence for a compile that weighs outputs auto does not have."""
    return ('Your compile gives loss_weights{}: auto has one output, the '
            'reconstruction, so there is nothing to weigh, and a key that '
            'names no output is an error on Keras 2 and ignored on Keras 3. '
            'Drop loss_weights.'.format(where))


def _explained_by_kind(error, source, parameters, where):
    """The sentence for errors told by their message and the file's code:
    a tuple wrapped in another, a loop past a list's end, an attribute
    that models lack, an impossible Reshape, a loss between tensors of
    different shapes; '' for none of these."""
    text = error['message']
    tuples = [name for name, value in parameters.items()
              if isinstance(value, tuple)]
    if tuples and any(word in text for word in (
            'to a shape', '__index__', 'must be integer')):
        return ('Your code{} wraps {} in another tuple, shape=({},): it is '
                'already a tuple, {!r}; pass shape={}.'.format(
                    where, tuples[0], tuples[0], parameters[tuples[0]],
                    tuples[0]))
    loop = source.index_loop(error['line'])
    if is_a(error, 'IndexError') and loop:
        return ('Your loop `for ... in {}`{} reads past the end of a list: '
                'the indices of a list of n run from 0 to n - 1, so '
                'range(len(x) - 1, -1, -1) counts down and range(len(x)) '
                'counts up.'.format(loop, where))
    if 'loss_weights' in text:
        return loss_weights_sentence(where)
    attribute = re.search(r"'(\w+)' object has no attribute '(\w+)'", text)
    if is_a(error, 'AttributeError') and attribute and attribute.group(
            1) in ('Functional', 'Sequential', 'Model'):
        return ('Your code{} reads {}, which a Keras model does not have: '
                'call the model\'s own methods on it (auto.compile, '
                'encoder.layers).'.format(where, attribute.group(2)))
    if 'never been called' in text:
        return ('Your code{} reads the input or output of a Sequential '
                'model that was never called on a tensor: build auto on an '
                'Input of its own, keras.Model(inputs, '
                'decoder(encoder(inputs))), rather than from encoder.input '
                'or encoder.output.'.format(where))
    if 'infer the shape' in text:
        return ('Keras 3 could not work out the shape of your Lambda\'s '
                'output{}: it runs the function on symbolic tensors to find '
                'it, and yours raised there. Check the function on its own; '
                'keras.layers.Lambda(sampling, output_shape=(latent_dims,)) '
                'skips that run.'.format(where))
    pooled = _valid_pooling(text, parameters)
    if pooled:
        return pooled.format(where)
    if 'total size' in text or 'Cannot reshape' in text:
        return ('Your Reshape{} asks for sizes whose product differs from '
                'its input\'s: the target must hold as many numbers as the '
                'tensor it is given.'.format(where))
    if re.search(r'same (rank|shape)|Incompatible shapes|must have the '
                 r'same', text):
        indexed = source.indexed_prediction()
        if indexed:
            return ('Your loss indexes {}{} as if it held more than the '
                    'reconstruction: y_pred is auto\'s output alone, '
                    '(batch, input_dims).'.format(indexed, where))
        return ('Your loss{} computes binary cross-entropy between tensors '
                'of different shapes: pass y_true and y_pred as they come, '
                'both (batch, input_dims).'.format(where))
    return ''


def describe(error, source, parameters, stage, keras_3):
    """Returns (detail, from_stack): the cause's sentence, then the error's
    one informative line."""
    sentence, from_stack = explain(error, source, parameters, stage, keras_3)
    line = error_line(error)
    return '\n'.join(part for part in (sentence, line) if part), from_stack
