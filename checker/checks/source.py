#!/usr/bin/env python3
"""The student's file as a syntax tree, read by the grader itself: what a
name is and where it is set, the loop around a line, a loss that indexes
its prediction, a keyword given to a call."""
import ast


class Source:
    """The student's file as a syntax tree, for naming what an error's
    name is and where it is set."""

    def __init__(self, text):
        """Parses the file's text; an unparsable file gives an empty tree.
        """
        try:
            self.tree = ast.parse(text)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            self.tree = ast.Module(body=[], type_ignores=[])

    def names(self):
        """Every name the file sets or takes as a parameter."""
        found = set()
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Name):
                found.add(node.id)
            elif isinstance(node, ast.arg):
                found.add(node.arg)
            elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                found.add(node.name)
        return found

    def index_loop(self, line):
        """The `range(len(...))` of the innermost loop around line, as
        written, or ''."""
        found = ''
        for node in ast.walk(self.tree):
            if isinstance(node, ast.For) and node.lineno <= (line or 0) <= \
                    node.end_lineno and 'range(len(' in ast.unparse(
                        node.iter):
                found = ast.unparse(node.iter)
        return found

    def indexed_prediction(self):
        """The second parameter of a two-parameter function (a loss) that
        the function indexes, as `y_pred[0]`, or ''."""
        for node in ast.walk(self.tree):
            if isinstance(node, ast.FunctionDef) and len(node.args.args) == 2:
                name = node.args.args[1].arg
                for inner in ast.walk(node):
                    if isinstance(inner, ast.Subscript) and isinstance(
                            inner.value, ast.Name) and inner.value.id == name:
                        return ast.unparse(inner)
        return ''

    def keyword(self, method, name):
        """(line, value as written) of the first `name=` argument in a call
        of `method`, or None."""
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Call) and isinstance(
                    node.func, ast.Attribute) and node.func.attr == method:
                for keyword in node.keywords:
                    if keyword.arg == name:
                        return node.lineno, ast.unparse(keyword.value)
        return None

    def loop_setting(self, name):
        """The innermost `for` loop whose body sets name, or None."""
        for node in ast.walk(self.tree):
            if isinstance(node, ast.For) and any(
                    isinstance(inner, ast.Name) and inner.id == name
                    and isinstance(inner.ctx, ast.Store)
                    for statement in node.body
                    for inner in ast.walk(statement)):
                return node
        return None
