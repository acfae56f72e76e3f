#!/usr/bin/env python3
"""Tests of 1-sparse.sparse: the vanilla structure plus an L1 penalty on the
code that is summed over the batch, as TensorFlow 1.12 computed it."""
import numpy as np
import pytest
import tensorflow.keras as keras

from conftest import (binary_crossentropy, layer_summary, patterns, sparse,
                      vanilla)


def test_seed_structure_layer_by_layer():
    """Same layers as the vanilla model; only the code layer is penalised."""
    encoder, decoder, auto = sparse.sparse(784, [128, 64], 32, 10e-6)
    plain = vanilla.autoencoder(784, [128, 64], 32)
    assert layer_summary(encoder) == layer_summary(plain[0])
    assert layer_summary(decoder) == layer_summary(plain[1])
    penalties = [layer.activity_regularizer for layer in encoder.layers[1:]]
    assert penalties[:2] == [None, None]
    assert isinstance(penalties[2], sparse.BatchSumL1)
    assert penalties[2].lambtha == pytest.approx(10e-6)
    assert all(layer.activity_regularizer is None
               for layer in decoder.layers[1:])
    assert auto.count_params() == 222384


def test_compile_and_composition():
    """Adam, the seed's loss string, and auto = [input, encoder, decoder]."""
    encoder, decoder, auto = sparse.sparse(16, [8], 4, 1e-3)
    assert isinstance(auto.optimizer, keras.optimizers.Adam)
    assert auto.loss == 'binary_crossentropy'
    assert auto.layers[1] is encoder and auto.layers[2] is decoder
    x = patterns(32, 16)
    np.testing.assert_allclose(auto.predict(x, verbose=0),
                               decoder.predict(encoder.predict(x, verbose=0),
                                               verbose=0), rtol=1e-6)


def expected_loss(encoder, auto, x, lambtha):
    """Mean BCE plus lambtha * sum(|code|) over the whole batch, in NumPy."""
    bce = binary_crossentropy(x, auto.predict(x, verbose=0)).mean()
    code = encoder.predict(x, verbose=0).astype(np.float64)
    return bce + lambtha * np.abs(code).sum()


@pytest.mark.parametrize('batch', [8, 32])
def test_evaluate_adds_the_batch_summed_penalty(batch):
    """evaluate on one batch gives BCE + lambtha * sum|code|, undivided."""
    lambtha = 1e-3
    encoder, _, auto = sparse.sparse(16, [8], 4, lambtha)
    x = patterns(batch, 16)
    expected = expected_loss(encoder, auto, x, lambtha)
    penalty = lambtha * np.abs(encoder.predict(x, verbose=0)).sum()
    assert penalty * (1 - 1 / batch) > 1e-4  # Keras' mean would be caught
    loss = auto.evaluate(x, x, batch_size=batch, verbose=0)
    np.testing.assert_allclose(loss, expected, rtol=1e-5)


def test_fit_reports_the_same_penalised_loss():
    """One fit step on one batch reports the loss before its update, which
    must include the batch-summed penalty too."""
    lambtha = 1e-3
    encoder, _, auto = sparse.sparse(16, [8], 4, lambtha)
    x = patterns(32, 16)
    expected = expected_loss(encoder, auto, x, lambtha)
    history = auto.fit(x, x, epochs=1, batch_size=32, verbose=0)
    np.testing.assert_allclose(history.history['loss'][0], expected,
                               rtol=1e-5)


def test_penalty_value_in_numpy():
    """The regularizer alone is lambtha * sum(|code|) for any batch."""
    code = np.random.default_rng(0).normal(size=(5, 3)).astype(np.float32)
    value = float(sparse.BatchSumL1(0.5)(keras.backend.constant(code)))
    np.testing.assert_allclose(value, 0.5 * 5 * np.abs(code).sum(),
                               rtol=1e-6)


def test_training_lowers_the_loss_and_the_code():
    """Training lowers the loss, and a large lambtha shrinks the code."""
    x = patterns(256, 16)
    encoder, _, auto = sparse.sparse(16, [8], 4, 1e-3)
    before = auto.evaluate(x, x, verbose=0)
    code_before = encoder.predict(x, verbose=0).mean()
    auto.fit(x, x, epochs=30, batch_size=32, verbose=0)
    assert auto.evaluate(x, x, verbose=0) < before - 0.02
    assert encoder.predict(x, verbose=0).mean() < code_before
