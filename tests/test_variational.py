#!/usr/bin/env python3
"""Tests of 3-variational.autoencoder: structure, sampling, and a loss of
summed binary cross-entropy plus KL divergence, in both fit and evaluate."""
import numpy as np
import tensorflow.keras as keras

from conftest import (binary_crossentropy, layer_summary, patterns,
                      pin_log_var, variational)


def kl_divergence(mean, log_var):
    """KL(N(mean, exp(log_var)) || N(0, I)) per sample, in float64."""
    mean, log_var = np.float64(mean), np.float64(log_var)
    return -0.5 * np.sum(1 + log_var - mean ** 2 - np.exp(log_var), axis=-1)


def test_seed_structure_layer_by_layer():
    """Hidden layers, mean and log-variance without activation, sampling."""
    encoder, decoder, auto = variational.autoencoder(784, [512], 2)
    assert layer_summary(encoder) == [
        ('InputLayer', None, None, (None, 784)),
        ('Dense', 512, 'relu', (None, 512)),
        ('Dense', 2, 'linear', (None, 2)),
        ('Dense', 2, 'linear', (None, 2)),
        ('Lambda', None, None, (None, 2))]
    penalties = [layer.activity_regularizer for layer in encoder.layers[1:4]]
    assert penalties[0] is None
    assert isinstance(penalties[1], variational.KLMeanTerm)
    assert isinstance(penalties[2], variational.KLVarianceTerm)
    assert layer_summary(decoder) == [
        ('InputLayer', None, None, (None, 2)),
        ('Dense', 512, 'relu', (None, 512)),
        ('Dense', 784, 'sigmoid', (None, 784))]
    assert (encoder.count_params(), decoder.count_params(),
            auto.count_params()) == (403972, 403728, 807700)
    assert len(encoder.outputs) == 3
    assert [tuple(output.shape) for output in encoder.outputs] == [
        (None, 2)] * 3


def test_kl_terms_add_up_to_the_kl_divergence():
    """The mean's and the log-variance's penalties sum to the closed-form KL
    of each sample, summed over the batch."""
    rng = np.random.default_rng(0)
    mean, log_var = rng.normal(size=(2, 5, 3)).astype(np.float32)
    total = (float(variational.KLMeanTerm()(keras.backend.constant(mean)))
             + float(variational.KLVarianceTerm()(
                 keras.backend.constant(log_var))))
    np.testing.assert_allclose(total, kl_divergence(mean, log_var).sum(),
                               rtol=1e-5)


def test_compile_and_composition():
    """Adam, the summed BCE loss, and auto = decoder(z), z from encoder."""
    encoder, decoder, auto = variational.autoencoder(16, [8], 2)
    assert isinstance(auto.optimizer, keras.optimizers.Adam)
    assert auto.loss is variational.summed_binary_crossentropy
    assert len(auto.layers) == 3
    assert auto.layers[1] is encoder and auto.layers[2] is decoder
    assert tuple(auto.output.shape) == (None, 16)


def test_encoder_outputs_z_mean_log_var_in_order():
    """With the variance pinned near 0, z equals the mean; mean and log_var
    are the two Dense layers' outputs, in that order."""
    encoder, decoder, auto = variational.autoencoder(16, [8], 2)
    pin_log_var(encoder)
    x = patterns(32, 16)
    z, mean, log_var = encoder.predict(x, verbose=0)
    np.testing.assert_allclose(log_var, -30.0)
    hidden = keras.Model(encoder.input, encoder.layers[-3].output)
    np.testing.assert_allclose(mean, hidden.predict(x, verbose=0), rtol=1e-6)
    np.testing.assert_allclose(z, mean, atol=1e-5)
    np.testing.assert_allclose(auto.predict(x, verbose=0),
                               decoder.predict(mean, verbose=0), atol=1e-5)


def test_sampling_statistics_and_fresh_draws():
    """(z - mean) / exp(log_var / 2) is standard normal, drawn anew on each
    call and for each sample."""
    encoder = variational.autoencoder(16, [8], 2)[0]
    x = np.repeat(patterns(1, 16), 4000, axis=0)
    z, mean, log_var = encoder.predict(x, batch_size=4000, verbose=0)
    epsilon = (z - mean) / np.exp(log_var / 2)
    assert abs(epsilon.mean()) < 0.05
    assert abs(epsilon.std() - 1) < 0.05
    assert abs(np.corrcoef(epsilon.T)[0, 1]) < 0.05
    again = encoder.predict(x, batch_size=4000, verbose=0)[0]
    assert not np.allclose(z, again)


def test_evaluate_and_fit_give_summed_bce_plus_kl():
    """With z pinned to the mean, evaluate and one fit step on one batch
    report mean over samples of (summed BCE + KL), computed in NumPy."""
    encoder, decoder, auto = variational.autoencoder(16, [8], 2)
    pin_log_var(encoder)
    x = patterns(32, 16)
    _, mean, log_var = encoder.predict(x, verbose=0)
    reconstruction = decoder.predict(mean, verbose=0)
    per_sample = (binary_crossentropy(x, reconstruction).sum(axis=1)
                  + kl_divergence(mean, log_var))
    expected = per_sample.mean()
    assert kl_divergence(mean, log_var).mean() > 1  # KL matters here
    loss = auto.evaluate(x, x, batch_size=32, verbose=0)
    np.testing.assert_allclose(loss, expected, rtol=1e-5)
    history = auto.fit(x, x, epochs=1, batch_size=32, verbose=0)
    np.testing.assert_allclose(history.history['loss'][0], expected,
                               rtol=1e-5)


def test_loss_averaged_over_draws_matches_numpy():
    """With a real variance, evaluate averaged over repeated draws matches
    a NumPy Monte Carlo estimate of the same expected loss."""
    encoder, decoder, auto = variational.autoencoder(16, [8], 2)
    x = patterns(64, 16)
    _, mean, log_var = encoder.predict(x, verbose=0)
    draws = 200
    rng = np.random.default_rng(1)
    z = mean + np.exp(log_var / 2) * rng.normal(size=(draws,) + mean.shape)
    reconstruction = decoder.predict(z.reshape(-1, 2).astype(np.float32),
                                     batch_size=4096, verbose=0)
    summed_bce = binary_crossentropy(np.tile(x, (draws, 1)),
                                     reconstruction).sum(axis=1)
    expected = summed_bce.mean() + kl_divergence(mean, log_var).mean()
    losses = [auto.evaluate(x, x, batch_size=64, verbose=0)
              for _ in range(40)]
    assert np.std(losses) > 0  # the draws really differ
    np.testing.assert_allclose(np.mean(losses), expected, rtol=2e-3)


def test_training_lowers_the_loss():
    """Training on learnable data lowers the (stochastic) loss clearly."""
    auto = variational.autoencoder(16, [8], 2)[2]
    x = patterns(256, 16)
    before = auto.evaluate(x, x, verbose=0)
    auto.fit(x, x, epochs=30, batch_size=32, verbose=0)
    assert auto.evaluate(x, x, verbose=0) < before - 0.5
