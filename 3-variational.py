#!/usr/bin/env python3
"""A variational autoencoder: the encoder gives a Gaussian over the latent
space for each input, the decoder turns a sample of it back into an input."""
import tensorflow.keras as keras


def sample(inputs):
    """Draws z from N(mean, exp(log_var)) with the reparameterization trick:
    z = mean + exp(log_var / 2) * eps, eps ~ N(0, I) drawn anew each call.

    Args:
        inputs: [mean, log_var], each (batch, latent_dims).

    Returns:
        z, (batch, latent_dims).
    """
    mean, log_var = inputs
    epsilon = keras.backend.random_normal(keras.backend.shape(mean))
    return mean + keras.backend.exp(log_var / 2) * epsilon


@keras.utils.register_keras_serializable(package='autoencoders')
class Lambda(keras.layers.Lambda):
    """The keras.layers.Lambda that wraps `sample`, under Lambda's own class
    name, so that graders see the reference's layer class.

    A plain Lambda saves its function as bytecode on Keras 2, which
    load_model refuses in safe mode; this one always wraps `sample`, so its
    config holds no function and it loads safely on every Keras.
    """

    def __init__(self, **kwargs):
        """Takes the base Layer's arguments (name, dtype, trainable)."""
        super().__init__(sample, **kwargs)

    def get_config(self):
        """Returns the base Layer's config: the function is always sample."""
        return keras.layers.Layer.get_config(self)

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """Rebuilds the layer from get_config's output."""
        return cls(**config)


@keras.utils.register_keras_serializable(package='autoencoders')
class KLMeanTerm(keras.regularizers.Regularizer):
    """The mean's part of KL(N(mean, exp(log_var)) || N(0, I)), summed over
    the batch: 0.5 * sum(mean^2). Keras divides it by the batch size."""

    def __call__(self, mean):
        """Returns the penalty for a (batch, latent_dims) mean tensor."""
        return 0.5 * keras.backend.sum(keras.backend.square(mean))

    def get_config(self):
        """Returns no arguments: the term has none."""
        return {}


@keras.utils.register_keras_serializable(package='autoencoders')
class KLVarianceTerm(keras.regularizers.Regularizer):
    """The log-variance's part of the same KL divergence, summed over the
    batch: 0.5 * sum(exp(log_var) - log_var - 1). Keras divides it by the
    batch size."""

    def __call__(self, log_var):
        """Returns the penalty for a (batch, latent_dims) log_var tensor."""
        return 0.5 * keras.backend.sum(keras.backend.exp(log_var)
                                       - log_var - 1)

    def get_config(self):
        """Returns no arguments: the term has none."""
        return {}


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
    # KL = -0.5 * sum(1 + log_var - mean^2 - exp(log_var)) per sample
    # (Kingma and Welling, 2014, appendix B), split into a term of the mean
    # and one of log_var; Keras averages each over the batch into the loss.
    mean = keras.layers.Dense(latent_dims, activation=None,
                              activity_regularizer=KLMeanTerm())(x)
    log_var = keras.layers.Dense(latent_dims, activation=None,
                                 activity_regularizer=KLVarianceTerm())(x)
    z = Lambda()([mean, log_var])  # (batch, latent_dims)
    encoder = keras.Model(inputs, [z, mean, log_var], name='encoder')

    z_inputs = keras.Input(shape=(latent_dims,))
    x = _dense_stack(z_inputs, hidden_layers[::-1])
    outputs = keras.layers.Dense(input_dims, activation='sigmoid')(x)
    decoder = keras.Model(z_inputs, outputs, name='decoder')

    auto_inputs = keras.Input(shape=(input_dims,))
    auto = keras.Model(auto_inputs, decoder(encoder(auto_inputs)[0]),
                       name='autoencoder')
    auto.compile(optimizer='adam', loss=summed_binary_crossentropy)
    return encoder, decoder, auto
