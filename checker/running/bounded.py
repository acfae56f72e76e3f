#!/usr/bin/env python3
"""The file rules of checker/checks/rules.py, which run the parser and
pycodestyle on a stranger's text, in processes of their own under the
file's time and memory limits: a file that makes them hang or swell fails
its own style check, and the run goes on. The processes stay up from file
to file, one per file checked at once."""
import json
import queue
import subprocess
import sys
import threading

import pycodestyle

from checker.checks import report, rules, table
from mains import stack

HEAVY = ('style', 'docstrings', 'import')  # the rules run in the process


class Rules:
    """A pool of rule processes, each capped at memory bytes."""

    def __init__(self, timeout, memory):
        """timeout: seconds a file may take; memory: bytes, or 0 for the
        machine's."""
        self.timeout, self.memory = timeout, memory or 2 ** 40
        self.idle = queue.Queue()

    def _start(self):
        """One more rule process."""
        return subprocess.Popen(
            [sys.executable, '-m', 'checker.checks.rules', str(self.memory)],
            cwd=stack.ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, text=True)

    def check(self, path):
        """The file checks of one file, in the report's order."""
        try:
            process = self.idle.get_nowait()
        except queue.Empty:
            process = self._start()
        found = [None]

        def ask():
            """Sends the path and reads the one line that answers it."""
            try:
                process.stdin.write(json.dumps(path) + '\n')
                process.stdin.flush()
                found[0] = json.loads(process.stdout.readline())
            except (OSError, ValueError):
                pass
        asking = threading.Thread(target=ask, daemon=True)
        asking.start()
        asking.join(self.timeout)
        if isinstance(found[0], list):
            self.idle.put(process)
            return [_result(*entry) for entry in found[0]]
        process.kill()
        process.wait()
        why = ('used more than {:g} GB of memory'.format(self.memory / 2 ** 30)
               if found[0] == 'memory' else 'nested too deeply to parse'
               if found[0] == 'recursion' else
               'did not finish within {:g} s'.format(self.timeout))
        text = rules.read(path)
        return [_result(*entry) for entry in rules.simple(path, text)] + [
            _result(key, False, 'The grader\'s check of your file\'s text '
                    '{}: it is too large or too deeply nested to read.'
                    .format(why)) for key in HEAVY]

    def close(self):
        """Ends every rule process."""
        while not self.idle.empty():
            process = self.idle.get_nowait()
            process.stdin.close()
            process.wait()


def _result(key, passed, detail):
    """One file check's result as the report holds it."""
    return report.result(table.BY_KEY[key].id,
                         table.name(key, pycodestyle=pycodestyle.__version__),
                         'file', passed, detail)
