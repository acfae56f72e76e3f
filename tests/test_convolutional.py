#!/usr/bin/env python3
"""Tests of 2-convolutional.autoencoder: layers, paddings and shapes for the
seed's MNIST configuration, compile settings, loss value and training."""
import numpy as np
import pytest
import tensorflow as tf
import tensorflow.keras as keras

from conftest import binary_crossentropy, convolutional, layer_summary

SEED = ((28, 28, 1), [16, 8, 8], (4, 4, 8))


def images(count, shape=(28, 28, 1), seed=0):
    """Makes smooth random images in [0, 1] that a small model can learn."""
    rng = np.random.default_rng(seed)
    height, width, channels = shape
    rows = np.linspace(0, np.pi, height)[:, None, None]
    cols = np.linspace(0, np.pi, width)[None, :, None]
    phase = rng.random((count, 1, 1, 1, channels)) * np.pi
    pictures = 0.5 + 0.5 * np.sin(rows * 2 + phase) * np.cos(cols + phase)
    return pictures.reshape(count, height, width, channels).astype(np.float32)


def test_seed_encoder_layers():
    """Conv(3x3, same, relu) then same-padded 2x2 pooling, per filter count."""
    encoder = convolutional.autoencoder(*SEED)[0]
    assert layer_summary(encoder) == [
        ('InputLayer', None, None, (None, 28, 28, 1)),
        ('Conv2D', 16, 'relu', (None, 28, 28, 16)),
        ('MaxPooling2D', None, None, (None, 14, 14, 16)),
        ('Conv2D', 8, 'relu', (None, 14, 14, 8)),
        ('MaxPooling2D', None, None, (None, 7, 7, 8)),
        ('Conv2D', 8, 'relu', (None, 7, 7, 8)),
        ('MaxPooling2D', None, None, (None, 4, 4, 8))]
    for layer in encoder.layers[1:]:
        assert layer.padding == 'same'
        if isinstance(layer, keras.layers.Conv2D):
            assert tuple(layer.kernel_size) == (3, 3)
        else:
            assert tuple(layer.pool_size) == (2, 2)


def test_seed_decoder_layers():
    """Reversed filters, the last of them valid-padded, each followed by 2x2
    upsampling; then a sigmoid convolution to the input's channels."""
    decoder = convolutional.autoencoder(*SEED)[1]
    assert layer_summary(decoder) == [
        ('InputLayer', None, None, (None, 4, 4, 8)),
        ('Conv2D', 8, 'relu', (None, 4, 4, 8)),
        ('UpSampling2D', None, None, (None, 8, 8, 8)),
        ('Conv2D', 8, 'relu', (None, 8, 8, 8)),
        ('UpSampling2D', None, None, (None, 16, 16, 8)),
        ('Conv2D', 16, 'relu', (None, 14, 14, 16)),
        ('UpSampling2D', None, None, (None, 28, 28, 16)),
        ('Conv2D', 1, 'sigmoid', (None, 28, 28, 1))]
    convolutions = [layer for layer in decoder.layers
                    if isinstance(layer, keras.layers.Conv2D)]
    assert [layer.padding for layer in convolutions] == [
        'same', 'same', 'valid', 'same']
    assert all(tuple(layer.kernel_size) == (3, 3) for layer in convolutions)
    assert all(tuple(layer.size) == (2, 2) for layer in decoder.layers
               if isinstance(layer, keras.layers.UpSampling2D))


def test_seed_parameter_counts_and_compile():
    """Parameter counts of the seed model; Adam and the seed's loss."""
    encoder, decoder, auto = convolutional.autoencoder(*SEED)
    assert (encoder.count_params(), decoder.count_params(),
            auto.count_params()) == (1904, 2481, 4385)
    assert isinstance(auto.optimizer, keras.optimizers.Adam)
    assert auto.loss == 'binary_crossentropy'
    assert len(auto.layers) == 3
    assert auto.layers[1] is encoder and auto.layers[2] is decoder


def test_auto_equals_decoder_of_encoder():
    """auto(x) is decoder(encoder(x)) to float precision."""
    encoder, decoder, auto = convolutional.autoencoder(*SEED)
    x = images(8)
    np.testing.assert_allclose(auto.predict(x, verbose=0),
                               decoder.predict(encoder.predict(x, verbose=0),
                                               verbose=0),
                               rtol=1e-5, atol=1e-7)


def test_loss_is_mean_binary_crossentropy():
    """evaluate gives the mean BCE over every pixel, computed in NumPy."""
    auto = convolutional.autoencoder(*SEED)[2]
    x = images(16)
    expected = binary_crossentropy(x, auto.predict(x, verbose=0)).mean()
    loss = auto.evaluate(x, x, batch_size=16, verbose=0)
    np.testing.assert_allclose(loss, expected, rtol=1e-5)


