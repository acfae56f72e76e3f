#!/usr/bin/env python3
"""A convolutional autoencoder: convolutions and max pooling shrink an image
to a small stack of feature maps, convolutions and upsampling grow it back."""
import tensorflow.keras as keras

# Chosen by measurement on a 2-core CPU (see benchmarks/train_speed.py): XLA
# makes these thin convolutions 1.8x slower on Keras 3 and cannot compile
# the model on Keras 2; running 32 steps per call saves a little dispatch.
JIT_COMPILE = False
STEPS_PER_EXECUTION = 32


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


def _int_tuple(name, values, length=None):
    """Returns a list or tuple of positive ints as a tuple, checking length.

    With length=None any non-empty length is accepted.
    """
    if not isinstance(values, (list, tuple)) or not values:
        raise TypeError('{} must be a non-empty list or tuple of positive '
                        'integers, got {!r}'.format(name, values))
    if length is not None and len(values) != length:
        raise ValueError('{} must be (height, width, channels), got {!r}'
                         .format(name, values))
    return tuple(_positive_int('{}[{}]'.format(name, i), v)
                 for i, v in enumerate(values))


def _implied_shapes(input_dims, filters):
    """Returns the encoder's and decoder's output shapes that the spec implies.

    Each encoder block keeps the size (same padding) and halves it, rounding
    up (same-padded pooling). Each decoder block keeps the size and doubles
    it, except the last one, whose valid convolution first takes 2 off.
    """
    height, width, channels = input_dims
    for _ in filters:
        height, width = -(-height // 2), -(-width // 2)
    encoded = (height, width, filters[-1])
    for _ in filters[1:]:
        height, width = 2 * height, 2 * width
    decoded = (2 * (height - 2), 2 * (width - 2), channels)
    return encoded, decoded


def _check_shapes(input_dims, filters, latent_dims):
    """Raises ValueError unless the layers map input_dims to latent_dims and
    back to input_dims exactly."""
    encoded, decoded = _implied_shapes(input_dims, filters)
    if encoded != latent_dims:
        raise ValueError('latent_dims {} does not match the encoder output {} '
                         'that input_dims {} and filters {} give'
                         .format(latent_dims, encoded, input_dims,
                                 list(filters)))
    if decoded != input_dims:
        raise ValueError('the decoder output {} does not match input_dims {} '
                         '(latent_dims {} and filters {})'
                         .format(decoded, input_dims, latent_dims,
                                 list(filters)))


def autoencoder(input_dims, filters, latent_dims):
    """Builds and compiles a convolutional autoencoder.

    Args:
        input_dims: (height, width, channels) of an input image.
        filters: list of ints, filters of each encoder convolution in order;
            the decoder uses them reversed.
        latent_dims: (height, width, channels) of the latent feature maps;
            must be what the encoder produces, e.g. (4, 4, 8) for MNIST with
            filters [16, 8, 8].

    Returns:
        encoder input_dims -> latent_dims, decoder latent_dims -> input_dims,
        and auto = decoder(encoder(x)), compiled with Adam and binary
        cross-entropy.

    Raises:
        TypeError, ValueError: for malformed arguments, or shapes that the
        layers cannot map onto each other.
    """
    input_dims = _int_tuple('input_dims', input_dims, length=3)
    filters = _int_tuple('filters', filters)
    latent_dims = _int_tuple('latent_dims', latent_dims, length=3)
    _check_shapes(input_dims, filters, latent_dims)

    inputs = keras.Input(shape=input_dims)
    x = inputs
    for count in filters:
        x = keras.layers.Conv2D(count, (3, 3), padding='same',
                                activation='relu')(x)
        x = keras.layers.MaxPooling2D((2, 2), padding='same')(x)
    encoder = keras.Model(inputs, x, name='encoder')  # latent_dims

    code_inputs = keras.Input(shape=latent_dims)
    x = code_inputs
    for i, count in enumerate(reversed(filters)):
        padding = 'valid' if i == len(filters) - 1 else 'same'
        x = keras.layers.Conv2D(count, (3, 3), padding=padding,
                                activation='relu')(x)
        x = keras.layers.UpSampling2D((2, 2))(x)
    outputs = keras.layers.Conv2D(input_dims[-1], (3, 3), padding='same',
                                  activation='sigmoid')(x)  # input_dims
    decoder = keras.Model(code_inputs, outputs, name='decoder')

    auto_inputs = keras.Input(shape=input_dims)
    auto = keras.Model(auto_inputs, decoder(encoder(auto_inputs)),
                       name='autoencoder')
    auto.compile(optimizer='adam', loss='binary_crossentropy',
                 jit_compile=JIT_COMPILE,
                 steps_per_execution=STEPS_PER_EXECUTION)
    return encoder, decoder, auto
