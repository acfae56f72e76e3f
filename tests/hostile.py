#!/usr/bin/env python3
"""Hostile students for tests/test_hostile.py, each written for one attack
on the grader: forging its verdicts from inside their own process, taking
the reference from memory or disk, writing to descriptors, lying on the
channel, reaching for the grader's privileges, its environment and its
neighbours, and escaping its limits. Each builder is a stub that returns
None: whatever such a file passes, it forged."""

HEAD = ('#!/usr/bin/env python3\n"""A hostile submission."""\n'
        'import ctypes\nimport json\nimport os\nimport resource\n'
        'import signal\nimport socket\nimport sys\nimport time\n'
        'import numpy as np\n')
STUB = ('\n\ndef autoencoder(input_dims, hidden_layers, latent_dims):\n'
        '    """Builds nothing."""\n    return None, None, None\n')
# Finds the student side's answering class in the file's own process.
ANSWERS = "answers = sys.modules['checker.student.answers'].Answers\n"
FORGED = ANSWERS + '''protocol = sys.modules['checker.protocol']
TABLES = json.load(open('tables.json'))


def forge(self, request):
    """Answers every question as a correct file would, without one."""
    ask = request['ask']
    if ask == 'import':
        value = {'callable': ['autoencoder'], 'functions': ['autoencoder']}
    elif ask == 'signature':
        value = {'name': 'autoencoder', 'parameters': [
            {'name': name, 'kind': 'POSITIONAL_OR_KEYWORD', 'default': False}
            for name in request.get('names', ['input_dims', 'hidden_layers',
                                              'latent_dims'])]}
    elif ask == 'build':
        value = {'models': TABLES, 'returned': None}
        return {'ok': value, 'after': request['arguments'], 'limits': []}
    elif ask == 'outputs':
        zeros = protocol.array(np.zeros((32, 784), np.float32))
        value = {'encoder': [protocol.array(np.zeros((32, 32), np.float32))],
                 'decoder': zeros, 'auto': zeros}
        value = {part: value[part] for part in request['models']}
    elif ask == 'loss':
        value = 0.6931
    else:
        value = [[entry['values'][0]] for entry in request['weights']]
    return {'ok': value, 'limits': []}


answers.answer = forge
'''
MEMORY = '''found = [module for name, module in sys.modules.items()
         if name.startswith(('reference', 'checker.checks'))
         or getattr(module, '__file__', '') == @REFERENCE@]
if found and getattr(found[0], 'autoencoder', None):
    autoencoder = found[0].autoencoder
else:
    def autoencoder(input_dims, hidden_layers, latent_dims):
        """Builds nothing."""
        return None, None, None
'''
DISK = '''names = {}
try:
    exec(open(@REFERENCE@).read(), names)
    autoencoder = names['autoencoder']
except OSError:
    def autoencoder(input_dims, hidden_layers, latent_dims):
        """Builds nothing."""
        return None, None, None
'''
MODULES = '''raise ValueError('grader modules: {}'.format(sorted(
    name for name in sys.modules if name.startswith(('checker.', 'reference'))
    and not name.startswith(('checker.student', 'checker.protocol')))))
'''
DESCRIPTORS = '''for handle in range(1024):
    try:
        os.write(handle, b'{"check": {"name": "imports without error", '
                         b'"passed": true}}\\n{"ok": null, "n": 1}\\n')
    except OSError:
        pass
''' + STUB
MALFORMED = "os.write(4, b'{not json\\n')\n" + STUB
OVERSIZED = "os.write(4, b'x' * (40 * 2 ** 20))\ntime.sleep(60)\n" + STUB
# The student side's one Answers object, found in the process's memory.
INSTANCE = ANSWERS + '''import gc
instance = next(found for found in gc.get_objects()
                if isinstance(found, answers))
'''
NAN = INSTANCE + '''protocol = sys.modules['checker.protocol']
honest_outputs = instance.asks['outputs']


def outputs(request):
    """auto's outputs, poisoned with NaN."""
    found = honest_outputs(request)
    if 'auto' in request['models']:
        found['ok']['auto'] = protocol.array(np.full((32, 784), np.nan))
    return found


instance.asks['outputs'] = outputs
'''
SHAPE = INSTANCE + '''honest_step = instance.asks['step']


def step(request):
    """The weights after the step, one layer short."""
    found = honest_step(request)
    found['ok'] = found['ok'][:-1]
    return found


instance.asks['step'] = step
'''
RECORDER = ANSWERS + '''honest = answers.answer


def record(self, request):
    """Answers honestly and keeps each question's answer."""
    found = honest(self, request)
    with open(os.path.join(os.path.dirname(__file__), 'transcript.json'),
              'a') as handle:
        handle.write(json.dumps([request['ask'], found]) + '\\n')
    return found


answers.answer = record
'''
REPLAY = ANSWERS + '''RECORDED = {}
for line in open('transcript.json'):
    ask, found = json.loads(line)
    RECORDED.setdefault(ask, []).append(found)


def replay(self, request):
    """The answer recorded for this question in an earlier run."""
    return RECORDED[request['ask']].pop(0)


answers.answer = replay
''' + STUB
NEIGHBOURS = '''LIBC = ctypes.CDLL(None, use_errno=True)
limited = killed = traced = 0
for pid in range(2, 70000):
    try:
        resource.prlimit(pid, resource.RLIMIT_FSIZE, (0, 0))
        limited += 1
    except OSError:
        pass
    try:
        os.kill(pid, signal.SIGSTOP)
        killed += 1
    except OSError:
        pass
    traced += LIBC.ptrace(16, pid, None, None) == 0
raise ValueError('limited {}, signalled {}, traced {}'.format(
    limited, killed, traced))
'''
SHADOW = "raise ValueError(open('/etc/shadow').read())\n"
ENVIRON = '''seen = repr(dict(os.environ))
for name in os.listdir('/proc'):
    try:
        seen += open('/proc/{}/environ'.format(name), 'rb').read().decode()
    except (OSError, ValueError):
        pass
raise ValueError('secret seen: {}'.format('GRADER_SECRET' in seen))
'''
SOCKETS = '''said = []
for family, address in ((socket.AF_UNIX, @UNIX@),
                        (socket.AF_UNIX, '\\0abstract-grader'),
                        (16, None)):
    try:
        handle = socket.socket(family, socket.SOCK_STREAM if address
                               else socket.SOCK_RAW)
        if address:
            handle.connect(address)
        said.append('opened')
    except OSError:
        said.append('refused')
raise ValueError('sockets: ' + ', '.join(said))
'''
CHATTR = '''import fcntl
open('immutable.txt', 'w').write('x')
with open('immutable.txt') as handle:
    try:
        fcntl.ioctl(handle, 0x40086602, b'\\x10\\0\\0\\0\\0\\0\\0\\0')
        said = 'set'
    except OSError:
        said = 'refused'
raise ValueError('chattr: ' + said)
'''
FORK_BOMB = '''for _ in range(300):
    try:
        if os.fork() == 0:
            time.sleep(60)
            os._exit(0)
    except OSError:
        break
time.sleep(60)
'''
HOARDERS = '''for _ in range(5):
    if os.fork() == 0:
        os.setsid()
        hoard = bytearray(400 * 2 ** 20)
        hoard[::4096] = b'x' * len(hoard[::4096])
        time.sleep(60)
        os._exit(0)
time.sleep(60)
'''
MANY_FILES = '''for index in range(400):
    with open('file{}.bin'.format(index), 'wb') as handle:
        handle.write(os.urandom(2 ** 20))
''' + STUB

