#!/usr/bin/env python3
"""The student side of ./check.py: a process per student file that runs
their code and answers the grader's questions with data. It imports
nothing of the grader's: no reference builder, no check, no result."""
