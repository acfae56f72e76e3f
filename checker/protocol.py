#!/usr/bin/env python3
"""The messages that cross the boundary between the grader and the student
side, one JSON object a line each way: the grader asks, the student side
answers with data. Arrays travel as base64 bytes with their dtype and
shape, the builders' arguments with their tuples marked. The grader reads
every answer through this module's checks, so that an answer it cannot
use is an `Invalid` with its reason in plain words, never a crash.

The questions, by their `ask`:
    import     import the file; which of `names` are callable, which
               functions it defines
    signature  the builder's parameters: name, kind, has a default
    build      call the builder on `arguments`; the models as tables
    outputs    with `weights` set, encoder(x), decoder(code) and auto(x)
    loss       with `weights` set, what evaluate gives on x
    step       with `weights` set, the weights after one training step on x
    sample     with `weights` set and seeded, z and auto's output on x
Every answer is {'ok': ...} or {'error': ...}; `limits` lists what the
student side's audit hook refused since the last answer (its own word).
"""
import base64
import json
import math
import re

import numpy as np

MAX_ANSWER = 32 * 2 ** 20  # bytes of one answer line
# The student side's environment: the stack's own variables, no others.
ENVIRONMENT = ('PATH', 'LANG', 'LC_ALL', 'PYTHONPATH', 'PYTHONHOME',
               'TF_USE_LEGACY_KERAS', 'TF_CPP_MIN_LOG_LEVEL',
               'TF_ENABLE_ONEDNN_OPTS', 'TF_NUM_INTRAOP_THREADS',
               'TF_NUM_INTEROP_THREADS', 'OMP_NUM_THREADS',
               'OPENBLAS_CORETYPE', 'OPENBLAS_L2_SIZE',
               'CUDA_VISIBLE_DEVICES')
MAX_TEXT = 4000  # characters of any text in an answer
MAX_ITEMS = 1000  # entries of any list in an answer but an array's bytes
DTYPES = ('float32', 'float64')


# What the student side's audit hook may say it refused.
CLAIM = re.compile(r'tried to (write|read) outside its folder: .{1,500}|'
                   r'tried to open a network connection', re.S)


class Invalid(Exception):
    """An answer the grader cannot use; str() says why, in plain words."""


def dumps(message):
    """One message as a line of bytes."""
    return (json.dumps(message, allow_nan=False) + '\n').encode()


def loads(line):
    """The message of one line, or Invalid: not JSON, too long, no object.
    """
    if len(line) > MAX_ANSWER:
        raise Invalid('an answer of {} bytes, past the cap of {}'.format(
            len(line), MAX_ANSWER))
    try:
        message = json.loads(line, parse_constant=_no_constant)
    except (ValueError, RecursionError) as error:
        raise Invalid('an answer that is not JSON ({})'.format(
            str(error)[:80]))
    if not isinstance(message, dict):
        raise Invalid('an answer that is not a JSON object')
    return message


def _no_constant(name):
    """JSON's NaN and Infinity are refused where they are read."""
    raise ValueError('{} is not a number'.format(name))


def array(values):
    """An array as a message: dtype, shape, and its bytes in base64."""
    values = np.ascontiguousarray(values)
    if values.dtype.name not in DTYPES:
        values = values.astype(np.float32)
    return {'dtype': values.dtype.name, 'shape': list(values.shape),
            'data': base64.b64encode(values.tobytes()).decode()}


def to_array(message, shape=None, what='an array'):
    """The array of a message, checked: a known dtype, a shape that fits
    its bytes (and `shape`, where given, None for any size), finite."""
    if not isinstance(message, dict) or set(message) != {'dtype', 'shape',
                                                         'data'}:
        raise Invalid('{} that is not an array'.format(what))
    dtype, dims = message['dtype'], message['shape']
    if dtype not in DTYPES or not isinstance(dims, list) or len(dims) > 8 \
            or not all(_count(dim) for dim in dims):
        raise Invalid('{} of an unknown type or shape'.format(what))
    try:
        data = base64.b64decode(message['data'], validate=True)
    except (TypeError, ValueError):
        raise Invalid('{} whose bytes are not base64'.format(what))
    if len(data) != math.prod(dims) * np.dtype(dtype).itemsize:
        raise Invalid('{} whose bytes do not fill its shape'.format(what))
    values = np.frombuffer(data, dtype=dtype).reshape(dims)
    if shape is not None and (len(shape) != len(dims) or any(
            want is not None and want != dim
            for want, dim in zip(shape, dims))):
        raise Invalid('{} of shape {}, where {} was asked for'.format(
            what, tuple(dims), tuple(shape)))
    if not np.all(np.isfinite(values)):
        raise Invalid('{} holding NaN or infinity'.format(what))
    return values.astype(np.float64)


def _count(value):
    """True for a non-negative int that is not a bool."""
    return isinstance(value, int) and not isinstance(value, bool) \
        and value >= 0


def arguments(values):
    """A builder's arguments as JSON: tuples marked, lists as lists."""
    if isinstance(values, tuple):
        return {'tuple': [arguments(value) for value in values]}
    if isinstance(values, list):
        return [arguments(value) for value in values]
    return values


def from_arguments(message, depth=0):
    """The arguments that `arguments` wrote, tuples again; Invalid for
    anything else: numbers, texts and None, in lists and tuples at most 4
    deep and 100 long."""
    if depth > 4:
        raise Invalid('arguments nested too deeply')
    if isinstance(message, dict):
        if set(message) != {'tuple'}:
            raise Invalid('arguments of an unknown kind')
        return tuple(from_arguments(items(message['tuple'], 'arguments',
                                          100), depth + 1))
    if isinstance(message, list):
        return [from_arguments(value, depth + 1)
                for value in items(message, 'arguments', 100)]
    if message is None or isinstance(message, (int, float)):
        return message
    return text(message, 'an argument', 200)


def text(value, what='a text', limit=MAX_TEXT):
    """A string of at most `limit` characters."""
    if not isinstance(value, str) or len(value) > limit:
        raise Invalid('{} that is not a short text'.format(what))
    return value


def integer(value, what='a number', empty=False):
    """An int, or None where empty is allowed."""
    if value is None and empty:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise Invalid('{} that is not a whole number'.format(what))
    return value


def number(value, what='a number'):
    """A finite float."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) \
            or not math.isfinite(value):
        raise Invalid('{} that is not a finite number'.format(what))
    return float(value)


def items(value, what='a list', limit=MAX_ITEMS):
    """A list of at most `limit` entries."""
    if not isinstance(value, list) or len(value) > limit:
        raise Invalid('{} that is not a list'.format(what))
    return value


def mapping(value, keys, what='an entry'):
    """A dict with exactly the keys given."""
    if not isinstance(value, dict) or set(value) != set(keys):
        raise Invalid('{} without the fields {}'.format(
            what, ', '.join(sorted(keys))))
    return value


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
    found = mapping(answer, ('kind', 'type', 'bases', 'message', 'line',
                             'errno'), 'an error')
    if found['kind'] not in ('raised', 'exit', 'refused'):
        raise Invalid('an error of an unknown kind')
    for name in [found['type']] + items(found['bases'], 'an error', 40):
        if not text(name, 'an error\'s type', 100).isidentifier():
            raise Invalid('an error whose type is not a name')
    text(found['message'], 'an error\'s message')
    integer(found['line'], 'an error\'s line', empty=True)
    integer(found['errno'], 'an error\'s errno', empty=True)
    return found
