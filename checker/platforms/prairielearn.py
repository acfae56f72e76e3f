#!/usr/bin/env python3
"""PrairieLearn's external grading (its docs/externalGrading.md): a
question whose info.json names the grader's image and its entrypoint, a
question.html that asks for the four task files, the grader under the
course's serverFilesCourse, and the Dockerfile of the image, which holds
the chosen stack and this checker. The entrypoint grades /grade/student
and writes /grade/results/results.json whatever happens. PL_GRADE_ROOT
moves /grade, PL_CHECKER names the checker's folder and PL_PYTHON the
Python, to run the grader on a copy.

    python -m checker.platforms.prairielearn ROOT   (what grade.sh runs)
"""
import json
import os
import shutil
import sys
import time
import traceback
import uuid

from checker.checks import table
from checker.checks.tasks import TASKS
from checker.grading import scores
from checker.platforms import one
from mains.stack import ROOT

QUESTION = os.path.join('questions', 'autoencoders')
GRADER = os.path.join('serverFilesCourse', 'autoencoders')
IMAGE = 'YOUR-DOCKERHUB-NAME/autoencoders-grader'
CHECKER = '/opt/autoencoders'  # the checker's folder in the image
TIMEOUT = 600  # seconds: PrairieLearn's most, for four files
DOCKERFILE = '''# The grader's image for PrairieLearn's external grading:
# Python 3.11 (TensorFlow 2.15's newest), the checker's stack from
# the project's own requirements file, and the checker. Build and
# push it, in this folder:
#   docker build -t IMAGE . && docker push IMAGE
FROM python:3.11-slim-bookworm
COPY grader/{requirements} {checker}/
RUN pip install --no-cache-dir -r {checker}/{requirements}
COPY grader/ {checker}/
ENV PL_CHECKER={checker}
'''
ENTRYPOINT = '''#!/usr/bin/env bash
# PrairieLearn runs this in the grader's image for each submission: the
# checker grades /grade/student and writes /grade/results/results.json,
# whatever happens. PL_GRADE_ROOT moves /grade, PL_CHECKER names the
# checker's folder, PL_PYTHON the Python, to try it on a copy.
root="${PL_GRADE_ROOT:-/grade}"
checker="${PL_CHECKER:-/opt/autoencoders}"
python="${PL_PYTHON:-python3}"
mkdir -p "$root/results"
rm -f "$root/results/results.json"
(cd "$checker" && "$python" -m checker.platforms.prairielearn "$root") \\
    2> "$root/results/checker.log"
if [ ! -s "$root/results/results.json" ]; then
    why=$(tail -n 1 "$root/results/checker.log" | tr -cd 'A-Za-z0-9 .,:_()-' \\
        | cut -c 1-300)
    printf '{"gradable": false, "format_errors": ["%s %s"]}\\n' \\
        "The checker failed before it could grade this submission:" \\
        "$why. That is the grader's failure, not yours: submit again." \\
        > "$root/results/results.json"
fi
'''
HTML = '''<pl-question-panel>
  <p>Hand in your files of the autoencoders project: {names}. Each is
  held up against the reference builders, check by check, in a sandbox;
  a file you do not hand in fails its task.</p>
  <pl-file-upload optional-file-names="{names}"></pl-file-upload>
</pl-question-panel>

<pl-submission-panel>
  <pl-external-grader-results></pl-external-grader-results>
  <pl-file-preview></pl-file-preview>
</pl-submission-panel>
'''


def info(image):
    """The question's info.json, under a fresh UUID: graded externally,
    in the image, by the entrypoint under serverFilesCourse, with no
    network."""
    return {'uuid': str(uuid.uuid4()),
            'title': 'Autoencoders: the four builders',
            'topic': 'Autoencoders', 'tags': ['code'], 'type': 'v3',
            'singleVariant': True, 'gradingMethod': 'External',
            'externalGradingOptions': {
                'image': image, 'serverFilesCourse': ['autoencoders/'],
                'entrypoint': '/grade/serverFilesCourse/autoencoders/'
                              'grade.sh',
                'timeout': TIMEOUT, 'enableNetworking': False}}


