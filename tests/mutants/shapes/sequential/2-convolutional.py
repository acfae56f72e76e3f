#!/usr/bin/env python3
"""A convolutional autoencoder of Sequential models."""
import tensorflow.keras as keras


def autoencoder(input_dims, filters, latent_dims):
    """Creates a convolutional autoencoder from Sequential models."""
    encoder = keras.Sequential([keras.Input(shape=input_dims)])
    for count in filters:
        encoder.add(keras.layers.Conv2D(count, (3, 3), padding='same',
                                        activation='relu'))
        encoder.add(keras.layers.MaxPooling2D((2, 2), padding='same'))

    decoder = keras.Sequential([keras.Input(shape=latent_dims)])
    for count in filters[:0:-1]:
        decoder.add(keras.layers.Conv2D(count, (3, 3), padding='same',
                                        activation='relu'))
        decoder.add(keras.layers.UpSampling2D((2, 2)))
    decoder.add(keras.layers.Conv2D(filters[0], (3, 3), padding='valid',
                                    activation='relu'))
    decoder.add(keras.layers.UpSampling2D((2, 2)))
    decoder.add(keras.layers.Conv2D(input_dims[-1], (3, 3), padding='same',
                                    activation='sigmoid'))

    inputs = keras.Input(shape=input_dims)
    auto = keras.Model(inputs, decoder(encoder(inputs)))
    auto.compile(optimizer='adam', loss='binary_crossentropy')
    return encoder, decoder, auto
