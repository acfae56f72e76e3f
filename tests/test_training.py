#!/usr/bin/env python3
"""How the mains train: each row of the policy's table in docs/speed.md with
the device faked, no XLA where the device has none, steps per call that
keep the progress bar within the epoch, plain builders in TF1 mode, and
train's batches, validation and Ctrl-C."""
import os
import re
import signal
import subprocess
import sys
import types

import numpy as np
import pytest
import tensorflow as tf

from conftest import ROOT, patterns, vanilla

from mains import training

DENSE_MODELS = ['vanilla', 'sparse', 'variational']


def steps_per_execution(model):
    """The steps per call a compiled model runs, on Keras 3 and Keras 2."""
    value = getattr(model, 'steps_per_execution', None)
    if value is None:
        value = model._steps_per_execution
    return int(getattr(value, 'numpy', lambda: value)())


@pytest.mark.parametrize('name', DENSE_MODELS)
def test_cpu_dense_models_use_xla_from_their_break_even(name):
    """Dense models on a CPU: XLA from the break-even epoch count of this
    Keras on, never below it, never where it does not pay; steps per call
    from steps_per_call either way."""
    break_even = training.xla_break_even(name)
    assert break_even is None or break_even > 1
    lengths = [1, 50, 100]
    if break_even:
        lengths += [break_even - 1, break_even]
    for epoch_count in lengths:
        use_xla = bool(break_even) and epoch_count >= break_even
        assert training.compile_options(name, epoch_count, 235, 'cpu') \
            == {'jit_compile': use_xla, 'steps_per_execution': 47}


def test_break_even_table_covers_both_kerases():
    """Each Keras has a row for each model; XLA pays for some dense model
    on each, never for the convolutional one."""
    for table in training.XLA_BREAK_EVEN.values():
        assert sorted(table) == sorted(DENSE_MODELS + ['convolutional'])
        assert table['convolutional'] is None
        assert any(table[name] for name in DENSE_MODELS)


def test_cpu_convolutional_model_never_uses_xla():
    """XLA makes the convolutional model slower on a CPU at any length."""
    for epoch_count in (1, 50, 1000):
        assert training.compile_options(
            'convolutional', epoch_count, 235, 'cpu') == {
                'jit_compile': False, 'steps_per_execution': 47}


@pytest.mark.parametrize('name', DENSE_MODELS + ['convolutional'])
def test_cuda_keeps_keras_defaults_and_other_devices_get_no_xla(name):
    """A CUDA GPU keeps the builder's compile (unmeasured here); any other
    accelerator, such as Apple's Metal plugin, never gets XLA."""
    assert training.compile_options(name, 100, 235, 'cuda') == {}
    assert training.compile_options(name, 100, 235, 'other') == {
        'jit_compile': False}


def fake_devices(monkeypatch, types_seen, built_with_cuda):
    """Makes TensorFlow report devices of the given types."""
    devices = [types.SimpleNamespace(device_type=kind) for kind in types_seen]
    monkeypatch.setattr(tf.config, 'list_physical_devices',
                        lambda kind=None: devices)
    monkeypatch.setattr(tf.test, 'is_built_with_cuda',
                        lambda: built_with_cuda)


@pytest.mark.parametrize('types_seen, built_with_cuda, expected', [
    (['CPU'], False, 'cpu'), (['CPU'], True, 'cpu'),
    (['CPU', 'GPU'], True, 'cuda'), (['CPU', 'GPU'], False, 'other'),
    (['CPU', 'TPU'], True, 'other')])
def test_device_kind(monkeypatch, types_seen, built_with_cuda, expected):
    """CUDA only for GPUs in a CUDA build: Metal's GPU is 'other'."""
    fake_devices(monkeypatch, types_seen, built_with_cuda)
    assert training.device_kind() == expected


def test_train_applies_the_policy_and_requests_no_xla_without_it(
        monkeypatch):
    """train compiles as the policy says: XLA on the CPU for a run at the
    break-even length, none on a Metal-like device for the same run."""
    name = next(name for name in DENSE_MODELS
                if training.xla_break_even(name))  # any dense model:
    epoch_count = training.xla_break_even(name)  # the names decide
    x = patterns(600, 16)
    auto = vanilla.autoencoder(16, [8], 4)[2]
    training.train(auto, x, x[:100], epoch_count, name)
    assert auto.jit_compile is True
    assert steps_per_execution(auto) == 3

    fake_devices(monkeypatch, ['CPU', 'GPU'], False)
    auto = vanilla.autoencoder(16, [8], 4)[2]
    training.train(auto, x, x[:100], epoch_count, name)
    assert auto.jit_compile is False
    assert steps_per_execution(auto) == 1


