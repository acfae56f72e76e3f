#!/usr/bin/env python3
"""Models as tables of plain values: each layer as a row of what graders
and students compare (class, sizes, padding, activation, shape,
parameters), its weights' shapes and its penalties; a model's outputs and,
for the VAE encoder, which output is z, mean and log_var, read off the
graph, as the protocol's schema has them (checker/protocol/tables.py).
The student side describes the student's models with it, the grader the
reference's, so that both tables come out alike."""
import inspect

import numpy as np

from checker.protocol.tables import FIELDS, PENALTIES


def plain(value):
    """A value as JSON holds it: numbers, texts, None, lists of them."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [plain(entry) for entry in value]
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)[:200]
    return int(number) if number == int(number) else number


def _attribute(layer, name):
    """A layer attribute as a plain value, or None if it has none."""
    return plain(getattr(layer, name, None))


def _output_shape(layer):
    """The layer's output shape, or None if it was never built."""
    try:
        return plain(tuple(layer.output.shape))
    except (AttributeError, ValueError, RuntimeError):
        return None


def _parameters(layer):
    """The layer's parameter count, or None if it is not built."""
    try:
        return int(layer.count_params())
    except ValueError:
        return None


def layer_row(layer):
    """What is compared of one layer, field by field, then its weights'
    shapes and the classes of its penalties."""
    activation = getattr(layer, 'activation', None)
    upsampling = (_attribute(layer, 'size')
                  if type(layer).__name__.startswith('UpSampling') else None)
    values = (type(layer).__name__, _attribute(layer, 'units'),
              _attribute(layer, 'filters'),
              _attribute(layer, 'kernel_size'), _attribute(layer, 'strides'),
              _attribute(layer, 'padding'), _attribute(layer, 'pool_size'),
              upsampling, plain(getattr(activation, '__name__', None)),
              _output_shape(layer), _parameters(layer))
    row = dict(zip(FIELDS, values))
    row['weights'] = [plain(tuple(weight.shape)) for weight in layer.weights]
    row['penalties'] = {kind: _penalty(layer, kind) for kind in PENALTIES}
    row['factors'] = {kind: _factors(layer, kind) for kind in PENALTIES}
    return row


def _factors(layer, kind):
    """The L1 and L2 factors of a layer's activity, kernel or bias
    regularizer, as its config gives them (None for a factor it has not;
    a penalty of the student's own that keeps the task's `lambtha` gives
    that as its L1 factor); None where it has no regularizer."""
    found = getattr(layer, kind + '_regularizer', None)
    if found is None:
        return None
    try:
        config = found.get_config()
    except Exception:  # a penalty of their own may have no config
        config = {}
    if not isinstance(config, dict):
        return [None, None]
    return [plain(next((config[name] for name in names if name in config),
                       None))
            for names in (('l1', 'lambtha'), ('l2',))]


def _penalty(layer, kind):
    """The class name of a layer's activity, kernel or bias regularizer."""
    found = getattr(layer, kind + '_regularizer', None)
    return None if found is None else type(found).__name__


def _origin(tensor):
    """Which layer made a symbolic tensor, in which call, which output."""
    history = tensor._keras_history
    return id(history[0]), history[1], history[2]


def vae_roles(encoder):
    """The indices into encoder.outputs of z, mean and log_var: z is made by
    the layer that takes two tensors, mean is its first input and log_var
    its second. None for a role not found."""
    origins = [_origin(output) for output in encoder.outputs]
    for index, output in enumerate(encoder.outputs):
        nodes = output._keras_history[0]._inbound_nodes
        inputs = nodes[0].input_tensors if nodes else []
        if isinstance(inputs, (list, tuple)) and len(inputs) == 2:
            mean, log_var = (_origin(tensor) for tensor in inputs)
            return [index,
                    origins.index(mean) if mean in origins else None,
                    origins.index(log_var) if log_var in origins else None]
    return [None, None, None]


def model_table(model, roles=False):
    """A model's layers as rows, its outputs' shapes, the index of the layer
    that makes each output, and, with roles, the VAE encoder's roles."""
    layers = list(model.layers)
    producers = []
    for output in model.outputs:
        maker = output._keras_history[0]
        producers.append(next((index for index, layer in enumerate(layers)
                               if layer is maker), None))
    return {'layers': [layer_row(layer) for layer in layers],
            'outputs': [plain(tuple(output.shape))
                        for output in model.outputs],
            'producers': producers,
            'roles': vae_roles(model) if roles else None}


def compiled(auto):
    """How auto was compiled: its loss as a student wrote it (a string, a
    function's name, an object's class) and its optimizer's class and
    learning rate."""
    loss = getattr(auto, 'loss', None)
    if isinstance(loss, str):
        said = {'kind': 'string', 'name': loss[:200]}
    elif inspect.isfunction(loss):
        said = {'kind': 'function', 'name': loss.__name__[:200]}
    elif loss is None or not callable(loss) and not loss:
        said = {'kind': 'none', 'name': ''}
    else:
        said = {'kind': 'object', 'name': type(loss).__name__}
    optimizer = getattr(auto, 'optimizer', None)
    try:
        rate = float(np.asarray(optimizer.learning_rate))
    except (AttributeError, TypeError, ValueError):
        rate = None
    return {'loss': said, 'optimizer': {'class': type(optimizer).__name__,
                                        'learning rate': rate}}


def _decoded(encoder, decoder):
    """Which of the encoder's outputs the decoder is called on, read off
    the graph: the index into encoder.outputs of its first call's input,
    or None where that input is none of them."""
    origins = [_origin(output) for output in encoder.outputs]
    for node in decoder._inbound_nodes:
        inputs = node.input_tensors
        tensor = inputs[0] if isinstance(inputs, (list, tuple)) else inputs
        history = getattr(tensor, '_keras_history', None)
        if history is None:
            continue
        if history[0] is encoder:
            return history[2]
        if _origin(tensor) in origins:
            return origins.index(_origin(tensor))
    return None


def _kind(layer, encoder, decoder):
    """What one of auto's layers is: the encoder or decoder model, one of
    their layers, or None for a layer of neither."""
    for name, model in (('encoder', encoder), ('decoder', decoder)):
        if layer is model:
            return name
    for name, model in (('encoder', encoder), ('decoder', decoder)):
        if any(layer is inner for inner in model.layers):
            return 'of the ' + name
    return None


def describe(models, vae):
    """The tables of (encoder, decoder, auto): each model's, what auto's
    layers are, which encoder output the decoder is called on, which of
    the three returned models each holds as a layer, and how auto was
    compiled."""
    encoder, decoder, auto = models
    holds = [[index for index, other in enumerate(models)
              if any(layer is other for layer in model.layers)]
             for model in models]
    return {'encoder': model_table(encoder, roles=vae),
            'decoder': model_table(decoder),
            'auto': dict(compiled(auto), layers=[
                {'class': type(layer).__name__,
                 'is': _kind(layer, encoder, decoder)}
                for layer in auto.layers],
                decodes=_decoded(encoder, decoder), holds=holds)}
