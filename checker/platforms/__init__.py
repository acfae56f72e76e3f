#!/usr/bin/env python3
"""The platforms a course grades on: each writes its own result files from
one submission's record (one.py): Classroom 50, Gradescope, PrairieLearn,
and GitHub Classroom's workflow, retired."""
