#!/usr/bin/env python3
"""./check.py against fault fixtures: each known student mistake fails the
check it should, of the kind it should, and no other structure or
computation check; our own files, a correct student's and a copy of ours
with style faults alone pass all but what they should."""
import json
import os
import re
import shutil
import subprocess
import sys

import pytest

import faults
from checker.checks import table
from checker.checks.report import KINDS
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


CAUSES = {
    'vae: no KL term': 'KL term missing: your loss equals the '
                       'reconstruction term alone.',
    'vae: decodes the mean': 'decodes the mean',
    'vae: noise scaled by the variance': 'exp(log_var), the variance',
    'vae: noise a tenth of the spread': 'a tenth',
    'vae: eps drawn with stddev 0.1': 'stddev=0.1',
    'vae: reconstruction averaged over the pixels': 'averaged over the 784 '
                                                    'inputs',
    'vae: KL averaged over the latent dimensions': 'averaged over the 2 '
                                                   'latent',
    'vae: binary cross-entropy summed over axis 1': 'no axis 1',
    'vae: a Sampling layer subclass': 'keras.layers.Lambda',
    'vae: a Lambda that reads mean and log_var from outside': 'Lambda',
    'vae: a copy of the vanilla autoencoder': 'the vanilla autoencoder',
    'vae: one Dense layer for mean and log_var': 'one Dense layer for each',
    'vae: outputs mean, log_var, z and auto decodes the first':
        'Your encoder returns [mean, log_var, z]',
    'vae: loss closes over the encoder\'s tensors (2020)': 'from outside',
    'sparse: L1 penalty on the kernel': 'kernel_regularizer on encoder '
                                        'layer 3',
    'sparse: no penalty': 'no L1 penalty',
    'sparse: a penalty ten times too strong': 'is 10 x lambtha',
    'sparse: no lambtha parameter': 'no parameter lambtha',
    'vanilla: renamed parameters': 'calls by keyword',
    'vanilla: indexes hidden_layers[0]': 'indexes a list',
    'vanilla: a loop variable used after the loop': 'loop',
    'vanilla: an unbuilt Sequential encoder': 'no InputLayer',
    'vanilla: decoder not reversed': 'reversed(hidden_layers)',
    'vanilla: relu on the last layer': 'activation sigmoid',
    'vanilla: the decoder built on the encoder\'s input': 'keras.Input',
    'vanilla: a BinaryCrossentropy object': 'a BinaryCrossentropy object',
    'conv: same padding in the second-to-last convolution':
        "second-to-last convolution with filters[0] = 16 has padding 'same'",
    'conv: a 5 x 5 kernel in the encoder': 'kernel size 3 x 3',
    'conv: an extra Conv2D after the last pooling':
        'extra Conv2D (8 filters) after its last MaxPooling2D',
    'conv: a Cropping2D in place of the valid padding': "Cropping2D",
    'conv: a decoder without the convolution of filters[0]':
        'lacks the second-to-last convolution with filters[0] = 16',
    'conv: valid pooling and a Resizing': "pooling layers use padding "
                                          "'valid'",
    'conv: a name set in the loop used after it': 'with filters = [8] that '
                                                  'loop does not run',
    'conv: a NameError': 'did you mean latent_inputs?',
    'conv: a builder that reverses its filters': 'list(filters)',
    'vanilla: hangs at import': 'hangs',
    'vanilla: input() at import': 'input()',
    'vanilla: a syntax error': 'Python cannot read your file at line',
}
KERAS_2_CAUSES = {
    'vae: sampling with backend operations outside a layer': 'TFOpLambda',
    'vae: decoder gets all three encoder outputs': 'pass z alone',
}
# What a student never needs to read: TensorFlow's reprs and internals.
INTERNALS = re.compile(r'KerasTensor\(|<KerasTensor|tf\.Tensor\(|Tensor\("|'
                       r'0x[0-9a-f]{4,}|Placeholder|(\w+Error): \1|\{\}|'
                       r' object at |\{\{node')
