#!/usr/bin/env python3
"""The mains' inputs: EPOCHS and SEED read from the environment, MNIST
loaded, checked and scaled, and pipelines that reshuffle every epoch; bad
settings and bad data give one clear line and exit status 1."""
import numpy as np
import pytest

from conftest import write_mnist

from mains import inputs


def expect_exit(capsys, *words):
    """Asserts that load_mnist exits 1 with one stderr line holding words."""
    with pytest.raises(SystemExit) as exit_info:
        inputs.load_mnist((784,))
    assert exit_info.value.code == 1
    message = capsys.readouterr().err
    assert message.count('\n') == 1
    for word in ('MNIST_PATH',) + words:
        assert word in message


def test_missing_file(monkeypatch, capsys, tmp_path):
    """A path that does not exist is named in the error."""
    monkeypatch.setenv('MNIST_PATH', str(tmp_path / 'nope.npz'))
    expect_exit(capsys, 'nope.npz')


def test_corrupt_file(monkeypatch, capsys, tmp_path):
    """A file that is not an npz archive is refused."""
    path = tmp_path / 'corrupt.npz'
    path.write_bytes(b'PK\x03\x04 not really a zip archive')
    monkeypatch.setenv('MNIST_PATH', str(path))
    expect_exit(capsys, 'corrupt.npz')


def test_wrongly_shaped_file(monkeypatch, capsys, tmp_path):
    """Flattened images are refused, naming the array and its shape."""
    flat = np.zeros((512, 784), dtype=np.uint8)
    monkeypatch.setenv('MNIST_PATH', write_mnist(tmp_path / 'flat.npz',
                                                 x_train=flat))
    expect_exit(capsys, 'x_train', '(512, 784)')


def test_file_without_labels(monkeypatch, capsys, tmp_path):
    """A file missing one of the four arrays is refused, naming it."""
    path = tmp_path / 'partial.npz'
    np.savez(path, x_train=np.zeros((4, 28, 28), np.uint8))
    monkeypatch.setenv('MNIST_PATH', str(path))
    expect_exit(capsys, 'y_train')


def test_scaling_and_shapes(monkeypatch, tmp_path):
    """Pixels come back in [0, 1] as float32, flat or with a channel axis."""
    monkeypatch.setenv('MNIST_PATH', write_mnist(tmp_path / 'm.npz'))
    (x_train, y_train), (x_test, _) = inputs.load_mnist((784,))
    assert x_train.shape == (512, 784) and x_train.dtype == np.float32
    assert x_train.max() == 1 and x_train.min() == 0
    assert y_train.shape == (512,)
    assert inputs.load_mnist((28, 28, 1))[1][0].shape == (
        128, 28, 28, 1)


@pytest.mark.parametrize('value', ['0', '-2', 'ten', '1.5'])
def test_bad_epochs(monkeypatch, capsys, value):
    """EPOCHS must be a positive integer."""
    monkeypatch.setenv('EPOCHS', value)
    with pytest.raises(SystemExit):
        inputs.epochs(50)
    assert 'EPOCHS' in capsys.readouterr().err


@pytest.mark.parametrize('value', ['-1', 'one', '0.5'])
def test_bad_seed(monkeypatch, capsys, value):
    """SEED must be a non-negative integer."""
    monkeypatch.setenv('SEED', value)
    with pytest.raises(SystemExit):
        inputs.seed()
    assert 'SEED must be a non-negative integer' in capsys.readouterr().err


def test_seed_default_and_override(monkeypatch):
    """SEED defaults to 0 and seeds NumPy's global generator, among others."""
    monkeypatch.delenv('SEED', raising=False)
    assert inputs.seed() == 0
    assert np.random.random() == np.random.RandomState(0).random_sample()
    monkeypatch.setenv('SEED', '7')
    assert inputs.seed() == 7
    assert np.random.random() == np.random.RandomState(7).random_sample()


def test_pipelines_reshuffle_every_epoch_without_tf_data_autotuning():
    """Each epoch is a new permutation of all training digits; both
    pipelines have autotuning off, whose thread stalls epochs."""
    x_train = np.arange(600, dtype=np.float32).reshape(600, 1)
    training, validation = inputs.batches(x_train, x_train[:100])
    orders = [np.concatenate([inputs.numpy()[:, 0] for inputs, _ in training])
              for _ in range(2)]
    for order in orders:
        np.testing.assert_array_equal(np.sort(order), x_train[:, 0])
    assert not np.array_equal(orders[0], orders[1])
    assert training.options().autotune.enabled is False
    assert validation.options().autotune.enabled is False


def test_epochs_default_and_override(monkeypatch):
    """EPOCHS overrides the seed's count; unset, the count is kept."""
    monkeypatch.delenv('EPOCHS', raising=False)
    assert inputs.epochs(50) == 50
    monkeypatch.setenv('EPOCHS', '3')
    assert inputs.epochs(50) == 3
