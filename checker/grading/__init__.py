#!/usr/bin/env python3
"""Grading a class: its submissions judged and copied through descriptors,
the run over them, the points, the tables and the pages."""
