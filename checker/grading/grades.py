#!/usr/bin/env python3
"""What a class's grading writes: each student's results.json in
Gradescope's format, grades.csv with a row per student, summary.md with
each check's pass rate and the most common causes, and the progress line
on stderr."""
import collections
import csv
import io
import json
import os
import sys
import time

from checker.checks.tasks import TASKS

COMMON_CAUSES = 12  # rows of the summary's causes table


def status(record):
    """One word or two for a student's row: graded, or why not."""
    if not record['reports']:
        return 'no task files'
    return 'limit hit' if limits_hit(record) else 'graded'


def limits_hit(record):
    """Each limit that stopped one of the student's files, once."""
    return list(dict.fromkeys(
        '{}: {}'.format(os.path.basename(entry['file']), limit)
        for entry in record['reports'] for limit in entry.get('limits', [])))


def gradescope(record):
    """A student's results.json: one test per check, worth 1 point."""
    tests = [{'name': '{}: {}'.format(entry['file'], check['name']),
              'score': 1 if check['passed'] else 0, 'max_score': 1,
              'status': 'passed' if check['passed'] else 'failed',
              'output': check['detail'], 'visibility': 'visible'}
             for entry in record['reports'] for check in entry['checks']]
    lines = ['Checked against the reference builders.'
             if tests else 'No task files: none of {} was found.'.format(
                 ', '.join(task.filename for task in TASKS))]
    lines += [record['note']] if record['note'] else []
    lines.append('Sandbox layers on: {}.'.format(', '.join(
        layer for layer, why in record['layers'].items() if not why)
        or 'none'))
    return {'score': sum(test['score'] for test in tests),
            'execution_time': round(record['seconds']),
            'output': '\n'.join(lines), 'tests': tests}


def read_records(out, students):
    """Each student's report.json, or None where there is none yet."""
    records = {}
    for student in students:
        try:
            with open(os.path.join(out, student.name, 'report.json')) as \
                    handle:
                records[student.name] = json.load(handle)
        except (OSError, ValueError):
            records[student.name] = None
    return records


def csv_text(records):
    """grades.csv: student, status, passed/checks per task, total, note."""
    stream = io.StringIO()
    table = csv.writer(stream, lineterminator='\n')
    table.writerow(['student', 'status'] + [task.filename for task in TASKS]
                   + ['passed', 'checks', 'note'])
    for name, record in records.items():
        if record is None:
            table.writerow([name, 'not graded yet'] + [''] * 7)
            continue
        cells, passed, total = [], 0, 0
        by_task = {entry['task']: entry for entry in record['reports']}
        for task in TASKS:
            entry = by_task.get(task.number)
            counts = [check['passed'] is True for check in entry['checks']] \
                if entry else []
            cells.append('{}/{}'.format(sum(counts), len(counts))
                         if entry else '')
            passed, total = passed + sum(counts), total + len(counts)
        note = '; '.join(filter(None, [record['note']]
                                + limits_hit(record)))
        table.writerow([name, status(record)] + cells
                       + [passed, total, note])
    return stream.getvalue()


def summary_text(records, layers):
    """summary.md: the class in numbers, each check's pass rate, and the
    causes that most students hit."""
    graded = [record for record in records.values() if record]
    statuses = collections.Counter(status(record) for record in graded)
    lines = ['# Class summary', '',
             '{} students: {}.'.format(len(records), ', '.join(
                 '{} {}'.format(count, word)
                 for word, count in sorted(statuses.items()))
                 + ('' if len(graded) == len(records) else ' {} not graded '
                    'yet.'.format(len(records) - len(graded)))), '']
    lines += ['Sandbox layers on: {}.'.format(', '.join(
        layer for layer, why in layers.items() if not why) or 'none')]
    lines += ['**Off: {} ({}).**'.format(layer, why)
              for layer, why in layers.items() if why]
    stopped = [(name, limit) for name, record in records.items()
               if record for limit in limits_hit(record)]
    if stopped:
        lines += ['', '## Limits hit', '']
        lines += ['- {}, {}'.format(name, limit) for name, limit in stopped]
    rates, causes = collections.OrderedDict(), collections.Counter()
    for record in graded:
        for entry in record['reports']:
            for check in entry['checks']:
                key = (TASKS[entry['task']].filename, check['name'])
                rates.setdefault(key, [0, 0])
                rates[key][0] += check['passed'] is True
                rates[key][1] += 1
                if check['passed'] is False and check['detail']:
                    causes[key + (_first_sentence(check['detail']),)] += 1
    lines += ['', '## Each check', '',
              '| file | check | passed | of | rate |', '|---|---|---|---|---|']
    lines += ['| {} | {} | {} | {} | {:.0%} |'.format(
        file, name, *counts, counts[0] / counts[1])
              for (file, name), counts in sorted(
                  rates.items(), key=lambda item: item[0][0])]
    lines += ['', '## Most common causes', '',
              '| students | file | check | cause |', '|---|---|---|---|']
    lines += ['| {} | {} | {} | {} |'.format(
        count, file, name, cause.replace('|', '\\|'))
              for (file, name, cause), count
              in causes.most_common(COMMON_CAUSES)]
    return '\n'.join(lines) + '\n'


def _first_sentence(detail):
    """The first line of a failure's detail, where it names the cause."""
    return detail.splitlines()[0].strip()


def write_tables(out, students, layers, write):
    """Rebuilds grades.csv and summary.md from every student's results."""
    records = read_records(out, students)
    write(os.path.join(out, 'grades.csv'), csv_text(records))
    write(os.path.join(out, 'summary.md'), summary_text(records, layers))


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
