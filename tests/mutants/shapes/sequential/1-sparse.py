#!/usr/bin/env python3
"""A sparse autoencoder of Sequential models."""
import tensorflow.keras as keras


def autoencoder(input_dims, hidden_layers, latent_dims, lambtha):
    """Creates a sparse autoencoder from Sequential models."""
    encoder = keras.Sequential([keras.Input(shape=(input_dims,))])
    for units in hidden_layers:
        encoder.add(keras.layers.Dense(units, activation='relu'))
    encoder.add(keras.layers.Dense(
        latent_dims, activation='relu',
        activity_regularizer=keras.regularizers.l1(lambtha)))

    decoder = keras.Sequential([keras.Input(shape=(latent_dims,))])
    for units in hidden_layers[::-1]:
        decoder.add(keras.layers.Dense(units, activation='relu'))
    decoder.add(keras.layers.Dense(input_dims, activation='sigmoid'))

    inputs = keras.Input(shape=(input_dims,))
    auto = keras.Model(inputs, decoder(encoder(inputs)))
    auto.compile(optimizer='adam', loss='binary_crossentropy')
    return encoder, decoder, auto
