#!/usr/bin/env python3
"""summary.md names, for the instructor, each check the checker's own code
failed on: whose, in which file, which check; and says nothing of the
kind where none did."""
from checker.checks import report
from checker.grading import grades


def record(*checks):
    """A student's record of one vanilla file with these checks."""
    return {'reports': [{'file': '/copy/0-vanilla.py', 'task': 0,
                         'passed': False, 'checks': list(checks)}],
            'points': 'check', 'tasks': [0], 'layers': {}, 'seconds': 1}


def test_the_checkers_own_errors_are_listed_by_student_and_check():
    """The broken check is listed with its id; a check merely not run
    after it, and another student's plain failure, are not."""
    broken = report.result('S01', 'structure: the task\'s', 'structure',
                           None, 'The checker failed on this check.',
                           checker_error=True)
    after = report.result('S03', 'structure: one more', 'structure', None,
                          'not run: the checker failed on a check this '
                          'one needs', beyond=1)
    failed = report.result('C01', 'loss', 'compile', False, 'Your loss.')
    text = grades.summary_text([
        grades.Row('ada', record(broken, after), []),
        grades.Row('bob', record(failed), [])], {})
    section = text.split('## The checker\'s own errors')[1].split('##')[0]
    assert '- ada, 0-vanilla.py, \\[S01\\] structure: the task\'s' in section
    assert 'S03.1' not in section and 'bob' not in section


def test_a_class_with_no_such_error_has_no_such_section():
    """Plain failures give no section of the checker's errors."""
    failed = report.result('C01', 'loss', 'compile', False, 'Your loss.')
    text = grades.summary_text([grades.Row('bob', record(failed), [])], {})
    assert 'checker\'s own errors' not in text
