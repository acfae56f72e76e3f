#!/usr/bin/env python3
"""Running the checks: the student side's server and the pipes to each
file's process, the limits, the sandbox's layers and cgroups, the bounded
file rules; for a class, the submissions, the scratch and the results."""
