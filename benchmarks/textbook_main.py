#!/usr/bin/env python3
"""Runs a main as the textbook would: TensorFlow's default environment, the
plain Keras build, compile(optimizer, loss) with no options, and fit on the
NumPy arrays. The other side of benchmarks/whole_run.py.

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


def seed_train(auto, x_train, x_test, epoch_count):
    """Trains as the seed's mains did: fit on the NumPy arrays."""
    return auto.fit(x_train, x_train, epochs=epoch_count, batch_size=256,
                    shuffle=True, validation_data=(x_test, x_test))


if __name__ == '__main__':
    main = sys.argv[1]
    sys.argv = sys.argv[1:]
    sys.path.insert(0, os.path.dirname(os.path.abspath(main)))
    import mnist_helpers
    keras.Model.compile = plain_compile
    mnist_helpers.train = seed_train
    runpy.run_path(main, run_name='__main__')
