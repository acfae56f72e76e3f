#!/usr/bin/env python3
"""Whole runs of the mains, headless with EPOCHS=1 on a small MNIST-like
file: they print the seed's values in the seed's shape, write their figures
and nothing on stderr, stop on Ctrl-C, and give one line without data."""
import os
import re
import signal
import subprocess
import sys

import numpy as np
import pytest

from conftest import FLOAT, ROOT, copy_project, main_environment, write_mnist

PROJECT_FILES = ['0-vanilla.py', '1-sparse.py', '2-convolutional.py',
                 '3-variational.py', '0-main.py', '1-main.py', '2-main.py',
                 '3-main.py', 'mains']
FIGURES = {'0-main.py': ['img_1.png', 'loss_0.png'],
           '1-main.py': ['img_2.png', 'loss_1.png'],
           '2-main.py': ['img_3.png', 'loss_2.png'],
           '3-main.py': ['img_4.png', 'img_5.png', 'img_6.png', 'loss_3.png']}


@pytest.fixture(scope='module')
def project(tmp_path_factory):
    """A temporary copy of the project's code with a small MNIST file."""
    folder = tmp_path_factory.mktemp('project')
    copy_project(folder, PROJECT_FILES)
    return folder, write_mnist(folder / 'mnist.npz')


def run_main(folder, main, **env):
    """Runs a main as a student would and returns the result."""
    return subprocess.run([sys.executable, main], cwd=folder,
                          env=main_environment(**env), capture_output=True,
                          text=True, timeout=300)


def printed_number(result):
    """Returns the one number a main 0-2 printed on a line of its own."""
    assert result.returncode == 0, result.stderr[-2000:]
    numbers = re.findall(r'^({})$'.format(FLOAT), result.stdout, re.M)
    assert len(numbers) == 1
    return float(numbers[0])


@pytest.mark.parametrize('main', ['0-main.py', '1-main.py', '2-main.py'])
def test_mains_print_the_mean_code_and_save_the_figure(project, main):
    """Mains 0-2 print one number, the mean code, and write their PNG and
    loss curve; no TensorFlow C++ error line (cuInit's on machines without
    a GPU) reaches the student."""
    folder, mnist = project
    result = run_main(folder, main, MNIST_PATH=mnist, EPOCHS='2')
    assert printed_number(result) >= 0
    assert 'val_loss' in result.stdout  # Keras' progress bar
    assert not re.search(r'^E0000|cuInit', result.stderr, re.M)
    assert 'shuffle=True' not in result.stderr  # no warning from fit
    for figure in FIGURES[main]:
        assert (folder / '0x04-images' / figure).stat().st_size > 1000


def test_seed_changes_the_run(project):
    """SEED=1 starts from other weights than the default SEED=0."""
    folder, mnist = project
    default, other = (printed_number(run_main(folder, '0-main.py',
                                              MNIST_PATH=mnist, EPOCHS='1',
                                              **seed))
                      for seed in ({}, {'SEED': '1'}))
    assert default != other


def test_variational_main_prints_means_and_deviations(project):
    """Main 3 prints two 10 x 2 arrays, mu then exp(log_var / 2), and writes
    its three figures and its loss curve."""
    folder, mnist = project
    result = run_main(folder, '3-main.py', MNIST_PATH=mnist, EPOCHS='2')
    assert result.returncode == 0, result.stderr[-2000:]
    rows = re.findall(r'^ ?\[?\[ *({0}) +({0}) *\]\]?$'.format(FLOAT),
                      result.stdout, re.M)
    assert len(rows) == 20
    deviations = np.array(rows[10:], dtype=float)
    assert (deviations > 0).all()
    for figure in FIGURES['3-main.py']:
        assert (folder / '0x04-images' / figure).stat().st_size > 1000


