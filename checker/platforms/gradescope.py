#!/usr/bin/env python3
"""Gradescope's autograder, as a zip that Gradescope takes as it is:
setup.sh installs Python and the chosen stack from this project's own
requirements file; run_autograder grades the one submission in
/autograder/submission, wherever its task files lie in it, and writes
/autograder/results/results.json whatever happens. The checker, the four
builders and the grader's choices (the tasks that count, the points, the
visibility, the limits) come along; the tests, the benchmarks and the
figures do not. AUTOGRADER_ROOT moves /autograder and AUTOGRADER_PYTHON
names the Python to use, to run the zip on a copy before uploading it.

    python -m checker.platforms.gradescope ROOT   (what run_autograder runs)
"""
import json
import os
import sys
import time
import traceback
import zipfile

from checker.grading import scores
from checker.platforms import one
from mains.stack import ROOT

SETUP = '''#!/usr/bin/env bash
# Gradescope runs this once, as root, on its Ubuntu image (22.04: its
# Python 3.10 suits TensorFlow 2.15 and today's alike): Python, then the
# checker's stack from the project's own requirements file.
set -euo pipefail
apt-get update
apt-get install -y python3 python3-venv python3-pip
python3 -m venv /autograder/venv
/autograder/venv/bin/pip install --upgrade pip
/autograder/venv/bin/pip install -r /autograder/source/{requirements}
'''
RUN = '''#!/usr/bin/env bash
# Gradescope runs this once per submission: ./check.py's checker grades
# /autograder/submission and writes /autograder/results/results.json,
# whatever happens. AUTOGRADER_ROOT moves /autograder, AUTOGRADER_PYTHON
# names the Python, to try the zip on a copy.
root="${{AUTOGRADER_ROOT:-/autograder}}"
python="${{AUTOGRADER_PYTHON:-$root/venv/bin/python}}"
mkdir -p "$root/results"
rm -f "$root/results/results.json"
(cd "$root/source" && "$python" -m checker.platforms.gradescope "$root") \\
    2> "$root/results/checker.log"
if [ ! -s "$root/results/results.json" ]; then
    why=$(tail -n 1 "$root/results/checker.log" | tr -cd 'A-Za-z0-9 .,:_()-' \\
        | cut -c 1-300)
    printf '{{"score": 0, "output": "%s %s", "visibility": "visible", '\\
'"stdout_visibility": "visible", "tests": []}}\\n' \\
        "The checker failed before it could grade this submission:" \\
        "$why. That is the grader's failure, not yours: ask for a regrade." \\
        > "$root/results/results.json"
fi
'''


def build(path, stack, choices):
    """Writes the zip: setup.sh and run_autograder at its root, the files,
    the stack's requirements, the grader's choices in gradescope.json."""
    requirements = one.STACKS[stack]
    with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED) as archive:
        for name, text in (('setup.sh', SETUP.format(
                requirements=requirements)), ('run_autograder', RUN.format())):
            entry = zipfile.ZipInfo(name)
            entry.external_attr = 0o100755 << 16
            archive.writestr(entry, text)
        for name in one.project_files() + [requirements]:
            archive.write(os.path.join(ROOT, name), name)
        archive.writestr('gradescope.json', json.dumps(
            dict(choices, stack=stack), indent=2))


def grade(root, choices):
    """Grades the submission under root; returns its results.json."""
    return scores.gradescope(one.record(os.path.join(root, 'submission'),
                                        choices))


def failed(error, seconds):
    """results.json for a checker that failed: no points taken, and the
    reason, which is the grader's, said so."""
    return {'score': 0, 'execution_time': round(seconds),
            'output': 'The checker itself failed while grading this '
                      'submission ({}: {}). That is the grader\'s failure, '
                      'not yours: ask for a regrade.'.format(
                          type(error).__name__, str(error)[:300]),
            'visibility': 'visible', 'stdout_visibility': 'visible',
            'tests': []}


def main(root):
    """What run_autograder runs: results.json, whatever happens."""
    start = time.monotonic()
    results = os.path.join(root, 'results', 'results.json')
    try:
        with open(os.path.join(root, 'source', 'gradescope.json')) as handle:
            choices = json.load(handle)
        found = grade(root, choices)
    except BaseException as error:  # whatever happens, a results.json
        traceback.print_exc()
        found = failed(error, time.monotonic() - start)
    os.makedirs(os.path.dirname(results), exist_ok=True)
    with open(results, 'w') as handle:
        json.dump(found, handle, indent=2)


if __name__ == '__main__':
    main(sys.argv[1])
