#!/usr/bin/env python3
"""A class's submissions, judged before anything of them is touched: every
entry is looked at with lstat and never opened in a way that can block.
Each folder in SUBMISSIONS is a student, named as the file system names it
(bytes that are not UTF-8 included); their task files are the regular
files of those names nearest the top of their folder, a task file of
another kind or past TASK_CAP reported in plain words. Their copy holds
only what a file may need: regular files up to FILE_CAP, folders, and
links that stay inside, up to ENTRY_CAP entries in all; the rest is
named as left out."""
import collections
import hashlib
import os
import stat

from checker.checks.report import shown
from checker.checks.tasks import BY_FILENAME

TASK_CAP = 2 ** 20  # bytes of a task file
FILE_CAP = 10 * 2 ** 20  # bytes of any other file copied
ENTRY_CAP = 2000  # entries looked at in one student's folder
DEPTH_CAP = 8  # folders deep
IGNORED = (b'__pycache__', b'node_modules')
KINDS = ((stat.S_ISDIR, 'a folder'), (stat.S_ISLNK, 'a symbolic link'),
         (stat.S_ISFIFO, 'a named pipe'), (stat.S_ISSOCK, 'a socket'),
         (stat.S_ISCHR, 'a device'), (stat.S_ISBLK, 'a device'))

Submission = collections.namedtuple(
    'Submission', 'name folder files problems entries left note')
Entry = collections.namedtuple('Entry', 'path mode size')


def kind(mode):
    """What an entry that is not a regular file is, in a few words."""
    return next((words for test, words in KINDS if test(mode)),
                'not a regular file')


def safe(name):
    """A name as a folder of the results may be named: letters, digits, _
    and - kept, every other byte as %XX; a long one cut, with a hash of
    the whole, so that no two students share a folder."""
    raw = os.fsencode(name)
    text = ''.join(chr(byte) if chr(byte).isalnum() and byte < 128
                   or byte in b'_-' else '%{:02X}'.format(byte)
                   for byte in raw)
    if len(text) > 120:
        text = text[:100] + '-' + hashlib.sha256(raw).hexdigest()[:16]
    return text


def students(root):
    """Every student of the class, in the order of their names' bytes: a
    folder is a student; a link or a special file in a student's place is
    one too, with nothing to check."""
    found = []
    for entry in sorted(os.scandir(os.fsencode(root)),
                        key=lambda entry: entry.name):
        if entry.name.startswith(b'.'):
            continue
        mode = entry.stat(follow_symlinks=False).st_mode
        name = os.fsdecode(entry.name)
        if stat.S_ISDIR(mode):
            found.append(judge(name, entry.path))
        elif not stat.S_ISREG(mode):
            found.append(Submission(name, entry.path, [], {}, [], [],
                                    '{} is {}, not a folder: not followed'
                                    .format(shown(name), kind(mode))))
    return found


def _walk(folder):
    """Every entry beneath folder, links not followed, as (relative path,
    Entry), breadth first up to the caps; and what the caps left out."""
    found, left, queue = [], [], [b'']
    while queue:
        relative = queue.pop(0)
        try:
            listing = sorted(os.scandir(os.path.join(folder, relative)),
                             key=lambda entry: entry.name)
        except OSError:
            continue
        for entry in listing:
            path = os.path.join(relative, entry.name)
            if len(found) >= ENTRY_CAP:
                left.append('{} and more: past {} entries'.format(
                    shown(path), ENTRY_CAP))
                return found, left
            info = entry.stat(follow_symlinks=False)
            found.append((path, Entry(entry.path, info.st_mode,
                                      info.st_size)))
            if stat.S_ISDIR(info.st_mode) and not entry.name.startswith(
                    b'.') and entry.name not in IGNORED:
                if path.count(b'/') + 1 >= DEPTH_CAP:
                    left.append('{}: past {} folders deep'.format(
                        shown(path), DEPTH_CAP))
                else:
                    queue.append(path)
    return found, left


def judge(name, folder):
    """One student: their task files in the folder nearest the top that
    holds any, each judged; their folder's entries, for the copy."""
    folder = os.fsencode(folder)
    entries, left = _walk(folder)
    named = [(path, entry) for path, entry in entries
             if os.path.basename(path) in _FILENAMES and not any(
                 part.startswith(b'.') or part in IGNORED
                 for part in path.split(b'/')[:-1])]
    if not named:
        return Submission(name, folder, [], {}, entries, left, '')
    depth = min(path.count(b'/') for path, _ in named)
    places = sorted({os.path.dirname(path) for path, _ in named
                     if path.count(b'/') == depth})
    note = ''
    if len(places) > 1:
        note = 'task files in {} folders at the same depth: {}; checked {}'\
            .format(len(places), ', '.join(shown(place) for place in places),
                    shown(places[0]))
    files, problems = [], {}
    for path, entry in named:
        if os.path.dirname(path) != places[0]:
            continue
        task = BY_FILENAME[os.fsdecode(os.path.basename(path))]
        if not stat.S_ISREG(entry.mode):
            problems[task.number] = '{} is {}, not a file'.format(
                task.filename, kind(entry.mode))
        elif entry.size > TASK_CAP:
            problems[task.number] = ('{} is {:.1f} MB, past the cap of {:g} '
                                     'MB for a task file'.format(
                                         task.filename, entry.size / 2 ** 20,
                                         TASK_CAP / 2 ** 20))
        else:
            files.append((task, entry.path))
    return Submission(name, folder, sorted(files, key=lambda f: f[0].number),
                      problems, entries, left, note)


_FILENAMES = {os.fsencode(name) for name in BY_FILENAME}


def read(path, cap=TASK_CAP):
    """A regular file's bytes, read without following a link or waiting on
    a pipe; None where it is no longer a regular file within cap."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW)
    except OSError:
        return None
    with os.fdopen(handle, 'rb') as stream:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode) or info.st_size > cap:
            return None
        return stream.read(cap + 1)[:cap]


def copy(submission, target, total):
    """Copies what a file may need of the student's folder into target, up
    to total bytes; returns what it left out, in words."""
    left, used = list(submission.left), 0
    os.makedirs(target, exist_ok=True)
    for path, entry in submission.entries:
        where = os.path.join(os.fsencode(target), path)
        if not os.path.isdir(os.path.dirname(where)):
            continue  # beneath a folder left out
        if stat.S_ISDIR(entry.mode):
            os.mkdir(where, 0o755)
        elif stat.S_ISLNK(entry.mode):
            _link(entry, path, where, submission, left)
        elif not stat.S_ISREG(entry.mode):
            left.append('{}: {}'.format(shown(path), kind(entry.mode)))
        elif entry.size > FILE_CAP or used + entry.size > total:
            left.append('{}: {:.1f} MB, past the cap'.format(
                shown(path), entry.size / 2 ** 20))
        else:
            data = read(entry.path, FILE_CAP)
            if data is None:
                left.append('{}: changed while it was read'.format(
                    shown(path)))
                continue
            used += len(data)
            with open(where, 'wb') as handle:
                handle.write(data)
            os.chmod(where, stat.S_IMODE(entry.mode) & 0o755 | 0o600)
    return left


def _link(entry, path, where, submission, left):
    """Copies a link that stays inside the student's folder; names one
    that leaves it."""
    target = os.readlink(entry.path)
    inside = os.path.normpath(os.path.join(os.path.dirname(path), target))
    if os.path.isabs(target) or inside == b'..' or inside.startswith(b'../'):
        left.append('{}: a link out of the folder'.format(shown(path)))
    else:
        os.symlink(target, where)
