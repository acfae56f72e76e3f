#!/usr/bin/env python3
"""The student's encoder and decoder as their tables describe them, rebuilt
in the grader's process by its own code from those tables alone: each
layer of a kind it knows, on the output of the layer before, with the
weights the grader sends. What the student side computes with those
weights must be what these compute; a table the grader cannot rebuild
is one it cannot hold to anything."""
import numpy as np
import tensorflow.keras as keras

WEIGHTLESS = {
    'MaxPooling2D': lambda row, shape: keras.layers.MaxPooling2D(
        row['pool size'], row['strides'], row['padding']),
    'AveragePooling2D': lambda row, shape: keras.layers.AveragePooling2D(
        row['pool size'], row['strides'], row['padding']),
    'UpSampling2D': lambda row, shape: keras.layers.UpSampling2D(
        row['upsampling size']),
    'Cropping2D': lambda row, shape: keras.layers.Cropping2D(tuple(
        (cut // 2, cut - cut // 2) for cut in _cuts(row, shape))),
    'Resizing': lambda row, shape: keras.layers.Resizing(
        *_sizes(row['output shape'])[1:3]),
    'Flatten': lambda row, shape: keras.layers.Flatten(),
    'Reshape': lambda row, shape: keras.layers.Reshape(
        _sizes(row['output shape'])[1:]),
    'Activation': lambda row, shape: keras.layers.Activation(
        _activation(row)),
}
WEIGHTED = {
    'Dense': lambda row, bias: keras.layers.Dense(
        row['units'], activation=_activation(row), use_bias=bias),
    'Conv2D': lambda row, bias: keras.layers.Conv2D(
        row['filters'], row['kernel size'], row['strides'], row['padding'],
        activation=_activation(row), use_bias=bias),
    'Conv2DTranspose': lambda row, bias: keras.layers.Conv2DTranspose(
        row['filters'], row['kernel size'], row['strides'], row['padding'],
        activation=_activation(row), use_bias=bias),
}
IDENTITY = ('InputLayer', 'Dropout')
MAX_VALUES = 2 ** 20  # values of one input to a layer, or of one output
MAX_WEIGHTS = 2 ** 24  # weights of a model


class Unknown(Exception):
    """A table the grader cannot rebuild; str() says which layer, in plain
    words."""


def _sizes(shape):
    """A claimed output shape whose sizes are whole numbers (the batch's
    None aside)."""
    if not isinstance(shape, tuple) or not all(
            isinstance(size, int) for size in shape[1:]):
        raise Unknown('a layer whose output shape is not known')
    return shape


def _cuts(row, shape):
    """How much a Cropping2D takes off the height and the width."""
    claimed = _sizes(row['output shape'])
    return [before - after
            for before, after in zip(shape[1:3], claimed[1:3])]


def _activation(row):
    """The activation a row names, as Keras knows it."""
    try:
        return keras.activations.get(row['activation'] or 'linear')
    except (ValueError, TypeError):
        raise Unknown('a layer with the activation {!r}'.format(
            row['activation']))


def _layer(row, shape):
    """A fresh layer that the row describes, for inputs of shape, and how
    many weights it takes."""
    kind = row['class']
    try:
        if kind in WEIGHTED:
            return WEIGHTED[kind](row, len(row['weights']) == 2), True
        if kind in WEIGHTLESS and not row['weights']:
            return WEIGHTLESS[kind](row, shape), False
    except (TypeError, ValueError) as error:
        raise Unknown('a {} layer whose description does not make one '
                      '({})'.format(kind, str(error)[:100]))
    raise Unknown('a layer of the kind {}'.format(kind))


def run_chain(table, indices, values, weights):
    """The layers of table at indices applied one after the other to
    values, each weighted one set to its weights (by layer index)."""
    for index in indices:
        row = table.layers[index]
        if row['class'] in IDENTITY and not row['weights']:
            continue
        layer, weighted = _layer(row, tuple(values.shape))
        try:
            shape = tuple(layer.compute_output_shape(tuple(values.shape)))
        except (TypeError, ValueError) as error:
            raise Unknown('a {} layer that does not take its input ({})'
                          .format(row['class'], str(error)[:100]))
        if not all(isinstance(size, int) and size > 0 for size in shape) \
                or np.prod(shape[1:]) > MAX_VALUES:
            raise Unknown('a {} layer of {} outputs'.format(
                row['class'], shape[1:]))
        layer.build(values.shape)
        if weighted:
            try:
                layer.set_weights(weights[index])
            except (ValueError, KeyError) as error:
                raise Unknown('a {} layer whose weights are not the shapes '
                              'it describes ({})'.format(row['class'],
                                                         str(error)[:100]))
        values = layer(values, training=False)
    return np.asarray(values, dtype=np.float32)


def encoder_outputs(table, x, weights, vae):
    """{output index: values} of an encoder: each output made by the layers
    before the first layer that makes one, then by its own layer. The
    VAE's z is random and not rebuilt: its output, or where it is not
    known, those of layers of a kind the grader does not make."""
    outputs = list(range(len(table.outputs)))
    if vae:
        outputs = [index for index in outputs
                   if index != table.roles[0] and _known(table, index)]
    makers = [table.producers[index] for index in outputs]
    if None in makers or not makers:
        raise Unknown('an encoder none of whose outputs it can make')
    first = min(makers)
    if any(table.layers[index]['weights'] for index in
           range(first, max(makers)) if index not in makers):
        raise Unknown('a layer with weights between the layers that make '
                      'the encoder\'s outputs')
    trunk = run_chain(table, range(first), x, weights)
    return {index: run_chain(table, [maker], trunk, weights)
            for index, maker in zip(outputs, makers)}


def _known(table, output):
    """True when the layer that makes an output is of a kind the grader
    makes."""
    maker = table.producers[output]
    return maker is not None and table.layers[maker]['class'] in (
        set(WEIGHTED) | set(WEIGHTLESS) | set(IDENTITY))


def decoder_output(table, code, weights):
    """A model's one output, made by its last layer, on its input."""
    if len(table.outputs) != 1 or table.producers != [len(table.layers) - 1]:
        raise Unknown('a model whose output is not made by its last layer')
    return run_chain(table, range(len(table.layers)), code, weights)


def input_shape(table, fallback):
    """The shape of one input a model's table says it takes: its
    InputLayer's, else the first Dense kernel's rows, else fallback."""
    first = table.layers[0] if table.layers else None
    shape = tuple(fallback)
    if first and first['class'] == 'InputLayer':
        shape = _sizes(first['output shape'])[1:]
    elif first and first['class'] == 'Dense' and first['weights']:
        shape = first['weights'][0][:1]
    if not all(isinstance(size, int) and size > 0 for size in shape) \
            or np.prod(shape) > MAX_VALUES:
        raise Unknown('an input of the shape {}'.format(shape))
    return shape


def drawn_weights(shapes, seed):
    """Weights of the shapes given, drawn from the seed: each kernel
    normal with a spread of 1 / sqrt(its inputs), each bias a tenth."""
    sizes = [size for layer in shapes for shape in layer for size in shape]
    if not all(isinstance(size, int) and size > 0 for size in sizes) or sum(
            np.prod(shape) for layer in shapes for shape in layer) \
            > MAX_WEIGHTS:
        raise Unknown('weights of the shapes {}'.format(shapes)[:200])
    rng = np.random.default_rng([seed, 2])
    found = []
    for layer in shapes:
        found.append([
            (rng.standard_normal(shape) / np.sqrt(max(
                int(np.prod(shape[:-1])), 1)) if len(shape) > 1
             else 0.1 * rng.standard_normal(shape)).astype(np.float32)
            for shape in layer])
    return found
