#!/usr/bin/env python3
"""./check.py against fault fixtures: each known student mistake fails the
check it should, of the kind it should, and no other structure or
computation check; our own files, a correct student's and a copy of ours
with style faults alone pass all but what they should."""
import json
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

import faults
from checker.report import KINDS
from conftest import KERAS_3, ROOT

BUILDERS = ['0-vanilla.py', '1-sparse.py', '2-convolutional.py',
            '3-variational.py']


def check(*paths, timeout=60):
    """Runs ./check.py --json on paths; returns (exit status, reports by
    file)."""
    run = subprocess.run(
        [sys.executable, os.path.join(ROOT, 'check.py'), '--json',
         '--timeout', str(timeout)] + [str(path) for path in paths],
        capture_output=True, text=True, timeout=900)
    assert run.returncode in (0, 1), run.stderr[-2000:]
    return run.returncode, {report['file']: report
                            for report in json.loads(run.stdout)}


def failed(report, kinds=('interface', 'structure', 'compile',
                          'computation')):
    """The (name, kind) of the failed checks of the given kinds, sorted."""
    return sorted((entry['name'], entry['kind'])
                  for entry in report['checks']
                  if entry['passed'] is False and entry['kind'] in kinds)


def write_all(folder, table):
    """Writes each fault of table into folder; returns {name: path}."""
    return {name: faults.write_fault(str(folder), name, fault)
            for name, fault in table.items()}


@pytest.fixture(scope='module')
def fault_reports(tmp_path_factory):
    """Every fault checked in one run of ./check.py, and the stoppers in a
    second one with a 30 s limit."""
    folder = tmp_path_factory.mktemp('faults')
    paths = write_all(folder, faults.FAULTS)
    stoppers = write_all(folder, faults.STOPPERS)
    reports = check(*paths.values())[1]
    reports.update(check(*stoppers.values(), timeout=30)[1])
    return {name: reports[path]
            for name, path in {**paths, **stoppers}.items()}


@pytest.mark.parametrize('name', sorted({**faults.FAULTS, **faults.STOPPERS}))
def test_fault_fails_where_it_should(fault_reports, name):
    """The fault fails exactly its expected checks, file rules aside."""
    fault = {**faults.FAULTS, **faults.STOPPERS}[name]
    report = fault_reports[name]
    assert failed(report) == faults.expected_failures(fault, KERAS_3), \
        json.dumps(report['checks'], indent=1)
    assert report['passed'] == (not failed(report, kinds=KINDS))


def test_failures_say_why(fault_reports):
    """Failures show theirs beside ours or the error, and the known ones
    name the cause in a sentence."""
    causes = {
        'vae: no KL term': 'KL term missing: your loss equals the '
                           'reconstruction term alone.',
        'vae: decodes the mean': 'decodes the mean',
        'vae: noise scaled by the variance': 'exp(log_var), the variance',
        'vae: reconstruction averaged over the pixels': 'averaged over the '
                                                        '784 inputs',
        'vae: KL averaged over the latent dimensions': 'averaged over the 2 '
                                                       'latent',
        'sparse: L1 penalty on the kernel': 'kernel_regularizer on encoder '
                                            'layer 3',
        'sparse: no penalty': 'no L1 penalty',
        'sparse: a penalty ten times too strong': 'is 0.31',
        'vanilla: indexes hidden_layers[0]': 'indexes hidden_layers',
        'vanilla: an unbuilt Sequential encoder': 'no InputLayer',
        'conv: same padding in the second-to-last convolution':
            'second-to-last convolution uses valid',
        'vae: a Sampling layer subclass': 'keras.layers.Lambda',
        'vanilla: hangs at import': 'hangs',
        'vanilla: input() at import': 'input()',
    }
    for name, sentence in causes.items():
        details = ' '.join(entry['detail']
                           for entry in fault_reports[name]['checks']
                           if entry['passed'] is False)
        assert sentence in details, (name, details)


