#!/usr/bin/env python3
"""What the class's pages share: one self-contained page, its small inline
style (no script, no font, no image, nothing fetched), and every text of a
student's, a name or a claim of their file's, shown and escaped."""
import html

from checker.checks.report import shown

CSS = '''body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}
h1{font-size:1.5em}h2{font-size:1.15em;margin-top:1.6em}
table{border-collapse:collapse;margin:.4em 0}
th,td{border:1px solid #ccc;padding:2px 6px;text-align:left;
vertical-align:top}th{background:#f3f3f3}
.grid td{padding:0 3px}.grid th.check{vertical-align:bottom}
.check div{writing-mode:vertical-rl;transform:rotate(180deg);
font-weight:normal;max-height:13em;overflow:hidden;white-space:nowrap;
text-overflow:ellipsis}
td.mark{text-align:center}.passed{background:#d8f0d8}
.failed{background:#f6d2d2}
.notrun{background:#eee;color:#777}.off{color:#a00}
.bar{background:#7a9;height:.8em;display:inline-block}
pre{white-space:pre-wrap;margin:0}'''
MARKS = {True: ('passed', '\u2713'), False: ('failed', '\u2717'),
         None: ('notrun', '\u2013')}
WORDS = {True: 'passed', False: 'failed', None: 'not run'}


def text(value):
    """Any value as page text: shown on one line's terms (odd bytes and
    control characters escaped), then HTML's characters escaped."""
    return html.escape(shown(str(value)), quote=True)


def block(value):
    """A text of several lines, each shown and escaped, as <pre>."""
    return '<pre>{}</pre>'.format('\n'.join(
        text(line) for line in str(value).splitlines()))


def table(head, rows, kind=''):
    """A <table>: head, a list of header cells (already HTML), rows, lists
    of cells (already HTML)."""
    lines = ['<table{}>'.format(' class="{}"'.format(kind) if kind else ''),
             '<tr>{}</tr>'.format(''.join(head))]
    lines += ['<tr>{}</tr>'.format(''.join(
        cell if cell.startswith('<td') else '<td>{}</td>'.format(cell)
        for cell in row)) for row in rows]
    return '\n'.join(lines + ['</table>'])


def mark(passed, title):
    """A grid cell: passed, failed or not run, the check named in its
    title."""
    kind, sign = MARKS[passed]
    return '<td class="{} mark" title="{}: {}">{}</td>'.format(
        kind, text(title), WORDS[passed], sign)


def page(title, body):
    """A whole page, self-contained: title and body are HTML; no icon is
    fetched."""
    return ('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width">'
            '<link rel="icon" href="data:,">'
            '<title>{}</title><style>{}</style></head>\n<body>\n<h1>{}</h1>'
            '\n{}\n</body></html>\n'.format(title, CSS, title, body))
