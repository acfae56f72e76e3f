#!/usr/bin/env python3
"""Runs a main as the textbook would: TensorFlow's default environment, the
plain Keras layers (Keras' own Conv2D, not the builder's one-filter route),
the builder's plain compile(optimizer, loss), and fit on the NumPy arrays.
The other side of benchmarks/whole_run.py.

    ./benchmarks/textbook_main.py 0-main.py
"""
import os
import runpy
import sys

import tensorflow.keras as keras  # first: the mains then change nothing


def seed_train(auto, x_train, x_test, epoch_count, model_name):
    """Trains as the seed's mains did: fit on the NumPy arrays, compiled as
    the builder left it, whatever the model."""
    return auto.fit(x_train, x_train, epochs=epoch_count, batch_size=256,
                    shuffle=True, validation_data=(x_test, x_test))


if __name__ == '__main__':
    main = sys.argv[1]
    sys.argv = sys.argv[1:]
    sys.path.insert(0, os.path.dirname(os.path.abspath(main)))
    from mains import training
    training.train = seed_train
    __import__('2-convolutional').Conv2D = keras.layers.Conv2D
    runpy.run_path(main, run_name='__main__')
