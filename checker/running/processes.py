#!/usr/bin/env python3
"""A checked file's processes, read from /proc where no cgroup counts
them: who is whose child, how much memory a process and everything it
started holds, killing all of them, and the disk its copy holds."""
import os
import re
import signal

PAGE = os.sysconf('SC_PAGE_SIZE')


def parents():
    """Maps each live process id to its parent's."""
    found = {}
    for name in os.listdir('/proc'):
        if name.isdigit():
            try:
                with open('/proc/{}/stat'.format(name)) as handle:
                    fields = handle.read().rsplit(')', 1)[1].split()
            except OSError:
                continue  # it ended while we looked
            found[int(name)] = int(fields[1])
    return found


def tree(root):
    """The process root and all its descendants."""
    parent_of, found = parents(), [root]
    for pid in found:
        found += [child for child, parent in parent_of.items()
                  if parent == pid and child not in found]
    return found


def resident_bytes(pids):
    """The memory the processes hold, each page shared between processes
    counted in shares (the proportional set size), so that a fork's pages
    are not counted twice; the resident size where no share is known."""
    total = 0
    for pid in pids:
        try:
            with open('/proc/{}/smaps_rollup'.format(pid)) as handle:
                total += int(re.search(r'^Pss:\s+(\d+) kB', handle.read(),
                                       re.M).group(1)) * 1024
            continue
        except (OSError, AttributeError):
            pass
        try:
            with open('/proc/{}/statm'.format(pid)) as handle:
                total += int(handle.read().split()[1]) * PAGE
        except OSError:
            pass
    return total


def kill(pids):
    """Kills each process; one already gone is fine."""
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass


def disk_usage(folder):
    """The bytes that the files beneath folder hold on disk."""
    total = 0
    for where, folders, files in os.walk(folder):
        for name in folders + files:
            try:
                total += os.lstat(os.path.join(where, name)).st_blocks * 512
            except OSError:
                pass
    return total
