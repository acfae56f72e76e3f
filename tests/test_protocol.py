#!/usr/bin/env python3
"""The protocol on its own: its framing round-trips, holds its cap and
refuses a malformed line; each question's schema and each answer's
checks take a good message and refuse a bad one."""
import os
import socket

import numpy as np
import pytest

from checker import protocol
from checker.protocol import answers, framing, questions, tables

ARRAY = protocol.array(np.ones((2, 3), np.float32))
WEIGHTS = [{'part': 'encoder', 'layer': 1, 'values': [ARRAY]}]
COMPUTED = {'key': '(784, [128], 2)', 'weights': WEIGHTS, 'x': ARRAY}
QUESTIONS = {
    'import': {'names': ['autoencoder']},
    'signature': {'name': 'autoencoder'},
    'build': {'name': 'autoencoder', 'parameters': ['input_dims'],
              'arguments': protocol.arguments((784, [128], 2)),
              'keywords': True, 'key': '(784, [128], 2)', 'vae': False},
    'outputs': dict(COMPUTED, models=['encoder', 'auto'],
                    purpose='reference', code=ARRAY),
    'loss': COMPUTED,
    'step': COMPUTED,
    'sample': dict(COMPUTED, copies=4096, seed=7, output=0, decoded=256),
}
# For each question, a field and a value its schema refuses.
WRONG = {'import': ('names', ['not a name']), 'signature': ('name', 3),
         'build': ('keywords', 'yes'), 'outputs': ('models', ['latent']),
         'loss': ('x', {'dtype': 'int8', 'shape': [1], 'data': 'AA=='}),
         'step': ('weights', [{'part': 'encoder', 'layer': -1,
                               'values': []}]),
         'sample': ('copies', 1.5)}
SPEC = dict.fromkeys(questions.SPEC)


def test_a_line_round_trips_through_a_pipe():
    """Two messages written as lines come back whole, in order, then the
    end of the pipe."""
    reader, writer = os.pipe()
    first, second = {'ask': 'import', 'n': 1}, {'ok': [ARRAY], 'n': 2}
    framing.write(writer, framing.dumps(first) + framing.dumps(second))
    os.close(writer)
    lines = framing.Lines(reader)
    found = [protocol.loads(lines.next()) for _ in range(2)]
    assert found == [first, second]
    assert lines.next() is None
    os.close(reader)


def test_a_packet_round_trips_with_its_descriptors():
    """The servers' packets carry a message and the descriptors beside
    it."""
    grader, student = socket.socketpair(socket.AF_UNIX,
                                        socket.SOCK_SEQPACKET)
    reader, writer = os.pipe()
    message = questions.start(3, '/tmp/0-vanilla.py', SPEC)
    framing.send(grader, message, [reader])
    found, handles = framing.receive(student, 4)
    assert found == message and len(handles) == 1
    os.write(writer, b'x')
    assert os.read(handles[0], 1) == b'x'
    framing.send(student, answers.started(3, 99))
    assert answers.from_server(framing.receive(grader)[0]) == 'pid'
    grader.close()
    assert framing.receive(student)[0] is None
    for handle in handles + [reader, writer]:
        os.close(handle)
    student.close()


def test_the_cap_holds_for_a_line_and_what_waits_for_its_newline(
        monkeypatch):
    """A line past the cap is refused whole, and so is a stream that sends
    more than the cap without a newline, before its end."""
    monkeypatch.setattr(framing, 'MAX_ANSWER', 100)
    assert protocol.loads(b'{"ok": "' + b'x' * 80 + b'"}')
    with pytest.raises(protocol.Invalid, match='past the cap'):
        protocol.loads(b'{"ok": "' + b'x' * 100 + b'"}')
    reader, writer = os.pipe()
    os.write(writer, b'x' * 101)
    with pytest.raises(protocol.Invalid, match='past the cap'):
        framing.Lines(reader).next()
    os.close(reader)
    os.close(writer)


@pytest.mark.parametrize('line', [b'{"ok": ', b'[1, 2]', b'{"ok": NaN}',
                                  b'\xff\xfe', b'"text"'])
def test_a_malformed_line_is_invalid(line):
    """Not JSON, not an object, or JSON's NaN: an Invalid, never a crash."""
    with pytest.raises(protocol.Invalid):
        protocol.loads(line)


@pytest.mark.parametrize('ask', sorted(QUESTIONS))
def test_each_question_holds_to_its_schema(ask):
    """A question as the grader sends it passes; one with a field of the
    wrong kind, a field missing or one too many is the grader's bug."""
    good = dict(QUESTIONS[ask], ask=ask, n=1)
    assert questions.question(good) is good
    assert set(QUESTIONS) == set(questions.QUESTIONS)
    field, value = WRONG[ask]
    for bad in (dict(good, **{field: value}), dict(good, extra=1),
                {key: good[key] for key in good if key != field},
                dict(good, n=None)):
        with pytest.raises(questions.NotAQuestion):
            questions.question(bad)


