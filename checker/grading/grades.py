#!/usr/bin/env python3
"""grades.csv and summary.md, rebuilt from every student's report.json,
and the progress line. Every text a student controls is escaped: a name
is shown with its odd bytes and control characters escaped; a CSV cell
that a spreadsheet would run as a formula starts with a quote (OWASP's
advice); Markdown's own characters are escaped in summary.md, and no name
starts a line there."""
import collections
import csv
import io
import json
import os
import re
import sys
import time

from checker.checks.report import shown
from checker.grading import scores

COMMON_CAUSES = 12  # rows of the summary's causes table
FORMULA = ('=', '+', '-', '@', '\t', '\r')
MARKDOWN = re.compile(r'([\\`*_\[\]<>|~])')
Row = collections.namedtuple('Row', 'name record identity')


def cell(value):
    """A CSV cell no spreadsheet runs as a formula."""
    text = str(value)
    return "'" + text if text.startswith(FORMULA) else text


def markdown(text):
    """Text on one line, shown, with Markdown's characters escaped."""
    return MARKDOWN.sub(r'\\\1', shown(text))


def limits_hit(record):
    """Each limit that stopped one of the student's files, once."""
    return list(dict.fromkeys(
        '{}: {}'.format(os.path.basename(entry['file']), limit)
        for entry in record['reports'] for limit in entry.get('limits', [])))


def status(record):
    """One word or two for a student's row."""
    if record is None:
        return 'not graded yet'
    if record.get('missing'):
        return 'nothing handed in'
    if not record['reports']:
        return 'no task files'
    return 'limit hit' if limits_hit(record) else 'graded'


def read_record(folder):
    """A student's report.json, or None where there is none yet."""
    try:
        with open(os.path.join(folder, 'report.json')) as handle:
            return json.load(handle)
    except (OSError, ValueError):
        return None


def note(record):
    """What the row says beside the points: the folder checked, the task
    files refused or missing, what the copy left out, each limit hit."""
    if not record:
        return ''
    parts = [record.get('note', '')]
    refused = record.get('problems', {})
    parts += [why for task, entry, why in scores.by_task(record)
              if entry is None and (record['reports']
                                    or str(task.number) in refused)]
    parts += ['left out of the copy: ' + ', '.join(record['left out'])
              ] if record.get('left out') else []
    return '; '.join(filter(None, parts + limits_hit(record)))


def failed_ids(record):
    """The ids of the student's failed checks, task file by task file."""
    failed = [(scores.TASKS[entry['task']].filename,
               [check['id'] for check in entry['checks']
                if check['passed'] is False])
              for entry in (record or {}).get('reports', [])]
    return '; '.join('{}: {}'.format(filename, ' '.join(ids))
                     for filename, ids in failed if ids)


def csv_text(rows, identity):
    """grades.csv: the roster's identifying columns, then student, status,
    points per task, points, maximum, note, and the failed checks' ids."""
    stream = io.StringIO()
    table = csv.writer(stream, lineterminator='\n')
    tasks = scores.counted([0, 1, 2, 3])
    table.writerow(identity + ['student', 'status']
                   + [task.filename for task in tasks]
                   + ['points', 'maximum', 'note', 'failed checks'])
    for row in rows:
        cells = ['' for _ in tasks]
        points = maximum = ''
        if row.record:
            for task, entry, _ in scores.by_task(row.record):
                mode = row.record.get('points', 'check')
                cells[tasks.index(task)] = '{}/{}'.format(
                    scores.task_points(entry, mode),
                    scores.task_maximum(task, mode))
            points, maximum = scores.score(row.record)
        table.writerow([cell(value) for value in row.identity]
                       + [cell(shown(row.name)), status(row.record)]
                       + cells + [points, maximum,
                                  cell(shown(note(row.record))),
                                  failed_ids(row.record)])
    return stream.getvalue()


