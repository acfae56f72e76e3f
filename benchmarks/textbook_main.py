#!/usr/bin/env python3
"""Runs a main as the textbook would: TensorFlow's default environment and
the plain Keras build, compile(optimizer, loss) with no options. The other
side of benchmarks/whole_run.py.

    ./benchmarks/textbook_main.py 0-main.py
"""
import os
import runpy
import sys

import tensorflow.keras as keras  # first: mnist_helpers then changes nothing

keras_compile = keras.Model.compile


def plain_compile(model, optimizer, loss, **options):
    """Compiles with the optimizer and loss alone, as the seed's builders
    did, dropping the builders' speed options."""
    keras_compile(model, optimizer=optimizer, loss=loss)


if __name__ == '__main__':
    keras.Model.compile = plain_compile
    sys.argv = sys.argv[1:]
    sys.path.insert(0, os.path.dirname(os.path.abspath(sys.argv[0])))
    runpy.run_path(sys.argv[0], run_name='__main__')
