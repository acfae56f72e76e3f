#!/usr/bin/env python3
"""The student's file as the grader sees it: every question goes to the
student side through a channel, every answer comes back through the
protocol's checks, and each is asked once and kept. An answer the grader
cannot use, or an error their code raised, becomes an Answer whose
failure is told in plain words; nothing of the student side is trusted
further than its data."""
import collections

from checker import protocol
from checker.checks import errors, report
from checker.checks.answer import Answer
from checker.checks.student_computations import Computations

Build = collections.namedtuple('Build', 'models returned changes')
Names = collections.namedtuple('Names', 'callable functions')
Signature = collections.namedtuple('Signature', 'parameters name binds')


class StudentFile(Computations):
    """One student file behind its channel."""

    def __init__(self, task, source, channel, reference, keras_3):
        """source: the file's text; channel: asks the student side;
        reference: the task's, drawn from the run's seed, whose weights
        the computations send."""
        self.task, self.source, self.channel = task, source, channel
        self.reference, self.keras_3 = reference, keras_3
        self.vae = task.name == 'variational'
        self.found = {}

    def ask(self, stage, check, build_arguments=(), **message):
        """Asks once per key and keeps the Answer: check(ok) validates the
        value; an error answer is told as the student's mistake, in terms
        of build_arguments, those of the build it concerns."""
        key = tuple(repr(message.get(name)) for name in (
            'ask', 'key', 'arguments', 'models', 'purpose'))
        if key not in self.found:
            self.found[key] = self._asked(stage, check, message,
                                          build_arguments)
        return self.found[key]

    def _asked(self, stage, check, message, arguments):
        """One question and its answer, checked."""
        try:
            found = self.channel.ask(message, stage)
            claims = protocol.claims(found.get('limits', []))
            self.channel.claim(claims)
            if 'error' in found:
                return self._error(protocol.error(found['error']), stage,
                                   claims, arguments)
            if 'ok' not in found:
                raise protocol.Invalid('an answer with neither a value nor '
                                       'an error')
            return Answer(check(found['ok'], found))
        except protocol.Invalid as reason:
            return Answer(failure='Your file\'s process answered with {} '
                          'while {}, which the grader cannot use.'.format(
                              reason, stage))

    def _error(self, error, stage, claims, arguments):
        """An error their code raised, in plain words."""
        if error['kind'] == 'exit':
            return Answer(failure='Your file exits (sys.exit({})): a builder '
                          'returns its models instead.'.format(
                              error['message']))
        if error['kind'] == 'refused':
            return Answer(failure='Your file calls {}, which waits for a '
                          'person; graders have none.'.format(
                              error['message']))
        limit = self._limit(error, claims)
        if limit:
            if error['type'] != 'Refused':  # a refusal is claimed already
                self.channel.claim([limit])  # a limit it hit, for the tables
            return Answer(failure='Your file {} while {}.'.format(limit,
                                                                  stage))
        detail, from_stack = errors.describe(
            error, self.source, dict(zip(self.task.parameters, arguments)),
            stage, self.keras_3)
        return Answer(failure=detail, from_stack=from_stack, error=error)

    def _limit(self, error, claims):
        """The report's words where a limit of the sandbox raised the error:
        its audit hook (the student side's word), memory, or disk."""
        caps = self.channel.caps
        if error['type'] == 'Refused' and claims:
            return report.unlinked(claims[-1]) + '; the sandbox refused it'
        if errors.is_a(error, 'MemoryError'):
            return report.limit_words('memory', caps.get('memory'))
        if error['errno'] in (27, 28) and caps.get('disk'):  # EFBIG, ENOSPC
            return report.limit_words('disk', caps['disk'])
        return ''

    def module(self):
        """Imports the file: which of the task's builders are callable and
        which functions the file defines."""
        return self.ask('importing your file',
                        lambda value, found: Names(
                            **protocol.answers.names(value)),
                        ask='import',
                        names=list(self.task.functions))

    def builder(self):
        """The name of their builder: the task's first name they define."""
        answer = self.module()
        names = [] if answer.failure else answer.value.callable
        return next((name for name in self.task.functions if name in names),
                    None)

    def signature(self):
        """The builder's parameters as an inspect.Signature, its name and
        whether the task's parameter names bind; None where it is not a
        plain function."""
        def check(value, found):
            """A name and parameters of known kinds."""
            found = protocol.answers.signature(value)
            return found and Signature(*found, _binds(
                found[0], self.task.parameters))
        return self.ask('reading your builder', check, ask='signature',
                        name=self.builder())

    def keywords(self):
        """True when the builder binds the task's parameter names."""
        found = self.signature().value
        return bool(found and found.binds)

    def build(self, arguments, stage):
        """Calls their builder on the arguments: the models' tables, or what
        it returned instead, and each argument it changed."""
        def check(value, found):
            """Tables of three models, or the types of what came back."""
            tables, returned, after = protocol.answers.build(
                value, found, arguments, self.vae)
            return Build(tables, returned, [
                (name, before, later) for name, before, later
                in zip(self.task.parameters, arguments, after)
                if before != later])
        return self.ask(stage, check, arguments, ask='build',
                        name=self.builder(),
                        parameters=list(self.task.parameters),
                        arguments=protocol.arguments(arguments),
                        keywords=self.keywords(), key=repr(arguments),
                        vae=self.vae)

    def exercise(self):
        """The build of the task's own configuration."""
        return self.build(self.task.configurations[0].arguments,
                          'building the task\'s configuration')

    def built(self):
        """The tables of the task's own configuration's models."""
        return self.exercise().value.models

    @property
    def roles(self):
        """The VAE encoder's roles: which output is z, mean, log_var."""
        return self.built().encoder.roles


def _binds(signature, parameters):
    """True when a call with the parameters' names as keywords binds."""
    try:
        signature.bind(**{name: None for name in parameters})
        return True
    except TypeError:
        return False
