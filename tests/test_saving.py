#!/usr/bin/env python3
"""Every encoder, decoder and autoencoder saves to .keras and loads back,
without custom_objects, predicting, evaluating and training as before."""
import numpy as np
import pytest
import tensorflow.keras as keras

from conftest import (convolutional, patterns, pin_log_var, sparse,
                      vanilla, variational)

BUILDERS = {
    'vanilla': (lambda: vanilla.autoencoder(16, [8], 4), (16,)),
    'sparse': (lambda: sparse.sparse(16, [8], 4, 1e-3), (16,)),
    'convolutional': (lambda: convolutional.autoencoder(
        (12, 12, 1), [4, 4, 2], (2, 2, 2)), (12, 12, 1)),
    'variational': (lambda: variational.autoencoder(16, [8], 2), (16,)),
}


def round_trip(model, path):
    """Saves model to path and loads it back with no custom objects."""
    model.save(path)
    return keras.models.load_model(path)


@pytest.mark.parametrize('name', BUILDERS)
def test_models_round_trip(name, tmp_path):
    """After a little training, the loaded encoder, decoder and auto predict
    as the originals; auto evaluates to the same loss and trains on."""
    build, shape = BUILDERS[name]
    encoder, decoder, auto = build()
    if name == 'variational':
        pin_log_var(encoder)  # makes z, hence predictions, deterministic
    x = patterns(16, int(np.prod(shape))).reshape((16,) + shape)
    auto.fit(x, x, epochs=1, batch_size=8, verbose=0)  # optimizer state too
    code = encoder.predict(x, verbose=0)
    loaded = [round_trip(model, str(tmp_path / (model.name + '.keras')))
              for model in (encoder, decoder, auto)]

    loaded_code = loaded[0].predict(x, verbose=0)
    if name == 'variational':
        np.testing.assert_allclose(loaded_code[1:], code[1:], rtol=1e-6)
        code = code[1]  # the mean: a sample the decoder can be checked on
    else:
        np.testing.assert_allclose(loaded_code, code, rtol=1e-6)
    np.testing.assert_allclose(loaded[1].predict(code, verbose=0),
                               decoder.predict(code, verbose=0), rtol=1e-6)
    np.testing.assert_allclose(loaded[2].predict(x, verbose=0),
                               auto.predict(x, verbose=0),
                               rtol=1e-5, atol=1e-6)

    loss = auto.evaluate(x, x, batch_size=16, verbose=0)
    np.testing.assert_allclose(loaded[2].evaluate(x, x, batch_size=16,
                                                  verbose=0), loss, rtol=1e-5)
    assert loaded[2].loss == auto.loss or name == 'variational'
    history = loaded[2].fit(x, x, epochs=2, batch_size=8, verbose=0)
    assert np.isfinite(history.history['loss']).all()


def test_variational_loss_keeps_its_kl_term_after_loading(tmp_path):
    """The loaded VAE's loss is summed BCE plus KL, not BCE alone."""
    encoder, _, auto = variational.autoencoder(16, [8], 2)
    pin_log_var(encoder)
    x = patterns(16, 16)
    auto.fit(x, x, epochs=1, batch_size=8, verbose=0)
    loaded = round_trip(auto, str(tmp_path / 'vae.keras'))
    reconstruction = loaded.predict(x, verbose=0)
    summed_bce = loaded.loss(keras.backend.constant(x),
                             keras.backend.constant(reconstruction))
    loss = loaded.evaluate(x, x, batch_size=16, verbose=0)
    assert loss - np.mean(summed_bce) > 1  # the pinned KL is about 29 here


def test_sparse_penalty_survives_loading(tmp_path):
    """The loaded sparse encoder still carries lambtha's batch-summed L1."""
    encoder = sparse.sparse(16, [8], 4, 1e-3)[0]
    loaded = round_trip(encoder, str(tmp_path / 'encoder.keras'))
    penalty = loaded.layers[-1].activity_regularizer
    assert isinstance(penalty, sparse.BatchSumL1)
    assert penalty.lambtha == pytest.approx(1e-3)