OUR_WORDS = re.compile(r'\bseed\b|code layer', re.I)


def failed_details(report):
    """The details of a report's failed checks, joined."""
    return ' '.join(entry['detail'] for entry in report['checks']
                    if entry['passed'] is False)


@pytest.mark.parametrize('name', sorted(CAUSES))
def test_failures_name_the_cause(fault_reports, name):
    """The known mistakes are named in a sentence with their key words."""
    assert CAUSES[name] in failed_details(fault_reports[name])


@pytest.mark.skipif(KERAS_3, reason='these fail at build on Keras 3')
@pytest.mark.parametrize('name', sorted(KERAS_2_CAUSES))
def test_keras_2_failures_name_the_cause(fault_reports, name):
    """Mistakes that Keras 2 lets build are named there too."""
    assert KERAS_2_CAUSES[name] in failed_details(fault_reports[name])


def test_reports_speak_plainly(fault_reports):
    """No detail holds TensorFlow's internals; no name or detail says our
    words for the task; no configuration beyond the exercise fails before
    a check of the exercise's own configuration."""
    for name, report in fault_reports.items():
        for entry in report['checks']:
            assert not INTERNALS.search(entry['detail']), (name, entry)
            assert not OUR_WORDS.search(entry['name'] + entry['detail']), \
                (name, entry)
            assert entry['beyond_exercise'] == (
                '(beyond the exercise)' in entry['name'])
        verdicts = [entry['beyond_exercise'] for entry in report['checks']
                    if entry['passed'] is False]
        assert verdicts == sorted(verdicts), name


def test_one_mistake_one_message(fault_reports):
    """A VAE whose encoder returns the mean first is told its order, not
    also that it decodes the mean; a builder that reverses its filters is
    checked in full and fails the arguments check alone."""
    order = fault_reports['vae: outputs mean, log_var, z and auto decodes '
                          'the first']
    assert 'decodes the mean' not in failed_details(order)
    reversing = fault_reports['conv: a builder that reverses its filters']
    assert all(entry['passed'] is not None for entry in reversing['checks'])


def test_checks_come_from_the_one_table():
    """Our files' reports hold the table's checks in its order, each with
    its id, the configurations beyond the exercise numbered after it."""
    _, reports = check(*[os.path.join(ROOT, name) for name in BUILDERS])
    for report in reports.values():
        keys = [check_key(entry['name']) for entry in report['checks']]
        order = [entry.key for entry in table.CHECKS
                 if report['task'] in entry.tasks
                 and entry.key not in ('finishes', 'limits')]
        assert [key for index, key in enumerate(keys)
                if key not in keys[:index]] == order
        numbers = iter(range(1, len(keys) + 1))
        assert [entry['id'] for entry in report['checks']] == [
            '{}.{}'.format(table.BY_KEY[key].id, next(numbers))
            if key == 'beyond' else table.BY_KEY[key].id for key in keys]


def check_key(name):
    """The table's key of a check's name in a report: of the names that
    fit, the one with the most fixed words."""
    for entry in sorted(table.CHECKS, key=lambda entry: -len(
            re.sub(r'\{[^}]*\}', '', entry.name))):
        pattern = re.escape(entry.name)
        pattern = re.sub(r'\\\{[^}]*\\\}', '.+', pattern)
        if re.fullmatch(pattern, name):
            return entry.key
    raise AssertionError(name)


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


def test_a_relative_path_names_the_same_file():
    """A path given from the current folder is the file there, though its
    process works in the file's own folder."""
    run = subprocess.run(
        [sys.executable, os.path.join(ROOT, 'check.py'), '--json',
         os.path.join('tests', 'fixtures', 'student', '0-vanilla.py')],
        cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-2000:]
    assert json.loads(run.stdout)[0]['file'] == os.path.join(
        'tests', 'fixtures', 'student', '0-vanilla.py')


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
