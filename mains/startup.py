#!/usr/bin/env python3
"""TensorFlow's environment for the mains, set when this module is first
imported, before TensorFlow starts: oneDNN on and C++ logs down unless the
user chose, and TensorFlow imported with its known start-up lines held
back. inputs and training import it first."""
import os

from mains import stack

# TensorFlow reads these once, when it is imported; a value the user has set
# wins. oneDNN's CPU kernels are on by default only on some Intel CPUs, and
# make the convolutional model about 2.5x faster on the others.
os.environ.setdefault('TF_ENABLE_ONEDNN_OPTS', '1')
os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', stack.LOG_LEVEL)


with stack.known_start_lines_held_back():
    import tensorflow.keras as keras

KERAS_MAJOR = stack.keras_major(keras)