def test_the_servers_questions_hold_to_their_schema():
    """A probe and a start carry the sandbox's whole spec, a start its
    file's number and path."""
    assert questions.probe(SPEC) == {'probe': SPEC}
    with pytest.raises(questions.NotAQuestion):
        questions.probe(dict(SPEC, extra=1))
    with pytest.raises(questions.NotAQuestion):
        questions.start(None, '/tmp/0-vanilla.py', SPEC)


def test_the_servers_answers_are_told_by_their_fields():
    """Each of the server's packets is known by its fields, and no other
    is."""
    for message, kind in ((answers.ready(), 'ready'),
                          (answers.probed({'disk': ''}), 'probe'),
                          (answers.started(1, 2), 'pid'),
                          (answers.ended(1, 0), 'status')):
        assert answers.from_server(message) == kind
    with pytest.raises(protocol.Invalid):
        answers.from_server({'id': 1})


def _row(name, weights):
    """A layer's row of the table, as the student side writes it."""
    return dict(dict.fromkeys(tables.FIELDS), **{
        'class': name, 'weights': weights,
        'penalties': dict.fromkeys(tables.PENALTIES),
        'factors': dict.fromkeys(tables.PENALTIES)})


TABLE = {'layers': [_row('InputLayer', []), _row('Dense', [[3, 2], [2]])],
         'outputs': [[None, 2]], 'producers': [1], 'roles': None}
AUTO = {'layers': [{'class': 'Functional', 'is': 'encoder'}],
        'loss': {'kind': 'string', 'name': 'binary_crossentropy'},
        'optimizer': {'class': 'Adam', 'learning rate': 0.001},
        'decodes': 0, 'holds': [[], [], [0, 1]]}
MODELS = {'encoder': TABLE, 'decoder': TABLE, 'auto': AUTO}
ERROR = {'kind': 'raised', 'type': 'ValueError', 'bases': ['Exception'],
         'message': 'no', 'line': 3, 'errno': None}
SIGNATURE = {'name': 'autoencoder', 'parameters': [
    {'name': 'input_dims', 'kind': 'POSITIONAL_OR_KEYWORD',
     'default': False}]}
# Each answer's check, a value it takes and one it refuses.
ANSWERS = {
    'import': (answers.names, {'callable': ['autoencoder'],
                               'functions': []},
               {'callable': ['not a name'], 'functions': []}),
    'signature': (answers.signature, SIGNATURE, dict(SIGNATURE, parameters=[
        {'name': 'input_dims', 'kind': 'LATENT', 'default': False}])),
    'build': (lambda value: answers.build(
        value, {'after': protocol.arguments([784, [128], 2])},
        (784, [128], 2), False), {'models': MODELS, 'returned': None},
        {'models': dict(MODELS, decoder=dict(TABLE, producers=[5])),
         'returned': None}),
    'outputs': (lambda value: answers.outputs(value, ('encoder', 'auto'),
                                              1),
                {'encoder': [ARRAY], 'auto': ARRAY},
                {'encoder': [ARRAY, ARRAY], 'auto': ARRAY}),
    'loss': (answers.loss, 0.25, float('nan')),
    'step': (lambda value: answers.step(value, 1), [[ARRAY]],
             [[ARRAY], [ARRAY]]),
    'sample': (lambda value: answers.sample(value, (2, 3), (2, None)),
               {'z': ARRAY, 'auto': ARRAY},
               {'z': protocol.array(np.ones((3, 3))), 'auto': ARRAY}),
    'error': (answers.error, ERROR, dict(ERROR, type='not a type')),
    'limits': (answers.claims, ['tried to open a network connection'],
               ['tried to grade itself']),
}


@pytest.mark.parametrize('name', sorted(ANSWERS))
def test_each_answer_holds_to_its_checks(name):
    """Every answer's value has its check, which takes a good one and
    refuses one the grader cannot use, in words."""
    check, good, bad = ANSWERS[name]
    check(good)
    with pytest.raises(protocol.Invalid) as refused:
        check(bad)
    assert str(refused.value)
    assert set(questions.QUESTIONS) <= set(ANSWERS)


def test_a_build_answer_gives_its_tables_and_arguments():
    """A build's tables come back as the grader holds them, the arguments
    as the call left them, tuples again."""
    found, returned, after = ANSWERS['build'][0](
        {'models': MODELS, 'returned': None})
    assert returned is None and after == [784, [128], 2]
    assert found.encoder.layers[1]['weights'] == [(3, 2), (2,)]
    assert found.auto['holds'] == [[], [], [0, 1]]
