#!/usr/bin/env python3
"""The class at a glance: summary.html, one self-contained page that opens
from disk, rebuilt with grades.csv from every student's record: the
points per task, a grid of students by checks (passed, failed, not run),
the most common causes with the students behind each, and a link to each
student's own page, students/<name>/report.html (student_page.py). Every
name and every text of a student's is escaped: HTML in it shows as text.
"""
import collections
import os
import urllib.parse

from checker.grading import grades, scores, student_page, submissions
from checker.grading.html_page import mark, page, table, text


def graded(row):
    """True for a row whose student has a folder of results, and a page."""
    return bool(row.record) and not row.record.get('missing')


def link(row, folder):
    """The student's name, linked to their page where they have one."""
    if not graded(row):
        return text(row.name)
    return '<a href="{}/{}/report.html">{}</a>'.format(
        folder, urllib.parse.quote(submissions.safe(row.name)),
        text(row.name))


def numbers(rows, layers):
    """The class in a sentence, and the sandbox's layers."""
    done = [row for row in rows if row.record]
    statuses = collections.Counter(grades.status(row.record) for row in rows)
    full = sum(1 for row in done if row.record['reports']
               and scores.score(row.record)[0] == scores.score(row.record)[1])
    maxima = sorted({scores.score(row.record)[1] for row in done})
    parts = ['<p>{} students: {}. {} passed every check; each is graded out '
             'of {} points.</p>'.format(
                 len(rows), text(', '.join('{} {}'.format(count, word)
                                           for word, count in
                                           sorted(statuses.items()))),
                 full, ' or '.join(map(str, maxima)) or 0),
             '<p>Sandbox layers on: {}.</p>'.format(text(', '.join(
                 layer for layer, why in layers.items() if not why)
                 or 'none'))]
    parts += ['<p class="off">Off: {} ({}).</p>'.format(text(layer),
                                                        text(why))
              for layer, why in layers.items() if why]
    return parts


def points_per_task(rows):
    """A row per task that counts: the class's mean points of the task's,
    and how many students passed every check of it."""
    tasks = collections.OrderedDict()
    for row in rows:
        if not row.record:
            continue
        mode = row.record.get('points', 'check')
        for task, entry, _ in scores.by_task(row.record):
            tasks.setdefault(task.number, [task, 0, 0, 0,
                                           scores.task_maximum(task, mode)])
            counts = tasks[task.number]
            counts[1] += scores.task_points(entry, mode)
            counts[2] += 1
            counts[3] += bool(entry and entry['passed'])
    lines = []
    for task, points, students, passed, maximum in tasks.values():
        mean = points / students
        lines.append([text(task.filename), '{:.1f}'.format(mean),
                      str(maximum), '{} of {}'.format(passed, students),
                      '<span class="bar" style="width:{}px"></span>'.format(
                          round(120 * mean / maximum) if maximum else 0)])
    return ['<h2>Points per task</h2>', table(
        ['<th>task</th>', '<th>mean points</th>', '<th>of</th>',
         '<th>every check passed</th>', '<th></th>'], lines)]


def columns(rows):
    """(task, check's id and name) of every check some student's file
    ran, in the tasks' order and the checks' own."""
    found = collections.OrderedDict()
    for row in rows:
        for entry in (row.record or {}).get('reports', []):
            for check in entry['checks']:
                found[(entry['task'], scores.labelled(check))] = None
    return sorted(found, key=lambda key: key[0])


def grid(rows, folder):
    """Students by checks: a cell per check, passed, failed or not run (a
    file not handed in runs none)."""
    keys = columns(rows)
    head = ['<th>student</th>', '<th>points</th>']
    head += ['<th class="check" title="{0}"><div>{1}: {0}</div></th>'.format(
        text(name), scores.TASKS[task].number) for task, name in keys]
    lines = []
    for row in rows:
        if not row.record:
            continue
        verdicts = {(entry['task'], scores.labelled(check)): check['passed']
                    for entry in row.record['reports']
                    for check in entry['checks']}
        points, maximum = scores.score(row.record)
        lines.append([link(row, folder), '{}/{}'.format(points, maximum)]
                     + [mark(verdicts.get(key), '{}: {}'.format(
                         scores.TASKS[key[0]].filename, key[1]))
                        for key in keys])
    return ['<h2>Students by checks</h2>',
            '<p>\u2713 passed, \u2717 failed, \u2013 not run; a column per '
            'check, headed by its task.</p>', table(head, lines, 'grid')]


def causes(rows, folder):
    """The causes that most students' failed checks gave, with who."""
    done = [row for row in rows if row.record]
    by_name = {row.name: row for row in done}
    lines = [[str(len(names)), text(file), text(name), text(cause[:300]),
              ', '.join(link(by_name[student], folder)
                        for student in names)]
             for (file, name, cause), names
             in grades.common_causes(done)[:grades.COMMON_CAUSES]]
    return ['<h2>Most common causes</h2>', table(
        ['<th>students</th>', '<th>file</th>', '<th>check</th>',
         '<th>cause</th>', '<th>who</th>'], lines)
        if lines else '<p>No check failed.</p>']


def summary(rows, layers, folder):
    """summary.html's text; folder: the results' folder of the students'
    own folders, relative to it."""
    body = numbers(rows, layers) + points_per_task(rows) \
        + grid(rows, folder) + causes(rows, folder)
    return page('Class summary', '\n'.join(body))


def write(results, folder, rows, layers, write_file):
    """Writes each graded student's report.html in results/folder/<their
    folder>/, then results/summary.html, each with write_file(path, text).
    """
    for row in rows:
        if graded(row):
            write_file(os.path.join(results, folder,
                                    submissions.safe(row.name),
                                    'report.html'),
                       student_page.report(row.name, row.record))
    write_file(os.path.join(results, 'summary.html'),
               summary(rows, layers, folder))
