#!/usr/bin/env python3
"""A sparse autoencoder that lists its layers before calling them."""
import tensorflow.keras as keras


def autoencoder(input_dims, hidden_layers, latent_dims, lambtha):
    """Creates a sparse autoencoder."""
    down = [keras.layers.Dense(n, activation='relu') for n in hidden_layers]
    down.append(keras.layers.Dense(
        latent_dims, activation='relu',
        activity_regularizer=keras.regularizers.l1(lambtha)))
    up = [keras.layers.Dense(n, activation='relu')
          for n in reversed(hidden_layers)]
    up.append(keras.layers.Dense(input_dims, activation='sigmoid'))

    x_in = keras.Input(shape=(input_dims,))
    y = x_in
    for layer in down:
        y = layer(y)
    encoder = keras.Model(inputs=x_in, outputs=y)

    z_in = keras.Input(shape=(latent_dims,))
    y = z_in
    for layer in up:
        y = layer(y)
    decoder = keras.Model(inputs=z_in, outputs=y)

    a_in = keras.Input(shape=(input_dims,))
    auto = keras.Model(inputs=a_in, outputs=decoder(encoder(a_in)))
    auto.compile(loss='binary_crossentropy', optimizer='Adam')
    return encoder, decoder, auto
