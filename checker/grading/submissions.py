#!/usr/bin/env python3
"""A class's submissions, judged before anything of them is touched: every
folder is opened beneath the one above it (checker/grading/beneath.py),
every entry looked at with fstatat, no link followed and nothing opened
in a way that can block.
Each folder in SUBMISSIONS is a student, named as the file system names it
(bytes that are not UTF-8 included); their task files are the regular
files of those names nearest the top of their folder, a task file of
another kind or past TASK_CAP reported in plain words. Their copy holds
only what a file may need: regular files up to FILE_CAP, folders, and
links that stay inside, up to ENTRY_CAP entries in all, each file the
very one judged (its device and inode) and none with a second hard link;
the rest is named as left out, in words."""
import collections
import errno
import hashlib
import os
import stat

from checker.checks.report import shown
from checker.checks.tasks import BY_FILENAME
from checker.grading import beneath

TASK_CAP = 2 ** 20  # bytes of a task file
FILE_CAP = 10 * 2 ** 20  # bytes of any other file copied
ENTRY_CAP = 2000  # entries looked at in one student's folder
DEPTH_CAP = 8  # folders deep
IGNORED = (b'__pycache__', b'node_modules')
KINDS = ((stat.S_ISDIR, 'a folder'), (stat.S_ISLNK, 'a symbolic link'),
         (stat.S_ISFIFO, 'a named pipe'), (stat.S_ISSOCK, 'a socket'),
         (stat.S_ISCHR, 'a device'), (stat.S_ISBLK, 'a device'))

Submission = collections.namedtuple(
    'Submission', 'name folder files problems entries left note identity')
Entry = collections.namedtuple('Entry', 'path mode size identity links '
                                        'target')
CHANGED = 'changed while the class was graded'


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


def identity(info):
    """What names one file on this machine: its device and inode."""
    return info.st_dev, info.st_ino


def students(root):
    """Every student of the class, in the order of their names' bytes: a
    folder is a student; a link or a special file in a student's place is
    one too, with nothing to check."""
    found = []
    top = os.open(os.fsencode(root), beneath.FOLDER & ~os.O_NOFOLLOW)
    try:
        for raw in sorted(os.fsencode(name) for name in os.listdir(top)):
            if raw.startswith(b'.'):
                continue
            try:
                mode = os.stat(raw, dir_fd=top, follow_symlinks=False).st_mode
            except OSError:
                continue  # gone since it was listed
            name, path = os.fsdecode(raw), os.path.join(os.fsencode(root),
                                                        raw)
            if stat.S_ISDIR(mode):
                found.append(judge(name, path, top))
            elif not stat.S_ISREG(mode):
                found.append(Submission(name, path, [], {}, [], [],
                                        '{} is {}, not a folder: not followed'
                                        .format(shown(name), kind(mode)),
                                        None))
    finally:
        os.close(top)
    return found


def _listing(top, relative, expected):
    """A folder's entries beneath top, opened without following a link and
    only where it is still the folder judged; [] otherwise."""
    try:
        handle = (os.dup(top) if not relative else
                  beneath.open_beneath(top, relative, beneath.FOLDER))
    except OSError:
        return []
    try:
        if identity(os.fstat(handle)) != expected:
            return []
        found = []
        for name in sorted(os.fsencode(name) for name in os.listdir(handle)):
            try:
                info = os.stat(name, dir_fd=handle, follow_symlinks=False)
                target = (os.readlink(name, dir_fd=handle)
                          if stat.S_ISLNK(info.st_mode) else None)
            except OSError:
                continue  # gone since it was listed
            found.append((name, info, target and os.fsencode(target)))
        return found
    finally:
        os.close(handle)


def _walk(folder, top):
    """Every entry beneath the open folder, links not followed, as
    (relative path, Entry), breadth first up to the caps; and what the
    caps left out."""
    found, left = [], []
    queue = [(b'', identity(os.fstat(top)))]
    while queue:
        relative, expected = queue.pop(0)
        for name, info, target in _listing(top, relative, expected):
            path = os.path.join(relative, name)
            if len(found) >= ENTRY_CAP:
                left.append('{} and more: past {} entries'.format(
                    shown(path), ENTRY_CAP))
                return found, left
            found.append((path, Entry(
                os.path.join(folder, path), info.st_mode, info.st_size,
                identity(info), info.st_nlink, target)))
            if stat.S_ISDIR(info.st_mode) and not name.startswith(
                    b'.') and name not in IGNORED:
                if path.count(b'/') + 1 >= DEPTH_CAP:
                    left.append('{}: past {} folders deep'.format(
                        shown(path), DEPTH_CAP))
                else:
                    queue.append((path, identity(info)))
    return found, left


