#!/usr/bin/env python3
"""The mains run headless with EPOCHS=1 on a small MNIST-like file, print the
seed's values in the seed's shape and write their figures; bad data gives one
clear line and exit status 1."""
import os
import re
import shutil
import signal
import subprocess
import sys
import types

import numpy as np
import pytest

from conftest import ROOT, patterns, vanilla

from mains import figures, inputs, training

PROJECT_FILES = ['0-vanilla.py', '1-sparse.py', '2-convolutional.py',
                 '3-variational.py', '0-main.py', '1-main.py', '2-main.py',
                 '3-main.py', 'mains']
FIGURES = {'0-main.py': ['img_1.png', 'loss_0.png'],
           '1-main.py': ['img_2.png', 'loss_1.png'],
           '2-main.py': ['img_3.png', 'loss_2.png'],
           '3-main.py': ['img_4.png', 'img_5.png', 'img_6.png', 'loss_3.png']}
FLOAT = r'-?\d+(?:\.\d*)?(?:e[-+]?\d+)?'


def write_mnist(path, train=512, test=128, **overrides):
    """Writes a small file in the layout of Keras' mnist.npz: blurry random
    strokes as uint8 digits, with labels 0-9."""
    rng = np.random.default_rng(0)
    arrays = {}
    for split, count in (('train', train), ('test', test)):
        images = np.zeros((count, 28, 28), dtype=np.uint8)
        rows, cols = rng.integers(6, 22, size=(2, count))
        for i in range(count):
            images[i, rows[i] - 4:rows[i] + 4, cols[i] - 2:cols[i] + 2] = 255
        arrays['x_' + split] = images
        arrays['y_' + split] = rng.integers(0, 10, count).astype(np.uint8)
    arrays.update(overrides)
    np.savez(path, **arrays)
    return str(path)


@pytest.fixture(scope='module')
def project(tmp_path_factory):
    """A temporary copy of the project's code with a small MNIST file."""
    folder = tmp_path_factory.mktemp('project')
    copy_project(folder)
    return folder, write_mnist(folder / 'mnist.npz')


def copy_project(folder):
    """Copies the builders, the mains and their package into folder."""
    for name in PROJECT_FILES:
        if os.path.isdir(os.path.join(ROOT, name)):
            shutil.copytree(os.path.join(ROOT, name), folder / name,
                            ignore=shutil.ignore_patterns('__pycache__'))
        else:
            shutil.copy(os.path.join(ROOT, name), folder)


def main_environment(**env):
    """A student's environment, headless, with TensorFlow's settings left
    to the main, plus env."""
    environment = {key: value for key, value in os.environ.items()
                   if key not in ('DISPLAY', 'MNIST_PATH', 'EPOCHS', 'SEED',
                                  'TF_CPP_MIN_LOG_LEVEL',
                                  'TF_ENABLE_ONEDNN_OPTS')}
    environment.update(MPLBACKEND='Agg', **env)
    return environment


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


def test_helpers_set_tensorflows_environment_unless_the_user_did():
    """Importing the mains package turns oneDNN on and C++ logs down, before
    TensorFlow is imported; values the user set are kept."""
    script = ('import os; import mains; print('
              'os.environ["TF_ENABLE_ONEDNN_OPTS"], '
              'os.environ["TF_CPP_MIN_LOG_LEVEL"])')
    environment = {key: value for key, value in os.environ.items()
                   if key not in ('TF_ENABLE_ONEDNN_OPTS',
                                  'TF_CPP_MIN_LOG_LEVEL')}
    for extra, expected in (({}, '1 3'),
                            ({'TF_ENABLE_ONEDNN_OPTS': '0',
                              'TF_CPP_MIN_LOG_LEVEL': '1'}, '0 1')):
        result = subprocess.run([sys.executable, '-c', script], cwd=ROOT,
                                env=dict(environment, **extra),
                                capture_output=True, text=True, timeout=120)
        assert result.stdout.strip() == expected, result.stderr[-2000:]


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


@pytest.fixture(scope='module')
def long_project(tmp_path_factory):
    """A copy of the project with 25600 training digits: epochs last long
    enough to be interrupted."""
    folder = tmp_path_factory.mktemp('long_project')
    copy_project(folder)
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


def draw_loss_curve(monkeypatch, history, model_name):
    """Draws a loss curve without saving it; returns its figure."""
    drawn = []
    monkeypatch.setattr(figures, '_save_and_show',
                        lambda figure, filename: drawn.append(figure))
    figures.plot_loss_curve(types.SimpleNamespace(history=history),
                            'loss.png', 'title', 'BCE', model_name)
    return drawn[0]


def test_loss_curve_draws_both_losses_per_epoch(monkeypatch):
    """The curve has loss and val_loss against epochs 1..n, a log scale,
    labelled axes and a legend."""
    figure = draw_loss_curve(monkeypatch, {'loss': [0.3, 0.2, 0.15],
                                           'val_loss': [0.25, 0.18, 0.16]},
                             'vanilla')
    axis = figure.axes[0]
    lines = {line.get_label(): line for line in axis.get_lines()}
    assert list(lines['loss'].get_xdata()) == [1, 2, 3]
    assert list(lines['loss'].get_ydata()) == [0.3, 0.2, 0.15]
    assert list(lines['val_loss'].get_ydata()) == [0.25, 0.18, 0.16]
    assert axis.get_yscale() == 'log'
    assert (axis.get_xlabel(), axis.get_ylabel()) == ('epoch', 'BCE')
    assert [text.get_text() for text in axis.get_legend().get_texts()][
        ::2] == ['loss', 'val_loss']


