#!/usr/bin/env python3
"""Every check of ./check.py, declared once, in the report's order: its id,
which never changes (a letter for its kind and the next free number; a
check removed leaves its id unused), its key,
the name the report gives it, its kind, the tasks it applies to, the
checks it needs to have passed first besides those its stages need
(`after`), what its failure means for those, when it passes, and the
function that judges it (the file rules are judged apart, in
checker/checks/rules.py; the last two in checker/checks/limits.py, from
what the runner saw). A check needs the check that judges each stage its
function takes (STAGE_JUDGES), then those it names after.
The report's order, the checks not run after a failure and the docs'
table of checks (`python3 -m checker.checks.table`) all come from here.
"""
import collections

from checker.checks import computation, interface, sampling, structure
from checker.checks.stages import taken

Check = collections.namedtuple(
    'Check', 'id key name kind tasks after blocks passes function')
ALL, VAE = (0, 1, 2, 3), (3,)

CHECKS = (
    Check('F01', 'shebang',
          'first line is #!/usr/bin/env python3', 'file', ALL,
          (), '', 'the first line is exactly `#!/usr/bin/env python3`',
          None),
    Check('F02', 'run bit',
          'file is executable', 'file', ALL, (), '',
          'the file has its run bit, as graders run it',
          None),
    Check('F03', 'newline',
          'file ends with a newline', 'file', ALL, (), '',
          'the last line ends with a newline',
          None),
    Check('F04', 'line ends',
          'Unix line ends', 'file', ALL, (), '',
          'no CRLF ends, which make the shebang name `python3\\r`',
          None),
    Check('F05', 'style',
          'pycodestyle {pycodestyle} passes', 'file', ALL, (), '',
          'pycodestyle 2.11, the graders\' version, with its defaults, '
          'reports nothing',
          None),
    Check('F06', 'docstrings',
          'module, classes and functions have docstrings',
          'file', ALL, (), '',
          'the module, every class and every function, nested ones too, '
          'has one',
          None),
    Check('F07', 'import',
          'only import tensorflow.keras as keras', 'file', ALL,
          (), '', 'no other import',
          None),
    Check('I01', 'imports',
          'imports without error', 'interface', ALL, (),
          'your file does not import',
          'importing raises nothing, exits nothing, asks for no input',
          interface.imports),
    Check('I02', 'defines',
          'defines {builder}', 'interface', ALL, (),
          'your file has no builder to call',
          '`autoencoder` exists; for sparse `sparse` or `autoencoder`, and '
          'the report says which',
          interface.defines),
    Check('I03', 'parameters',
          'takes {parameters}', 'interface', ALL,
          (), '',
          'a call with the task\'s keyword names binds',
          interface.parameters),
    Check('I04', 'returns',
          'returns encoder, decoder, auto (Keras models)',
          'interface', ALL, (),
          'the task\'s configuration does not build',
          'the task\'s configuration gives three Keras models, which '
          'compute what the file\'s process describes of them',
          interface.returns),
    Check('I05', 'arguments',
          'leaves its arguments unchanged', 'interface', ALL,
          (), '',
          'the lists and tuples it was given are the same after the call',
          interface.arguments),
    Check('I06', 'auto layers',
          'auto.layers is [InputLayer, encoder, decoder]',
          'interface', ALL, (), '',
          'it is `[InputLayer, encoder, decoder]`, as graders print it',
          interface.auto_layers),
    Check('S01', 'structure',
          'structure: {configuration}', 'structure', ALL,
          (),
          'the structure differs from the reference\'s; mend that first',
          'encoder and decoder match the reference layer by layer on the '
          'task\'s configuration; each layer extra, missing or different is '
          'named',
          structure.structure),
    Check('S02', 'output order',
          'structure: encoder outputs z, mean, log_var',
          'structure', VAE, ('structure',),
          'the encoder\'s outputs are not z, mean, log_var',
          'they are `z, mean, log_var` in that order, each `(None, latent)`',
          structure.output_order),
    Check('C01', 'loss',
          'loss', 'compile', ALL, (),
          'the loss differs at compile',
          '`\'binary_crossentropy\'`, as graders print `auto.loss`; for the '
          'VAE any loss, judged by its value',
          structure.loss),
    Check('C02', 'optimizer',
          'optimizer', 'compile', ALL, (),
          'the optimizer differs, so the step would too',
          'Adam with learning rate 0.001; `\'adam\'` and `Adam()` are fine',
          structure.optimizer),
    Check('V01', 'outputs',
          'outputs on a fixed batch', 'computation', ALL,
          ('structure', 'output order'), 'predict fails',
          'with the reference\'s weights in yours, encoder, decoder and '
          'auto agree within 1e-5 + 1e-4 x abs(reference)',
          computation.outputs),
    Check('V02', 'spread',
          'sampling: z = mean + exp(log_var / 2) * eps',
          'computation', VAE, ('outputs',), '',
          'z over 4096 copies of one input is centred on the mean and '
          'spreads 0.9-1.1 x exp(log_var / 2)',
          sampling.spread),
    Check('V03', 'decodes z',
          'sampling: auto decodes z, not the mean',
          'computation', VAE, ('outputs',), '',
          'auto\'s output varies over those copies as the grader\'s own '
          'decoding of the file\'s z does',
          sampling.decodes_z),
    Check('V04', 'loss value',
          'loss that evaluate returns', 'computation', ALL,
          ('outputs', 'loss'), 'the loss differs from the reference\'s',
          '`evaluate` on the same batch agrees within 1e-4 x abs(reference)',
          computation.loss_value),
    Check('V05', 'step',
          'weights after one training step', 'computation', ALL,
          ('optimizer',), '',
          'after one `train_on_batch`, at most 0.1% of the weights moved '
          'differently by more than a tenth of the learning rate',
          computation.step),
    Check('S03', 'beyond',
          'structure: {configuration} (beyond the exercise)',
          'structure', ALL, (), '',
          'the same layer by layer comparison on other configurations a '
          'grader may try',
          structure.beyond),
    Check('I07', 'prints',
          'prints nothing while imported and built', 'interface',
          ALL, (), '', 'importing and building printed nothing',
          interface.prints),
    Check('I08', 'finishes',
          'finishes within {timeout:g} s', 'interface', ALL, (),
          '', 'added only when the file hung past `--timeout` or its '
          'process died',
          None),
    Check('I09', 'limits',
          'stays inside the grader\'s sandbox', 'interface', ALL,
          (), '', 'added only when a file tried to write outside its '
          'folder, read another\'s, open the network, or used more memory, '
          'processes or disk, or printed more, than `--class` allows',
          None),
)
BY_KEY = {check.key: check for check in CHECKS}
BY_ID = {check.id: check for check in CHECKS}
# The check that judges each stage (checker/checks/stages.py): a check
# that takes the stage needs it to have passed.
STAGE_JUDGES = {'imported': 'imports', 'builder': 'defines',
                'built': 'returns', 'exercise': 'returns',
                'compiled': 'returns', 'described': 'returns',
                'compared': 'structure', 'ran': 'outputs',
                'evaluated': 'loss value', 'stepped': 'step'}
