#!/usr/bin/env python3
"""The checks of what the runner saw (checker/checks/limits.py), from
hand-made Seen values: each limit and early end in the report's words,
added only where no failed check names it already."""
from checker import protocol
from checker.checks import report
from checker.checks.limits import Seen, verdicts

STAGE = 'comparing outputs'
GB, MB = 2 ** 30, 2 ** 20


def seen(limit=None, cap=None, claims=(), status=None, last_line=''):
    """What a runner saw of a file asked about its outputs, with a 60 s
    limit."""
    return Seen(limit, cap, list(claims), STAGE, status, last_line, 60)


def added(found, done=False, checks=()):
    """The check verdicts adds to the file's checks, and the limits hit."""
    checks = list(checks)
    result, hit = verdicts(found, checks, done)
    assert result[:len(checks)] == checks
    extra = result[len(checks):]
    assert len(extra) <= 1
    return (extra[0] if extra else None), hit


def test_a_time_out_says_where_the_file_hangs():
    """A file stopped at the time limit fails finishes, naming the
    question it hangs on; the limit is hit."""
    check, hit = added(seen('time', 60, status=-9))
    assert check == report.result(
        'I08', 'finishes within 60 s', 'interface', False,
        'Your file was stopped after 60 s while comparing outputs: it hangs '
        'there (an endless loop, or it waits for something).')
    assert hit == ['ran longer than 60 s']


def stopped(limit, cap):
    """The limits check's detail, and the limits hit, of a file the grader
    stopped at one of its caps."""
    check, hit = added(seen(limit, cap, status=-9))
    assert (check['name'], check['kind'], check['passed']) == (
        'stays inside the grader\'s sandbox', 'interface', False)
    return check['detail'], hit


def test_each_cap_is_named_and_the_file_stopped_there():
    """Memory, disk, output, processes, the answer's cap and an answer out
    of turn: each in its words, with where the grader stopped the file."""
    cases = {
        ('memory', 2 * GB): 'used more than 2 GB of memory',
        ('disk', 100 * MB): 'wrote more than 100 MB',
        ('output', 1 * MB): 'printed more than 1 MB',
        ('processes', 100): 'started more than 100 processes',
        ('answer', protocol.MAX_ANSWER):
            'sent an answer past the grader\'s cap of 32 MB',
        ('turn', protocol.MAX_ANSWER):
            'answered a question the grader had not asked'}
    for (limit, cap), words in cases.items():
        assert stopped(limit, cap) == (
            'Your file {} while comparing outputs, and the grader stopped '
            'it there.'.format(words), [words])


def test_a_limit_a_failed_check_names_is_not_named_twice():
    """Where the student's error already says the memory ran out, no check
    is added, and no finishes either: the grader stopped the file."""
    failed = report.result('V01', 'outputs on a fixed batch', 'computation',
                           False, 'Your file used more than 2 GB of memory '
                           'while comparing outputs.')
    check, hit = added(seen('memory', 2 * GB), checks=[failed])
    assert check is None
    assert hit == ['used more than 2 GB of memory']


def test_an_early_exit_gives_its_status_and_last_line():
    """A process that ended before its last answer: its status and the
    last line it printed, or what ends a process silently."""
    check, hit = added(seen(status=3, last_line='ValueError: boom'))
    assert check == report.result(
        'I08', 'finishes within 60 s', 'interface', False,
        'Your file ended its process (status 3) while comparing outputs: '
        'ValueError: boom.')
    assert hit == []
    check, _ = added(seen(status=-11))
    assert check['detail'] == (
        'Your file ended its process (status -11) while comparing outputs: '
        'os._exit, or a crash.')


def test_claims_alone_are_what_the_sandbox_refused():
    """A file that ran to its end but tried what the sandbox refuses: the
    claims, a few of them, unlinked, and how many more."""
    claims = ['opened http://example.com', 'wrote /etc/passwd',
              'opened a socket', 'forked', 'read /root']
    check, hit = added(seen(claims=claims), done=True)
    shown = ['opened http:/ /example.com', 'wrote /etc/passwd',
             'opened a socket', 'tried 2 more things that the sandbox '
             'refused']
    assert hit == shown
    assert check['detail'] == ('Your file {} while comparing outputs; the '
                               'sandbox refused it.'.format('; it '.join(
                                   shown)))


def test_a_file_that_ran_to_its_end_within_its_limits_adds_nothing():
    """Nothing seen, nothing added; an early end with a stop of the
    grader's own (Ctrl-C) is still told."""
    assert added(seen(status=0), done=True) == (None, [])
    check, _ = added(seen('stopped', status=-9))
    assert check['name'] == 'finishes within 60 s'
