#!/usr/bin/env python3
"""The protocol between the grader and the student side, whole: the grader
asks, the student side answers with data, and the grader reads every
answer through these checks, so that an answer it cannot use is an
`Invalid` with its reason in plain words, never a crash.

    framing.py    the one framing both servers use: packets on their
                  socket, JSON lines on a file's pipes, the size caps
    questions.py  every message the grader sends, with its schema
    answers.py    every message the student side sends, with its schema
    values.py     the checks every value of a message passes
    tables.py     the layer table's schema, a build's answer
The framing's and the values' names, and the checks every answer passes,
are here too, so that `protocol.array` or `protocol.mapping` reads as it
always has, for the grader's checks of their own answers."""
from checker.protocol import answers, framing, questions, tables, values
from checker.protocol.answers import claims, error
from checker.protocol.framing import ENVIRONMENT, MAX_ANSWER, dumps, loads
from checker.protocol.values import (MAX_TEXT, Invalid, array, arguments,
                                     from_arguments, integer, items,
                                     mapping, number, text, to_array)
