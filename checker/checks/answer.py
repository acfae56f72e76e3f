#!/usr/bin/env python3
"""What one question to the student side got: an Answer, its value or its
failure in plain words; or Ended, when the file's process ended or was
stopped before it answered."""


class Ended(Exception):
    """The file's process ended or was stopped: no more answers."""


class Answer:
    """What a question got: a value, or a failure in plain words, with
    whether the stack rather than the student caused it and the reason
    that the checks needing this one are not run."""

    def __init__(self, value=None, failure='', from_stack=False, blocks=''):
        """value where the student side answered; failure where it did not.
        """
        self.value, self.failure = value, failure
        self.from_stack, self.blocks = from_stack, blocks
        self.error = None

    def verdict(self, blocks=''):
        """A check's (passed, detail, reason) for a failure: not run where
        the stack caused it, failed otherwise."""
        return (None if self.from_stack else False, self.failure,
                self.blocks or blocks)
