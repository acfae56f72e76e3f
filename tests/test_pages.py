#!/usr/bin/env python3
"""summary.html and each student's report.html, written by --class for a
real class of four: ada honest, bob with relu for sigmoid, a student whose
folder's name is HTML and whose file's first line is a script, and one
with no task files. Read as HTML by Python's parser, then opened in a
real browser, headless Chromium from the system's packages, driven by
Selenium: skipped, and said so, where either is missing."""
import html.parser
import os
import shutil
import tempfile
import urllib.parse

import pytest

from classes import STUDENT, run_class

HOSTILE = '<img src=x onerror=alert(1)>'
CLAIM = '<script>document.title="owned"</script>'
CHROMIUM, DRIVER = '/usr/bin/chromium', '/usr/bin/chromedriver'
FLAGS = ['--headless', '--no-sandbox', '--disable-gpu',
         '--disable-background-networking', '--no-first-run',
         '--disable-component-update', '--disable-sync']


def vanilla(folder, first_line=None, fault=False):
    """Writes the student-style 0-vanilla.py into folder, its first line
    or its output activation changed."""
    os.makedirs(folder)
    with open(os.path.join(STUDENT, '0-vanilla.py')) as handle:
        text = handle.read()
    if fault:
        text = text.replace("activation='sigmoid'", "activation='relu'")
    if first_line:
        text = first_line + '\n' + text.split('\n', 1)[1]
    with open(os.path.join(folder, '0-vanilla.py'), 'w') as handle:
        handle.write(text)
    os.chmod(os.path.join(folder, '0-vanilla.py'), 0o755)


@pytest.fixture(scope='module')
def results(tmp_path_factory):
    """The class, graded on task 0; its results folder."""
    folder = tmp_path_factory.mktemp('pages')
    submissions = folder / 'submissions'
    vanilla(submissions / 'ada')
    vanilla(submissions / 'bob', fault=True)
    vanilla(submissions / HOSTILE, first_line='#' + CLAIM)
    os.makedirs(submissions / 'cyd' / 'notes')
    run = run_class(submissions, folder / 'results', '--tasks', '0')
    assert run.returncode == 0, run.stderr[-3000:]
    return folder / 'results'


class Page(html.parser.HTMLParser):
    """A page as its tags, its links and its text."""

    def __init__(self, path):
        """Reads the page at path."""
        super().__init__()
        self.tags, self.links, self.text = [], [], []
        with open(path, encoding='utf-8') as handle:
            self.feed(handle.read())

    def handle_starttag(self, tag, attributes):
        """Keeps each tag, and each link's target."""
        self.tags.append(tag)
        self.links += [value for name, value in attributes if name in (
            'href', 'src', 'action', 'formaction', 'srcset', 'poster')]

    def handle_data(self, data):
        """Keeps the text."""
        self.text.append(data)


def pages(results):
    """summary.html and every report.html, as Pages by path."""
    paths = [os.path.join(results, 'summary.html')]
    for name in sorted(os.listdir(os.path.join(results, 'students'))):
        paths.append(os.path.join(results, 'students', name, 'report.html'))
    return {path: Page(path) for path in paths}


def test_every_page_is_self_contained_and_its_links_resolve(results):
    """No script, image, frame, style sheet or form, nothing fetched; every
    link a file beside it, which exists; a page per student."""
    found = pages(results)
    assert len(found) == 5
    for path, page in found.items():
        assert not {'script', 'img', 'iframe', 'object', 'embed', 'form',
                    'base', 'meta http-equiv'} & set(page.tags), path
        for target in page.links:
            if target.startswith('data:'):
                continue
            assert '://' not in target and not target.startswith('/')
            linked = os.path.join(os.path.dirname(path),
                                  urllib.parse.unquote(target))
            assert os.path.isfile(linked), (path, target)


def test_a_hostile_name_and_claim_show_as_text(results):
    """The name with HTML in it, and a first line that holds a script,
    are text on the summary and on the student's page."""
    summary = Page(os.path.join(results, 'summary.html'))
    assert HOSTILE in summary.text  # the link's whole text: the name
    with open(os.path.join(results, 'summary.html')) as handle:
        raw = handle.read()
    assert '&lt;img src=x onerror=alert(1)&gt;' in raw
    assert HOSTILE not in raw and '<script' not in raw
    own = [page for path, page in pages(results).items()
           if '%3Cimg' in path][0]
    assert any(CLAIM in text for text in own.text)


