#!/usr/bin/env python3
"""A variational autoencoder whose loops run over indices."""
import tensorflow.keras as keras


def sampling(args):
    """Draws z = mean + exp(log_var / 2) * eps."""
    mean, log_var = args
    batch = keras.backend.shape(mean)[0]
    dims = keras.backend.int_shape(mean)[1]
    eps = keras.backend.random_normal(shape=(batch, dims))
    return mean + keras.backend.exp(log_var / 2) * eps


def autoencoder(input_dims, hidden_layers, latent_dims):
    """Creates a variational autoencoder."""
    encoder_input = keras.Input(shape=(input_dims,))
    hidden = encoder_input
    for i in range(len(hidden_layers)):
        hidden = keras.layers.Dense(hidden_layers[i],
                                    activation='relu')(hidden)
    mean = keras.layers.Dense(
        latent_dims, activity_regularizer=lambda m: 0.5 * keras.backend.sum(
            keras.backend.square(m)))(hidden)
    log_var = keras.layers.Dense(
        latent_dims, activity_regularizer=lambda v: 0.5 * keras.backend.sum(
            keras.backend.exp(v) - v - 1))(hidden)
    z = keras.layers.Lambda(sampling)([mean, log_var])
    encoder = keras.models.Model(encoder_input, [z, mean, log_var])

    decoder_input = keras.Input(shape=(latent_dims,))
    hidden = decoder_input
    for i in range(len(hidden_layers) - 1, -1, -1):
        hidden = keras.layers.Dense(hidden_layers[i],
                                    activation='relu')(hidden)
    output = keras.layers.Dense(input_dims, activation='sigmoid')(hidden)
    decoder = keras.models.Model(decoder_input, output)

    def vae_loss(y_true, y_pred):
        """The reconstruction term, summed over the inputs."""
        reconstruction = keras.losses.binary_crossentropy(y_true, y_pred)
        return reconstruction * input_dims

    auto_input = keras.Input(shape=(input_dims,))
    auto = keras.models.Model(auto_input, decoder(encoder(auto_input)[0]))
    auto.compile(optimizer=keras.optimizers.Adam(), loss=vae_loss)
    return encoder, decoder, auto
