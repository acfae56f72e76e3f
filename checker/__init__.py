#!/usr/bin/env python3
"""The parts of ./check.py, which holds a student's four task files up
against this project's builders: the file rules, the tasks and their
configurations, the model comparisons, the worker that runs one task in its
own process, and the report."""