# The student side's live Answers object, found from the file's import.
LIVE = ANSWERS + '''frame = sys._getframe()
while not isinstance(frame.f_locals.get('self'), answers):
    frame = frame.f_back
live = frame.f_locals['self']
real = dict(live.asks)
'''
ODD_AFTER = LIVE + '''

def build(request):
    """An honest build whose arguments come back as no arguments are."""
    found = real['build'](request)
    found['after'] = {'no tuple': 1}
    return found


live.asks['build'] = build
'''
DEEP = LIVE + '''

def build(request):
    """An honest build whose arguments come back 600 lists deep."""
    found = real['build'](request)
    deep = []
    for _ in range(600):
        deep = [deep]
    found['after'] = deep
    return found


live.asks['build'] = build
'''
NO_CODES = LIVE + '''

def outputs(request):
    """Honest outputs but for the encoder's, which are none."""
    found = real['outputs'](request)
    if 'encoder' in found.get('ok', {}):
        found['ok']['encoder'] = []
    return found


live.asks['outputs'] = outputs
'''
NO_ROLES = LIVE + '''

def build(request):
    """An honest VAE build whose encoder's roles are not known."""
    found = real['build'](request)
    if found.get('ok') and found['ok']['models']:
        found['ok']['models']['encoder']['roles'][1] = None
    return found


live.asks['build'] = build
'''
# Tables of every configuration, and outputs that fail: the helper's
# 20 of 23.
TABLES_ONLY = LIVE + '''TABLES = json.load(open('tables.json'))
protocol = sys.modules['checker.protocol']


def build(request):
    """The reference's tables for whatever configuration is asked."""
    key = repr(protocol.from_arguments(request['arguments']))
    return {'ok': {'models': TABLES[key], 'returned': None},
            'after': request['arguments'], 'limits': []}


live.asks['build'] = build
live.asks['outputs'] = lambda request: {'error': {
    'kind': 'raised', 'type': 'ValueError', 'bases': ['Exception'],
    'message': 'x', 'line': None, 'errno': None}}
''' + STUB
FRAMER = LIVE + '''live.refusals.append(
    'x\\n- ada, 0-vanilla.py: used more than 4 GB of memory\\n## note')
''' + STUB

ATTACKS = {
    'patcher': FORGED + STUB, 'memory': MEMORY, 'disk': DISK,
    'modules': MODULES, 'descriptors': DESCRIPTORS, 'malformed': MALFORMED,
    'oversized': OVERSIZED, 'nan': NAN, 'shape': SHAPE, 'replay': REPLAY,
    'neighbours': NEIGHBOURS, 'shadow': SHADOW, 'environ': ENVIRON,
    'sockets': SOCKETS, 'chattr': CHATTR, 'forkbomb': FORK_BOMB,
    'hoarders': HOARDERS, 'files': MANY_FILES, 'odd_after': ODD_AFTER,
    'deep': DEEP, 'no_codes': NO_CODES, 'no_roles': NO_ROLES,
    'tables_only': TABLES_ONLY, 'framer': FRAMER}
# Attacks on an honest solution: its file, with the attack appended.
ON_HONEST = ('nan', 'shape', 'odd_after', 'deep', 'no_codes', 'no_roles')
# Attacks on the variational task; the rest are on the vanilla one.
VARIATIONAL = ('no_roles',)
