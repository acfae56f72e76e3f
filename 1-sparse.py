#!/usr/bin/env python3
"""A sparse autoencoder: the vanilla autoencoder with an L1 penalty on the
latent code, which pushes most code units to zero for any one input."""
import tensorflow.keras as keras


@keras.utils.register_keras_serializable(package='autoencoders')
class BatchSumL1(keras.regularizers.Regularizer):
    """L1 activity penalty lambtha * sum(|code|) over the whole batch.

    This is what TensorFlow 1.12 added to the loss. Keras 2.x and 3 divide an
    activity penalty by the batch size; multiplying by it here undoes that,
    so the seed's figures come back without an extra layer in the encoder.
    """

    def __init__(self, lambtha):
        """Stores the penalty weight lambtha (a float >= 0)."""
        self.lambtha = float(lambtha)

    def __call__(self, code):
        """Returns the penalty for a (batch, latent_dims) code tensor."""
        batch_size = keras.backend.cast(keras.backend.shape(code)[0],
                                        code.dtype)
        return (self.lambtha * batch_size
                * keras.backend.sum(keras.backend.abs(code)))

    def get_config(self):
        """Returns the constructor arguments, for saving and loading."""
        return {'lambtha': self.lambtha}


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


def _penalty_weight(value):
    """Returns lambtha as a float, or raises if it is not a finite number
    >= 0."""
    if isinstance(value, (bool, str, bytes)) or not hasattr(value,
                                                            '__float__'):
        raise TypeError('lambtha must be a non-negative number, got {!r}'
                        .format(value))
    if not 0 <= float(value) < float('inf'):
        raise ValueError('lambtha must be a finite non-negative number, '
                         'got {!r}'.format(value))
    return float(value)


def _dense_stack(x, units):
    """Applies one relu Dense layer per entry of units, in order, to x."""
    for size in units:
        x = keras.layers.Dense(size, activation='relu')(x)
    return x


def sparse(input_dims, hidden_layers, latent_dims, lambtha):
    """Builds and compiles an autoencoder with an L1-penalised latent code.

    Args:
        input_dims: int, features per input vector (784 for flat MNIST).
        hidden_layers: list of ints, encoder hidden sizes in order; the
            decoder uses them reversed.
        latent_dims: int, size of the latent code.
        lambtha: float >= 0, weight of the L1 penalty on the code, summed
            over the batch as TensorFlow 1.12 did (see BatchSumL1).

    Returns:
        encoder (input_dims,) -> (latent_dims,), decoder (latent_dims,) ->
        (input_dims,), and auto = decoder(encoder(x)), compiled with Adam and
        binary cross-entropy; the penalty is added to that loss.
    """
    input_dims = _positive_int('input_dims', input_dims)
    hidden_layers = _layer_sizes('hidden_layers', hidden_layers)
    latent_dims = _positive_int('latent_dims', latent_dims)
    lambtha = _penalty_weight(lambtha)

    inputs = keras.Input(shape=(input_dims,))
    x = _dense_stack(inputs, hidden_layers)
    code = keras.layers.Dense(latent_dims, activation='relu',
                              activity_regularizer=BatchSumL1(lambtha))(x)
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


# Later versions of the exercise import the same builder from this file as
# `autoencoder`; both names work.
autoencoder = sparse
