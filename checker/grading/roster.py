#!/usr/bin/env python3
"""A gradebook's roster (Canvas's, Moodle's or Blackboard's CSV export)
joined to a class's folders by one of its columns: a folder matches a
row whose key is its name, in any case, or whose email's part before the
@ is. grades.csv then starts with the roster's identifying columns, so
that the gradebook's import takes it back; a roster student with no
folder gets a row, "nothing handed in", with no points; a folder that
matches no one keeps its row and is listed in summary.md."""
import csv

from checker.grading.grades import Row

# Columns that identify a student in the exports of Canvas, Moodle and
# Blackboard; the key column always comes along.
IDENTITY = {'student', 'id', 'sis user id', 'sis login id', 'integration id',
            'section', 'first name', 'last name', 'surname', 'username',
            'email', 'email address', 'id number', 'student id',
            'institution', 'department', 'name', 'login'}


class RosterError(ValueError):
    """A roster that cannot be joined: no such file, no such column."""


def _forms(text):
    """The forms a name or key matches by: itself in lower case, and for
    an email the part before the @."""
    text = text.strip().lower()
    return [text] + ([text.split('@', 1)[0]] if '@' in text else [])


class Roster:
    """The roster's rows, its key column and its identifying columns."""

    def __init__(self, path, key):
        """Reads the CSV (a byte-order mark allowed, as Excel writes it)."""
        try:
            with open(path, newline='', encoding='utf-8-sig') as handle:
                table = list(csv.DictReader(handle))
                header = list(table[0]) if table else []
        except (OSError, UnicodeDecodeError, csv.Error) as error:
            raise RosterError('cannot read the roster {}: {}'.format(
                path, error))
        if key not in header:
            raise RosterError('the roster {} has no column {!r}; its columns:'
                              ' {}'.format(path, key, ', '.join(header)))
        self.key = key
        self.identity = [column for column in header
                         if column.strip().lower() in IDENTITY
                         or column == key]
        self.rows = [row for row in table
                     if (row.get(key) or '').strip()
                     and 'points possible' not in ' '.join(
                         str(value).lower() for value in row.values())]

    def join(self, records, points, tasks):
        """(rows, strays): a Row per roster student in the roster's order,
        their folder's record or a record of nothing handed in; then the
        folders that match no one, each with its row."""
        exact, local = {}, {}
        for name, record in records:
            forms = _forms(name)
            exact.setdefault(forms[0], (name, record))
            for form in forms[1:]:
                local.setdefault(form, (name, record))
        used, rows = set(), []
        for row in self.rows:
            forms = _forms(row[self.key])
            match = next((exact.get(form) or local.get(form)
                          for form in forms
                          if (exact.get(form) or local.get(form))
                          and (exact.get(form) or local.get(form))[0]
                          not in used), None)
            identity = [row[column] for column in self.identity]
            if match:
                used.add(match[0])
                rows.append(Row(match[0], match[1], identity))
            else:
                rows.append(Row(row[self.key], nothing(points, tasks),
                                identity))
        strays = [name for name, _ in records if name not in used]
        rows += [Row(name, record, [''] * len(self.identity))
                 for name, record in records if name not in used]
        return rows, strays


def nothing(points, tasks):
    """The record of a roster student who handed nothing in."""
    return {'missing': True, 'reports': [], 'problems': {}, 'note': '',
            'points': points, 'tasks': sorted(tasks), 'layers': {},
            'seconds': 0}
