#!/usr/bin/env python3
"""What the mains, the checker and the tests know alike about the stack
they run on: the log level TensorFlow gets before it loads, the lines it
prints while it loads, and which Keras it brought. Imports nothing, so
that ./check.py reads it without starting TensorFlow."""
import re

# Hides TensorFlow's C++ info lines and the "failed call to cuInit" error
# that machines without a GPU print; Python warnings and exceptions show.
LOG_LEVEL = '3'
# Lines TensorFlow 2.16+ writes while it loads, before its logging starts,
# so that no log level reaches them (tensorflow/tensorflow pull request
# 102212). To a student, "Could not find cuda drivers" reads as an error.
KNOWN_START_LINES = re.compile(
    rb'WARNING: All log messages before absl::InitializeLog\(\) is called'
    rb'|[IW]\d{4} [\d:.]+ +\d+ (port|cudart_stub)\.cc:\d+\] '
    rb'(oneDNN custom operations are on|Could not find cuda drivers)')
# Any line of TensorFlow's C++ log, which says nothing about a student's file.
LOG_LINE = re.compile(r'[IWEF]\d{4} |WARNING: All log messages before')


def keras_major(keras):
    """3 for Keras 3, which has keras.ops; 2 for tf-keras and TensorFlow
    2.15's Keras."""
    return 3 if hasattr(keras, 'ops') else 2
