#!/usr/bin/env python3
"""The corpus: every operator applied to every solution it fits, and pairs
of independent mistakes on one file, each mutant labelled with the causes
a report must name; a stratified sample of it for the normal suite."""
import collections
import os
import random

from operators import COMMON, CONVOLUTIONAL, STRUCTURE, apply
from vae_operators import LOSS, SPARSE_OPERATORS, VAE_OPERATORS

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
TASK_FILES = ('0-vanilla.py', '1-sparse.py', '2-convolutional.py',
              '3-variational.py')
SHAPES = {'fixture': os.path.join(ROOT, 'tests', 'fixtures', 'student'),
          'reference': ROOT,
          'indexed': os.path.join(HERE, 'shapes', 'indexed'),
          'listed': os.path.join(HERE, 'shapes', 'listed')}
OPERATORS = COMMON + CONVOLUTIONAL + SPARSE_OPERATORS + VAE_OPERATORS
PAIRS_PER_SOLUTION = 12
# name, task file, source, and faults: (name, cause regex) pairs.
Mutant = collections.namedtuple('Mutant', 'name task_file source faults')
Fault = collections.namedtuple('Fault', 'name cause')
SEQUENTIAL = Fault('Sequential models without an InputLayer',
                   r'Sequential|no InputLayer')
NO_VAE = Fault('a vanilla autoencoder as the VAE',
               r'vanilla autoencoder|not what the task asks')


def read(folder, task_file):
    """The text of one solution's task file."""
    with open(os.path.join(folder, task_file)) as handle:
        return handle.read()


def solutions():
    """(shape, task number, source) of every correct solution."""
    return [(shape, number, read(folder, task_file))
            for shape, folder in sorted(SHAPES.items())
            for number, task_file in enumerate(TASK_FILES)]


def whole_files():
    """Mutants that are whole files of another shape: Sequential models,
    a vanilla autoencoder handed in as the VAE; and mistakes on the
    Sequential ones, each a second fault."""
    sequential = os.path.join(HERE, 'shapes', 'sequential')
    found = [Mutant('vanilla copied as the VAE', TASK_FILES[3],
                    read(SHAPES['fixture'], TASK_FILES[0]), [NO_VAE])]
    for number, task_file in enumerate(TASK_FILES):
        source = read(sequential, task_file)
        found.append(Mutant('sequential: as it is', task_file, source,
                            [SEQUENTIAL]))
        for operator in OPERATORS:
            changed = apply(operator, source)
            if number in operator.tasks and operator.group and changed:
                found.append(Mutant('sequential: ' + operator.name,
                                    task_file, changed,
                                    [SEQUENTIAL, Fault(operator.name,
                                                       operator.cause)]))
    return found


def singles():
    """Each operator on each solution it applies to."""
    found = []
    for shape, number, source in solutions():
        for operator in OPERATORS:
            changed = apply(operator, source) if number in \
                operator.tasks else None
            if changed:
                found.append(Mutant('{}: {}'.format(shape, operator.name),
                                    TASK_FILES[number], changed,
                                    [Fault(operator.name, operator.cause)]))
    return found


def independent(first, second):
    """Two mistakes that leave each other's checks able to run: both leave
    the models built, they belong to different groups, and neither
    changes the numbers the other's check measures (a layer changed
    changes the loss)."""
    return bool(first.group and second.group
                and first.group != second.group
                and {first.group, second.group} != {STRUCTURE, LOSS})


def pairs():
    """Two independent mistakes on one solution, a fixed sample of every
    such pair."""
    found = []
    chosen = random.Random(40)
    for shape, number, source in solutions():
        fitting = [operator for operator in OPERATORS
                   if number in operator.tasks and apply(operator, source)]
        both = []
        for index, first in enumerate(fitting):
            for second in fitting[index + 1:]:
                if not independent(first, second):
                    continue
                changed = apply(second, apply(first, source))
                if changed:
                    both.append(Mutant(
                        '{}: {} + {}'.format(shape, first.name, second.name),
                        TASK_FILES[number], changed,
                        [Fault(first.name, first.cause),
                         Fault(second.name, second.cause)]))
        found += chosen.sample(both, min(PAIRS_PER_SOLUTION, len(both)))
    return found


def corpus():
    """Every mutant, in a fixed order."""
    return singles() + whole_files() + pairs()


def sample(mutants):
    """One mutant of each operator and each pair of groups, spread over
    the solutions: the normal suite's stratified share of the corpus."""
    seen, chosen = set(), []
    for mutant in random.Random(4).sample(mutants, len(mutants)):
        stratum = (tuple(sorted(fault.name for fault in mutant.faults))
                   if len(mutant.faults) == 1 else
                   (mutant.task_file, len(mutant.faults)))
        if stratum not in seen:
            seen.add(stratum)
            chosen.append(mutant)
    return sorted(chosen, key=mutants.index)


def write(mutants, folder):
    """Writes each mutant into a folder of its own; returns their paths."""
    paths = []
    for index, mutant in enumerate(mutants):
        path = os.path.join(folder, str(index), mutant.task_file)
        os.makedirs(os.path.dirname(path))
        with open(path, 'w') as handle:
            handle.write(mutant.source)
        os.chmod(path, 0o755)
        paths.append(path)
    return paths
