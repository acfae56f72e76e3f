#!/usr/bin/env python3
"""What a student's results depend on, as one digest: their task files,
what was wrong with the others, the grading options, and the checker's own
code and reference builders, so that a rerun regrades what an older
checker graded and keeps only what this one wrote."""
import functools
import hashlib
import json
import os

from checker.grading import submissions
from mains import stack

# The checker's code beneath the project: the command, its package, the
# builders it holds files up against, and what the mains share with it.
CODE = ('check.py', 'checker', 'mains', '0-vanilla.py', '1-sparse.py',
        '2-convolutional.py', '3-variational.py')


@functools.lru_cache(maxsize=None)
def checker_code(root=stack.ROOT):
    """A digest of every Python file of CODE beneath root, by path."""
    paths = []
    for name in CODE:
        top = os.path.join(root, name)
        if os.path.isfile(top):
            paths.append(top)
        for where, folders, names in os.walk(top):
            folders[:] = sorted(folder for folder in folders
                                if folder != '__pycache__')
            paths += [os.path.join(where, found) for found in names
                      if found.endswith('.py')]
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(os.path.relpath(path, root).encode() + b'\0')
        with open(path, 'rb') as handle:
            digest.update(hashlib.sha256(handle.read()).digest())
    return digest.hexdigest()


def fingerprint(student, options):
    """The digest of one student's results: their task files, what was
    wrong with the others, the grading options and the checker's code."""
    digest = hashlib.sha256(json.dumps(options, sort_keys=True).encode())
    digest.update(checker_code().encode())
    digest.update(json.dumps(sorted(student.problems.items())).encode())
    for _, path in student.files:
        digest.update(os.path.relpath(path, student.folder))
        digest.update(submissions.read(student, path) or b'')
    return digest.hexdigest()
