#!/usr/bin/env python3
"""The second hostile class, for tests/test_hostile_copy.py: students who
go for the grader's copy of their folder, its CPU, its scratch and the
kernel's newer calls, beside a stub that tries nothing (their honest
twin). Each builder returns None: whatever such a file earns beyond the
stub, it took. Some attacks are played from outside by the test, as a
student who can still write to their folder while the class is graded."""
import os

HEAD = ('#!/usr/bin/env python3\n"""A hostile submission."""\n'
        'import ctypes\nimport mmap\nimport os\nimport re\nimport struct\n'
        'import time\n')
STUB = ('\n\ndef autoencoder(input_dims, hidden_layers, latent_dims):\n'
        '    """Builds nothing."""\n    return None, None, None\n')
SPINNERS = 90
# Processes that leave the file's session and spin, the file spinning too.
SPINNER = '''for _ in range({}):
    if os.fork() == 0:
        os.setsid()
        while True:
            pass
while True:
    pass
'''.format(SPINNERS)
# Says what a file finds in the subfolder that the test swaps for a link.
READER = '''try:
    found = open(os.path.join('data', 'key')).read()
except OSError as error:
    found = 'nothing: {}'.format(error.strerror)
raise ValueError('data/key holds ' + found)
'''
HARD_LINK = READER.replace("os.path.join('data', 'key')", "'key'")
# file_setattr sets a file flag; open_tree_attr and quotactl_fd, the
# other calls of newer kernels that the filter refuses.
SETATTR = '''LIBC = ctypes.CDLL(None, use_errno=True)
LIBC.syscall.restype = ctypes.c_long
open('flagged.txt', 'w').write('x')
nodump = struct.pack('QIIII', 0x80, 0, 0, 0, 0)
calls = {'file_setattr': (469, -100, b'flagged.txt', nodump, len(nodump), 0),
         'open_tree_attr': (467, -100, b'.', 0, None, 0),
         'quotactl_fd': (443, os.open('.', os.O_RDONLY),
                         ctypes.c_uint(0x80000400), 0, None)}
said = []
for name, arguments in calls.items():
    done = LIBC.syscall(*arguments)
    said.append('{}: {}'.format(name, 'done' if done >= 0 else
                                'refused ({})'.format(
                                    os.strerror(ctypes.get_errno()))))
raise ValueError('; '.join(said))
'''
MMAP_DISK = '''SIZE = 256 * 2 ** 20
with open('sparse.bin', 'wb') as handle:
    handle.truncate(SIZE)
with open('sparse.bin', 'r+b') as handle:
    pages = mmap.mmap(handle.fileno(), SIZE)
    for offset in range(0, SIZE, mmap.PAGESIZE):
        pages[offset] = 1
'''
# What a file can learn of the grader's scratch, the run and other runs.
SCRATCH = '''seen = []
for top in ('/dev/shm', '/dev/mqueue', '/sys/fs/cgroup'):
    for where, folders, names in os.walk(top):
        seen.append(where)
        for name in names:
            try:
                seen.append(open(os.path.join(where, name)).read(4096))
            except (OSError, ValueError):
                seen.append(name)
for name in ('/proc/self/cgroup', '/proc/self/mountinfo'):
    seen.append(open(name).read())
text = ' '.join(seen)
home = os.stat('.')
runs = sorted(set(re.findall(r'(?:run|pid)-[A-Za-z0-9_]+', text)))
raise ValueError('secret {}, runs {}, home {} mine {}'.format(
    '@FIRST@' + '@REST@' in text, runs,
    oct(home.st_mode & 0o777), home.st_uid == os.getuid()))
'''
# Its first task file, run from the copy, swaps the copy's folder for a
# link to a folder only the grader may read, which holds a file named as
# its second task file: the grader reads that copy next.
SIBLING = '''here = os.path.dirname(os.path.abspath(__file__))
os.rename(here, here + '.old')
os.symlink('@PRIVATE@', here)
'''
ATTACKS = {'a_spinner': SPINNER, 'hard_link': HARD_LINK,
           'mmap_disk': MMAP_DISK, 'scratch': SCRATCH, 'setattr': SETATTR,
           'stub': '', 'zz_swap_data': READER}
# Played from outside: a student whose task file is a hard link to a
# correct solution elsewhere, and one whose folder of task files the test
# swaps for a link to a classmate's folder.
OUTSIDE = ('hard_link_task', 'zz_swap_mate')


def write_class(submissions, secret_file, secret, solution_elsewhere,
                private):
    """The hostile students' folders beside the honest class; secret_file
    is a file no student may read, holding secret; solution_elsewhere a
    correct 0-vanilla.py outside every student's folder; private a folder
    no student may read."""
    for name, body in ATTACKS.items():
        folder = os.path.join(submissions, name)
        os.makedirs(folder)
        with open(os.path.join(folder, '0-vanilla.py'), 'w') as handle:
            handle.write(HEAD + body.replace('@FIRST@', secret[:5]).replace(
                '@REST@', secret[5:]) + STUB)
    os.makedirs(os.path.join(submissions, 'zz_swap_data', 'data'))
    with open(os.path.join(submissions, 'zz_swap_data', 'data', 'key'),
              'w') as handle:
        handle.write('the student\'s own key\n')
    os.link(secret_file, os.path.join(submissions, 'hard_link', 'key'))
    os.makedirs(os.path.join(submissions, 'hard_link_task'))
    os.link(solution_elsewhere,
            os.path.join(submissions, 'hard_link_task', '0-vanilla.py'))
    solution = os.path.join(submissions, 'zz_swap_mate', 'solution')
    os.makedirs(solution)
    with open(os.path.join(solution, '0-vanilla.py'), 'w') as handle:
        handle.write(HEAD + STUB)
    work = os.path.join(submissions, 'zz_swap_sibling', 'work')
    os.makedirs(work)
    with open(os.path.join(work, '0-vanilla.py'), 'w') as handle:
        handle.write(HEAD + SIBLING.replace('@PRIVATE@', private) + STUB)
    with open(os.path.join(work, '1-sparse.py'), 'w') as handle:
        handle.write(HEAD + STUB.replace('input_dims, hidden_layers, '
                                         'latent_dims', 'input_dims, '
                                         'hidden_layers, latent_dims, '
                                         'lambtha'))


def swap(submissions, secret_folder):
    """What the students do once their folders are judged: a subfolder
    becomes a link to a folder they may not read, a folder of task files
    a link to a classmate's."""
    data = os.path.join(submissions, 'zz_swap_data', 'data')
    os.rename(data, data + '.old')
    os.symlink(secret_folder, data)
    solution = os.path.join(submissions, 'zz_swap_mate', 'solution')
    os.rename(solution, solution + '.old')
    os.symlink(os.path.join(submissions, 'bob'), solution)
