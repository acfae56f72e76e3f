#!/usr/bin/env python3
"""A corpus of generated student mistakes for the checker: correct
solutions of several shapes (shapes/, the fixtures' and this project's
own), mistakes applied to them as edits of their source, each labelled
with the words a report must use to name its cause (operators.py,
vae_operators.py), and the mutants they make (corpus.py)."""
