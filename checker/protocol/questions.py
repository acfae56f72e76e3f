#!/usr/bin/env python3
"""Every message the grader sends, each named with its schema: the fields
it holds and the check each field's value passes. The grader checks its
own messages before they go, so that a question no schema holds is a bug
of the grader's (NotAQuestion), never told as the student's.

To the student side's server, a packet each (framing.send):
    probe   {'probe': spec}: which sandbox layers hold
    start   {'id', 'file', 'spec'}, with the file's four descriptors: its
            questions, its answers, its stdout and stderr
To a file's process, a line each (framing.dumps), by their `ask`, each
numbered by its `n`:
    import     import the file; which of `names` are callable, which
               functions it defines
    signature  the builder's parameters: name, kind, has a default
    build      call the builder on `arguments`; the models as tables
    outputs    with `weights` set, encoder(x), decoder(code) and auto(x)
    loss       with `weights` set, what evaluate gives on x
    step       with `weights` set, the weights after one training step on x
    sample     with `weights` set and seeded, z and auto's output on x
"""
from checker.protocol.values import (Invalid, count, from_arguments,
                                     integer, items, mapping, text,
                                     to_array)

# The sandbox a file's process enters: its layers, the copy of the
# submission and where it came from, the working folder, the paths
# hidden, the user, the cgroups it joins and its limits.
SPEC = ('layers', 'copy', 'source', 'cwd', 'hide', 'uid', 'cgroups',
        'memory', 'tasks', 'disk')
PARTS = ('encoder', 'decoder', 'auto')


class NotAQuestion(Exception):
    """A message of the grader's that no schema holds: a bug of ours."""


def _name(value):
    """A Python name, or None where the file has no builder."""
    if value is not None and not text(value, 'a name', 200).isidentifier():
        raise Invalid('a name that is not one')


def _names(value):
    """A list of Python names."""
    for name in items(value, 'names'):
        _name(name)


def _flag(value):
    """True or False."""
    if not isinstance(value, bool):
        raise Invalid('a flag that is not one')


def _count(value):
    """A whole number, not negative."""
    if not count(value):
        raise Invalid('a count that is not one')


def _parts(value):
    """Some of the three models, by name."""
    if not set(items(value, 'models', 3)) <= set(PARTS):
        raise Invalid('a model of no known name')


def _weights(value):
    """The weights to set: each weighted layer by its model and index, and
    its arrays."""
    for entry in items(value, 'weights'):
        entry = mapping(entry, ('part', 'layer', 'values'), 'weights')
        _parts([entry['part']])
        _count(entry['layer'])
        for values in items(entry['values'], 'a layer\'s weights', 16):
            to_array(values)


# Every question's fields but `ask` and `n`, each with its check.
COMPUTED = {'key': text, 'weights': _weights, 'x': to_array}
QUESTIONS = {
    'import': {'names': _names},
    'signature': {'name': _name},
    'build': {'name': _name, 'parameters': _names,
              'arguments': from_arguments, 'keywords': _flag, 'key': text,
              'vae': _flag},
    'outputs': dict(COMPUTED, models=_parts, purpose=text, code=to_array),
    'loss': COMPUTED,
    'step': COMPUTED,
    'sample': dict(COMPUTED, copies=_count, seed=integer, output=_count,
                   decoded=_count),
}


def question(message):
    """A question to a file's process, as it is sent: checked against its
    schema; NotAQuestion where none holds it."""
    fields = QUESTIONS.get(message.get('ask'))
    if fields is None or set(message) != set(fields) | {'ask', 'n'}:
        raise NotAQuestion('no question has the fields {}'.format(
            sorted(message)))
    try:
        _count(message['n'])
        for name, check in fields.items():
            check(message[name])
    except Invalid as reason:
        raise NotAQuestion('a question {!r} with {}'.format(
            message['ask'], reason))
    return message


def _spec(spec):
    """The sandbox's spec, checked for its fields."""
    try:
        return mapping(spec, SPEC, 'a sandbox')
    except Invalid as reason:
        raise NotAQuestion(str(reason))


def probe(spec):
    """The server's question: which layers of the spec's sandbox hold."""
    return {'probe': _spec(spec)}


def start(number, path, spec):
    """The server's order: fork the process of file `number` at `path`, in
    the spec's sandbox; the file's four descriptors go with it."""
    if not count(number) or not isinstance(path, str):
        raise NotAQuestion('a file without its number or path')
    return {'id': number, 'file': path, 'spec': _spec(spec)}
