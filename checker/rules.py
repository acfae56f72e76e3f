#!/usr/bin/env python3
"""The exercise's file rules, checked on the text alone, without TensorFlow:
shebang, run bit, final newline, Unix line ends, pycodestyle, docstrings and
the one allowed import."""
import ast
import os

import pycodestyle

from checker.checks import name
from checker.report import result

SHEBANG = '#!/usr/bin/env python3'
STYLE_ISSUES_SHOWN = 3


def _shebang(text):
    """The first line is exactly the shebang the exercise asks for."""
    first = text.split('\n', 1)[0].rstrip('\r')
    passed = first == SHEBANG
    return result(name('shebang'), 'file', passed,
                  '' if passed else 'yours is {!r}'.format(first))


def _run_bit(path):
    """The file is executable, as graders run it."""
    passed = os.access(path, os.X_OK)
    return result(name('run bit'), 'file', passed,
                  '' if passed else 'run chmod +x {}'.format(
                      os.path.basename(path)))


def _final_newline(text):
    """The file ends with a newline."""
    passed = text.endswith('\n')
    return result(name('newline'), 'file', passed,
                  '' if passed else 'the last line has no newline')


def _line_ends(text):
    """No carriage returns: Windows line ends break the shebang line."""
    count = text.count('\r\n')
    passed = '\r' not in text
    return result(name('line ends'), 'file', passed,
                  '' if passed else '{} lines end in CRLF (Windows); the '
                  'shebang then names "python3\\r", which does not exist'
                  .format(count))


def _style(path):
    """pycodestyle's default settings, as graders run it."""
    messages = []

    class Collect(pycodestyle.BaseReport):
        """Keeps pycodestyle's messages instead of printing them."""

        def error(self, line_number, offset, text, check):
            """Records one message as 'line N: CODE text'."""
            code = super().error(line_number, offset, text, check)
            if code:
                messages.append('line {}: {}'.format(line_number, text))
            return code

    guide = pycodestyle.StyleGuide(reporter=Collect, config_file=False,
                                   parse_argv=False)
    guide.check_files([path])
    shown = messages[:STYLE_ISSUES_SHOWN]
    if len(messages) > len(shown):
        shown.append('... {} more'.format(len(messages) - len(shown)))
    return result(name('style', pycodestyle=pycodestyle.__version__),
                  'file', not messages, '\n'.join(shown))


def _parsed(text):
    """Returns the module's syntax tree, or the SyntaxError's message."""
    try:
        return ast.parse(text), ''
    except SyntaxError as error:
        return None, 'SyntaxError on line {}: {}'.format(error.lineno,
                                                         error.msg)


def _docstrings(tree):
    """The module, its classes and every function, nested ones and methods
    included, have docstrings."""
    missing = [] if ast.get_docstring(tree) else ['the module']
    for node in ast.walk(tree):
        if isinstance(node, (ast.ClassDef, ast.FunctionDef,
                             ast.AsyncFunctionDef)) \
                and not ast.get_docstring(node):
            kind = 'class' if isinstance(node, ast.ClassDef) else 'function'
            missing.append('{} {} (line {})'.format(kind, node.name,
                                                    node.lineno))
    return result(name('docstrings'), 'file',
                  not missing,
                  'no docstring: ' + ', '.join(missing) if missing else '')


def _imports(tree):
    """The only import is `import tensorflow.keras as keras`."""
    others = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            others += ['line {}: import {}{}'.format(
                node.lineno, alias.name,
                ' as ' + alias.asname if alias.asname else '')
                for alias in node.names
                if (alias.name, alias.asname) != ('tensorflow.keras',
                                                  'keras')]
        elif isinstance(node, ast.ImportFrom):
            others.append('line {}: from {} import {}'.format(
                node.lineno, node.module,
                ', '.join(alias.name for alias in node.names)))
    return result(name('import'), 'file', not others,
                  '; '.join(others))


def check_file(path):
    """Returns the file checks of one student file, in the report's order."""
    with open(path, newline='', encoding='utf-8', errors='replace') as handle:
        text = handle.read()
    checks = [_shebang(text), _run_bit(path), _final_newline(text),
              _line_ends(text), _style(path)]
    tree, error = _parsed(text)
    if tree is None:
        checks += [result(name('docstrings'), 'file', False, error),
                   result(name('import'), 'file', False, error)]
    else:
        checks += [_docstrings(tree), _imports(tree)]
    return checks
