#!/usr/bin/env python3
"""Thin calls into the Linux kernel for the sandbox, through ctypes: a
Landlock ruleset, a seccomp filter, new namespaces, resource limits and a
subreaper. Each call raises OSError when the kernel refuses it, so that the
sandbox can say which layer is missing and why."""
import ctypes
import errno
import os
import platform
import resource
import struct

LIBC = ctypes.CDLL(None, use_errno=True)
LIBC.syscall.restype = ctypes.c_long
LANDLOCK_CREATE, LANDLOCK_ADD_RULE, LANDLOCK_RESTRICT = 444, 445, 446
# Landlock's file rights, by the ABI version that brought them.
EXECUTE, WRITE_FILE, READ_FILE, READ_DIR = 1, 2, 4, 8
FILE_RIGHTS = {1: 0b111, 3: 0b100000000000111, 5: 0b1100000000000111}
ALL_RIGHTS = {1: (1 << 13) - 1, 2: (1 << 14) - 1, 3: (1 << 15) - 1,
              5: (1 << 16) - 1}
READ = EXECUTE | READ_FILE | READ_DIR
PR_SET_NO_NEW_PRIVS, PR_SET_CHILD_SUBREAPER, PR_SET_SECCOMP = 38, 36, 22
CLONE_NEWUSER, CLONE_NEWNET = 0x10000000, 0x40000000
# socket(2)'s number and the audit arch of the machines seccomp knows here.
SOCKET_CALL = {'x86_64': (41, 0xC000003E), 'aarch64': (198, 0xC00000B7)}
NETWORK_FAMILIES = (2, 10, 17)  # AF_INET, AF_INET6, AF_PACKET


def _check(value):
    """Raises the kernel's OSError when a call returned -1."""
    if value == -1:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code))
    return value


def _by_version(table, version):
    """The entry of a table keyed by ABI version that holds at version."""
    return table[max(key for key in table if key <= version)]


def landlock_version():
    """The Landlock ABI the kernel offers; OSError when it has none."""
    return _check(LIBC.syscall(LANDLOCK_CREATE, None, 0, 1))


def landlock(rules, version):
    """Restricts this process and its children, for good, to the rules:
    (path, rights) pairs, rights of READ or every right; with ABI 4 and
    newer, TCP bind and connect are refused too, and from 6 signals to
    processes outside the sandbox."""
    handled = _by_version(ALL_RIGHTS, version)
    attribute = struct.pack('QQQ', handled, 3 if version >= 4 else 0,
                            2 if version >= 6 else 0)
    size = 8 if version < 4 else 16 if version < 6 else 24
    ruleset = _check(LIBC.syscall(LANDLOCK_CREATE, attribute, size, 0))
    try:
        for path, rights in rules:
            _add_path(ruleset, path, handled if rights is None else rights,
                      version)
        _check(LIBC.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
        _check(LIBC.syscall(LANDLOCK_RESTRICT, ruleset, 0))
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
        _check(LIBC.syscall(LANDLOCK_ADD_RULE, ruleset, 1, beneath, 0))
    finally:
        os.close(handle)


def no_network_sockets():
    """Installs a seccomp filter: socket(2) for IPv4, IPv6 or raw packets
    fails with EACCES in this process and its children."""
    machine = platform.machine()
    if machine not in SOCKET_CALL:
        raise OSError(errno.ENOSYS, 'no seccomp filter for ' + machine)
    number, arch = SOCKET_CALL[machine]
    allow, refuse = 0x7FFF0000, 0x00050000 | errno.EACCES
    program = [(0x20, 0, 0, 4), (0x15, 1, 0, arch), (0x06, 0, 0, allow),
               (0x20, 0, 0, 0), (0x15, 1, 0, number), (0x06, 0, 0, allow),
               (0x20, 0, 0, 16)]
    for index, family in enumerate(NETWORK_FAMILIES):
        program.append((0x15, len(NETWORK_FAMILIES) - index, 0, family))
    program += [(0x06, 0, 0, allow), (0x06, 0, 0, refuse)]
    code = b''.join(struct.pack('HBBI', *line) for line in program)
    buffer = ctypes.create_string_buffer(code)
    fprog = struct.pack('HxxxxxxQ', len(program), ctypes.addressof(buffer))
    _check(LIBC.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
    _check(LIBC.prctl(PR_SET_SECCOMP, 2, ctypes.c_char_p(fprog), 0, 0))


def own_network():
    """Moves this process into a network namespace of its own, which has
    no interface but a loopback that is down; as another user than root,
    inside a user namespace first. Needs a single-threaded process."""
    uid, gid = os.getuid(), os.getgid()
    if uid == 0:
        _check(LIBC.unshare(CLONE_NEWNET))
        return
    _check(LIBC.unshare(CLONE_NEWUSER | CLONE_NEWNET))
    for name, text in (('setgroups', 'deny'), ('uid_map', '{0} {0} 1'
                                                          .format(uid)),
                       ('gid_map', '{0} {0} 1'.format(gid))):
        with open('/proc/self/' + name, 'w') as handle:
            handle.write(text)


def limit(kind, value):
    """Sets a resource limit, soft and hard, for good."""
    resource.setrlimit(kind, (value, value))


def subreaper():
    """Makes this process the one that orphaned descendants reparent to,
    so that none escapes by detaching."""
    _check(LIBC.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0))
