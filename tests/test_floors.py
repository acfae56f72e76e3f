#!/usr/bin/env python3
"""The checker's floors, read from each module's imports: the student side
imports nothing of the grader's, the checks nothing that runs them, and
each floor only those beneath it, as docs/architecture.md draws them."""
import ast
import glob
import os

import pytest

from conftest import ROOT

# Each folder of checker/, and what of the checker it may import besides
# its own folder: the protocol nothing but itself.
ALLOWED = {
    'protocol': set(),
    'student': {'protocol'},
    'checks': {'protocol', 'student.tables'},
    'running': {'protocol', 'checks', 'student.sandbox'},
    'grading': {'protocol', 'checks', 'running'},
    'platforms': {'protocol', 'checks', 'running', 'grading'},
}


def imported(path):
    """The checker modules a file imports, anywhere in it, as dotted names
    beneath checker."""
    with open(path) as handle:
        tree = ast.parse(handle.read())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found = [node.module + '.' + alias.name for alias in node.names]
        else:
            continue
        names.update(name[len('checker.'):] for name in found
                     if name.startswith('checker.'))
    return names


def modules(folder):
    """The Python files of one folder of checker/, relative to the root."""
    return sorted(os.path.relpath(path, ROOT) for path in glob.glob(
        os.path.join(ROOT, 'checker', folder, '*.py')))


def allowed(name, floors):
    """Whether a dotted name beneath checker lies in one of the floors."""
    return any(name == floor or name.startswith(floor + '.')
               for floor in floors)


@pytest.mark.parametrize('folder', sorted(ALLOWED))
def test_each_floor_imports_only_what_lies_beneath_it(folder):
    """No module imports a floor above its own: the checks never import
    what runs them, and the student side nothing but the protocol."""
    assert modules(folder), folder
    wrong = ['{} imports checker.{}'.format(path, name)
             for path in modules(folder) for name in imported(path)
             if not allowed(name, ALLOWED[folder] | {folder})]
    assert wrong == []


def test_every_folder_of_the_checker_has_its_floor():
    """A new folder beneath checker/ is given its place here, so that no
    folder escapes the rule."""
    folders = {os.path.basename(os.path.dirname(path)) for path in glob.glob(
        os.path.join(ROOT, 'checker', '*', '__init__.py'))}
    assert folders == set(ALLOWED)


def test_the_rule_sees_an_upward_import(tmp_path):
    """The reading of imports finds a late, nested import too, which is
    where an upward one would hide."""
    path = tmp_path / 'late.py'
    path.write_text('def f():\n    from checker.grading import pages\n')
    assert imported(str(path)) == {'grading.pages'}
    assert not allowed('grading.pages', ALLOWED['checks'])
