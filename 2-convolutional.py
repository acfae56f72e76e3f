#!/usr/bin/env python3
"""A convolutional autoencoder: convolutions and max pooling shrink an image
to a small stack of feature maps, convolutions and upsampling grow it back."""
import tensorflow.keras as keras


@keras.utils.register_keras_serializable(package='autoencoders')
class Conv2D(keras.layers.Conv2D):
    """Keras' Conv2D, computed another way when it has a single filter: a
    depthwise convolution of each input channel, then a sum over channels.

    CPU kernels vectorise over output channels, so a lone filter leaves most
    of each vector idle; this route takes a third less time for the layer
    (docs/speed.md). Class name, config and weights stay Conv2D's.
    """

    def convolution_op(self, inputs, kernel):
        """Convolves inputs (batch, h, w, c) with kernel (3, 3, c, 1)."""
        if self.filters != 1 or self.data_format != 'channels_last':
            return super().convolution_op(inputs, kernel)
        per_channel = keras.backend.depthwise_conv2d(
            inputs, kernel, strides=self.strides, padding=self.padding,
            data_format='channels_last', dilation_rate=self.dilation_rate)
        return keras.backend.sum(per_channel, axis=-1, keepdims=True)


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


def _encoded_shape(input_dims, filters):
    """Returns the encoder's output shape: each block keeps the size (same
    padding), then halves it, rounding up (same-padded pooling)."""
    height, width, _ = input_dims
    for _ in filters:
        height, width = -(-height // 2), -(-width // 2)
    return height, width, filters[-1]


def _decoded_side(side, filter_count):
    """Returns the decoder's output height (or width) for a latent one: each
    block but the last keeps the size and doubles it; the last one's valid
    convolution takes 2 off before doubling (4 -> 28 with 3 filters)."""
    return 2 * (side * 2 ** (filter_count - 1) - 2)


def _check_shapes(input_dims, filters, latent_dims):
    """Raises ValueError unless the encoder ends at latent_dims and the
    decoder's valid convolution has at least 3 x 3 to work on."""
    encoded = _encoded_shape(input_dims, filters)
    if encoded != latent_dims:
        raise ValueError('latent_dims {} does not match the encoder output {} '
                         'that input_dims {} and filters {} give'
                         .format(latent_dims, encoded, input_dims,
                                 list(filters)))
    if _decoded_side(min(latent_dims[:2]), len(filters)) <= 0:
        raise ValueError('latent_dims {} with filters {} is too small for '
                         "the decoder's valid 3 x 3 convolution"
                         .format(latent_dims, list(filters)))


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
        encoder input_dims -> latent_dims; decoder latent_dims (h, w, _) ->
        (2 * (h * 2**(n - 1) - 2), 2 * (w * 2**(n - 1) - 2), channels) for
        n filters; and auto = decoder(encoder(x)), compiled with Adam and
        binary cross-entropy. That gives back input_dims only where the
        layers lead there: (28, 28, 1) with latent (4, 4, 8) does, while
        (32, 32, 3) with filters [32, 64, 128] decodes to (28, 28, 3), and
        fit(x, x) then names both shapes.

    Raises:
        TypeError, ValueError: for malformed arguments, a latent_dims that
        the encoder does not produce, or one too small to decode.
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
    outputs = Conv2D(input_dims[-1], (3, 3), padding='same',
                     activation='sigmoid')(x)  # see _decoded_side
    decoder = keras.Model(code_inputs, outputs, name='decoder')

    auto_inputs = keras.Input(shape=input_dims)
    auto = keras.Model(auto_inputs, decoder(encoder(auto_inputs)),
                       name='autoencoder')
    auto.compile(optimizer='adam', loss='binary_crossentropy')
    return encoder, decoder, auto
