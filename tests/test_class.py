#!/usr/bin/env python3
"""./check.py --class's results over a class of honest fixture students: a
batch killed halfway resumes, shards add up to one run, and a command
line that cannot work is a usage error. The runs share a seed, so that
their computations' numbers agree."""
import json
import os
import signal
import subprocess
import sys
import time

import pytest

from classes import honest_class, run_class
from conftest import ROOT

SEED = ['--seed', '7']


def small_class(folder):
    """Three honest students, for the runs that are about the results."""
    honest_class(str(folder))
    return folder


def without_times(out):
    """Every student's results.json with its time taken out."""
    found = {}
    for name in sorted(os.listdir(os.path.join(out, 'students'))):
        path = os.path.join(out, 'students', name, 'results.json')
        if os.path.isfile(path):
            with open(path) as handle:
                results = json.load(handle)
            results.pop('execution_time')
            found[name] = results
    return found


@pytest.mark.timing
def test_a_killed_batch_resumes(tmp_path):
    """Killed after its first student, a rerun checks only the rest and
    gives what one whole run gives."""
    submissions = small_class(tmp_path / 'submissions')
    whole = tmp_path / 'whole'
    assert run_class(submissions, whole, *SEED).returncode == 0
    killed = tmp_path / 'killed'
    process = subprocess.Popen(
        [sys.executable, os.path.join(ROOT, 'check.py'), '--class',
         str(submissions), '--out', str(killed), '--jobs', '1'] + SEED,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while not os.path.exists(killed / 'students' / 'ada' /
                             'results.json'):
        assert time.monotonic() < deadline and process.poll() is None
        time.sleep(0.1)
    process.send_signal(signal.SIGKILL)
    process.wait()
    first = killed / 'students' / 'ada' / 'results.json'
    done = os.path.getmtime(first)
    rerun = run_class(submissions, killed, *SEED)
    assert rerun.returncode == 0, rerun.stderr
    assert os.path.getmtime(first) == done
    assert without_times(str(killed)) == without_times(str(whole))
    with open(killed / 'grades.csv') as first, open(whole / 'grades.csv') \
            as second:
        assert first.read() == second.read()


def test_shards_add_up_to_one_run(tmp_path):
    """Two shards and a last run without --shard give one run's files,
    the class's page too."""
    submissions = small_class(tmp_path / 'submissions')
    whole, split = tmp_path / 'whole', tmp_path / 'split'
    assert run_class(submissions, whole, *SEED).returncode == 0
    for shard in ('1/2', '2/2'):
        assert run_class(submissions, split, '--shard', shard, *SEED) \
            .returncode == 0
    final = run_class(submissions, split, *SEED)
    said = [line for line in final.stderr.splitlines()
            if not line.startswith('check.py: WARNING')]  # a layer off
    assert said == [] or '0 of 0 students' in final.stderr
    assert without_times(str(split)) == without_times(str(whole))
    for name in ('grades.csv', 'summary.md', 'summary.html'):
        with open(split / name) as first, open(whole / name) as second:
            assert first.read() == second.read()


def test_usage_errors(tmp_path):
    """--class without --out, or with a PATH too, is a usage error."""
    for arguments in (['--class', str(tmp_path)],
                      ['--class', str(tmp_path), '--out', str(tmp_path),
                       ROOT],
                      ['--class', str(tmp_path / 'none'), '--out', 'x'],
                      ['--class', str(tmp_path), '--out', 'x', '--shard',
                       '3/2']):
        run = subprocess.run([sys.executable, os.path.join(ROOT, 'check.py')]
                             + arguments, capture_output=True, text=True)
        assert run.returncode == 2, arguments
