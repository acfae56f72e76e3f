#!/usr/bin/env python3
"""A convolutional autoencoder that lists its layers before calling them."""
import tensorflow.keras as keras


def autoencoder(input_dims, filters, latent_dims):
    """Creates a convolutional autoencoder."""
    down = []
    for n in filters:
        down.append(keras.layers.Conv2D(n, 3, padding='same',
                                        activation='relu'))
        down.append(keras.layers.MaxPooling2D(2, padding='same'))
    up = []
    for n in list(reversed(filters))[:-1]:
        up.append(keras.layers.Conv2D(n, 3, padding='same',
                                      activation='relu'))
        up.append(keras.layers.UpSampling2D(2))
    up.append(keras.layers.Conv2D(filters[0], 3, padding='valid',
                                  activation='relu'))
    up.append(keras.layers.UpSampling2D(2))
    up.append(keras.layers.Conv2D(input_dims[-1], 3, padding='same',
                                  activation='sigmoid'))

    x_in = keras.Input(shape=input_dims)
    y = x_in
    for layer in down:
        y = layer(y)
    encoder = keras.Model(inputs=x_in, outputs=y)

    z_in = keras.Input(shape=latent_dims)
    y = z_in
    for layer in up:
        y = layer(y)
    decoder = keras.Model(inputs=z_in, outputs=y)

    a_in = keras.Input(shape=input_dims)
    auto = keras.Model(inputs=a_in, outputs=decoder(encoder(a_in)))
    auto.compile(loss='binary_crossentropy', optimizer='Adam')
    return encoder, decoder, auto
