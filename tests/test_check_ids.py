#!/usr/bin/env python3
"""The checks' ids stay what they were: every id ever given is written
here with its check, so that renumbering a check, or giving a removed
check's id to another, fails; the ids follow their pattern; the reports
and the docs' table of checks show them."""
import glob
import os
import re

from checker.checks import report, table
from conftest import ROOT

# Every id ever given, with the key of its check. A check removed keeps
# its line here, and its id is never given again; a new check takes the
# next free number of its kind.
GIVEN = {
    'F01': 'shebang', 'F02': 'run bit', 'F03': 'newline',
    'F04': 'line ends', 'F05': 'style', 'F06': 'docstrings',
    'F07': 'import',
    'I01': 'imports', 'I02': 'defines', 'I03': 'parameters',
    'I04': 'returns', 'I05': 'arguments', 'I06': 'auto layers',
    'I07': 'prints', 'I08': 'finishes', 'I09': 'limits',
    'S01': 'structure', 'S02': 'output order', 'S03': 'beyond',
    'C01': 'loss', 'C02': 'optimizer',
    'V01': 'outputs', 'V02': 'spread', 'V03': 'decodes z',
    'V04': 'loss value', 'V05': 'step',
}
LETTERS = {'F': 'file', 'I': 'interface', 'S': 'structure', 'C': 'compile',
           'V': 'computation'}
HEADER = '| id | kind | check | tasks | passes when |'


def test_every_check_keeps_the_id_it_was_given():
    """Each check's id is the one written here for its key, and no id
    written here names another check."""
    assert {check.id: check.key for check in table.CHECKS} == {
        given: key for given, key in GIVEN.items()
        if key in table.BY_KEY}
    assert len(set(GIVEN.values())) == len(GIVEN)


def test_ids_are_unique_and_say_their_kind():
    """A letter for the kind and two digits; no two checks share one; the
    numbers of each kind run from 01 with no gap, so that the next is
    the next free one."""
    ids = [check.id for check in table.CHECKS]
    assert len(set(ids)) == len(ids) == len(table.BY_ID)
    for check in table.CHECKS:
        assert re.fullmatch(r'[FISCV]\d\d', check.id), check.id
        assert LETTERS[check.id[0]] == check.kind, check
    for letter in LETTERS:
        numbers = sorted(int(given[1:]) for given in GIVEN
                         if given[0] == letter)
        assert numbers == list(range(1, len(numbers) + 1)), letter


def test_a_result_carries_its_id():
    """The id in a result, a configuration beyond the exercise numbered
    after a dot; the text report shows it in a column of its own."""
    own = report.result('S01', 'structure: own', 'structure', False, 'x')
    second = report.result('S03', 'structure: other (beyond the exercise)',
                           'structure', True, '', 2)
    assert (own['id'], own['beyond_exercise']) == ('S01', False)
    assert (second['id'], second['beyond_exercise']) == ('S03.2', True)
    text = report.as_text([{'file': 'a.py', 'task': 0, 'passed': False,
                            'checks': [own, second]}], 'a stack')
    assert '  FAIL [S01]   structure   structure: own\n       x\n' in text
    assert '  PASS [S03.2] structure   structure: other' in text


def test_the_docs_show_the_table_as_the_checks_give_it():
    """One page of the docs holds the table of checks, found by its
    header, and it is exactly what `python3 -m checker.checks.table`
    prints."""
    tables = []
    for path in glob.glob(os.path.join(ROOT, 'docs', '*.md')):
        with open(path) as handle:
            lines = handle.read().splitlines()
        for start in [index for index, line in enumerate(lines)
                      if line == HEADER]:
            end = start
            while end < len(lines) and lines[end].startswith('|'):
                end += 1
            tables.append('\n'.join(lines[start:end]))
    assert tables == [table.as_markdown()]
