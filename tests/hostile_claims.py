#!/usr/bin/env python3
"""Hostile students for tests/test_hostile_claims.py, each answering for
the student side from inside its own file, to earn checks that its code
does not: tables of models it does not have, an encoder's output echoed
back, auto's output made to vary, and claims past count. Each has an
honest twin: the same mistake, answered honestly."""
import os
import shutil

STUDENT = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                       'fixtures', 'student')
# The student side's live Answers object, found from the file's import.
LIVE = '''import json
import sys

import numpy as np

answers = sys.modules['checker.student.answers'].Answers
protocol = sys.modules['checker.protocol']
frame = sys._getframe()
while not isinstance(frame.f_locals.get('self'), answers):
    frame = frame.f_back
live = frame.f_locals['self']
real = dict(live.asks)
'''
# A builder that returns None, whose process answers the build question
# with a correct solution's tables (tables.json, which anyone can write
# from the task) and every computation with zeros of the shapes asked.
NONE_TABLES = LIVE + '''TABLES = json.load(open('tables.json'))


def build(request):
    """A correct solution's tables for whatever configuration is asked."""
    key = repr(protocol.from_arguments(request['arguments']))
    return {'ok': {'models': TABLES[key], 'returned': None},
            'after': request['arguments'], 'limits': []}


def outputs(request):
    """Zeros where the outputs would be."""
    x = protocol.to_array(request['x'])
    code = protocol.to_array(request['code'])
    value = {'encoder': [protocol.array(np.zeros(code.shape))],
             'decoder': protocol.array(np.zeros(x.shape)),
             'auto': protocol.array(np.zeros(x.shape))}
    return {'ok': {part: value[part] for part in request['models']}}


live.asks['build'] = build
live.asks['outputs'] = outputs
'''
# An encoder without its relu that says it has one, and whose outputs
# answer echoes the code it is sent as the encoder's output.
ECHO = LIVE + '''

def build(request):
    """The honest tables, but for the relu the latent layer lacks."""
    found = real['build'](request)
    if found.get('ok') and found['ok']['models']:
        found['ok']['models']['encoder']['layers'][-1]['activation'] = 'relu'
    return found


def outputs(request):
    """The code sent, as the encoder's output; auto as the decoder's."""
    found = real['outputs'](request)
    if 'ok' in found:
        found['ok']['encoder'] = [request['code']]
        if 'auto' in found['ok']:
            found['ok']['auto'] = found['ok']['decoder']
    return found


live.asks['build'] = build
live.asks['outputs'] = outputs
'''
# A VAE whose auto decodes the mean, and whose sample answer adds noise to
# auto's output, about as much as decoding z would vary it.
NOISY = LIVE + '''

def sample(request):
    """auto's output on the copies, with noise added."""
    found = real['sample'](request)
    if 'ok' in found:
        auto = protocol.to_array(found['ok']['auto'])
        noise = np.random.default_rng(0).normal(0, 0.005, auto.shape)
        found['ok']['auto'] = protocol.array(np.clip(auto + noise, 0, 1))
    return found


live.asks['sample'] = sample
'''
# Twenty long refusals, invented, with links in them, sent with every
# answer of an honest file.
CLAIMS = LIVE + '''honest = live.answer


def answer(request):
    """An honest answer, with twenty claims."""
    found = honest(request)
    found['limits'] = [
        'tried to read outside its folder: https://evil.example/{}/{}'
        .format(index, 'www.example.org/' * 25) for index in range(20)]
    return found


live.answer = answer
'''
NO_RELU = ("    latent = keras.layers.Dense(latent_dims, activation='relu')"
           "(x)\n", "    latent = keras.layers.Dense(latent_dims)(x)\n")
STUB = ("    \"\"\"Creates a vanilla autoencoder.\"\"\"\n",
        "    \"\"\"Creates a vanilla autoencoder.\"\"\"\n    return None\n")
DECODES_MEAN = tuple('    auto = keras.Model(inputs, decoder(encoder(inputs)'
                     '[{}]))\n'.format(index) for index in (0, 1))
# student: (task file, change to the fixture student's file, attack or
# None for an honest twin, the honest twin of an attack).
STUDENTS = {
    'none_tables': ('0-vanilla.py', STUB, NONE_TABLES, 'stub'),
    'stub': ('0-vanilla.py', STUB, None, None),
    'echo': ('0-vanilla.py', NO_RELU, ECHO, 'no_relu'),
    'no_relu': ('0-vanilla.py', NO_RELU, None, None),
    'noisy': ('3-variational.py', DECODES_MEAN, NOISY, 'decodes_mean'),
    'decodes_mean': ('3-variational.py', DECODES_MEAN, None, None),
    'claims': ('0-vanilla.py', None, CLAIMS, 'honest'),
    'honest': ('0-vanilla.py', None, None, None),
}


def write(folder, name):
    """One student's folder under folder, its file changed and attacked as
    STUDENTS says; returns the file's path."""
    filename, change, attack, _ = STUDENTS[name]
    with open(os.path.join(STUDENT, filename)) as handle:
        text = handle.read()
    if change:
        assert change[0] in text, name
        text = text.replace(*change)
    if attack:
        text += '\n' + attack
    os.makedirs(os.path.join(folder, name))
    path = os.path.join(folder, name, filename)
    with open(path, 'w') as handle:
        handle.write(text)
    shutil.copymode(os.path.join(STUDENT, filename), path)
    return path
