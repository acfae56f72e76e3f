#!/usr/bin/env python3
"""Errors raised in a student's code, told in plain words: one sentence
that names the likely cause and the line of their file, then the one line
of the error that says what went wrong, with TensorFlow's internals (tensor
reprs, object addresses, node names) taken out. An error reaches the
grader as data (checker/protocol.py): its type, the types it derives
from, its message and the line of their file."""
import ast
import difflib
import re

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


class Source:
    """The student's file as a syntax tree, for naming what an error's
    name is and where it is set."""

    def __init__(self, text):
        """Parses the file's text; an unparsable file gives an empty tree.
        """
        try:
            self.tree = ast.parse(text)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            self.tree = ast.Module(body=[], type_ignores=[])

    def names(self):
        """Every name the file sets or takes as a parameter."""
        found = set()
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Name):
                found.add(node.id)
            elif isinstance(node, ast.arg):
                found.add(node.arg)
            elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                found.add(node.name)
        return found

    def loop_setting(self, name):
        """The innermost `for` loop whose body sets name, or None."""
        for node in ast.walk(self.tree):
            if isinstance(node, ast.For) and any(
                    isinstance(inner, ast.Name) and inner.id == name
                    and isinstance(inner.ctx, ast.Store)
                    for statement in node.body
                    for inner in ast.walk(statement)):
                return node
        return None


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
    if 'add_loss' in text:
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
        return ('Your builder indexes a list{} (hidden_layers[0] or [-1], '
                'say): it breaks with {}.'.format(
                    where, ' and '.join(_short_list(parameters)))), False
    if 'incompatible with the layer' in text:
        return ('A layer{} gets a tensor of another shape than the one it '
                'was built for: compare the shapes below with the task\'s.'
                .format(where)), False
    return ('Your code raised {}{}.'.format(error['type'], where)
            if where else ''), False


def describe(error, source, parameters, stage, keras_3):
    """Returns (detail, from_stack): the cause's sentence, then the error's
    one informative line."""
    sentence, from_stack = explain(error, source, parameters, stage, keras_3)
    line = error_line(error)
    return '\n'.join(part for part in (sentence, line) if part), from_stack
