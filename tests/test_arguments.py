#!/usr/bin/env python3
"""Bad arguments fail at build time with an error that names the parameter;
unusual valid ones still build."""
import numpy as np
import pytest

from conftest import convolutional, patterns, sparse, vanilla, variational

DENSE_BUILDERS = {
    'vanilla': vanilla.autoencoder,
    'sparse': lambda *sizes: sparse.sparse(*sizes, lambtha=1e-5),
    'variational': variational.autoencoder,
}
BAD_DIMENSIONS = [
    (0, ValueError), (-3, ValueError), (2.0, TypeError), ('16', TypeError),
    (None, TypeError), (True, TypeError)]
BAD_LAYER_LISTS = [
    (8, TypeError), ('8', TypeError), (None, TypeError), ([8, 0], ValueError),
    ([8, -1], ValueError), ([8, 2.5], TypeError), ([8, '4'], TypeError),
    ([True], TypeError)]


@pytest.mark.parametrize('builder', DENSE_BUILDERS)
@pytest.mark.parametrize('value, error', BAD_DIMENSIONS)
def test_dense_input_dims_checked(builder, value, error):
    """input_dims must be a positive integer."""
    with pytest.raises(error, match='input_dims'):
        DENSE_BUILDERS[builder](value, [8], 4)


@pytest.mark.parametrize('builder', DENSE_BUILDERS)
@pytest.mark.parametrize('value, error', BAD_DIMENSIONS)
def test_dense_latent_dims_checked(builder, value, error):
    """latent_dims must be a positive integer."""
    with pytest.raises(error, match='latent_dims'):
        DENSE_BUILDERS[builder](16, [8], value)


@pytest.mark.parametrize('builder', DENSE_BUILDERS)
@pytest.mark.parametrize('value, error', BAD_LAYER_LISTS)
def test_dense_hidden_layers_checked(builder, value, error):
    """hidden_layers must be a list or tuple of positive integers."""
    with pytest.raises(error, match='hidden_layers'):
        DENSE_BUILDERS[builder](16, value, 4)


@pytest.mark.parametrize('value, error', [
    (-1e-5, ValueError), (float('nan'), ValueError),
    (float('inf'), ValueError), ('0.1', TypeError), (None, TypeError),
    (True, TypeError), ([1e-5], TypeError)])
def test_sparse_lambtha_checked(value, error):
    """lambtha must be a finite, non-negative number."""
    with pytest.raises(error, match='lambtha'):
        sparse.sparse(16, [8], 4, value)


@pytest.mark.parametrize('input_dims, error', [
    ((28, 28), ValueError), ((28, 28, 1, 1), ValueError),
    (784, TypeError), ((28.0, 28, 1), TypeError), ((28, 0, 1), ValueError),
    (None, TypeError), ('28x28', TypeError)])
def test_convolutional_input_dims_checked(input_dims, error):
    """input_dims must be (height, width, channels) of positive integers."""
    with pytest.raises(error, match='input_dims'):
        convolutional.autoencoder(input_dims, [16, 8, 8], (4, 4, 8))


@pytest.mark.parametrize('value, error', [
    ([], TypeError), (16, TypeError), ([16, 0, 8], ValueError),
    ([16, 8.0, 8], TypeError), (None, TypeError)])
def test_convolutional_filters_checked(value, error):
    """filters must be a non-empty list or tuple of positive integers."""
    with pytest.raises(error, match='filters'):
        convolutional.autoencoder((28, 28, 1), value, (4, 4, 8))


@pytest.mark.parametrize('value, error', [
    ((4, 4), ValueError), (32, TypeError), ((4, -4, 8), ValueError)])
def test_convolutional_latent_dims_checked(value, error):
    """latent_dims must be (height, width, channels) of positive integers."""
    with pytest.raises(error, match='latent_dims'):
        convolutional.autoencoder((28, 28, 1), [16, 8, 8], value)


def test_convolutional_latent_must_match_the_encoder():
    """A latent shape the encoder cannot produce is named with the one it
    does produce."""
    with pytest.raises(ValueError, match=r'\(4, 4, 16\).*\(4, 4, 8\)'):
        convolutional.autoencoder((28, 28, 1), [16, 8, 8], (4, 4, 16))


def test_convolutional_latent_too_small_to_decode():
    """A 2 x 2 latent with one filter leaves the valid 3 x 3 convolution
    nothing to work on: the error names latent_dims."""
    with pytest.raises(ValueError, match=r'latent_dims \(2, 2, 4\)'):
        convolutional.autoencoder((4, 4, 1), [4], (2, 2, 4))


def test_numpy_integers_and_tuples_are_accepted():
    """NumPy integers and tuples are valid everywhere a size is expected."""
    x = patterns(8, 16)
    for builder in DENSE_BUILDERS.values():
        auto = builder(np.int64(16), (np.int32(8),), np.int64(4))[2]
        auto.fit(x, x, epochs=1, verbose=0)
    encoder = sparse.sparse(16, [8], 4, np.float32(1e-5))[0]
    assert encoder.layers[-1].activity_regularizer.lambtha == pytest.approx(
        1e-5)
    assert sparse.sparse(16, [8], 4, 0)[2].count_params() > 0
    auto = convolutional.autoencoder(
        (np.int64(28), 28, 1), (16, np.int32(8), 8), (4, 4, np.int64(8)))[2]
    assert tuple(auto.output.shape) == (None, 28, 28, 1)


@pytest.mark.parametrize('builder', DENSE_BUILDERS)
def test_empty_hidden_layers_build_and_train(builder):
    """No hidden layers: the input goes straight to the latent layer."""
    encoder, decoder, auto = DENSE_BUILDERS[builder](16, [], 4)
    assert len(decoder.layers) == 2
    x = patterns(32, 16)
    auto.fit(x, x, epochs=1, verbose=0)
