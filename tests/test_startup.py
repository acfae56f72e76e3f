#!/usr/bin/env python3
"""What importing the mains' package does before TensorFlow starts: its
environment unless the user set one, and TensorFlow's known start-up
lines held back while every other line passes in order."""
import os
import subprocess
import sys

import pytest

from conftest import ROOT, main_environment


def test_helpers_set_tensorflows_environment_unless_the_user_did():
    """Importing mains.startup turns oneDNN on and C++ logs down, before
    TensorFlow is imported; values the user set are kept."""
    script = ('import os; import mains.startup; print('
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


KNOWN_LINES = (
    b'WARNING: All log messages before absl::InitializeLog() is called are '
    b'written to STDERR\n'
    b'I0000 00:00:1796148625.378658    2132 port.cc:153] oneDNN custom '
    b'operations are on. You may see slightly different numerical results\n'
    b'I0000 00:00:1796148625.378975    2132 cudart_stub.cc:31] Could not '
    b'find cuda drivers on your machine, GPU will not be used.\n')
HOLD_BACK = '''
import os, sys, warnings
from mains import stack
with stack.known_start_lines_held_back():
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
