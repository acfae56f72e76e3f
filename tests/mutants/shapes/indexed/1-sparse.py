#!/usr/bin/env python3
"""A sparse autoencoder whose loops run over indices."""
import tensorflow.keras as keras


def autoencoder(input_dims, hidden_layers, latent_dims, lambtha):
    """Creates a sparse autoencoder."""
    encoder_input = keras.Input(shape=(input_dims,))
    hidden = encoder_input
    for i in range(len(hidden_layers)):
        hidden = keras.layers.Dense(hidden_layers[i],
                                    activation='relu')(hidden)
    latent = keras.layers.Dense(
        latent_dims, activation='relu',
        activity_regularizer=keras.regularizers.l1(lambtha))(hidden)
    encoder = keras.models.Model(encoder_input, latent)

    decoder_input = keras.Input(shape=(latent_dims,))
    hidden = decoder_input
    for i in range(len(hidden_layers) - 1, -1, -1):
        hidden = keras.layers.Dense(hidden_layers[i],
                                    activation='relu')(hidden)
    output = keras.layers.Dense(input_dims, activation='sigmoid')(hidden)
    decoder = keras.models.Model(decoder_input, output)

    auto_input = keras.Input(shape=(input_dims,))
    auto = keras.models.Model(auto_input, decoder(encoder(auto_input)))
    auto.compile(optimizer=keras.optimizers.Adam(), loss='binary_crossentropy')
    return encoder, decoder, auto