def test_main_without_data_exits_1_with_one_line(project, tmp_path):
    """No MNIST_PATH and no way to download: one line naming MNIST_PATH,
    status 1, no traceback. Downloads go to a closed local port."""
    folder, _ = project
    blocked = 'http://127.0.0.1:9'
    result = run_main(folder, '0-main.py', HOME=str(tmp_path),
                      KERAS_HOME=str(tmp_path), HTTP_PROXY=blocked,
                      HTTPS_PROXY=blocked, http_proxy=blocked,
                      https_proxy=blocked)
    assert result.returncode == 1
    assert 'Traceback' not in result.stderr
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith('error: could not load MNIST')
    assert 'MNIST_PATH' in last_line


def test_main_checks_epochs_before_loading_data(project):
    """A bad EPOCHS is named at once, before MNIST is looked for."""
    folder, _ = project
    result = run_main(folder, '2-main.py', EPOCHS='ten',
                      MNIST_PATH=str(folder / 'missing.npz'))
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        "error: EPOCHS must be a positive integer, got 'ten'")


@pytest.mark.parametrize('main', sorted(FIGURES))
def test_mains_set_tensorflows_environment_first(main):
    """A main imports the mains package, which sets TensorFlow's environment,
    before the builder, and never imports TensorFlow itself."""
    with open(os.path.join(ROOT, main)) as handle:
        source = handle.read()
    assert 'import tensorflow' not in source
    assert source.index('from mains import') < source.index('__import__(')


@pytest.fixture(scope='module')
def long_project(tmp_path_factory):
    """A copy of the project with 25600 training digits: epochs last long
    enough to be interrupted."""
    folder = tmp_path_factory.mktemp('long_project')
    copy_project(folder, PROJECT_FILES)
    return folder, write_mnist(folder / 'mnist.npz', train=25600, test=256)


def interrupt_in_epoch_3(folder, mnist, count):
    """Starts 0-main.py for 50 epochs and sends it a Ctrl-C once epoch 3 has
    begun; with count=2, another once the main has said it stopped.
    Returns (exit status, stdout, stderr)."""
    process = subprocess.Popen(
        [sys.executable, '0-main.py'], cwd=folder, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True,
        env=main_environment(MNIST_PATH=mnist, EPOCHS='50',
                             PYTHONUNBUFFERED='1'))
    seen = ''
    for awaited in ('Epoch 3/50', 'Ctrl-C: stopped')[:count]:
        while awaited not in seen:
            line = process.stdout.readline()
            assert line, 'the main ended before {!r}: {}'.format(
                awaited, seen[-2000:])
            seen += line
        process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=120)
    return process.returncode, seen + out, err


def test_first_ctrl_c_stops_training_and_keeps_the_results(long_project):
    """Ctrl-C in epoch 3: one line says so, no later epoch runs, the mean
    code and every figure come from the weights trained so far, status 0."""
    folder, mnist = long_project
    for figure in FIGURES['0-main.py']:
        (folder / '0x04-images' / figure).unlink(missing_ok=True)
    status, out, err = interrupt_in_epoch_3(folder, mnist, 1)
    assert status == 0, err[-2000:]
    assert 'Traceback' not in err
    stops = re.findall(r'^Ctrl-C: stopped training in epoch (\d+) of 50;',
                       out, re.M)
    assert stops in (['3'], ['4'])
    assert 'Epoch 5/50' not in out
    assert len(re.findall(r'^({})$'.format(FLOAT), out, re.M)) == 1
    for figure in FIGURES['0-main.py']:
        assert (folder / '0x04-images' / figure).stat().st_size > 1000


def test_second_ctrl_c_ends_the_main_at_once(long_project):
    """A second Ctrl-C does not wait for the figures: the main dies."""
    folder, mnist = long_project
    status, out, _ = interrupt_in_epoch_3(folder, mnist, 2)
    assert status != 0
    assert not re.search(r'^saved 0x04-images/loss_0.png', out, re.M)


def test_a_clean_main_writes_nothing_to_stderr(project):
    """EPOCHS=1 from start to end: not one line on stderr."""
    folder, mnist = project
    result = run_main(folder, '0-main.py', MNIST_PATH=mnist, EPOCHS='1')
    assert result.returncode == 0
    assert result.stderr == ''
