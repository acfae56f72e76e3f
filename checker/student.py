#!/usr/bin/env python3
"""Runs a student's code inside the worker: what it prints is kept, input(),
pdb and exit become errors, and each error is told in plain words with
the line of their file where it happened."""
import builtins
import errno
import contextlib
import copy
import importlib.util
import io
import os
import pdb
import sys

from checker import errors, sandbox


class Refused(Exception):
    """A call that a checked file may not make: input(), pdb, breakpoint()."""


def _refuse(what):
    """Returns a stand-in for `what` that raises Refused."""
    def refuse(*args, **kwargs):
        """Raises Refused instead of waiting for a person."""
        raise Refused(what)
    return refuse


class Printed(io.StringIO):
    """What their code prints: the first KEPT characters kept for the
    report, the rest passed on to the process's own output, where the
    grader's cap on output sees it."""

    KEPT = 100000

    def write(self, text):
        """Keeps text up to KEPT characters, passes on what is beyond."""
        room = max(self.KEPT - self.tell(), 0)
        if len(text) > room:
            sys.__stdout__.write(text[room:])
        return super().write(text[:room]) + len(text) - min(len(text), room)


def _limit(error):
    """The sandbox's words for an error that a limit of it raised, or ''."""
    if isinstance(error, sandbox.Refused):
        return error.strerror
    if isinstance(error, MemoryError):
        return sandbox.words('memory')
    if getattr(error, 'errno', None) == errno.EFBIG and sandbox.CAPS:
        return sandbox.words('output')
    return ''


class Student:
    """The student's file and every call into it."""

    def __init__(self, path, send, keras_3):
        """path: their file; send: writes one JSON line of results."""
        self.path = os.path.abspath(path)
        self.send, self.keras_3 = send, keras_3
        self.printed = []
        self.parameters = {}  # the builder's arguments of the latest build
        builtins.input = _refuse('input()')
        sys.breakpointhook = _refuse('breakpoint()')
        pdb.set_trace = _refuse('pdb.set_trace()')

    def run(self, stage, function, *args, **kwargs):
        """Returns (value, None), or (None, (error, detail, from_stack))
        when their code raises or exits; says first which stage runs, for
        a hang."""
        self.send({'stage': stage})
        printed = Printed()
        try:
            with contextlib.redirect_stdout(printed):
                return function(*args, **kwargs), None
        except SystemExit as error:
            return None, (error, 'Your file exits (sys.exit({!r})): a '
                                 'builder returns its models instead.'
                          .format(error.code), False)
        except Refused as error:
            return None, (error, 'Your file calls {}, which waits for a '
                                 'person; graders have none.'.format(error),
                          False)
        except Exception as error:
            limit = _limit(error)
            if limit:
                self.send({'limit': limit})
                return None, (error, 'Your file {} while {}{}.'.format(
                    limit, stage, '; the sandbox refused it' if isinstance(
                        error, sandbox.Refused) else ''), False)
            detail, from_stack = errors.describe(
                error, self.path, self.parameters, stage, self.keras_3)
            return None, (error, detail, from_stack)
        finally:
            self.printed.append(printed.getvalue())

    def load(self):
        """Imports their file as a module of its own name; returns (error
        or None, module)."""
        sys.path.insert(0, os.path.dirname(self.path))
        spec = importlib.util.spec_from_file_location('student_module',
                                                      self.path)
        module = importlib.util.module_from_spec(spec)
        return self.run('importing your file', spec.loader.exec_module,
                        module)[1], module

    def build(self, function, names, arguments, keywords, stage):
        """Calls their builder on fresh copies of the arguments, with
        keywords or by position; returns (value, error, changes), changes
        naming each argument the builder altered."""
        given = copy.deepcopy(list(arguments))
        self.parameters = dict(zip(names, copy.deepcopy(given)))
        if keywords:
            value, error = self.run(stage, function, **dict(zip(names,
                                                                given)))
        else:
            value, error = self.run(stage, function, *given)
        changes = [(name, before, after) for name, before, after
                   in zip(names, arguments, given) if before != after]
        return value, error, changes
