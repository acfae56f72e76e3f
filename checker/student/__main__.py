#!/usr/bin/env python3
"""python -m checker.student FD: the student side's server (server.py)."""
from checker.student import server

server.main()
