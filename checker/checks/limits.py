#!/usr/bin/env python3
"""The checks of what the runner saw of a file's process (`finishes` and
`limits` in checker/checks/table.py): the runner (checker/running/runner.py)
reports it as a Seen, and these turn it into verdicts, added to the
file's checks only where the file went past a limit or ended early."""
import collections

from checker.checks import report, table

# Limits at which the runner stops the file, besides time.
STOPPED = ('memory', 'output', 'processes', 'disk', 'answer', 'turn')

# What the runner saw: the first limit the file hit ('time', one of
# STOPPED, 'stopped' where the grader ended it, or None) and its cap; what
# the student side said its sandbox refused (claims); what the grader was
# asking (stage); the process's exit status; the last line it printed on
# stderr that is not TensorFlow's log (last_line, '' for none); and the
# time limit in seconds.
Seen = collections.namedtuple(
    'Seen', 'limit cap claims stage status last_line timeout')


def verdicts(seen, checks, done):
    """The file's checks, with one more for a limit or an early end where
    there was one (done: the checks ran to their end), and the limits it
    hit, in the report's words."""
    hit = report.bounded(seen.claims)
    if seen.limit in STOPPED:
        hit.append(report.limit_words(seen.limit, seen.cap))
    hit = list(dict.fromkeys(hit))
    named = ' '.join(check['detail'] for check in checks
                     if check['passed'] is False)
    unnamed = [limit for limit in hit if limit not in named]
    if seen.limit == 'time':
        hit.append(report.limit_words('time', seen.timeout))
    if unnamed:
        return checks + [report.result(
            table.BY_KEY['limits'].id, table.name('limits'), 'interface',
            False,
            'Your file {} while {}{}.'.format(
                '; it '.join(unnamed), seen.stage,
                ', and the grader stopped it there'
                if seen.limit in STOPPED else '; the sandbox refused it'))], \
            hit
    if not done and seen.limit not in STOPPED:
        return checks + [unfinished(seen)], hit
    return checks, hit


def unfinished(seen):
    """The check that says how the process ended before its last
    answer."""
    if seen.limit == 'time':
        detail = ('Your file was stopped after {:g} s while {}: it hangs '
                  'there (an endless loop, or it waits for something).'
                  .format(seen.timeout, seen.stage))
    else:
        detail = ('Your file ended its process (status {}) while {}: {}.'
                  .format(seen.status, seen.stage, seen.last_line[:200]
                          or 'os._exit, or a crash'))
    return report.result(table.BY_KEY['finishes'].id,
                         table.name('finishes', timeout=seen.timeout),
                         'interface', False, detail)
