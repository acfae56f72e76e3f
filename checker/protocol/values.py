#!/usr/bin/env python3
"""The values that cross the boundary, and the checks each one passes on
its way in: arrays travel as base64 bytes with their dtype and shape, the
builders' arguments with their tuples marked, texts, numbers and lists
bounded. Whatever the grader cannot use is an `Invalid` with its reason
in plain words, never a crash."""
import base64
import math

import numpy as np

MAX_TEXT = 4000  # characters of any text in an answer
MAX_ITEMS = 1000  # entries of any list in an answer but an array's bytes
DTYPES = ('float32', 'float64')


class Invalid(Exception):
    """An answer the grader cannot use; str() says why, in plain words."""


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
            or not all(count(dim) for dim in dims):
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


def count(value):
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
