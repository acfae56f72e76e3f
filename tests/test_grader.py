#!/usr/bin/env python3
"""What the exercise's graders print of each model: every layer's class,
activation, input and output shape, plus auto.layers, auto.loss and the
optimizer's class. Each dump is compared with the reference's, written out.

The graders read layer.input_shape and layer.output_shape, which only Keras 2
has; on Keras 3 the same values are read off layer.input and layer.output.
"""
import pytest
import tensorflow.keras as keras

from conftest import KERAS_3, convolutional, sparse, vanilla, variational

DENSE_ENCODER = [
    ('InputLayer', None, [(None, 784)], [(None, 784)]),
    ('Dense', 'relu', (None, 784), (None, 128)),
    ('Dense', 'relu', (None, 128), (None, 64)),
    ('Dense', 'relu', (None, 64), (None, 32))]
DENSE_DECODER = [
    ('InputLayer', None, [(None, 32)], [(None, 32)]),
    ('Dense', 'relu', (None, 32), (None, 64)),
    ('Dense', 'relu', (None, 64), (None, 128)),
    ('Dense', 'sigmoid', (None, 128), (None, 784))]
SEED_CONV_ENCODER = [
    ('InputLayer', None, [(None, 28, 28, 1)], [(None, 28, 28, 1)]),
    ('Conv2D', 'relu', (None, 28, 28, 1), (None, 28, 28, 16)),
    ('MaxPooling2D', None, (None, 28, 28, 16), (None, 14, 14, 16)),
    ('Conv2D', 'relu', (None, 14, 14, 16), (None, 14, 14, 8)),
    ('MaxPooling2D', None, (None, 14, 14, 8), (None, 7, 7, 8)),
    ('Conv2D', 'relu', (None, 7, 7, 8), (None, 7, 7, 8)),
    ('MaxPooling2D', None, (None, 7, 7, 8), (None, 4, 4, 8))]
SEED_CONV_DECODER = [
    ('InputLayer', None, [(None, 4, 4, 8)], [(None, 4, 4, 8)]),
    ('Conv2D', 'relu', (None, 4, 4, 8), (None, 4, 4, 8)),
    ('UpSampling2D', None, (None, 4, 4, 8), (None, 8, 8, 8)),
    ('Conv2D', 'relu', (None, 8, 8, 8), (None, 8, 8, 8)),
    ('UpSampling2D', None, (None, 8, 8, 8), (None, 16, 16, 8)),
    ('Conv2D', 'relu', (None, 16, 16, 8), (None, 14, 14, 16)),
    ('UpSampling2D', None, (None, 14, 14, 16), (None, 28, 28, 16)),
    ('Conv2D', 'sigmoid', (None, 28, 28, 16), (None, 28, 28, 1))]
COLOUR_CONV_ENCODER = [
    ('InputLayer', None, [(None, 32, 32, 3)], [(None, 32, 32, 3)]),
    ('Conv2D', 'relu', (None, 32, 32, 3), (None, 32, 32, 32)),
    ('MaxPooling2D', None, (None, 32, 32, 32), (None, 16, 16, 32)),
    ('Conv2D', 'relu', (None, 16, 16, 32), (None, 16, 16, 64)),
    ('MaxPooling2D', None, (None, 16, 16, 64), (None, 8, 8, 64)),
    ('Conv2D', 'relu', (None, 8, 8, 64), (None, 8, 8, 128)),
    ('MaxPooling2D', None, (None, 8, 8, 128), (None, 4, 4, 128))]
COLOUR_CONV_DECODER = [  # ends at 28 x 28: the reference's does too
    ('InputLayer', None, [(None, 4, 4, 128)], [(None, 4, 4, 128)]),
    ('Conv2D', 'relu', (None, 4, 4, 128), (None, 4, 4, 128)),
    ('UpSampling2D', None, (None, 4, 4, 128), (None, 8, 8, 128)),
    ('Conv2D', 'relu', (None, 8, 8, 128), (None, 8, 8, 64)),
    ('UpSampling2D', None, (None, 8, 8, 64), (None, 16, 16, 64)),
    ('Conv2D', 'relu', (None, 16, 16, 64), (None, 14, 14, 32)),
    ('UpSampling2D', None, (None, 14, 14, 32), (None, 28, 28, 32)),
    ('Conv2D', 'sigmoid', (None, 28, 28, 32), (None, 28, 28, 3))]
TWO_BLOCK_CONV_ENCODER = [
    ('InputLayer', None, [(None, 28, 28, 1)], [(None, 28, 28, 1)]),
    ('Conv2D', 'relu', (None, 28, 28, 1), (None, 28, 28, 32)),
    ('MaxPooling2D', None, (None, 28, 28, 32), (None, 14, 14, 32)),
    ('Conv2D', 'relu', (None, 14, 14, 32), (None, 14, 14, 64)),
    ('MaxPooling2D', None, (None, 14, 14, 64), (None, 7, 7, 64))]
TWO_BLOCK_CONV_DECODER = [  # 7 -> 14 -> 12 (valid) -> 24
    ('InputLayer', None, [(None, 7, 7, 64)], [(None, 7, 7, 64)]),
    ('Conv2D', 'relu', (None, 7, 7, 64), (None, 7, 7, 64)),
    ('UpSampling2D', None, (None, 7, 7, 64), (None, 14, 14, 64)),
    ('Conv2D', 'relu', (None, 14, 14, 64), (None, 12, 12, 32)),
    ('UpSampling2D', None, (None, 12, 12, 32), (None, 24, 24, 32)),
    ('Conv2D', 'sigmoid', (None, 24, 24, 32), (None, 24, 24, 1))]
