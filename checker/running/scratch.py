#!/usr/bin/env python3
"""Where a run keeps what it makes and then throws away: one folder per
run under <temporary folder>/check-class-<uid>/, beside a lock file that
the run holds for as long as it lives. A later run clears every folder
whose lock no one holds, so a grader killed with SIGKILL leaves nothing
for long. A temporary folder that the sandbox lets every file read
(TMPDIR=/dev/shm, say) is not used: the scratch goes to /tmp instead,
and the run says so (`replaced`)."""
import fcntl
import os
import shutil
import tempfile
import time

from checker.student import sandbox

STRAY_AGE = 600  # seconds after which a folder without a lock is cleared


def replaced():
    """The temporary folder asked for where a file could read it, and so
    not used; '' where it is used."""
    asked = os.path.realpath(tempfile.gettempdir())
    readable = sandbox.SYSTEM + tuple(sandbox.python_folders())
    if any(asked == folder or asked.startswith(folder.rstrip('/') + '/')
           for folder in readable):
        return asked
    return ''


def root():
    """The folder that holds every run's scratch of this user."""
    return os.path.join('/tmp' if replaced() else tempfile.gettempdir(),
                        'check-class-{}'.format(os.getuid()))


class Scratch:
    """One run's scratch folder, locked while the run lives."""

    def __init__(self):
        """Clears the folders of runs that ended, then makes this run's."""
        base = root()
        os.makedirs(base, mode=0o711, exist_ok=True)
        os.chmod(base, 0o711)
        sweep(base)
        handle, self.lock_path = tempfile.mkstemp(prefix='run-',
                                                  suffix='.lock', dir=base)
        self.lock = os.fdopen(handle, 'w')
        fcntl.flock(self.lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        self.path = self.lock_path[:-len('.lock')]
        os.mkdir(self.path, 0o711)
        os.chmod(self.path, 0o711)
        self.count = 0

    def folder(self):
        """A fresh folder of the run's, that others may pass through."""
        self.count += 1
        path = os.path.join(self.path, str(self.count))
        os.mkdir(path, 0o711)
        os.chmod(path, 0o711)
        return path

    def close(self):
        """Removes the run's folder and its lock."""
        shutil.rmtree(self.path, ignore_errors=True)
        os.unlink(self.lock_path)
        self.lock.close()


def sweep(base):
    """Removes each run folder under base whose lock is not held, and any
    folder left without a lock for long."""
    for name in os.listdir(base):
        path = os.path.join(base, name)
        if name.endswith('.lock'):
            if time.time() - os.lstat(path).st_mtime < 5:
                continue  # a run that is locking it now
            try:
                with open(path, 'a') as lock:
                    fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    shutil.rmtree(path[:-len('.lock')], ignore_errors=True)
                    os.unlink(path)
            except OSError:
                continue  # a run that is alive, or one another sweep took
        elif not os.path.exists(path + '.lock') and os.path.isdir(path) \
                and time.time() - os.lstat(path).st_mtime > STRAY_AGE:
            shutil.rmtree(path, ignore_errors=True)


def alive(name):
    """True while the run of that name holds its lock."""
    try:
        handle = os.open(os.path.join(root(), name + '.lock'), os.O_WRONLY)
    except OSError:
        return False
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(handle)
    return False
