#!/usr/bin/env python3
"""A variational autoencoder whose decoder is a Sequential model."""
import tensorflow.keras as keras


def sampling(args):
    """Draws z = mean + exp(log_var / 2) * eps."""
    mean, log_var = args
    eps = keras.backend.random_normal(shape=keras.backend.shape(mean))
    return mean + keras.backend.exp(0.5 * log_var) * eps


def kl_mean(mean):
    """The mean's part of the KL divergence."""
    return 0.5 * keras.backend.sum(keras.backend.square(mean))


def kl_log_var(log_var):
    """The log-variance's part of the KL divergence."""
    return 0.5 * keras.backend.sum(keras.backend.exp(log_var) - log_var - 1)


def autoencoder(input_dims, hidden_layers, latent_dims):
    """Creates a variational autoencoder."""
    inputs = keras.Input(shape=(input_dims,))
    x = inputs
    for units in hidden_layers:
        x = keras.layers.Dense(units, activation='relu')(x)
    mean = keras.layers.Dense(latent_dims, activation=None,
                              activity_regularizer=kl_mean)(x)
    log_var = keras.layers.Dense(latent_dims, activation=None,
                                 activity_regularizer=kl_log_var)(x)
    z = keras.layers.Lambda(sampling)([mean, log_var])
    encoder = keras.Model(inputs, [z, mean, log_var])

    decoder = keras.Sequential([keras.Input(shape=(latent_dims,))])
    for units in hidden_layers[::-1]:
        decoder.add(keras.layers.Dense(units, activation='relu'))
    decoder.add(keras.layers.Dense(input_dims, activation='sigmoid'))

    def loss(y_true, y_pred):
        """Binary cross-entropy summed over the inputs."""
        return keras.losses.binary_crossentropy(y_true, y_pred) * input_dims

    auto_inputs = keras.Input(shape=(input_dims,))
    auto = keras.Model(auto_inputs, decoder(encoder(auto_inputs)[0]))
    auto.compile(optimizer='adam', loss=loss)
    return encoder, decoder, auto
