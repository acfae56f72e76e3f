#!/usr/bin/env python3
"""The grader's checks and their reports: the one table of checks, the
file rules, the reference, the student's file as the grader asks it, the
comparisons, the layer diff, errors and causes in plain words."""
