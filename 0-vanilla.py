#!/usr/bin/env python3
"""A "vanilla" fully connected autoencoder: Dense layers down to a small
latent code, the same layers in reverse back up to the input."""
import tensorflow.keras as keras


def _positive_int(name, value):
    """Returns value as an int, or raises naming `name` if it is not one > 0.

    Accepts Python and NumPy integers; rejects bools, floats, str and None.
    """
    if isinstance(value, bool) or not hasattr(value, '__index__'):
        raise TypeError('{} must be a positive integer, got {!r}'
                        .format(name, value))
    if int(value) <= 0:
        raise ValueError('{} must be a positive integer, got {!r}'
                         .format(name, value))
    return int(value)


def _layer_sizes(name, values):
    """Returns a list or tuple of positive integers as a list of ints."""
    if not isinstance(values, (list, tuple)):
        raise TypeError('{} must be a list or tuple of positive integers, '
                        'got {!r}'.format(name, values))
    return [_positive_int('{}[{}]'.format(name, i), v)
            for i, v in enumerate(values)]


def _dense_stack(x, units):
    """Applies one relu Dense layer per entry of units, in order, to x."""
    for size in units:
        x = keras.layers.Dense(size, activation='relu')(x)
    return x


def autoencoder(input_dims, hidden_layers, latent_dims):
    """Builds and compiles a fully connected autoencoder.

    Args:
        input_dims: int, features per input vector (784 for flat MNIST).
        hidden_layers: list of ints, encoder hidden sizes in order; the
            decoder uses them reversed.
        latent_dims: int, size of the latent code.

    Returns:
        encoder (input_dims,) -> (latent_dims,), decoder (latent_dims,) ->
        (input_dims,), and auto = decoder(encoder(x)), compiled with Adam and
        binary cross-entropy.
    """
    input_dims = _positive_int('input_dims', input_dims)
    hidden_layers = _layer_sizes('hidden_layers', hidden_layers)
    latent_dims = _positive_int('latent_dims', latent_dims)

    inputs = keras.Input(shape=(input_dims,))
    x = _dense_stack(inputs, hidden_layers)
    code = keras.layers.Dense(latent_dims, activation='relu')(x)
    encoder = keras.Model(inputs, code, name='encoder')

    code_inputs = keras.Input(shape=(latent_dims,))
    x = _dense_stack(code_inputs, hidden_layers[::-1])
    outputs = keras.layers.Dense(input_dims, activation='sigmoid')(x)
    decoder = keras.Model(code_inputs, outputs, name='decoder')

    auto_inputs = keras.Input(shape=(input_dims,))
    auto = keras.Model(auto_inputs, decoder(encoder(auto_inputs)),
                       name='autoencoder')
    auto.compile(optimizer='adam', loss='binary_crossentropy')
    return encoder, decoder, auto