def test_own_files_pass_every_check():
    """This project's four builders, checked against themselves."""
    status, reports = check(*[os.path.join(ROOT, name) for name in BUILDERS])
    assert status == 0
    for report in reports.values():
        assert failed(report, kinds=KINDS) == []
        assert all(entry['passed'] for entry in report['checks'])


def test_a_correct_student_solution_passes(tmp_path):
    """The students' usual style, keras.regularizers.l1 included: that
    penalty's mean over the batch is the stack's, and is said so."""
    status, reports = check(faults.STUDENT)
    assert status == 0 and len(reports) == 4
    sparse = next(report for report in reports.values()
                  if report['task'] == 1)
    loss = next(entry for entry in sparse['checks']
                if entry['name'] == 'loss that evaluate returns')
    assert 'comes from the stack, not from you' in loss['detail']


def test_style_faults_fail_only_file_checks(tmp_path):
    """Our files with CRLF ends, a long line, a wrong shebang, no final
    newline, an undocumented nested function and no run bit."""
    breakages = {
        '0-vanilla.py': lambda text: text.replace('\n', '\r\n'),
        '1-sparse.py': lambda text: text.replace(
            '#!/usr/bin/env python3', '#!/usr/bin/python3') + '# ' + 'x' * 80,
        '2-convolutional.py': lambda text: text.rstrip('\n'),
        '3-variational.py': lambda text: text.replace(
            '    """Builds and compiles a variational autoencoder.',
            '    def helper():\n        return 1\n\n'
            '    """Builds and compiles a variational autoencoder.'),
    }
    for name, breaking in breakages.items():
        with open(os.path.join(ROOT, name), newline='') as handle:
            text = breaking(handle.read())
        with open(tmp_path / name, 'w', newline='') as handle:
            handle.write(text)
        shutil.copymode(os.path.join(ROOT, name), tmp_path / name)
    os.chmod(tmp_path / '2-convolutional.py', 0o644)
    status, reports = check(tmp_path)
    assert status == 1
    failures = {os.path.basename(path): failed(report, kinds=('file',))
                for path, report in reports.items()}
    assert all(failed(report) == [] for report in reports.values())
    assert ('Unix line ends', 'file') in failures['0-vanilla.py']
    assert ('first line is #!/usr/bin/env python3', 'file') \
        in failures['1-sparse.py']
    assert ('file ends with a newline', 'file') \
        in failures['2-convolutional.py']
    assert ('file is executable', 'file') in failures['2-convolutional.py']
    assert [name for name, _ in failures['3-variational.py']] == [
        'module, classes and functions have docstrings']


def test_usage_errors_exit_2(tmp_path):
    """A missing path, or a folder with no task file, is a usage error."""
    for paths in ([str(tmp_path / 'nowhere')], [str(tmp_path)]):
        run = subprocess.run([sys.executable, os.path.join(ROOT, 'check.py')]
                             + paths, capture_output=True, text=True)
        assert run.returncode == 2
        assert run.stderr.startswith('check.py: error: ')
        assert 'Traceback' not in run.stderr


@pytest.mark.skipif(not os.path.isdir('/proc'), reason='needs /proc')
def test_ctrl_c_stops_every_worker():
    """Ctrl-C ends ./check.py with one line, and no worker outlives it."""
    process = subprocess.Popen(
        [sys.executable, os.path.join(ROOT, 'check.py'), ROOT],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(3)  # the workers are importing TensorFlow
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130
    assert err.strip() == 'check.py: interrupted; no report'
    assert not [pid for pid in os.listdir('/proc') if pid.isdigit()
                and b'checker.worker' in command_line(pid)]


def command_line(pid):
    """A process's command line, or nothing if it has ended."""
    try:
        with open('/proc/{}/cmdline'.format(pid), 'rb') as handle:
            return handle.read()
    except OSError:
        return b''
