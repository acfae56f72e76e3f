#!/usr/bin/env python3
"""Running one file in its sandbox: the student side's server, the pipes
to each file's process and what they saw, the sandbox's layers and
cgroups, the scratch folder, the bounded file rules, the checks' run."""