def judge(name, folder, parent=None):
    """One student: their task files in the folder nearest the top that
    holds any, each judged; their folder's entries, for the copy. parent:
    the open folder that holds theirs, which is then opened from it."""
    folder = os.fsencode(folder)
    try:
        top = (beneath.open_beneath(parent, os.path.basename(folder),
                                    beneath.FOLDER) if parent is not None
               else os.open(folder, beneath.FOLDER & ~os.O_NOFOLLOW))
    except OSError:
        return Submission(name, folder, [], {}, [], [], '{} {}: not followed'
                          .format(shown(name), CHANGED), None)
    try:
        found = identity(os.fstat(top))
        entries, left = _walk(folder, top)
    finally:
        os.close(top)
    named = [(path, entry) for path, entry in entries
             if os.path.basename(path) in _FILENAMES and not any(
                 part.startswith(b'.') or part in IGNORED
                 for part in path.split(b'/')[:-1])]
    if not named:
        return Submission(name, folder, [], {}, entries, left, '', found)
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
        why = _refused(entry)
        if why:
            problems[task.number] = '{} is {}'.format(task.filename, why)
        else:
            files.append((task, entry.path))
    return Submission(name, folder, sorted(files, key=lambda f: f[0].number),
                      problems, entries, left, note, found)


def _refused(entry):
    """Why a task file is not checked, in words; '' where it is."""
    if not stat.S_ISREG(entry.mode):
        return '{}, not a file'.format(kind(entry.mode))
    if entry.links > 1:
        return 'a hard link, not a file of the folder\'s own: not checked'
    if entry.size > TASK_CAP:
        return '{:.1f} MB, past the cap of {:g} MB for a task file'.format(
            entry.size / 2 ** 20, TASK_CAP / 2 ** 20)
    return ''


_FILENAMES = {os.fsencode(name) for name in BY_FILENAME}


def read(submission, path):
    """A judged task file's bytes, read through descriptors from the
    student's folder; None where it is no longer the file judged."""
    relative = os.path.relpath(path, submission.folder)
    entry = dict(submission.entries).get(relative)
    try:
        top = reopen(submission)
    except OSError:
        return None
    try:
        return entry and snapshot(top, relative, entry, TASK_CAP)
    finally:
        os.close(top)


def reopen(submission):
    """The student's folder opened again, where it is still the one
    judged; OSError otherwise."""
    handle = os.open(submission.folder, beneath.FOLDER & ~os.O_NOFOLLOW)
    if identity(os.fstat(handle)) != submission.identity:
        os.close(handle)
        raise OSError(errno.ESTALE, CHANGED)
    return handle


def snapshot(top, relative, entry, cap):
    """The bytes of the very file that was judged, read through a
    descriptor opened beneath the student's folder; None where a link is
    on the way, or it is another file now, a hard link, or past cap."""
    try:
        handle = beneath.open_beneath(top, relative)
    except OSError:
        return None
    with os.fdopen(handle, 'rb') as stream:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode) or identity(info) != \
                entry.identity or info.st_nlink > 1 or info.st_size > cap:
            return None
        return stream.read(cap + 1)[:cap]


def copy(submission, target, total):
    """Copies what a file may need of the student's folder into target, up
    to total bytes, folders 0700 and files 0600 or 0700: each file the one
    judged, read through descriptors; returns what it left out, in
    words."""
    left, used = list(submission.left), 0
    os.makedirs(target, 0o700, exist_ok=True)
    os.chmod(target, 0o700)
    try:
        top = reopen(submission)
    except OSError:
        return left + ['the whole folder: ' + CHANGED]
    try:
        for path, entry in submission.entries:
            where = os.path.join(os.fsencode(target), path)
            if not os.path.isdir(os.path.dirname(where)):
                continue  # beneath a folder left out
            why = _copied(top, path, entry, where, total - used)
            if why:
                left.append('{}: {}'.format(shown(path), why))
            elif stat.S_ISREG(entry.mode):
                used += os.lstat(where).st_size
    finally:
        os.close(top)
    return left


def _copied(top, path, entry, where, room):
    """Copies one entry; returns why it left it out, or ''."""
    if stat.S_ISDIR(entry.mode):
        os.mkdir(where, 0o700)
    elif stat.S_ISLNK(entry.mode):
        inside = os.path.normpath(os.path.join(os.path.dirname(path),
                                               entry.target))
        if os.path.isabs(entry.target) or inside == b'..' or \
                inside.startswith(b'../'):
            return 'a link out of the folder'
        os.symlink(entry.target, where)
    elif not stat.S_ISREG(entry.mode):
        return kind(entry.mode)
    elif entry.links > 1:
        return 'a hard link'
    elif entry.size > FILE_CAP or entry.size > room:
        return '{:.1f} MB, past the cap'.format(entry.size / 2 ** 20)
    else:
        data = snapshot(top, path, entry, min(FILE_CAP, room))
        if data is None:
            return CHANGED
        handle = os.open(where, os.O_WRONLY | os.O_CREAT | os.O_EXCL
                         | os.O_NOFOLLOW, 0o600)
        with os.fdopen(handle, 'wb') as stream:
            stream.write(data)
        os.chmod(where, stat.S_IMODE(entry.mode) & 0o700 | 0o600)
    return ''