def summary_text(rows, layers, strays=()):
    """summary.md: the class in numbers, who hit each limit, who handed in
    nothing, the checks the checker itself failed on, each check's pass
    rate, and the causes most students hit, with their names."""
    graded = [row for row in rows if row.record]
    statuses = collections.Counter(status(row.record) for row in rows)
    full = sum(1 for row in graded if scores.score(row.record)[0]
               == scores.score(row.record)[1] and row.record['reports'])
    maxima = sorted({scores.score(row.record)[1] for row in graded})
    lines = ['# Class summary', '',
             '{} students: {}. {} passed every check; each is graded out of '
             '{} points.'.format(len(rows), ', '.join(
                 '{} {}'.format(count, word)
                 for word, count in sorted(statuses.items())), full,
                 ' or '.join(map(str, maxima)) or 0), '',
             'Sandbox layers on: {}.'.format(', '.join(
                 layer for layer, why in layers.items() if not why)
                 or 'none')]
    lines += ['**Off: {} ({}).**'.format(layer, markdown(why))
              for layer, why in layers.items() if why]
    stopped = [(row.name, limit) for row in graded
               for limit in limits_hit(row.record)]
    if stopped:
        lines += ['', '## Limits hit', '']
        lines += ['- {}, {}'.format(markdown(name), markdown(limit))
                  for name, limit in stopped]
    missing = [row.name for row in rows if status(row.record)
               in ('nothing handed in', 'no task files')]
    if missing:
        lines += ['', '## Nothing to check', '',
                  '- ' + ', '.join(markdown(name) for name in missing)]
    if strays:
        lines += ['', '## Folders that match no one in the roster', '',
                  '- ' + ', '.join(markdown(name) for name in strays)]
    faulty = checker_errors(graded)
    if faulty:
        lines += ['', '## The checker\'s own errors', '',
                  'These checks failed in the checker\'s code, not in the '
                  'student\'s, and their task did not pass: report them '
                  'with the student\'s report.json, and grade them again '
                  'once the checker is mended.', '']
        lines += ['- {}, {}, {}'.format(markdown(name), file, markdown(check))
                  for name, file, check in faulty]
    lines += _checks(graded)
    return '\n'.join(lines) + '\n'


def checker_errors(graded):
    """(student, file, check) of each check the checker's own code failed
    on."""
    return [(row.name, scores.TASKS[entry['task']].filename,
             scores.labelled(check))
            for row in graded for entry in row.record['reports']
            for check in entry['checks'] if check.get('checker_error')]


def common_causes(graded):
    """((file, check, cause), the names of the students behind it) for
    every cause a failed check gave, the most common first."""
    causes = {}
    for row in graded:
        for entry in row.record['reports']:
            for check in entry['checks']:
                if check['passed'] is False and check['detail']:
                    cause = (scores.TASKS[entry['task']].filename,
                             scores.labelled(check),
                             check['detail'].splitlines()[0].strip())
                    causes.setdefault(cause, []).append(row.name)
    return sorted(causes.items(), key=lambda item: -len(item[1]))


def _checks(graded):
    """The tables of each check's pass rate and of the common causes."""
    rates = collections.OrderedDict()
    for row in graded:
        for entry in row.record['reports']:
            for check in entry['checks']:
                key = (scores.TASKS[entry['task']].filename,
                       scores.labelled(check))
                rates.setdefault(key, [0, 0])
                rates[key][0] += check['passed'] is True
                rates[key][1] += 1
    lines = ['', '## Each check', '',
             '| file | check | passed | of | rate |', '|---|---|---|---|---|']
    lines += ['| {} | {} | {} | {} | {:.0%} |'.format(
        file, markdown(name), *counts, counts[0] / counts[1])
        for (file, name), counts in sorted(rates.items(),
                                           key=lambda item: item[0][0])]
    lines += ['', '## Most common causes', '',
              '| students | file | check | cause | who |',
              '|---|---|---|---|---|']
    common = common_causes(graded)
    lines += ['| {} | {} | {} | {} | {} |'.format(
        len(names), file, markdown(name), markdown(cause[:300]),
        ', '.join(markdown(student) for student in names[:20])
        + (' and {} more'.format(len(names) - 20) if len(names) > 20
           else ''))
        for (file, name, cause), names in common[:COMMON_CAUSES]]
    return lines


def write_tables(rows, folder, layers, write, strays=(), identity=()):
    """Rebuilds grades.csv and summary.md in folder from the rows."""
    write(os.path.join(folder, 'grades.csv'), csv_text(rows, list(identity)))
    write(os.path.join(folder, 'summary.md'),
          summary_text(rows, layers, strays))


class Progress:
    """The line on stderr: students done of all, time so far, time left."""

    def __init__(self, total, done):
        """total students to grade in this run, done of them already."""
        self.total, self.count, self.start = total, done, time.monotonic()
        self.first = done
        self.show()

    def done(self):
        """One more student is done."""
        self.count += 1
        self.show()

    def show(self):
        """Writes the line, over the last one on a terminal."""
        spent = time.monotonic() - self.start
        rate = spent / max(self.count - self.first, 1)
        left = (self.total - self.count) * rate
        line = '{} of {} students, {} so far, about {} left'.format(
            self.count, self.total, _clock(spent),
            _clock(left) if self.count > self.first else '?')
        end = '\r' if sys.stderr.isatty() else '\n'
        sys.stderr.write(line + end)
        sys.stderr.flush()

    def end(self):
        """Ends the line on a terminal."""
        if sys.stderr.isatty():
            sys.stderr.write('\n')


def _clock(seconds):
    """Seconds as m:ss."""
    return '{}:{:02d}'.format(int(seconds) // 60, int(seconds) % 60)
