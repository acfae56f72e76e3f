#!/usr/bin/env python3
"""Tests of 0-vanilla.autoencoder: structure, compile settings, loss value
and training, on small synthetic data."""
import numpy as np
import tensorflow.keras as keras

from conftest import binary_crossentropy, layer_summary, patterns, vanilla


def test_seed_structure_layer_by_layer():
    """The seed's configuration has its layers, sizes and activations."""
    encoder, decoder, auto = vanilla.autoencoder(784, [128, 64], 32)
    assert layer_summary(encoder) == [
        ('InputLayer', None, None, (None, 784)),
        ('Dense', 128, 'relu', (None, 128)),
        ('Dense', 64, 'relu', (None, 64)),
        ('Dense', 32, 'relu', (None, 32))]
    assert layer_summary(decoder) == [
        ('InputLayer', None, None, (None, 32)),
        ('Dense', 64, 'relu', (None, 64)),
        ('Dense', 128, 'relu', (None, 128)),
        ('Dense', 784, 'sigmoid', (None, 784))]
    assert (encoder.count_params(), decoder.count_params(),
            auto.count_params()) == (110816, 111568, 222384)


def test_auto_is_decoder_over_encoder():
    """auto's layers are exactly its input, the encoder and the decoder."""
    encoder, decoder, auto = vanilla.autoencoder(16, [8], 4)
    assert len(auto.layers) == 3
    assert isinstance(auto.layers[0], keras.layers.InputLayer)
    assert auto.layers[1] is encoder and auto.layers[2] is decoder
    assert tuple(auto.input.shape) == (None, 16)
    assert tuple(auto.output.shape) == (None, 16)


def test_compiled_with_adam_and_binary_crossentropy():
    """The optimizer is Adam and the loss is the seed's string."""
    auto = vanilla.autoencoder(16, [8], 4)[2]
    assert isinstance(auto.optimizer, keras.optimizers.Adam)
    assert auto.loss == 'binary_crossentropy'


def test_auto_equals_decoder_of_encoder():
    """auto(x) is decoder(encoder(x)) to float precision."""
    encoder, decoder, auto = vanilla.autoencoder(16, [8], 4)
    x = patterns(32, 16)
    np.testing.assert_allclose(auto.predict(x, verbose=0),
                               decoder.predict(encoder.predict(x, verbose=0),
                                               verbose=0), rtol=1e-6)


def test_loss_is_mean_binary_crossentropy():
    """evaluate gives the mean elementwise BCE computed in NumPy."""
    auto = vanilla.autoencoder(16, [8], 4)[2]
    x = patterns(32, 16)
    expected = binary_crossentropy(x, auto.predict(x, verbose=0)).mean()
    loss = auto.evaluate(x, x, batch_size=32, verbose=0)
    np.testing.assert_allclose(loss, expected, rtol=1e-5)


def test_training_lowers_the_loss():
    """A few epochs on learnable data lower the loss clearly."""
    auto = vanilla.autoencoder(16, [8], 4)[2]
    x = patterns(256, 16)
    before = auto.evaluate(x, x, verbose=0)
    auto.fit(x, x, epochs=30, batch_size=32, verbose=0)
    assert auto.evaluate(x, x, verbose=0) < before - 0.02


def test_empty_hidden_layers_maps_input_to_code_directly():
    """With no hidden layers the encoder is one Dense layer to the code."""
    encoder, decoder, auto = vanilla.autoencoder(16, [], 4)
    assert [row[:3] for row in layer_summary(encoder)] == [
        ('InputLayer', None, None), ('Dense', 4, 'relu')]
    assert [row[:3] for row in layer_summary(decoder)] == [
        ('InputLayer', None, None), ('Dense', 16, 'sigmoid')]
    x = patterns(32, 16)
    auto.fit(x, x, epochs=1, verbose=0)
