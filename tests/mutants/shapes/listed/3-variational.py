#!/usr/bin/env python3
"""A variational autoencoder with the KL term as regularizer classes."""
import tensorflow.keras as keras


class MeanPenalty(keras.regularizers.Regularizer):
    """The mean's part of the KL divergence."""

    def __call__(self, mean):
        """0.5 * sum(mean^2)."""
        return 0.5 * keras.backend.sum(keras.backend.square(mean))


class LogVarPenalty(keras.regularizers.Regularizer):
    """The log-variance's part of the KL divergence."""

    def __call__(self, log_var):
        """0.5 * sum(exp(log_var) - log_var - 1)."""
        return 0.5 * keras.backend.sum(keras.backend.exp(log_var)
                                       - log_var - 1)


def reparameterize(tensors):
    """z = mean + exp(log_var / 2) * eps."""
    mu, log_sigma2 = tensors
    epsilon = keras.backend.random_normal(keras.backend.shape(mu))
    return mu + keras.backend.exp(log_sigma2 / 2) * epsilon


def autoencoder(input_dims, hidden_layers, latent_dims):
    """Creates a variational autoencoder."""
    x_in = keras.Input(shape=(input_dims,))
    y = x_in
    for n in hidden_layers:
        y = keras.layers.Dense(n, activation='relu')(y)
    mu = keras.layers.Dense(latent_dims, activation='linear',
                            activity_regularizer=MeanPenalty())(y)
    log_sigma2 = keras.layers.Dense(latent_dims, activation='linear',
                                    activity_regularizer=LogVarPenalty())(y)
    z = keras.layers.Lambda(reparameterize)([mu, log_sigma2])
    encoder = keras.Model(inputs=x_in, outputs=[z, mu, log_sigma2])

    z_in = keras.Input(shape=(latent_dims,))
    y = z_in
    for n in reversed(hidden_layers):
        y = keras.layers.Dense(n, activation='relu')(y)
    y = keras.layers.Dense(input_dims, activation='sigmoid')(y)
    decoder = keras.Model(inputs=z_in, outputs=y)

    def total_loss(x, x_hat):
        """Binary cross-entropy summed over the inputs."""
        return keras.backend.sum(keras.backend.binary_crossentropy(x, x_hat),
                                 axis=-1)

    a_in = keras.Input(shape=(input_dims,))
    auto = keras.Model(inputs=a_in, outputs=decoder(encoder(a_in)[0]))
    auto.compile(loss=total_loss, optimizer='Adam')
    return encoder, decoder, auto