# What a check can still find where one of its needs failed, from evidence
# that does not depend on that need (the failed check's key is given as
# `failed`), once the models are built: a function of stages gives a
# result, True where the check's own function can judge, or None where it
# truly cannot run.
ALONE = {'output order': structure.output_order_alone,
         'outputs': computation.outputs_alone,
         'spread': sampling.spread_alone,
         'decodes z': sampling.decodes_z_alone,
         'loss value': computation.loss_value_alone,
         'beyond': structure.beyond_alone}


def needs(check):
    """The checks that must pass before this one runs, in order: the
    judges of the stages its function takes, then those it names after."""
    judges = [STAGE_JUDGES.get(stage) for stage in taken(check.function)] \
        if check.function else []
    return tuple(dict.fromkeys(
        [judge for judge in judges if judge not in (None, check.key)]
        + list(check.after)))


NEEDS = {check.key: needs(check) for check in CHECKS}


def for_task(task):
    """The checks of one task, in the report's order."""
    return [check for check in CHECKS if task.number in check.tasks]


def name(key, **values):
    """The report's name of a check, its placeholders filled in."""
    return BY_KEY[key].name.format(**values)


def as_markdown():
    """The table of checks that the docs show."""
    lines = ['| id | kind | check | tasks | passes when |',
             '|---|---|---|---|---|']
    for check in CHECKS:
        tasks = 'all' if check.tasks == ALL else 'variational'
        name = check.name.replace('{', '<').replace('}', '>')
        lines.append('| {} | {} | {} | {} | {} |'.format(
            check.id, check.kind, name.replace(':g>', '>'), tasks,
            check.passes))
    return '\n'.join(lines)


if __name__ == '__main__':
    print(as_markdown())
