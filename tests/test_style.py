#!/usr/bin/env python3
"""The seed's file rules hold for every Python file of the project, the
checker's rooms and the test fixtures included: shebang with its run bit,
final newline, pycodestyle, docstrings, and builders that import nothing
but tensorflow.keras."""
import ast
import os
import stat
import subprocess

import pycodestyle
import pytest

from conftest import ROOT


def python_files():
    """Every Python file that git tracks; in a copy without git, every one
    beneath the project but in hidden folders and caches."""
    try:
        listed = subprocess.run(['git', 'ls-files', '*.py'], cwd=ROOT,
                                capture_output=True, text=True, check=True)
        return sorted(listed.stdout.split())
    except (OSError, subprocess.CalledProcessError):
        found = []
        for where, folders, names in os.walk(ROOT):
            folders[:] = [folder for folder in folders
                          if not folder.startswith('.')
                          and folder != '__pycache__']
            found += [os.path.relpath(os.path.join(where, name), ROOT)
                      for name in names if name.endswith('.py')]
        return sorted(found)


PYTHON_FILES = python_files()
BUILDERS = ['0-vanilla.py', '1-sparse.py', '2-convolutional.py',
            '3-variational.py']


def read(name):
    """Returns the text of a project file."""
    with open(os.path.join(ROOT, name)) as handle:
        return handle.read()


def test_all_project_files_are_checked():
    """The list holds the builders, the mains, the checker's rooms at
    every depth, the tests and their fixtures."""
    for name in BUILDERS + ['0-main.py', '3-main.py', 'mains/training.py',
                            'checker/running/runner.py',
                            'checker/student/seccomp.py',
                            'tests/conftest.py',
                            'tests/fixtures/student/0-vanilla.py']:
        assert name in PYTHON_FILES


@pytest.mark.parametrize('name', PYTHON_FILES)
def test_file_rules(name):
    """Shebang first with the run bit for everyone, ends with a newline."""
    text = read(name)
    assert text.split('\n', 1)[0] == '#!/usr/bin/env python3'
    assert text.endswith('\n')
    mode = os.stat(os.path.join(ROOT, name)).st_mode
    assert mode & 0o111 == 0o111, '{} is {}'.format(name,
                                                    stat.filemode(mode))


@pytest.mark.parametrize('name', PYTHON_FILES)
def test_docstrings_everywhere(name):
    """The module and every class and function have a docstring."""
    tree = ast.parse(read(name))
    assert ast.get_docstring(tree), name
    for node in ast.walk(tree):
        if isinstance(node, (ast.ClassDef, ast.FunctionDef)):
            assert ast.get_docstring(node), '{}: {}'.format(name, node.name)


def test_pycodestyle_clean():
    """No pycodestyle errors or warnings in any project file."""
    style = pycodestyle.StyleGuide(quiet=True)
    report = style.check_files([os.path.join(ROOT, name)
                                for name in PYTHON_FILES])
    assert report.total_errors == 0, report.counters


@pytest.mark.parametrize('name', BUILDERS)
def test_builders_import_only_keras(name):
    """The only import of a builder is `import tensorflow.keras as keras`."""
    imports = [node for node in ast.walk(ast.parse(read(name)))
               if isinstance(node, (ast.Import, ast.ImportFrom))]
    assert len(imports) == 1
    assert isinstance(imports[0], ast.Import)
    assert [(alias.name, alias.asname) for alias in imports[0].names] == [
        ('tensorflow.keras', 'keras')]
