#!/usr/bin/env python3
"""The builders' private helpers, which the one-import rule makes each
builder carry its own copy of, stay the same in every builder that has
them, so that a fix in one reaches all."""
import ast
import os

import pytest

from conftest import ROOT

BUILDERS = ['0-vanilla.py', '1-sparse.py', '2-convolutional.py',
            '3-variational.py']


def helpers(name):
    """{function name: its source} of a builder's private functions."""
    with open(os.path.join(ROOT, name)) as handle:
        text = handle.read()
    return {node.name: ast.get_source_segment(text, node)
            for node in ast.parse(text).body
            if isinstance(node, ast.FunctionDef)
            and node.name.startswith('_')}


SOURCES = {name: helpers(name) for name in BUILDERS}
SHARED = sorted({function for found in SOURCES.values() for function in found
                 if sum(function in other for other in SOURCES.values()) > 1})


def test_the_shared_helpers_are_the_ones_we_know():
    """The copies this test guards: a new shared helper shows up here."""
    assert SHARED == ['_dense_stack', '_layer_sizes', '_positive_int']


@pytest.mark.parametrize('function', SHARED)
def test_copies_are_identical(function):
    """Every builder that defines the helper has the same text of it."""
    copies = {name: found[function] for name, found in SOURCES.items()
              if function in found}
    assert len(set(copies.values())) == 1, sorted(copies)
