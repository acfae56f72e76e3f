#!/usr/bin/env python3
"""Classroom 50's autograder (foundation50/classroom50, the wiki's
"Advanced Autograding"): a folder that a teacher commits as
CLASSROOM/autograders/ASSIGNMENT/ in the classroom's config repository.
Its autograder.py is run by Classroom 50's runner in the student's
checkout: it installs the chosen stack, grades the checkout's task files
with this checker, in its sandbox, and writes ./result.json with schema
classroom50/result/v1. runtime.json is the assignment's runtime block.
CLASSROOM50_PYTHON names a Python that has the stack already, to try the
folder on a copy before committing it.

    python -m checker.platforms.classroom50 CHECKOUT RESULT   (what
    autograder.py runs, from its own folder)
"""
import datetime
import json
import os
import shutil
import sys
import traceback

from checker.grading import scores
from checker.platforms import one
from mains.stack import ROOT

SCHEMA = 'classroom50/result/v1'
CHOICES = 'classroom50.json'
# TensorFlow 2.15's newest Python; the runner's default, 3.14, has no
# TensorFlow of ours.
RUNTIME = {'runs-on': 'ubuntu-latest', 'python': '3.11'}
AUTOGRADER = '''#!/usr/bin/env python3
"""Classroom 50 runs this once per submission, in the student's checkout:
it installs the graders' stack from the requirements file beside it, then
./check.py's checker grades the checkout, each task file in its sandbox,
and writes ./result.json (classroom50/result/v1). Exit status 0 whenever
it graded, whatever the grade; any other status is the grader's own
failure, which the runner reports as an error. CLASSROOM50_PYTHON names a
Python that has the stack already, to try this on a copy."""
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
RESULT = os.path.abspath('result.json')

# A result.json in the student's checkout is not the student's to give.
if os.path.isdir(RESULT) and not os.path.islink(RESULT):
    shutil.rmtree(RESULT)
elif os.path.lexists(RESULT):
    os.remove(RESULT)
python = os.environ.get('CLASSROOM50_PYTHON')
if not python:
    python = sys.executable
    subprocess.run([python, '-m', 'pip', 'install', '--quiet',
                    '--disable-pip-version-check', '-r',
                    os.path.join(HERE, '{requirements}')], check=True)
sys.exit(subprocess.run([python, '-m', 'checker.platforms.classroom50',
                         os.getcwd(), RESULT], cwd=HERE).returncode)
'''


def build(folder, stack, choices):
    """Writes the autograder's folder: autograder.py, runtime.json, the
    grader's choices, the stack's requirements and the checker; returns
    the paths of autograder.py and runtime.json."""
    requirements = one.STACKS[stack]
    for name in one.project_files() + [requirements]:
        os.makedirs(os.path.dirname(os.path.join(folder, name)),
                    exist_ok=True)
        shutil.copyfile(os.path.join(ROOT, name),
                        os.path.join(folder, name))
    written = []
    for name, text in (
            ('autograder.py', AUTOGRADER.replace('{requirements}',
                                                 requirements)),
            ('runtime.json', json.dumps(RUNTIME, indent=2) + '\n'),
            (CHOICES, json.dumps(dict(choices, stack=stack), indent=2))):
        written.append(os.path.join(folder, name))
        with open(written[-1], 'w') as handle:
            handle.write(text)
    os.chmod(written[0], 0o755)
    return written[:2]


def result(record, environment):
    """A student's result.json from the record of their checks: the
    runner's fields from its environment, then a test per check (or per
    task, with --points task), each with the cause in plain words."""
    tests = [{'test-name': test['name'],
              'passed': test['status'] == 'passed',
              'score': test['score'], 'max-score': test['max_score'],
              'output': test['output']}
             for test in scores.gradescope(record)['tests']]
    points, maximum = scores.score(record)
    now = datetime.datetime.now(datetime.timezone.utc).strftime(
        '%Y-%m-%dT%H:%M:%SZ')
    commit = environment.get('COMMIT_URL') or 'local'
    return {'schema': SCHEMA,
            'classroom': environment.get('CLASSROOM') or 'local',
            'assignment': environment.get('ASSIGNMENT') or 'local',
            'assignment_type': environment.get('ASSIGNMENT_TYPE')
            or 'individual',
            'owner': environment.get('OWNER') or environment.get(
                'USERNAME') or 'local',
            'submission': environment.get('SUBMISSION_TAG')
            or 'submit/local',
            'commit': commit,
            'release': environment.get('RELEASE_URL') or commit,
            'review': environment.get('REVIEW_URL') or commit,
            'datetime': now, 'graded_at': now,
            'score': points, 'max-score': maximum, 'tests': tests}


def main(checkout, path):
    """What autograder.py runs: grades the checkout, writes result.json."""
    with open(os.path.join(ROOT, CHOICES)) as handle:
        choices = json.load(handle)
    record = one.record(os.path.abspath(checkout), choices)
    found = result(record, os.environ)
    one.write_new(path, json.dumps(found, indent=2) + '\n')
    print('Graded: {} of {} points. {}'.format(
        found['score'], found['max-score'], ' '.join(
            one.layers_said(record))))


if __name__ == '__main__':
    try:
        main(*sys.argv[1:3])
    except Exception as error:  # the grader's failure: a non-zero exit
        traceback.print_exc()
        print('::error::The checker failed before it could grade this '
              'submission ({}: {}).'.format(type(error).__name__, error))
        sys.exit(1)