SEED_VAE_ENCODER = [
    ('InputLayer', None, [(None, 784)], [(None, 784)]),
    ('Dense', 'relu', (None, 784), (None, 512)),
    ('Dense', 'linear', (None, 512), (None, 2)),
    ('Dense', 'linear', (None, 512), (None, 2)),
    ('Lambda', None, [(None, 2), (None, 2)], (None, 2))]
SEED_VAE_DECODER = [
    ('InputLayer', None, [(None, 2)], [(None, 2)]),
    ('Dense', 'relu', (None, 2), (None, 512)),
    ('Dense', 'sigmoid', (None, 512), (None, 784))]
DEEP_VAE_ENCODER = [
    ('InputLayer', None, [(None, 784)], [(None, 784)]),
    ('Dense', 'relu', (None, 784), (None, 512)),
    ('Dense', 'relu', (None, 512), (None, 256)),
    ('Dense', 'linear', (None, 256), (None, 2)),
    ('Dense', 'linear', (None, 256), (None, 2)),
    ('Lambda', None, [(None, 2), (None, 2)], (None, 2))]
DEEP_VAE_DECODER = [
    ('InputLayer', None, [(None, 2)], [(None, 2)]),
    ('Dense', 'relu', (None, 2), (None, 256)),
    ('Dense', 'relu', (None, 256), (None, 512)),
    ('Dense', 'sigmoid', (None, 512), (None, 784))]

CASES = {
    'vanilla': (lambda: vanilla.autoencoder(784, [128, 64], 32),
                DENSE_ENCODER, DENSE_DECODER, 'binary_crossentropy'),
    'sparse': (lambda: sparse.sparse(784, [128, 64], 32, 10e-6),
               DENSE_ENCODER, DENSE_DECODER, 'binary_crossentropy'),
    'sparse by its later name': (
        lambda: sparse.autoencoder(input_dims=784, hidden_layers=[128, 64],
                                   latent_dims=32, lambtha=10e-6),
        DENSE_ENCODER, DENSE_DECODER, 'binary_crossentropy'),
    'convolutional, seed': (
        lambda: convolutional.autoencoder((28, 28, 1), [16, 8, 8], (4, 4, 8)),
        SEED_CONV_ENCODER, SEED_CONV_DECODER, 'binary_crossentropy'),
    'convolutional, 32 x 32 x 3': (
        lambda: convolutional.autoencoder((32, 32, 3), [32, 64, 128],
                                          (4, 4, 128)),
        COLOUR_CONV_ENCODER, COLOUR_CONV_DECODER, 'binary_crossentropy'),
    'convolutional, two blocks': (
        lambda: convolutional.autoencoder((28, 28, 1), [32, 64], (7, 7, 64)),
        TWO_BLOCK_CONV_ENCODER, TWO_BLOCK_CONV_DECODER,
        'binary_crossentropy'),
    'variational, seed': (
        lambda: variational.autoencoder(784, [512], 2),
        SEED_VAE_ENCODER, SEED_VAE_DECODER,
        variational.summed_binary_crossentropy),
    'variational, two hidden layers': (
        lambda: variational.autoencoder(784, [512, 256], 2),
        DEEP_VAE_ENCODER, DEEP_VAE_DECODER,
        variational.summed_binary_crossentropy),
}


def shapes(tensors):
    """Keras 2's way of writing the shapes of one tensor or of a list."""
    if isinstance(tensors, (list, tuple)):
        return [tuple(tensor.shape) for tensor in tensors]
    return tuple(tensors.shape)


def input_and_output_shapes(layer):
    """Returns layer.input_shape and layer.output_shape as Keras 2 gives
    them; on Keras 3 the same values, from layer.input and layer.output."""
    if not KERAS_3:
        return layer.input_shape, layer.output_shape
    if isinstance(layer, keras.layers.InputLayer):
        return [tuple(layer.output.shape)], [tuple(layer.output.shape)]
    return shapes(layer.input), shapes(layer.output)


def grader_dump(model):
    """One row per layer: class name, activation name (Dense and Conv2D
    only), input shape and output shape, as the graders write them."""
    rows = []
    for layer in model.layers:
        activation = None
        if isinstance(layer, (keras.layers.Dense, keras.layers.Conv2D)):
            activation = layer.activation.__name__
        rows.append((layer.__class__.__name__, activation)
                    + input_and_output_shapes(layer))
    return rows


@pytest.mark.parametrize('case', CASES)
def test_dump_matches_the_reference(case):
    """Layers, auto.layers, loss and optimizer as the reference has them."""
    build, encoder_rows, decoder_rows, loss = CASES[case]
    encoder, decoder, auto = build()
    assert grader_dump(encoder) == encoder_rows
    assert grader_dump(decoder) == decoder_rows
    assert input_and_output_shapes(auto.layers[0])[0] == encoder_rows[0][2]
    assert len(auto.layers) == 3
    assert auto.layers[1] is encoder and auto.layers[2] is decoder
    assert auto.loss == loss
    assert auto.optimizer.__class__.__name__ == 'Adam'


def test_sampling_layer_is_a_keras_lambda():
    """The sampling layer is a keras.layers.Lambda, as in the reference."""
    encoder = variational.autoencoder(784, [512], 2)[0]
    assert isinstance(encoder.layers[-1], keras.layers.Lambda)


def test_sparse_has_both_names():
    """`sparse` (this seed) and `autoencoder` (later versions) are one
    function."""
    assert sparse.autoencoder is sparse.sparse
    assert sparse.autoencoder.__doc__
