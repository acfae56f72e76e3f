#!/usr/bin/env python3
"""Models as the checker reads them: each layer as a row of what graders
and students compare (class, sizes, padding, activation, shape,
parameters), the VAE encoder's output roles read off the graph, and
copying the reference's weights into the student's."""
import collections

FIELDS = ('class', 'units', 'filters', 'kernel size', 'strides', 'padding',
          'pool size', 'upsampling size', 'activation', 'output shape',
          'parameters')


def _attribute(layer, name):
    """Returns a layer attribute, tuples as tuples, or None if it has none."""
    value = getattr(layer, name, None)
    return tuple(value) if isinstance(value, (list, tuple)) else value


def _output_shape(layer):
    """Returns the layer's output shape, or None if it was never built."""
    try:
        return tuple(layer.output.shape)
    except (AttributeError, ValueError, RuntimeError):
        return None


def _parameters(layer):
    """Returns the layer's parameter count, or None if it is not built."""
    try:
        return layer.count_params()
    except ValueError:
        return None


def layer_row(layer):
    """Returns what the checker compares of one layer, field by field."""
    activation = getattr(layer, 'activation', None)
    upsampling = (_attribute(layer, 'size')
                  if type(layer).__name__.startswith('UpSampling') else None)
    values = (type(layer).__name__, _attribute(layer, 'units'),
              _attribute(layer, 'filters'),
              _attribute(layer, 'kernel_size'), _attribute(layer, 'strides'),
              _attribute(layer, 'padding'), _attribute(layer, 'pool_size'),
              upsampling, getattr(activation, '__name__', None),
              _output_shape(layer), _parameters(layer))
    return collections.OrderedDict(zip(FIELDS, values))


def describe(row):
    """Returns one layer row in a few words, e.g. 'Dense 64 relu'."""
    words = [row['class']]
    for field in ('units', 'filters'):
        if row[field] is not None:
            words.append(str(row[field]))
    if row['kernel size'] is not None:
        words.append('x'.join(map(str, row['kernel size'])))
    if row['padding'] is not None:
        words.append(row['padding'])
    if row['activation'] not in (None, 'linear'):
        words.append(row['activation'])
    if row['class'] == 'InputLayer' and row['output shape'] is not None:
        words.append(str(row['output shape'][1:]))
    return ' '.join(words)


def layer_rows(model):
    """Returns the rows of every layer of a model, the InputLayer first."""
    return [layer_row(layer) for layer in model.layers]


def _origin(tensor):
    """Returns which layer made a symbolic tensor, in which of its calls,
    and which of that call's outputs it is."""
    history = tensor._keras_history
    return id(history[0]), history[1], history[2]


def vae_roles(encoder):
    """Returns the indices into encoder.outputs of z, mean and log_var, read
    off the graph: z is made by the layer that takes two tensors, mean is
    its first input and log_var its second. None for a role not found."""
    origins = [_origin(output) for output in encoder.outputs]
    for index, output in enumerate(encoder.outputs):
        nodes = producer(output)._inbound_nodes
        inputs = nodes[0].input_tensors if nodes else []
        if isinstance(inputs, (list, tuple)) and len(inputs) == 2:
            mean, log_var = (_origin(tensor) for tensor in inputs)
            return (index,
                    origins.index(mean) if mean in origins else None,
                    origins.index(log_var) if log_var in origins else None)
    return None, None, None


def producer(tensor):
    """Returns the layer that made a symbolic tensor."""
    return tensor._keras_history[0]


def weighted_layers(model, first=()):
    """Returns the layers of model that hold weights, in order, except that
    the layers in `first` come last, in the order given."""
    layers = [layer for layer in model.layers
              if layer.weights and not any(layer is f for f in first)]
    return layers + list(first)


def copy_weights(their_layers, our_layers):
    """Sets each of their layers to the weights of our layer at the same
    place; raises ValueError if the two lists do not line up."""
    if len(their_layers) != len(our_layers):
        raise ValueError('{} layers with weights, ours {}'.format(
            len(their_layers), len(our_layers)))
    for theirs, ours in zip(their_layers, our_layers):
        theirs.set_weights(ours.get_weights())
