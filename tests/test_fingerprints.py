#!/usr/bin/env python3
"""A student's results are stamped with the checker's code: a rerun after
the checker or its reference changed grades them again, and nothing else
of the project moves the stamp."""
from checker.grading import fingerprints


def project(root):
    """A small project: the command, a module of the checker, a builder."""
    (root / 'checker' / 'checks').mkdir(parents=True)
    (root / 'check.py').write_text('print("check")\n')
    (root / 'checker' / 'checks' / 'table.py').write_text('CHECKS = ()\n')
    (root / '0-vanilla.py').write_text('def autoencoder(): pass\n')
    (root / 'README.md').write_text('# notes\n')
    return str(root)


def test_the_checker_code_moves_with_each_file_of_the_checker(tmp_path):
    """A change in the checker's package or in a builder gives another
    digest; so does a file added beside them."""
    root = project(tmp_path)
    first = fingerprints.checker_code.__wrapped__(root)
    assert fingerprints.checker_code.__wrapped__(root) == first
    for name, text in (('checker/checks/table.py', 'CHECKS = (1,)\n'),
                       ('0-vanilla.py', 'def autoencoder(): return 1\n'),
                       ('checker/checks/new.py', '"""new"""\n')):
        (tmp_path / name).write_text(text)
        changed = fingerprints.checker_code.__wrapped__(root)
        assert changed != first, name
        first = changed


def test_what_the_checker_does_not_run_leaves_it(tmp_path):
    """The docs, compiled caches and files outside the checker's code do
    not regrade a class."""
    root = project(tmp_path)
    first = fingerprints.checker_code.__wrapped__(root)
    (tmp_path / 'README.md').write_text('# other notes\n')
    cache = tmp_path / 'checker' / 'checks' / '__pycache__'
    cache.mkdir()
    (cache / 'table.cpython-311.py').write_text('cached\n')
    (tmp_path / 'notes.py').write_text('"""not the checker"""\n')
    assert fingerprints.checker_code.__wrapped__(root) == first


def test_the_results_stamp_holds_the_checker_code(monkeypatch):
    """Two checkers' stamps of the same files and options differ."""
    class Student:
        """A student with no task files and nothing wrong."""
        problems, files, folder = {}, [], b'/nowhere'

    first = fingerprints.fingerprint(Student(), {'timeout': 60})
    monkeypatch.setattr(fingerprints, 'checker_code', lambda: 'other')
    assert fingerprints.fingerprint(Student(), {'timeout': 60}) != first
