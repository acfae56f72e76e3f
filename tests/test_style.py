#!/usr/bin/env python3
"""The seed's file rules hold for every Python file of the project: shebang,
executable, final newline, pycodestyle, docstrings, and builders that import
nothing but tensorflow.keras."""
import ast
import glob
import os

import pycodestyle
import pytest

from conftest import ROOT

PYTHON_FILES = sorted(
    os.path.relpath(path, ROOT) for pattern in ('*.py', '*/*.py')
    for path in glob.glob(os.path.join(ROOT, pattern))
    if not os.path.relpath(path, ROOT).startswith('.'))
BUILDERS = ['0-vanilla.py', '1-sparse.py', '2-convolutional.py',
            '3-variational.py']


def read(name):
    """Returns the text of a project file."""
    with open(os.path.join(ROOT, name)) as handle:
        return handle.read()


def test_all_project_files_are_checked():
    """The glob finds the builders, the mains, the helper and the tests."""
    for name in BUILDERS + ['0-main.py', '3-main.py', 'mains/training.py',
                            'tests/conftest.py']:
        assert name in PYTHON_FILES


@pytest.mark.parametrize('name', PYTHON_FILES)
def test_file_rules(name):
    """Shebang first, executable, ends with a newline."""
    text = read(name)
    assert text.split('\n', 1)[0] == '#!/usr/bin/env python3'
    assert text.endswith('\n')
    assert os.access(os.path.join(ROOT, name), os.X_OK)


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
