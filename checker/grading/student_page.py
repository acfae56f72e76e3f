#!/usr/bin/env python3
"""A student's own page, students/<name>/report.html: their points, what
was refused, left out or stopped, and per task file every check with its
cause; a structure that differs from the reference's also as a table,
layer by layer, the two models aligned."""
import difflib

from checker.grading import grades, scores
from checker.grading.html_page import WORDS, block, mark, page, table, text

STUDENT_SIDE = 'yours:'  # the report's line of the student's model
REFERENCE_SIDE = 'the task\'s:'  # and of the reference's


def layers(detail):
    """The two models of a structure check's detail, as lists of layers;
    None where the detail has no such lines."""
    found = {}
    for line in detail.splitlines():
        for side in (STUDENT_SIDE, REFERENCE_SIDE):
            if line.startswith(side):
                found[side] = line[len(side):].strip().split(' > ')
    if len(found) < 2:
        return None
    return found[STUDENT_SIDE], found[REFERENCE_SIDE]


def diff_table(detail):
    """The layer diff as a table: a row per layer, the student's beside
    the reference's, aligned, those that differ marked; '' where the
    detail holds no diff."""
    found = layers(detail)
    if not found:
        return ''
    student, reference = found
    rows = []
    matcher = difflib.SequenceMatcher(a=student, b=reference,
                                      autojunk=False)
    for kind, i, i_end, j, j_end in matcher.get_opcodes():
        width = max(i_end - i, j_end - j)
        for step in range(width):
            mine = student[i + step] if i + step < i_end else ''
            theirs = reference[j + step] if j + step < j_end else ''
            style = 'passed' if kind == 'equal' else 'failed'
            rows.append(['<td class="{}">{}</td>'.format(style, text(mine)),
                         '<td class="{}">{}</td>'.format(style,
                                                         text(theirs))])
    return table(['<th>your layer</th>', '<th>the task\'s layer</th>'],
                 rows, 'diff')


def cause(check):
    """A check's cause in words, and its layer diff as a table: the
    sentences above, the two models' lines left to the table."""
    detail = check['detail'] or ''
    diff = diff_table(detail)
    if diff:
        detail = '\n'.join(line for line in detail.splitlines()
                           if not line.startswith((STUDENT_SIDE,
                                                   REFERENCE_SIDE)))
    return (block(detail) if detail else '') + diff


def task_section(task, entry, why, mode):
    """One task's part of the page: its checks, or why it has none."""
    title = '<h2>{} (task {}): {} of {} points</h2>'.format(
        text(task.filename), task.number, scores.task_points(entry, mode),
        scores.task_maximum(task, mode))
    if entry is None:
        return title + '<p class="off">{}</p>'.format(text(why))
    counts = [sum(check['passed'] is value for check in entry['checks'])
              for value in (True, False, None)]
    rows = [[mark(check['passed'], check['name']), text(check['id']),
             text(check['kind']), text(check['name']), cause(check)]
            for check in entry['checks']]
    return '\n'.join([
        title, '<p>{}: {} passed, {} failed, {} not run.</p>'.format(
            text(entry['file']), *counts),
        table(['<th></th>', '<th>id</th>', '<th>kind</th>',
               '<th>check</th>', '<th>cause</th>'], rows, 'checks')])


def report(name, record):
    """The whole page of one student, from their record."""
    points, maximum = scores.score(record)
    mode = record.get('points', 'check')
    parts = ['<p><a href="../../summary.html">The class</a></p>',
             '<p>{} of {} points ({}). {}</p>'.format(
                 points, maximum, text(grades.status(record)),
                 ' '.join('{} {};'.format(sum(
                     check['passed'] is value for entry in record['reports']
                     for check in entry['checks']), WORDS[value])
                     for value in (True, False, None)).rstrip(';') + '.')]
    note = grades.note(record)
    if note:
        parts.append('<p class="off">{}</p>'.format(text(note)))
    parts += [task_section(task, entry, why, mode)
              for task, entry, why in scores.by_task(record)]
    if record.get('seed') is not None:
        parts.append('<p>The run\'s seed: {}, to replay it with --seed.'
                     '</p>'.format(text(record['seed'])))
    return page('{}: {} of {} points'.format(text(name), points, maximum),
                '\n'.join(parts))
