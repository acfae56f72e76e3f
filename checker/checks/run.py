#!/usr/bin/env python3
"""Runs one task file's checks in the order of checker/checks/table.py,
each given the stages its function names (checker/checks/stages.py), each
check that needs an earlier failed one reported as not run, with the
reason that one gives. The file rules and the checks of what the runner
saw (time, limits) are added by the runner; this yields the rest, one at a
time, so that a file whose process ends midway keeps what was found. A
check whose own code fails is the checker's error, never the student's."""
from checker import protocol
from checker.checks import report, table
from checker.checks.answer import Ended
from checker.checks.interface import builder_names
from checker.checks.reference import ReferenceFailed
from checker.checks.stages import Stages

CHECKER_ERROR = ('The checker failed on this check ({}: {}); this is not '
                 'your mistake: please report it to your instructor with '
                 'this line.')
AFTER_CHECKER_ERROR = 'the checker failed on a check this one needs'


def judged(function, stages, configuration, failed=None):
    """A function's verdict on the stages it names, and whether the
    checker's own code failed on it: an answer of the student side that
    the protocol refuses is their failure; any other error is the
    checker's."""
    try:
        return function(**stages.given(function, configuration,
                                       failed)), False
    except ReferenceFailed as failure:
        return (None, str(failure), 'the checker\'s reference failed'), False
    except Ended:
        raise
    except protocol.Invalid as error:  # an answer no check foresaw
        return (False, 'Your file\'s process answered so that the grader '
                'could not judge this check ({}: {}).'.format(
                    type(error).__name__, str(error)[:200])), False
    except Exception as error:  # a bug of the checker's own
        return (None, CHECKER_ERROR.format(
            type(error).__name__, str(error)[:200]),
                AFTER_CHECKER_ERROR), True


def results(student, reference):
    """Yields each check's result of the student's file, in order; stops
    with Ended where its process ends."""
    task = student.task
    stages = Stages(student, reference)
    outcomes, reasons = {}, {}
    applicable = {check.key for check in table.for_task(task)}

    def blocked(check):
        """Why a check cannot run, and the failed check at the root of
        it: the first of its needs not passed."""
        for need in table.NEEDS[check.key]:
            if need in applicable and outcomes.get(need) is not True:
                root = need if outcomes.get(need) is False else \
                    blocked(table.BY_KEY[need])[1] or need
                return (reasons.get(need) or table.BY_KEY[need].blocks,
                        root)
        return '', None

    for check in table.for_task(task):
        if check.function is None:
            continue
        configurations = (task.configurations[1:] if check.key == 'beyond'
                          else task.configurations[:1])
        for configuration in configurations:
            why, root = blocked(check)
            alone = (table.ALONE.get(check.key)
                     if why and outcomes.get('returns') else None)
            if why and not alone:
                found, faulty = (None, 'not run: ' + why, why), False
            elif alone:
                found, faulty = judged(alone, stages, configuration, root)
                if found is True:
                    found, faulty = judged(check.function, stages,
                                           configuration, root)
            else:
                found, faulty = judged(check.function, stages,
                                       configuration)
            found = found or (None, 'not run: ' + why, why)
            if len(found) > 2 and found[2]:
                reasons.setdefault(check.key, found[2])
            outcomes.setdefault(check.key, found[0])
            yield report.result(
                check.id,
                table.name(check.key, configuration=configuration.label,
                           builder=builder_names(task),
                           parameters=', '.join(task.parameters)),
                check.kind, found[0], found[1],
                task.configurations.index(configuration), faulty)
