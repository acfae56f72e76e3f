#!/usr/bin/env python3
"""Opens a path beneath a folder the grader holds open, never by a path
that a link could redirect: openat2 with RESOLVE_BENEATH and
RESOLVE_NO_SYMLINKS where the kernel has it (Linux 5.6), else one part at
a time, each folder opened with O_NOFOLLOW | O_DIRECTORY relative to the
one before. A link anywhere on the way, or a part that is no longer a
folder, raises OSError; nothing is ever opened in a way that can block."""
import ctypes
import errno
import os
import struct

OPENAT2 = 437  # the same number on x86_64 and aarch64
NO_MAGICLINKS, NO_SYMLINKS, BENEATH = 0x02, 0x04, 0x08
FOLDER = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_NONBLOCK \
    | os.O_CLOEXEC
FILE = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
_LIBC = ctypes.CDLL(None, use_errno=True)
_LIBC.syscall.restype = ctypes.c_long


def _openat2(folder, relative, flags):
    """openat2(2) beneath folder without links; None where the kernel has
    no openat2 (or a filter refuses it)."""
    how = struct.pack('QQQ', flags, 0, BENEATH | NO_SYMLINKS | NO_MAGICLINKS)
    handle = _LIBC.syscall(OPENAT2, folder, relative, how, len(how))
    if handle >= 0:
        return handle
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EPERM) and not _WORKS[0]:
        return None
    raise OSError(code, os.strerror(code), os.fsdecode(relative))


def _walk(folder, relative, flags):
    """The same, one part at a time, each folder without following."""
    parts = [part for part in relative.split(b'/') if part]
    if not parts or b'..' in parts:
        raise OSError(errno.EXDEV, 'not beneath the folder',
                      os.fsdecode(relative))
    handle = os.dup(folder)
    try:
        for part in parts[:-1]:
            handle, above = os.open(part, FOLDER, dir_fd=handle), handle
            os.close(above)
        return os.open(parts[-1], flags, dir_fd=handle)
    finally:
        os.close(handle)


def open_beneath(folder, relative, flags=FILE):
    """A descriptor of relative (bytes) beneath the open folder, opened
    with flags and no link followed on the way; OSError otherwise."""
    relative = os.fsencode(relative)
    if _WORKS[0] is not False:
        handle = _openat2(folder, relative, flags)
        if handle is not None:
            _WORKS[0] = True
            return handle
        _WORKS[0] = False
    return _walk(folder, relative, flags)


_WORKS = [None]  # whether openat2 works here: None until first tried
