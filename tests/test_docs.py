#!/usr/bin/env python3
"""The README stays short, and every relative link and image in it and in
docs/ points at a file that exists, and at a heading that exists there."""
import glob
import os
import re

import pytest

from conftest import ROOT

DOCUMENTS = ['README.md'] + sorted(
    os.path.relpath(path, ROOT)
    for path in glob.glob(os.path.join(ROOT, 'docs', '*.md')))
LINK = re.compile(r'!?\[[^\]]*\]\(([^)\s]+)\)')


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
    """The five docs are there, the README fits in 180 lines, the speed
    page, which holds only what is current, in under 200, and the
    architecture with its glossary in 70 lines."""
    assert DOCUMENTS[1:] == ['docs/architecture.md', 'docs/checking.md',
                             'docs/compatibility.md', 'docs/reproduction.md',
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