@pytest.mark.parametrize('steps, expected', [
    (235, 47), (3, 3), (1, 1), (64, 32), (96, 32), (40, 40), (13, 13)])
def test_steps_per_call_divides_the_epoch(steps, expected):
    """The divisor of the epoch's steps nearest 32, on a log scale."""
    assert training.steps_per_call(steps) == expected


def test_progress_bar_never_passes_the_epochs_steps(capfd):
    """235 batches with 47 steps a call: the bar ends at 235/235."""
    x = patterns(235 * 256 - 100, 16)  # the last batch is short, as MNIST's
    auto = vanilla.autoencoder(16, [8], 4)[2]
    training.train(auto, x, x[:256], 1, 'vanilla')
    counts = [int(done) for done in
              re.findall(r'(\d+)/235\b', capfd.readouterr().out)]
    assert counts and max(counts) == 235


@pytest.mark.skipif(not tf.__version__.startswith('2.15.'),
                    reason='TF1 graph mode is checked on TensorFlow 2.15')
def test_builders_build_and_fit_in_tf1_graph_mode():
    """Students who run TensorFlow 2.15 with disable_v2_behavior() can build
    and fit every builder: their compile takes no TF2-only options."""
    script = '''
import numpy as np
import tensorflow.compat.v1 as tf
tf.disable_v2_behavior()
x = np.random.default_rng(0).random((64, 16)).astype('float32')
images = np.random.default_rng(0).random((8, 12, 12, 1)).astype('float32')
for name, arguments, data in (
        ('0-vanilla', (16, [8], 4), x),
        ('1-sparse', (16, [8], 4, 1e-3), x),
        ('2-convolutional', ((12, 12, 1), [4, 4, 2], (2, 2, 2)), images),
        ('3-variational', (16, [8], 2), x)):
    module = __import__(name)
    build = getattr(module, 'sparse', None) or module.autoencoder
    auto = build(*arguments)[2]
    history = auto.fit(data, data, epochs=2, batch_size=8, verbose=0)
    assert np.isfinite(history.history['loss']).all(), name
    print(name, 'ok')
'''
    result = subprocess.run([sys.executable, '-c', script], cwd=ROOT,
                            capture_output=True, text=True, timeout=300,
                            env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL='3'))
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.split() == [
        '0-vanilla', 'ok', '1-sparse', 'ok', '2-convolutional', 'ok',
        '3-variational', 'ok']


def test_train_runs_batches_of_256_and_validates_on_the_test_set():
    """Two epochs of 600 digits take 3 steps each (256, 256, 88), the loss
    falls, and val_loss is the loss on the test images as targets too."""
    auto = vanilla.autoencoder(16, [8], 4)[2]
    x_train, x_test = patterns(600, 16), patterns(100, 16, seed=1)
    history = training.train(auto, x_train, x_test, 2, 'vanilla').history
    assert int(auto.optimizer.iterations.numpy()) == 6
    assert history['loss'][1] < history['loss'][0]
    np.testing.assert_allclose(history['val_loss'][-1],
                               auto.evaluate(x_test, x_test, verbose=0),
                               rtol=1e-5)


def test_train_gives_ctrl_c_back_when_fit_fails(monkeypatch):
    """fit raising after the Ctrl-C handler went in (inputs of the wrong
    width) still leaves Ctrl-C as it was before train."""
    installed = []
    install = signal.signal
    monkeypatch.setattr(signal, 'signal', lambda number, handler: (
        installed.append(handler), install(number, handler))[1])
    before = signal.getsignal(signal.SIGINT)
    auto = vanilla.autoencoder(16, [8], 4)[2]
    x = patterns(300, 17)
    with pytest.raises(ValueError):
        training.train(auto, x, x[:50], 1, 'vanilla')
    assert any(getattr(handler, '__name__', '') == '_stop'
               for handler in installed)
    assert signal.getsignal(signal.SIGINT) is before
