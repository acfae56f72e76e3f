#!/usr/bin/env python3
"""A convolutional autoencoder whose loops run over indices."""
import tensorflow.keras as keras


def autoencoder(input_dims, filters, latent_dims):
    """Creates a convolutional autoencoder."""
    encoder_input = keras.Input(shape=input_dims)
    hidden = encoder_input
    for i in range(len(filters)):
        hidden = keras.layers.Conv2D(filters[i], kernel_size=(3, 3),
                                     padding='same',
                                     activation='relu')(hidden)
        hidden = keras.layers.MaxPooling2D(pool_size=(2, 2),
                                           padding='same')(hidden)
    encoder = keras.models.Model(encoder_input, hidden)

    decoder_input = keras.Input(shape=latent_dims)
    hidden = decoder_input
    for i in range(len(filters) - 1, 0, -1):
        hidden = keras.layers.Conv2D(filters[i], kernel_size=(3, 3),
                                     padding='same',
                                     activation='relu')(hidden)
        hidden = keras.layers.UpSampling2D(size=(2, 2))(hidden)
    hidden = keras.layers.Conv2D(filters[0], kernel_size=(3, 3),
                                 padding='valid', activation='relu')(hidden)
    hidden = keras.layers.UpSampling2D(size=(2, 2))(hidden)
    output = keras.layers.Conv2D(input_dims[2], kernel_size=(3, 3),
                                 padding='same',
                                 activation='sigmoid')(hidden)
    decoder = keras.models.Model(decoder_input, output)

    auto_input = keras.Input(shape=input_dims)
    auto = keras.models.Model(auto_input, decoder(encoder(auto_input)))
    auto.compile(optimizer=keras.optimizers.Adam(), loss='binary_crossentropy')
    return encoder, decoder, auto