def seed_log(main):
    """The (epoch, loss, val_loss) rows the seed printed for a main, read
    from the seed's specification."""
    path = os.path.join(ROOT, '..', 'shared', 'seed',
                        '0x04-autoencoders.md')
    if not os.path.exists(path):
        pytest.skip('no ../shared/seed/0x04-autoencoders.md')
    with open(path) as handle:
        text = handle.read()
    block = text.split('$ ./' + main)[1].split('```')[0]
    rows = re.findall(r'Epoch (\d+)/\d+\n.*loss: ({0}) - val_loss: ({0})'
                      .format(FLOAT), block)
    return [(int(epoch), float(loss), float(val_loss))
            for epoch, loss, val_loss in rows]


def markers(figure):
    """The seed's markers on a loss curve: {label: (epochs, values)}."""
    return {line.get_label(): (list(line.get_xdata()),
                               list(line.get_ydata()))
            for line in figure.axes[0].get_lines()
            if line.get_linestyle() == 'None'}


@pytest.mark.parametrize('main, model_name, epochs, count', [
    ('0-main.py', 'vanilla', 50, 10), ('1-main.py', 'sparse', 100, 10),
    ('3-main.py', 'variational', 50, 10), ('0-main.py', 'vanilla', 3, 3),
    ('3-main.py', 'variational', 47, 7)])
def test_loss_curve_marks_the_seeds_printed_epochs(monkeypatch, main,
                                                   model_name, epochs, count):
    """The seed's loss and val_loss stand at the epochs the seed printed,
    with its values, up to the epochs this run reached."""
    figure = draw_loss_curve(monkeypatch, {'loss': [1.0] * epochs,
                                           'val_loss': [1.0] * epochs},
                             model_name)
    expected = [row for row in seed_log(main) if row[0] <= epochs]
    assert len(expected) == count
    suffix = ", the seed's run on TensorFlow 1.12"
    assert markers(figure) == {
        'loss' + suffix: ([row[0] for row in expected],
                          [row[1] for row in expected]),
        'val_loss' + suffix: ([row[0] for row in expected],
                              [row[2] for row in expected])}


def test_convolutional_loss_curve_says_why_it_has_no_markers(monkeypatch):
    """The seed's conv losses fit no BCE: no markers, a note instead."""
    figure = draw_loss_curve(monkeypatch, {'loss': [0.2, 0.1],
                                           'val_loss': [0.2, 0.1]},
                             'convolutional')
    assert markers(figure) == {}
    notes = [text.get_text() for text in figure.texts]
    assert notes == [figures.NO_SEED_LOSSES['convolutional']]
    assert 'fit no binary cross-entropy' in notes[0]


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


KNOWN_LINES = (
    b'WARNING: All log messages before absl::InitializeLog() is called are '
    b'written to STDERR\n'
    b'I0000 00:00:1796148625.378658    2132 port.cc:153] oneDNN custom '
    b'operations are on. You may see slightly different numerical results\n'
    b'I0000 00:00:1796148625.378975    2132 cudart_stub.cc:31] Could not '
    b'find cuda drivers on your machine, GPU will not be used.\n')
HOLD_BACK = '''
import os, sys, warnings
from mains import startup
with startup.known_start_lines_held_back():
    os.write(2, {lines!r})
    warnings.warn('a warning while TensorFlow loads')
    os.write(2, {lines!r})
    sys.stderr.write('last line inside\\n')
    {ending}
print('after', file=sys.stderr)
'''


def hold_back(ending='pass', **env):
    """Runs known and unknown stderr lines through the filter in a fresh
    process; returns the result."""
    code = HOLD_BACK.format(lines=KNOWN_LINES, ending=ending)
    return subprocess.run([sys.executable, '-c', code], cwd=ROOT,
                          env=main_environment(**env), capture_output=True,
                          text=True, timeout=120)


def test_known_start_lines_are_held_back_and_the_rest_kept_in_order():
    """The known lines go; a warning and a line written while TensorFlow
    loads stay, in order, before what comes after."""
    result = hold_back()
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert 'UserWarning: a warning while TensorFlow loads' in lines[0]
    assert lines[-2:] == ['last line inside', 'after']
    for known in ('absl::InitializeLog', 'oneDNN custom', 'cuda drivers'):
        assert known not in result.stderr


@pytest.mark.parametrize('ending, status', [
    ('raise RuntimeError("import failed")', 1), ('os._exit(3)', 3)])
def test_lines_survive_a_failed_import_and_a_dying_process(ending, status):
    """A failed import's traceback, or a process that dies at once, still
    shows every line written before, in order."""
    result = hold_back(ending)
    assert result.returncode == status
    assert 'last line inside' in result.stderr
    assert 'oneDNN custom operations' not in result.stderr
    if status == 1:
        assert result.stderr.index('last line inside') < result.stderr.index(
            'RuntimeError: import failed')


def test_log_level_0_shows_the_known_lines():
    """TF_CPP_MIN_LOG_LEVEL=0 shows everything, as TensorFlow would."""
    result = hold_back(TF_CPP_MIN_LOG_LEVEL='0')
    assert 'oneDNN custom operations are on' in result.stderr
    assert 'Could not find cuda drivers' in result.stderr


def test_a_clean_main_writes_nothing_to_stderr(project):
    """EPOCHS=1 from start to end: not one line on stderr."""
    folder, mnist = project
    result = run_main(folder, '0-main.py', MNIST_PATH=mnist, EPOCHS='1')
    assert result.returncode == 0
    assert result.stderr == ''
