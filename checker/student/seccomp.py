#!/usr/bin/env python3
"""The seccomp filter of the student side: a deny-list of the system calls
a builder never needs. A deny-list, because the student side runs Python,
NumPy and TensorFlow, whose calls change with their versions and the CPU:
an allow-list that missed one would fail honest files on some grader's
machine; what can harm is a short list, and a user namespace without
capabilities holds the rest. Refused: every socket, tracing and reading
other processes, limits on another process, mounts, reboot, kernel
modules and kexec, bpf, keys, perf events, namespaces (unshare, setns,
clone with a namespace flag; clone3 answers ENOSYS, so that glibc falls
back to clone), io_uring (its calls bypass this filter), the ioctls that
set file flags or push input into a terminal, file_setattr (Linux 6.17),
which sets those flags without an ioctl, and the clock. Another
architecture's calls (x32 on x86_64) kill the process."""
import errno
import platform

from checker.student import kernel

# Audit architecture and the numbers of the calls, by machine.
MACHINES = {
    'x86_64': (0xC000003E, {
        'socket': 41, 'ptrace': 101, 'process_vm_readv': 310,
        'process_vm_writev': 311, 'prlimit64': 302, 'mount': 165,
        'umount2': 166, 'pivot_root': 155, 'chroot': 161, 'reboot': 169,
        'kexec_load': 246, 'kexec_file_load': 320, 'init_module': 175,
        'finit_module': 313, 'delete_module': 176, 'bpf': 321,
        'keyctl': 250, 'add_key': 248, 'request_key': 249,
        'perf_event_open': 298, 'unshare': 272, 'setns': 308, 'clone': 56,
        'clone3': 435, 'ioctl': 16, 'userfaultfd': 323,
        'io_uring_setup': 425, 'io_uring_enter': 426,
        'io_uring_register': 427, 'open_tree': 428, 'move_mount': 429,
        'fsopen': 430, 'fsconfig': 431, 'fsmount': 432, 'fspick': 433,
        'mount_setattr': 442, 'pidfd_getfd': 438, 'process_madvise': 440,
        'swapon': 167, 'swapoff': 168, 'acct': 163, 'syslog': 103,
        'open_by_handle_at': 304, 'iopl': 172, 'ioperm': 173,
        'settimeofday': 164, 'clock_settime': 227, 'adjtimex': 159,
        'clock_adjtime': 305, 'quotactl': 179, 'vhangup': 153,
        'kcmp': 312, 'move_pages': 279, 'migrate_pages': 256,
        'fanotify_init': 300, 'quotactl_fd': 443, 'open_tree_attr': 467,
        'file_setattr': 469}),
    'aarch64': (0xC00000B7, {
        'socket': 198, 'ptrace': 117, 'process_vm_readv': 270,
        'process_vm_writev': 271, 'prlimit64': 261, 'mount': 40,
        'umount2': 39, 'pivot_root': 41, 'chroot': 51, 'reboot': 142,
        'kexec_load': 104, 'kexec_file_load': 294, 'init_module': 105,
        'finit_module': 273, 'delete_module': 106, 'bpf': 280,
        'keyctl': 219, 'add_key': 217, 'request_key': 218,
        'perf_event_open': 241, 'unshare': 97, 'setns': 268, 'clone': 220,
        'clone3': 435, 'ioctl': 29, 'userfaultfd': 282,
        'io_uring_setup': 425, 'io_uring_enter': 426,
        'io_uring_register': 427, 'open_tree': 428, 'move_mount': 429,
        'fsopen': 430, 'fsconfig': 431, 'fsmount': 432, 'fspick': 433,
        'mount_setattr': 442, 'pidfd_getfd': 438, 'process_madvise': 440,
        'swapon': 224, 'swapoff': 225, 'acct': 89, 'syslog': 116,
        'open_by_handle_at': 265, 'settimeofday': 170, 'clock_settime': 112,
        'adjtimex': 171, 'clock_adjtime': 266, 'quotactl': 60,
        'vhangup': 58, 'kcmp': 272, 'move_pages': 239, 'migrate_pages': 238,
        'fanotify_init': 262, 'quotactl_fd': 443, 'open_tree_attr': 467,
        'file_setattr': 469})}