def test_the_grid_and_the_causes(results):
    """A row per student, a cell per check: ada all passed, bob's
    structure failed and his computations not run, cyd's all not run;
    the common causes name bob's activation, with him."""
    with open(os.path.join(results, 'summary.html')) as handle:
        raw = handle.read()
    grid = raw.split('<table class="grid">')[1].split('</table>')[0]
    rows = {row.split('</a>')[0].rsplit('>', 1)[-1]: row
            for row in grid.split('<tr>') if 'report.html' in row}
    assert set(rows) == {'ada', 'bob', 'cyd',
                         '&lt;img src=x onerror=alert(1)&gt;'}
    assert 'failed mark' not in rows['ada']
    assert 'notrun mark' not in rows['ada']
    assert '[S01] structure: the task&#x27;s (784, [128, 64], 32): failed' \
        in rows['bob']
    assert '[V01] outputs on a fixed batch: not run' in rows['bob']
    assert 'passed mark' not in rows['cyd']
    assert '23/23' in rows['ada'] and '0/23' in rows['cyd']
    causes = raw.split('Most common causes')[1]
    assert 'activation relu; the task&#x27;s has activation sigmoid' \
        in causes
    assert 'href="students/bob/report.html"' in causes


def test_a_students_page_shows_the_layer_diff_as_a_table(results):
    """bob's page: his checks with their causes, and the decoder's
    layers side by side, the output layer's row marked."""
    with open(os.path.join(results, 'students', 'bob', 'report.html')) as \
            handle:
        raw = handle.read()
    assert 'Your decoder&#x27;s output layer has activation relu' in raw
    assert '<td>S01</td><td>structure</td>' in raw
    diff = raw.split('<table class="diff">')[1].split('</table>')[0]
    assert '<td class="failed">Dense 784 relu</td>' in diff
    assert '<td class="failed">Dense 784 sigmoid</td>' in diff
    assert '<td class="passed">Dense 64 relu</td>' in diff
    assert 'yours:' not in diff


@pytest.fixture(scope='module')
def browser():
    """Headless Chromium, fresh profile, the console's messages kept."""
    webdriver = pytest.importorskip('selenium.webdriver')
    if not (os.access(CHROMIUM, os.X_OK) and os.access(DRIVER, os.X_OK)):
        pytest.skip('needs Debian\'s chromium and chromium-driver '
                    '(apt-get install chromium chromium-driver)')
    from selenium.webdriver.chrome.service import Service
    profile = tempfile.mkdtemp(prefix='chromium-')
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS + ['--user-data-dir=' + profile,
                         '--window-size=1100,800']:
        options.add_argument(flag)
    options.set_capability('goog:loggingPrefs', {'browser': 'ALL'})
    driver = webdriver.Chrome(options=options, service=Service(DRIVER))
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def test_the_pages_in_a_real_browser(results, browser):
    """The summary renders; every student's link opens their page, which
    renders and links back; nothing on the console; the hostile name is
    a link's text, and no image or script came of it."""
    from selenium.webdriver.common.by import By
    browser.get('file://' + str(results / 'summary.html'))
    assert browser.title == 'Class summary'
    assert browser.find_elements(By.CSS_SELECTOR, 'table.grid tr')
    assert not browser.find_elements(By.TAG_NAME, 'img')
    assert not browser.find_elements(By.TAG_NAME, 'script')
    links = {link.text: link.get_attribute('href')
             for link in browser.find_elements(By.CSS_SELECTOR,
                                               'table.grid a')}
    assert set(links) == {'ada', 'bob', 'cyd', HOSTILE}
    assert browser.get_log('browser') == []
    for name, target in links.items():
        browser.get(target)
        assert browser.title.startswith(name + ':'), browser.title
        assert browser.find_element(By.TAG_NAME, 'h1').text.startswith(name)
        assert not browser.find_elements(By.TAG_NAME, 'script')
        browser.find_element(By.LINK_TEXT, 'The class').click()
        assert browser.title == 'Class summary'
        assert browser.get_log('browser') == [], name