def test_training_lowers_the_loss():
    """Some epochs on smooth images lower the loss clearly."""
    auto = convolutional.autoencoder(*SEED)[2]
    x = images(64)
    before = auto.evaluate(x, x, verbose=0)
    auto.fit(x, x, epochs=15, batch_size=16, verbose=0)
    assert auto.evaluate(x, x, verbose=0) < before - 0.01


def test_other_valid_shapes_build_and_train():
    """Colour, non-square and deeper configurations that fit exactly."""
    for input_dims, filters, latent_dims in (
            ((20, 12, 3), (4, 4, 2), (3, 2, 2)),
            ((28, 28, 1), [8, 8, 4, 4], (2, 2, 4))):
        encoder, decoder, auto = convolutional.autoencoder(
            input_dims, filters, latent_dims)
        assert tuple(encoder.output.shape) == (None,) + latent_dims
        assert tuple(decoder.output.shape) == (None,) + input_dims
        x = images(4, input_dims)
        auto.fit(x, x, epochs=1, verbose=0)


@pytest.mark.parametrize('input_dims, filters, latent_dims, decoded', [
    ((32, 32, 3), [32, 64, 128], (4, 4, 128), (28, 28, 3)),
    ((28, 28, 1), [32, 64], (7, 7, 64), (24, 24, 1)),
    ((32, 32, 1), [16, 8, 8], (4, 4, 8), (28, 28, 1)),
    ((10, 12, 2), [4], (5, 6, 4), (6, 8, 2))])
def test_decoder_size_follows_its_layers(input_dims, filters, latent_dims,
                                         decoded):
    """The decoder ends at 2 * (side * 2 ** (n - 1) - 2) per side, as its
    layers give, even where that is not input_dims; fit then fails with
    Keras' own error naming both shapes."""
    encoder, decoder, auto = convolutional.autoencoder(
        input_dims, filters, latent_dims)
    assert tuple(encoder.output.shape) == (None,) + latent_dims
    assert tuple(decoder.output.shape) == (None,) + decoded
    assert tuple(auto.output.shape) == (None,) + decoded
    x = images(2, input_dims)
    assert auto.predict(x, verbose=0).shape == (2,) + decoded
    with pytest.raises(ValueError, match='shape'):
        auto.fit(x, x, epochs=1, verbose=0)


@pytest.mark.parametrize('channels, padding', [(16, 'same'), (3, 'valid'),
                                               (1, 'same')])
def test_single_filter_route_matches_keras_conv2d(channels, padding):
    """The builder's one-filter Conv2D gives Keras' Conv2D's outputs and
    gradients, for the inputs and for every weight."""
    ours = convolutional.Conv2D(1, (3, 3), padding=padding,
                                activation='sigmoid')
    reference = keras.layers.Conv2D(1, (3, 3), padding=padding,
                                    activation='sigmoid')
    x = tf.constant(images(4, (9, 7, channels)))
    ours(x)
    reference(x)
    reference.set_weights([weight + 0.1 for weight in ours.get_weights()])
    ours.set_weights(reference.get_weights())
    weights = tf.constant(images(4, tuple(reference(x).shape[1:]), seed=1))
    results = []
    for layer in (ours, reference):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = layer(x)
            loss = tf.reduce_sum(weights * y)  # any loss that mixes outputs
        gradients = tape.gradient(loss, [x] + layer.trainable_weights)
        results.append([y] + gradients)
    for mine, theirs in zip(*results):
        np.testing.assert_allclose(mine.numpy(), theirs.numpy(),
                                   rtol=1e-5, atol=1e-6)


def test_single_filter_layer_looks_like_keras_conv2d():
    """The decoder's last layer has Conv2D's class name, config and kernel
    shape; the other convolutions are Keras' own."""
    decoder = convolutional.autoencoder(*SEED)[1]
    last = decoder.layers[-1]
    assert isinstance(last, keras.layers.Conv2D)
    assert type(last).__name__ == 'Conv2D'
    assert tuple(last.kernel.shape) == (3, 3, 16, 1)
    plain = keras.layers.Conv2D(1, (3, 3), padding='same',
                                activation='sigmoid').get_config()
    assert {key: value for key, value in last.get_config().items()
            if key != 'name'} == {key: value for key, value in plain.items()
                                  if key != 'name'}
    assert all(type(layer) is keras.layers.Conv2D
               for layer in decoder.layers[1:-1]
               if isinstance(layer, keras.layers.Conv2D))
