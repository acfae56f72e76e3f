#!/usr/bin/env python3
"""What one question to the student side got: an Answer, its value or its
failure in plain words; or Ended, when the file's process ended or was
stopped before it answered."""
import collections


class Ended(Exception):
    """The file's process ended or was stopped: no more answers."""


class Answer(collections.namedtuple(
        'Answer', 'value failure from_stack blocks error',
        defaults=(None, '', False, '', None))):
    """What a question got, made once: a value, or a failure in plain
    words, with whether the stack rather than the student caused it, the
    reason that the checks needing this one are not run, and the error
    their code raised (the protocol's dict), where it raised one."""

    def verdict(self, blocks=''):
        """A check's (passed, detail, reason) for a failure: not run where
        the stack caused it, failed otherwise."""
        return (None if self.from_stack else False, self.failure,
                self.blocks or blocks)
