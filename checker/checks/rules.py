#!/usr/bin/env python3
"""The exercise's file rules, checked on the text alone, without TensorFlow:
shebang, run bit, final newline, Unix line ends, pycodestyle, docstrings and
the one allowed import. Each rule gives (key, passed, detail), the key of
checker/checks/table.py. `python -m checker.checks.rules` checks the paths
it reads on stdin, one JSON line out for each, in a process that the grader
bounds (checker/running/bounded.py): pycodestyle and the parser are the
grader's own steps on a stranger's text."""
import ast
import json
import os
import resource
import stat
import sys

import pycodestyle

SHEBANG = '#!/usr/bin/env python3'
STYLE_ISSUES_SHOWN = 3


def _shebang(text):
    """The first line is exactly the shebang the exercise asks for."""
    first = text.split('\n', 1)[0].rstrip('\r')
    passed = first == SHEBANG
    return 'shebang', passed, '' if passed else 'yours is {!r}'.format(first)


def _run_bit(path):
    """The file is executable, as graders run it."""
    passed = os.access(path, os.X_OK)
    return ('run bit', passed, '' if passed else 'run chmod +x {}'.format(
        os.path.basename(path)))


def _final_newline(text):
    """The file ends with a newline."""
    passed = text.endswith('\n')
    return ('newline', passed,
            '' if passed else 'the last line has no newline')


def _line_ends(text):
    """No carriage returns: Windows line ends break the shebang line."""
    count = text.count('\r\n')
    passed = '\r' not in text
    return ('line ends', passed,
            '' if passed else '{} lines end in CRLF (Windows); the shebang '
            'then names "python3\\r", which does not exist'.format(count))


def _style(path, text):
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
    universal = text.replace('\r\n', '\n').replace('\r', '\n')
    guide.input_file(path, lines=universal.splitlines(True))
    shown = messages[:STYLE_ISSUES_SHOWN]
    if len(messages) > len(shown):
        shown.append('... {} more'.format(len(messages) - len(shown)))
    return 'style', not messages, '\n'.join(shown)


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
    return ('docstrings', not missing,
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
    return 'import', not others, '; '.join(others)


def read(path):
    """A task file's text, read without waiting on it: the grader looked
    at it with lstat first, and a file that changed into something else
    since is read as empty."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW)
    except OSError:
        return ''
    return read_open(handle) or ''


def read_open(handle):
    """The text of an open descriptor, which it closes; None where it is
    not a plain file, so that nothing is read that could block."""
    with os.fdopen(handle, 'rb') as stream:
        if not stat.S_ISREG(os.fstat(handle).st_mode):
            return None
        return stream.read().decode('utf-8', errors='replace')


def simple(path, text):
    """The rules that read the text alone, in bounded time."""
    return [_shebang(text), _run_bit(path), _final_newline(text),
            _line_ends(text)]


def check_file(path):
    """The file rules of one student file, in the report's order."""
    text = read(path)
    checks = simple(path, text) + [_style(path, text)]
    tree, error = _parsed(text)
    if tree is None:
        checks += [('docstrings', False, error), ('import', False, error)]
    else:
        checks += [_docstrings(tree), _imports(tree)]
    return checks


def serve(memory):
    """Answers the grader: a JSON path a line in, the file's rules a JSON
    line out, in a process whose address space is capped at memory."""
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    for line in sys.stdin:
        try:
            found = check_file(json.loads(line))
        except MemoryError:
            found = 'memory'
        except RecursionError:
            found = 'recursion'
        sys.stdout.write(json.dumps(found) + '\n')
        sys.stdout.flush()


if __name__ == '__main__':
    serve(int(sys.argv[1]))
