#!/usr/bin/env python3
"""The README stays short, and every relative link and image in it and in
docs/ points at a file that exists, and at a heading that exists there;
every test the docs name exists, every page and heading the code names
exists, and the checks' table is in one page alone."""
import ast
import glob
import os
import re

import pytest

from conftest import ROOT

DOCUMENTS = ['README.md'] + sorted(
    os.path.relpath(path, ROOT)
    for path in glob.glob(os.path.join(ROOT, 'docs', '*.md')))
LINK = re.compile(r'!?\[[^\]]*\]\(([^)\s]+)\)')
TEST = re.compile(r'\b(tests/[\w/]+\.py)::(\w+)')
# A page named in the code, with the heading it points at where it names one.
PAGE = re.compile(r'\bdocs/([\w-]+\.md)(?:, "([^"]+)")?')
# PrairieLearn's own page, which its modules cite: not one of ours.
OTHERS_PAGES = {'externalGrading.md'}
CHECKS_TABLE = re.compile(r'^\|.*\bkind \| check \| tasks \|', re.M)


def read(name):
    """Returns the text of a project file."""
    with open(os.path.join(ROOT, name)) as handle:
        return handle.read()


def slug(heading):
    """The anchor GitHub gives a heading: lower case, punctuation dropped,
    spaces as hyphens."""
    return re.sub(r'[^\w\- ]', '', heading.strip().lower()).replace(' ', '-')


def anchors(name):
    """The anchors of the headings of a Markdown file, code blocks aside."""
    text = re.sub(r'```.*?```', '', read(name), flags=re.S)
    return {slug(heading) for heading in re.findall(r'^#+ (.+)$', text, re.M)}


def relative_links(name):
    """Every link or image target in a Markdown file that is not a URL."""
    return [target for target in LINK.findall(read(name))
            if not re.match(r'[a-z]+:', target)]


def test_docs_exist_and_stay_short():
    """The nine docs are there (checking your own files, grading a class,
    the platforms, the sandbox and adding a check, each for its reader),
    the README fits in 180 lines, the speed page, which holds only what is
    current, in under 200, and the architecture with its glossary in 70
    lines."""
    assert DOCUMENTS[1:] == ['docs/architecture.md', 'docs/checking.md',
                             'docs/compatibility.md', 'docs/contributing.md',
                             'docs/grading.md', 'docs/platforms.md',
                             'docs/reproduction.md', 'docs/sandbox.md',
                             'docs/speed.md']
    assert read('README.md').count('\n') <= 180
    assert read('docs/speed.md').count('\n') < 200
    assert read('docs/architecture.md').count('\n') <= 70


@pytest.mark.parametrize('name', DOCUMENTS)
def test_relative_links_point_at_files_and_headings(name):
    """Each target file exists; each #anchor is a heading of its file."""
    links = relative_links(name)
    assert links, name
    for target in links:
        path, _, anchor = target.partition('#')
        linked = os.path.normpath(os.path.join(os.path.dirname(name),
                                               path)) if path else name
        assert os.path.exists(os.path.join(ROOT, linked)), target
        if anchor:
            assert anchor in anchors(linked), target


def test_slug_follows_githubs_rule():
    """Apostrophes and dots go, hyphens and digits stay."""
    assert slug("Why the sparse run ends lower than the seed's") == (
        'why-the-sparse-run-ends-lower-than-the-seeds')
    assert slug('Compatibility: three stacks, and TensorFlow 1.12') == (
        'compatibility-three-stacks-and-tensorflow-112')
    assert slug('TF1 graph mode') == 'tf1-graph-mode'
    assert slug('What the mains set before TensorFlow starts') == (
        'what-the-mains-set-before-tensorflow-starts')


def defined_tests(path):
    """The names of the test functions a test file defines."""
    with open(os.path.join(ROOT, path)) as handle:
        tree = ast.parse(handle.read())
    return {node.name for node in tree.body
            if isinstance(node, ast.FunctionDef)
            and node.name.startswith('test_')}


def test_every_test_the_docs_name_exists():
    """Each tests/FILE.py::test_name in the docs is a test function of that
    file; the sandbox's page names one for each of its claims."""
    named = {name: TEST.findall(read(name)) for name in DOCUMENTS}
    assert len(named['docs/sandbox.md']) >= 20
    for name, references in named.items():
        for path, function in references:
            assert os.path.exists(os.path.join(ROOT, path)), (name, path)
            assert function in defined_tests(path), (name, path, function)


def code_files():
    """The project's Python files, its environments and hidden folders
    aside."""
    for folder, folders, files in os.walk(ROOT):
        folders[:] = [entry for entry in folders
                      if not entry.startswith('.') and entry != 'shared']
        for file in files:
            if file.endswith('.py'):
                yield os.path.join(folder, file)


def test_every_page_and_heading_the_code_names_exists():
    """A page of docs/ that a module, a test or a message names exists, and
    so does the heading it names with it, as in (docs/platforms.md,
    "Gradescope")."""
    found = []
    for path in code_files():
        with open(path) as handle:
            found += [(path, page, heading)
                      for page, heading in PAGE.findall(handle.read())
                      if page not in OTHERS_PAGES]
    assert any(heading for _, _, heading in found)
    for path, page, heading in found:
        assert os.path.exists(os.path.join(ROOT, 'docs', page)), (path, page)
        if heading:
            assert slug(heading) in anchors('docs/' + page), (path, heading)


def test_the_checks_table_is_in_one_page():
    """The table that python3 -m checker.checks.table makes is shown once,
    on the students' page."""
    holders = [name for name in DOCUMENTS
               if CHECKS_TABLE.search(read(name))]
    assert holders == ['docs/checking.md']
