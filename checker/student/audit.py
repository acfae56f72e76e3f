#!/usr/bin/env python3
"""An audit hook (sys.addaudithook) that refuses what Python code of the
checked file tries against the sandbox, and names it once in the report's
words: writing outside its folder, reading a hidden folder, opening a
socket. The kernel's layers refuse the same and more; this only puts the
attempt into words, which the grader reports as the student side's own
word."""
import errno
import os
import sys

from checker.student.sandbox import WRITABLE_DEVICES, beneath

# Audited calls that change files, and which of their arguments they change.
CHANGES = {'os.remove': (0,), 'os.rmdir': (0,), 'os.mkdir': (0,),
           'os.chmod': (0,), 'os.chown': (0,), 'os.truncate': (0,),
           'os.utime': (0,), 'shutil.rmtree': (0,), 'os.rename': (0, 1),
           'shutil.move': (0, 1), 'os.link': (1,), 'os.symlink': (1,),
           'shutil.copyfile': (1,), 'shutil.copytree': (1,)}
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND


class Refused(PermissionError):
    """What the sandbox refused a file, in the report's words."""


def watch(copy, hidden, readable, refusals):
    """Adds the hook: refusals gets each sentence once. Reads beneath the
    hidden folders are refused, but for those beneath a readable one (the
    Python folders that a hidden project may hold)."""
    inside = os.path.realpath(copy)
    closed = [os.path.realpath(path) for path in hidden]
    opened = [os.path.realpath(path) for path in readable]

    def refuse(sentence):
        """Records the sentence once and refuses the call."""
        if sentence not in refusals:
            refusals.append(sentence)
        raise Refused(errno.EACCES, sentence)

    def hook(event, arguments):
        """Judges one audited call of the checked file."""
        if event == 'socket.__new__':
            refuse('tried to open a network connection')
        paths, writes = _paths(event, arguments)
        for path in paths:
            where = os.path.realpath(os.path.join(os.getcwd(), path))
            in_copy = beneath(where, inside)
            if writes and not (in_copy or where in WRITABLE_DEVICES):
                refuse('tried to write outside its folder: ' + where)
            if not in_copy and _beneath(where, closed) \
                    and not _beneath(where, opened):
                refuse('tried to read outside its folder: ' + where)
    sys.addaudithook(hook)


def _beneath(path, folders):
    """True when path is one of the folders or lies beneath one."""
    return any(beneath(path, folder) for folder in folders)


def _paths(event, arguments):
    """The paths an audited call names, and whether it would change them."""
    if event == 'open':
        path, mode, flags = arguments
        writes = bool(set(mode or '') & set('wax+')) or bool(
            (flags or 0) & WRITE_FLAGS)
        return ([os.fsdecode(path)] if isinstance(path, (str, bytes))
                else []), writes
    if event in CHANGES:
        names = [arguments[index] for index in CHANGES[event]]
        return [os.fsdecode(name) for name in names
                if isinstance(name, (str, bytes))], True
    return [], False
