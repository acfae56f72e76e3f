#!/usr/bin/env python3
"""One check's result, and the report of all of them: lines for people,
JSON for machines."""
import json
import os
import re

KINDS = ('file', 'interface', 'structure', 'compile', 'computation')
MARKS = {True: 'PASS', False: 'FAIL', None: 'SKIP'}
MAX_CLAIMS = 3  # of what the student side says its sandbox refused, a file
MAX_CLAIM = 100  # characters of each one shown
# What Markdown, a spreadsheet or a mail reader would make a link of.
LINK = re.compile(r'://|www\.|@', re.I)


def result(check_id, name, kind, passed, detail='', beyond=0,
           checker_error=False):
    """Returns one check's result: check_id is its id in the table;
    passed is True, False, or None for a check that could not run because
    an earlier one failed; beyond numbers a configuration beyond the
    exercise's own (1 for the first), whose result's id is the check's
    with that number after a dot; checker_error marks a check the
    checker's own code failed on."""
    assert kind in KINDS, kind
    found = {'id': '{}.{}'.format(check_id, beyond) if beyond else check_id,
             'name': name, 'kind': kind,
             'passed': None if passed is None else bool(passed),
             'detail': detail, 'beyond_exercise': bool(beyond)}
    if checker_error:
        found['checker_error'] = True
    return found


def shown(name):
    """A name as text to print: its bytes that are not UTF-8, and every
    control character, escaped; never a line break."""
    text = os.fsdecode(name) if isinstance(name, bytes) else name
    raw = text.encode('utf-8', 'surrogateescape')
    text = raw.decode('utf-8', 'backslashreplace')
    return ''.join(char if char.isprintable() else repr(char)[1:-1]
                   for char in text)


def unlinked(text):
    """A claim of the student side shown on one line, cut to MAX_CLAIM
    characters, with nothing a reader would turn into a link."""
    text = LINK.sub(lambda found: found.group()[:-1] + ' '
                    + found.group()[-1], shown(text))
    return text if len(text) <= MAX_CLAIM else text[:MAX_CLAIM - 3] + '...'


def bounded(claims):
    """At most MAX_CLAIMS of the student side's claims, unlinked, and how
    many more there were."""
    found = [unlinked(claim) for claim in claims[:MAX_CLAIMS]]
    if len(claims) > MAX_CLAIMS:
        found.append('tried {} more things that the sandbox refused'.format(
            len(claims) - MAX_CLAIMS))
    return found


def limit_words(limit, cap):
    """The report's words for a file that went past one of its caps."""
    if limit == 'memory':
        return 'used more than {:g} GB of memory'.format(cap / 2 ** 30) \
            if cap else 'ran out of memory'
    if limit == 'output':
        return 'printed more than {:g} MB'.format(cap / 2 ** 20)
    if limit == 'disk':
        return 'wrote more than {:g} MB'.format(cap / 2 ** 20)
    if limit == 'processes':
        return 'started more than {} processes'.format(cap)
    if limit == 'answer':
        return 'sent an answer past the grader\'s cap of {:g} MB'.format(
            cap / 2 ** 20)
    if limit == 'turn':
        return 'answered a question the grader had not asked'
    return 'ran longer than {:g} s'.format(cap)


def task_passed(checks):
    """A task passes when none of its checks failed and the checker could
    judge each one it ran: a check it failed on earns nothing."""
    return all(check['passed'] is not False and not check.get(
        'checker_error') for check in checks)


def as_text(reports, stack):
    """Returns the report for people: a header per task, then one line per
    check, failures with what differs and the likely cause below."""
    lines = ['Checked against this project\'s builders on {}.'.format(stack)]
    for report in reports:
        counts = [sum(check['passed'] is value for check in report['checks'])
                  for value in (True, False, None)]
        lines += ['', '{} (task {}): {} passed, {} failed{}'.format(
            report['file'], report['task'], counts[0], counts[1],
            ', {} not run'.format(counts[2]) if counts[2] else '')]
        for check in report['checks']:
            lines.append('  {} {:<7} {:<11} {}'.format(
                MARKS[check['passed']], '[{}]'.format(check['id']),
                check['kind'], check['name']))
            if check['detail']:
                lines += ['       ' + line
                          for line in check['detail'].splitlines()]
    passed = sum(report['passed'] for report in reports)
    lines += ['', '{} of {} tasks pass every check.'.format(passed,
                                                            len(reports))]
    return '\n'.join(lines)


def as_json(reports):
    """Returns the report for machines: a JSON list, one object per task."""
    return json.dumps(reports, indent=2)
