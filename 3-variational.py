#!/usr/bin/env python3
"""A variational autoencoder: the encoder gives a Gaussian over the latent
space for each input, the decoder turns a sample of it back into an input."""
import tensorflow.keras as keras

# Chosen by measurement on a 2-core CPU, on Keras 3 and Keras 2 alike (see
# benchmarks/train_speed.py): XLA fuses the small dense layers, and running
# 32 steps per call saves most of the per-step dispatch.
JIT_COMPILE = True
STEPS_PER_EXECUTION = 32


@keras.utils.register_keras_serializable(package='autoencoders')
class Sampling(keras.layers.Layer):
    """Draws z from N(mean, exp(log_var)) with the reparameterization trick,
    and adds the KL divergence from N(0, I), averaged over the batch, to the
    model's loss."""

    def call(self, inputs):
        """Maps [mean, log_var], each (batch, latent), to z (batch, latent).

        KL = -0.5 * sum(1 + log_var - mean^2 - exp(log_var)) per sample
        (Kingma and Welling, 2014, appendix B).
        """
        mean, log_var = inputs
        epsilon = keras.backend.random_normal(keras.backend.shape(mean))
        kl = -0.5 * keras.backend.sum(
            1 + log_var - keras.backend.square(mean)
            - keras.backend.exp(log_var), axis=-1)
        self.add_loss(keras.backend.mean(kl))
        return mean + keras.backend.exp(log_var / 2) * epsilon

    def compute_output_shape(self, input_shape):
        """Returns the shape of z, which is the shape of mean."""
        return input_shape[0]


@keras.utils.register_keras_serializable(package='autoencoders')
def summed_binary_crossentropy(y_true, y_pred):
    """Binary cross-entropy summed over the features of each sample: the
    reconstruction term of the VAE loss, on the scale of the KL term."""
    features = keras.backend.cast(keras.backend.shape(y_true)[-1],
                                  y_pred.dtype)
    return features * keras.losses.binary_crossentropy(y_true, y_pred)


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
    """Builds and compiles a variational autoencoder.

    Args:
        input_dims: int, features per input vector (784 for flat MNIST).
        hidden_layers: list of ints, encoder hidden sizes in order; the
            decoder uses them reversed.
        latent_dims: int, dimensions of the latent space.

    Returns:
        encoder (input_dims,) -> [z, mean, log_var], each (latent_dims,);
        decoder (latent_dims,) -> (input_dims,); and auto = decoder(z),
        compiled with Adam. Its loss per sample is the binary cross-entropy
        summed over the features plus the KL term, averaged over the batch.
    """
    input_dims = _positive_int('input_dims', input_dims)
    hidden_layers = _layer_sizes('hidden_layers', hidden_layers)
    latent_dims = _positive_int('latent_dims', latent_dims)

    inputs = keras.Input(shape=(input_dims,))
    x = _dense_stack(inputs, hidden_layers)
    mean = keras.layers.Dense(latent_dims, activation=None)(x)
    log_var = keras.layers.Dense(latent_dims, activation=None)(x)
    z = Sampling()([mean, log_var])
    encoder = keras.Model(inputs, [z, mean, log_var], name='encoder')

    z_inputs = keras.Input(shape=(latent_dims,))
    x = _dense_stack(z_inputs, hidden_layers[::-1])
    outputs = keras.layers.Dense(input_dims, activation='sigmoid')(x)
    decoder = keras.Model(z_inputs, outputs, name='decoder')

    auto_inputs = keras.Input(shape=(input_dims,))
    auto = keras.Model(auto_inputs, decoder(encoder(auto_inputs)[0]),
                       name='autoencoder')
    auto.compile(optimizer='adam', loss=summed_binary_crossentropy,
                 jit_compile=JIT_COMPILE,
                 steps_per_execution=STEPS_PER_EXECUTION)
    return encoder, decoder, auto
