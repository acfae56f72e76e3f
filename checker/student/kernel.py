#!/usr/bin/env python3
"""Thin calls into the Linux kernel for the student side's sandbox, through
ctypes: namespaces and their user and group maps, mounts, capabilities,
Landlock, a seccomp filter, resource limits, and the prctl flags a process
keeps. Each call raises OSError when the kernel refuses it, so that the
probe can say which layer is missing and why."""
import ctypes
import os
import resource
import struct

LIBC = ctypes.CDLL(None, use_errno=True)
LIBC.syscall.restype = ctypes.c_long
LIBC.mount.argtypes = [ctypes.c_char_p] * 3 + [ctypes.c_ulong,
                                               ctypes.c_char_p]
NEWNS, NEWCGROUP, NEWUTS, NEWIPC = 0x20000, 0x2000000, 0x4000000, 0x8000000
NEWUSER, NEWPID, NEWNET = 0x10000000, 0x20000000, 0x40000000
NOSUID, NODEV, NOEXEC, BIND, REC, PRIVATE = 2, 4, 8, 4096, 16384, 1 << 18
PR_SET_PDEATHSIG, PR_SET_DUMPABLE, PR_CAPBSET_DROP = 1, 4, 24
PR_SET_SECCOMP, PR_SET_CHILD_SUBREAPER, PR_SET_NO_NEW_PRIVS = 22, 36, 38
PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL = 47, 4
CAPSET = {'x86_64': 126, 'aarch64': 91}
LANDLOCK_CREATE, LANDLOCK_ADD_RULE, LANDLOCK_RESTRICT = 444, 445, 446
# Landlock's file rights, by the ABI version that brought them.
EXECUTE, WRITE_FILE, READ_FILE, READ_DIR = 1, 2, 4, 8
FILE_RIGHTS = {1: 0b111, 3: 0b100000000000111, 5: 0b1100000000000111}
ALL_RIGHTS = {1: (1 << 13) - 1, 2: (1 << 14) - 1, 3: (1 << 15) - 1,
              5: (1 << 16) - 1}
READ = EXECUTE | READ_FILE | READ_DIR


def check(value):
    """Raises the kernel's OSError when a call returned -1."""
    if value == -1:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code))
    return value


def unshare(flags):
    """Moves this process into new namespaces; a new PID namespace is its
    next child's."""
    check(LIBC.unshare(flags))


def map_user(uid, gid):
    """Maps uid and gid in a fresh user namespace onto themselves outside;
    setgroups is denied first, as an unprivileged map needs."""
    for name, text in (('setgroups', 'deny'), ('uid_map', '{0} {0} 1'
                                                          .format(uid)),
                       ('gid_map', '{0} {0} 1'.format(gid))):
        with open('/proc/self/' + name, 'w') as handle:
            handle.write(text)


def mount(source, target, kind, flags, data=None):
    """mount(2), paths as text."""
    check(LIBC.mount(source and os.fsencode(source), os.fsencode(target),
                     kind and kind.encode(), flags,
                     data and data.encode()))


def prctl(option, value):
    """prctl(2) with one argument."""
    check(LIBC.prctl(option, value, 0, 0, 0))


def drop_capabilities(machine):
    """Empties the bounding, ambient, effective, permitted and inheritable
    sets, for good."""
    for capability in range(64):
        if LIBC.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) == -1:
            break  # past the last capability this kernel knows
    check(LIBC.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0))
    header = struct.pack('Ii', 0x20080522, 0)  # version 3, this process
    check(LIBC.syscall(CAPSET[machine], header, bytes(24)))


def landlock_version():
    """The Landlock ABI the kernel offers; OSError when it has none."""
    return check(LIBC.syscall(LANDLOCK_CREATE, None, 0, 1))


def _by_version(table, version):
    """The entry of a table keyed by ABI version that holds at version."""
    return table[max(key for key in table if key <= version)]


def landlock(rules, version):
    """Restricts this process and its children, for good, to the rules:
    (path, rights) pairs, rights of READ or None for every right. From ABI
    4, TCP bind and connect are refused; from 6, signals and abstract unix
    sockets reach only processes inside."""
    handled = _by_version(ALL_RIGHTS, version)
    attribute = struct.pack('QQQ', handled, 3 if version >= 4 else 0,
                            3 if version >= 6 else 0)
    size = 8 if version < 4 else 16 if version < 6 else 24
    ruleset = check(LIBC.syscall(LANDLOCK_CREATE, attribute, size, 0))
    try:
        for path, rights in rules:
            _add_path(ruleset, path, handled if rights is None else rights,
                      version)
        prctl(PR_SET_NO_NEW_PRIVS, 1)
        check(LIBC.syscall(LANDLOCK_RESTRICT, ruleset, 0))
    finally:
        os.close(ruleset)


def _add_path(ruleset, path, rights, version):
    """Grants rights beneath one path; a file gets its file rights only."""
    try:
        handle = os.open(path, os.O_PATH | os.O_CLOEXEC)
    except OSError:
        return  # a path this machine lacks needs no rule
    try:
        if not os.path.isdir(path):
            rights &= _by_version(FILE_RIGHTS, version)
        beneath = struct.pack('=Qi', rights & _by_version(ALL_RIGHTS,
                                                          version), handle)
        check(LIBC.syscall(LANDLOCK_ADD_RULE, ruleset, 1, beneath, 0))
    finally:
        os.close(handle)


def install_filter(program):
    """Installs a seccomp filter of (code, jt, jf, k) instructions for this
    process and its children; needs no_new_privs."""
    code = b''.join(struct.pack('HBBI', *line) for line in program)
    buffer = ctypes.create_string_buffer(code)
    fprog = struct.pack('HxxxxxxQ', len(program), ctypes.addressof(buffer))
    prctl(PR_SET_NO_NEW_PRIVS, 1)
    check(LIBC.prctl(PR_SET_SECCOMP, 2, ctypes.c_char_p(fprog), 0, 0))


def limit(kind, value):
    """Sets a resource limit, soft and hard, for good."""
    resource.setrlimit(kind, (value, value))