def build(folder, stack, choices, image=IMAGE):
    """Writes the question, the grader, the Dockerfile and the checker it
    copies into the image; returns the paths of info.json and the
    Dockerfile."""
    requirements = one.STACKS[stack]
    for name in one.project_files() + [requirements]:
        path = os.path.join(folder, 'grader', name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        shutil.copyfile(os.path.join(ROOT, name), path)
    names = ', '.join(task.filename for task in TASKS)
    written = {
        os.path.join(QUESTION, 'info.json'): json.dumps(info(image),
                                                        indent=2) + '\n',
        os.path.join(QUESTION, 'question.html'): HTML.format(names=names),
        os.path.join(GRADER, 'grade.sh'): ENTRYPOINT,
        os.path.join(GRADER, 'choices.json'): json.dumps(
            dict(choices, stack=stack), indent=2),
        'Dockerfile': DOCKERFILE.format(requirements=requirements,
                                        checker=CHECKER)}
    for name, text in written.items():
        os.makedirs(os.path.dirname(os.path.join(folder, name)) or folder,
                    exist_ok=True)
        with open(os.path.join(folder, name), 'w') as handle:
            handle.write(text)
    os.chmod(os.path.join(folder, GRADER, 'grade.sh'), 0o755)
    return [os.path.join(folder, QUESTION, 'info.json'),
            os.path.join(folder, 'Dockerfile')]


def not_python(entry):
    """Why a file's report says it is not Python, or ''."""
    for check in entry['checks']:
        said = [line for line in check['detail'].splitlines()
                if line.startswith('SyntaxError')]
        if check['id'] == table.BY_KEY['imports'].id and said:
            return '{}: {}'.format(os.path.basename(entry['file']), said[0])
    return ''


def results(record):
    """A student's results.json from the record of their checks: a score
    from 0 to 1 and a test per check (or per task); gradable false, with
    the reasons, when no file could be graded: none handed in, or none
    Python."""
    layers = one.layers_said(record)
    causes = [not_python(entry) for entry in record['reports']]
    if not record['reports'] or all(causes):
        missing = [why for _, entry, why in scores.by_task(record)
                   if entry is None]
        return {'gradable': False, 'format_errors': causes + missing,
                'message': 'Nothing could be graded: hand in the task '
                           'files, as Python.', 'output': '\n'.join(layers)}
    graded = scores.gradescope(record)
    points, maximum = scores.score(record)
    tests = [{'name': test['name'], 'points': test['score'],
              'max_points': test['max_score'],
              'message': test['output'].splitlines()[0] if test['output']
              else test['status'], 'output': test['output']}
             for test in graded['tests']]
    return {'gradable': True,
            'score': round(points / maximum, 4) if maximum else 0.0,
            'message': '{} of {} points. {}'.format(points, maximum,
                                                    ' '.join(layers)),
            'output': graded['output'], 'tests': tests}


def failed(error, seconds):
    """results.json for a checker that failed: not gradable, so that the
    attempt costs the student nothing, and the reason, the grader's."""
    return {'gradable': False, 'format_errors': [
        'The checker itself failed while grading this submission ({}: {}) '
        'after {} s. That is the grader\'s failure, not yours: submit '
        'again.'.format(type(error).__name__, str(error)[:300],
                        round(seconds))]}


def main(root):
    """What grade.sh runs: results.json, whatever happens."""
    start = time.monotonic()
    path = os.path.join(root, 'results', 'results.json')
    try:
        with open(os.path.join(root, GRADER, 'choices.json')) as handle:
            choices = json.load(handle)
        found = results(one.record(os.path.join(root, 'student'), choices))
    except BaseException as error:  # whatever happens, a results.json
        traceback.print_exc()
        found = failed(error, time.monotonic() - start)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    one.write_new(path, json.dumps(found, indent=2) + '\n')


if __name__ == '__main__':
    main(sys.argv[1])
