#!/usr/bin/env python3
"""Every benchmark runs in its smallest mode, on a small MNIST-like file in
a copy of the project, so that a rename in the mains or the builders
breaks a test here rather than a benchmark found broken a month later.
The figures they print are not checked: timings do not belong in tests."""
import os
import subprocess
import sys

import pytest

from conftest import ROOT, copy_project, main_environment, write_mnist

COPIED = ['0-vanilla.py', '1-sparse.py', '2-convolutional.py',
          '3-variational.py', '0-main.py', '1-main.py', '2-main.py',
          '3-main.py', 'check.py', 'mains', 'checker', 'benchmarks']
# benchmark: (arguments of its smallest mode, a line it must print)
SMALLEST = {
    'whole_run.py': (['--epochs', '2', '--repeats', '1', '--models',
                      'vanilla'], '| vanilla |'),
    'epoch_rates.py': (['--main', '0-main.py', '--processes', '1',
                        '--epochs', '2', 'default', 'steps5'],
                       '| steps5 |'),
    'xla_break_even.py': (['--models', 'vanilla', '--epochs', '2',
                           '--tries', '1'], '| vanilla |'),
    'conv_layers.py': (['--repeats', '1'], 'whole training step'),
    'textbook_main.py': (['0-main.py'], 'saved 0x04-images/loss_0.png'),
    'iterator_stall.py': (['--epochs', '2', '--pause', '0'], ''),
    'torch_anchor.py': (['--epochs', '1', '--model', 'vanilla'], ''),
    'shared.py': ([], ''),
    'class_grading.py': (['--students', '2', '--files', '3', '--repeats',
                          '1'], '| one student, 0-vanilla.py, the grader'),
}


@pytest.fixture(scope='module')
def project(tmp_path_factory):
    """A copy of the project with its benchmarks, and a small MNIST file."""
    folder = tmp_path_factory.mktemp('benchmarked')
    copy_project(folder, COPIED)
    return folder, write_mnist(folder / 'mnist.npz', train=1024, test=256)


def test_every_benchmark_has_a_smallest_mode():
    """A new benchmark gets its line in SMALLEST."""
    scripts = sorted(name for name in os.listdir(os.path.join(ROOT,
                                                              'benchmarks'))
                     if name.endswith('.py'))
    assert scripts == sorted(SMALLEST)


@pytest.mark.parametrize('script', sorted(SMALLEST))
def test_benchmark_runs_in_its_smallest_mode(project, script):
    """It ends with status 0 and prints the line its result starts with."""
    folder, mnist = project
    arguments, expected = SMALLEST[script]
    if script == 'torch_anchor.py':
        pytest.importorskip('torch', reason='PyTorch is not installed')
    result = subprocess.run(
        [sys.executable, os.path.join('benchmarks', script)] + arguments,
        cwd=folder, env=main_environment(MNIST_PATH=mnist, EPOCHS='1'),
        capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    assert expected in result.stdout, result.stdout[-3000:]
