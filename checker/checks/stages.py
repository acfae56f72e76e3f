#!/usr/bin/env python3
"""The stages of a student's file, each made once, when a check first
takes it, as a typed value: the file read (`source`), imported
(`imported`), its builder read (`builder`), built on a configuration
(`built`; `exercise` on the task's own), compiled (`compiled`), its
description tied to a computation (`described`), compared with the
reference's (`compared`), what it printed (`printed`), and computed: the
build the computations run on (`computed`), the reference's weights
paired with its layers (`paired`), outputs (`ran`), the loss
(`evaluated`), one step (`stepped`), samples (`sampled`). A question the
student side could not answer usefully is a stage's value too: an Answer
with its failure.

A check is a function whose parameters name the stages it takes, and
besides them what it is given: the `task`, its `reference`, the
`configuration`, and for a check that runs where one of its needs failed,
the key of that check (`failed`, else None). The questions go to the
student side through checker/checks/student.py, in the order in which the
checks take their stages."""
import collections
import inspect

from checker.checks.diff import compare_model
from checker.checks.source import Source

# The models compared with the reference's layer by layer: the
# differences in words, and where there are none, what they computed with
# the reference's weights (an Answer); None where nothing was built.
Compared = collections.namedtuple('Compared', 'differences ran')
# The task's build's auto as compiled: its loss and optimizer, as the
# student side's table says them.
Compiled = collections.namedtuple('Compiled', 'loss optimizer')
GIVEN = ('task', 'reference', 'configuration', 'failed')


def _built(stages, configuration):
    """The build of a configuration."""
    if configuration == stages.task.configurations[0]:
        return stages.student.exercise()
    return stages.student.build(configuration.arguments,
                                'building ' + configuration.label)


def _compiled(stages, configuration):
    """The loss and optimizer auto is compiled with; None where the task's
    build gave no models."""
    answer = stages.make('exercise', configuration)
    if answer.failure or answer.value.models is None:
        return None
    auto = answer.value.models.auto
    return Compiled(auto['loss'], auto['optimizer'])


def _described(stages, configuration):
    """'' where the task's build's tables are what its models compute,
    else why not; None where it built no models."""
    answer = stages.make('exercise', configuration)
    if answer.failure or answer.value.models is None:
        return None
    return stages.reference.described(stages.student)


def _compared(stages, configuration):
    """The configuration's encoder and decoder against the reference's,
    layer by layer; where the tables say they are the reference's, run
    with its weights, to hold them to it."""
    answer = stages.make('built', configuration)
    if answer.failure or answer.value.models is None:
        return None
    built = answer.value.models
    reference = stages.reference.tables(configuration.arguments)
    differences = [compare_model(stages.task, part, student_table,
                                 reference_table, configuration.arguments)
                   for part, student_table, reference_table in (
                       ('encoder', built.encoder, reference.encoder),
                       ('decoder', built.decoder, reference.decoder))]
    differences = '\n'.join(text for text in differences if text)
    return Compared(differences, None if differences else
                    stages.student.parts(configuration.arguments, answer))


# Each stage: how it is made from the student's file, and whether it is
# made per configuration (else once a file).
MAKERS = {
    'source': (lambda stages, _: Source(stages.student.source), False),
    'imported': (lambda stages, _: stages.student.module(), False),
    'builder': (lambda stages, _: stages.student.signature(), False),
    'exercise': (lambda stages, _: stages.student.exercise(), False),
    'built': (_built, True),
    'compiled': (_compiled, False),
    'described': (_described, False),
    'compared': (_compared, True),
    'printed': (lambda stages, _: stages.student.channel.printed(), False),
    'computed': (lambda stages, _: stages.student.computed_models(), False),
    'paired': (lambda stages, _: stages.student.paired(), False),
    'ran': (lambda stages, _: stages.student.outputs(), False),
    'evaluated': (lambda stages, _: stages.student.loss(), False),
    'stepped': (lambda stages, _: stages.student.step(), False),
    'sampled': (lambda stages, _: stages.student.sample(), False),
}


def taken(function):
    """The names a check's function takes, in order."""
    return list(inspect.signature(function).parameters)


class Stages:
    """The stages of one student's file, made once each."""

    def __init__(self, student, reference):
        """student: the file behind its channel (a StudentFile);
        reference: the task's."""
        self.student, self.reference = student, reference
        self.task = student.task
        self.made = {}

    def make(self, name, configuration):
        """One stage's value, made where it was not yet."""
        maker, per_configuration = MAKERS[name]
        key = (name, repr(configuration.arguments)
               if per_configuration else None)
        if key not in self.made:
            self.made[key] = maker(self, configuration)
        return self.made[key]

    def given(self, function, configuration, failed=None):
        """The arguments of a check's function: the stages it names, made
        in the order of its parameters, and what it is given."""
        given = {'task': self.task, 'reference': self.reference,
                 'configuration': configuration, 'failed': failed}
        return {name: given[name] if name in GIVEN
                else self.make(name, configuration)
                for name in taken(function)}