# Calls refused only with some arguments, and what the filter checks.
ARGUMENT_CHECKED = ('socket', 'clone', 'clone3', 'prlimit64', 'ioctl')
NAMESPACE_FLAGS = 0x7E020080  # CLONE_NEW*: NS, CGROUP, UTS, IPC, USER,
#                               PID, NET, TIME
# FS_IOC_SETFLAGS (64- and 32-bit), FS_IOC_FSSETXATTR, TIOCSTI.
IOCTLS = (0x40086602, 0x40046602, 0x401C5820, 0x5412)
X32 = 0x40000000
LOAD, EQUAL, AT_LEAST, AND, RETURN = 0x20, 0x15, 0x35, 0x54, 0x06
ALLOW, KILL, ERRNO = 0x7FFF0000, 0x80000000, 0x00050000
NUMBER, ARCH, FIRST, SECOND = 0, 4, 16, 24  # offsets into seccomp_data


def program(machine=None):
    """The filter's instructions as (code, jt, jf, k), for this machine;
    OSError where no table is known for it."""
    machine = machine or platform.machine()
    if machine not in MACHINES:
        raise OSError(errno.ENOSYS, 'no seccomp table for ' + machine)
    arch, numbers = MACHINES[machine]
    lines = [(LOAD, 0, 0, ARCH), (EQUAL, 'next', 'kill', arch),
             (LOAD, 0, 0, NUMBER)]
    if machine == 'x86_64':
        lines.append((AT_LEAST, 'eperm', 'next', X32))
    lines += [(EQUAL, 'eacces', 'next', numbers['socket']),
              (EQUAL, 'enosys', 'next', numbers['clone3']),
              (EQUAL, 'own pid', 'next', numbers['prlimit64']),
              (EQUAL, 'flags', 'next', numbers['clone']),
              (EQUAL, 'ioctl', 'next', numbers['ioctl'])]
    lines += [(EQUAL, 'eperm', 'next', number) for name, number
              in sorted(numbers.items()) if name not in ARGUMENT_CHECKED]
    lines += [(RETURN, 0, 0, ALLOW),
              ('own pid', LOAD, 0, 0, FIRST),
              (EQUAL, 'allow', 'eperm', 0),
              ('flags', LOAD, 0, 0, FIRST),
              (AND, 0, 0, NAMESPACE_FLAGS),
              (EQUAL, 'allow', 'eperm', 0),
              ('ioctl', LOAD, 0, 0, SECOND)]
    lines += [(EQUAL, 'eperm', 'next', code) for code in IOCTLS]
    lines += [('allow', RETURN, 0, 0, ALLOW),
              ('eperm', RETURN, 0, 0, ERRNO | errno.EPERM),
              ('eacces', RETURN, 0, 0, ERRNO | errno.EACCES),
              ('enosys', RETURN, 0, 0, ERRNO | errno.ENOSYS),
              ('kill', RETURN, 0, 0, KILL)]
    return _assemble(lines)


def _assemble(lines):
    """Resolves the labels: a line may start with its label, and a jump
    names a label or 'next' where BPF wants a count of lines to skip."""
    labels, plain = {}, []
    for line in lines:
        if isinstance(line[0], str):
            labels[line[0]] = len(plain)
            line = line[1:]
        plain.append(line)
    resolved = []
    for index, (code, true, false, value) in enumerate(plain):
        jumps = [0 if target in (0, 'next') else labels[target] - index - 1
                 for target in (true, false)]
        assert all(0 <= jump < 256 for jump in jumps), (index, jumps)
        resolved.append((code, jumps[0], jumps[1], value))
    return resolved


def install():
    """Installs the filter in this process, for good."""
    kernel.install_filter(program())
