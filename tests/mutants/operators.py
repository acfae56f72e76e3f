#!/usr/bin/env python3
"""Student mistakes as edits of a solution's source, for every task but
the VAE's own: each Operator lists alternative edits, each one or more
(regex, replacement, count) steps; the first alternative whose steps all
match is made. `cause` is a regex of the words a report must use to name
the mistake."""
import ast
import collections
import re

Operator = collections.namedtuple(
    'Operator', 'name tasks edits cause group')
DENSE, SPARSE, CONV, VAE = (0, 1), (1,), (2,), (3,)
ALL = (0, 1, 2, 3)
# Groups of mistakes that leave the models built and checkable, so that
# two of different groups are independent faults; None: a mistake that
# stops everything after it (an interface or a build error).
STRUCTURE, COMPILE, AUTO = 'structure', 'compile', 'auto'
AUTO_CALL = (r'(?P<model>keras\.(?:models\.)?Model)\((?:inputs=)?(?P<x>\w+),'
             r' (?:outputs=)?decoder\(encoder\((?P=x)\)(?P<z>\[0\])?\)\)')


def edits(*alternatives):
    """Alternative edits, tried in order: each a (regex, replacement) pair
    made once, or a list of (regex, replacement, count) steps (count 0:
    every match)."""
    return tuple([step + (1,)] if isinstance(step[0], str) else step
                 for step in alternatives)


def apply(operator, source):
    """The source with the operator's first alternative made whose every
    step matches, or None when none does."""
    for steps in operator.edits:
        changed = source
        for pattern, replacement, count in steps:
            changed, made = re.subn(pattern, replacement, changed,
                                    count=count, flags=re.S)
            if not made:
                break
        else:
            if _code(changed) not in (None, _code(source)):
                return changed
    return None


def _code(source):
    """The source's syntax tree without its docstrings, so that an edit of
    a docstring alone changes nothing; None for a source that does not
    parse."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    for node in ast.walk(tree):
        body = getattr(node, 'body', None)
        if isinstance(body, list) and body and isinstance(
                body[0], ast.Expr) and isinstance(
                    getattr(body[0], 'value', None), ast.Constant):
            body[0] = ast.Pass()
    return ast.dump(tree)


COMMON = [
    Operator('relu on the output layer', DENSE + VAE, edits(
        (r"(Dense\(\s*input_dims,\s*activation=)'sigmoid'", r"\1'relu'")),
        r'sigmoid', STRUCTURE),
    Operator('sigmoid on the latent layer', DENSE, edits(
        (r"(latent_dims,\s*activation=)'relu'", r"\1'sigmoid'")),
        r'latent layer.*(relu|activation)|activation.*latent', STRUCTURE),
    Operator('decoder not reversed', DENSE + VAE, edits(
        (r'reversed\(hidden_layers\)', 'hidden_layers'),
        (r'hidden_layers\[::-1\]', 'hidden_layers'),
        (r'range\(len\(hidden_layers\) - 1, -1, -1\)',
         'range(len(hidden_layers))')),
        r'revers', STRUCTURE),
    Operator('an off-by-one range drops the last hidden layer', DENSE + VAE,
             edits((r'range\(len\(hidden_layers\)\)',
                    'range(len(hidden_layers) - 1)')),
             r'lacks|missing|range', STRUCTURE),
    Operator('an off-by-one range reads past the list', DENSE + VAE, edits(
        (r'range\(len\(hidden_layers\) - 1, -1, -1\)',
         'range(len(hidden_layers), -1, -1)')),
        r'range\(len\(hidden_layers\)', None),
    Operator('mean squared error', DENSE + CONV, edits(
        (r"loss='binary_crossentropy'", "loss='mse'")),
        r'binary_crossentropy|mean squared', COMPILE),
    Operator('SGD for Adam', ALL, edits(
        (r"optimizer='[Aa]dam'", "optimizer='sgd'"),
        (r'optimizer=keras\.optimizers\.Adam\(\)', "optimizer='sgd'")),
        r'Adam', COMPILE),
    Operator('a learning rate of 0.01', ALL, edits(
        (r"optimizer='[Aa]dam'",
         'optimizer=keras.optimizers.Adam(learning_rate=0.01)'),
        (r'optimizer=keras\.optimizers\.Adam\(\)',
         'optimizer=keras.optimizers.Adam(learning_rate=0.01)')),
        r'learning rate', COMPILE),
    Operator('auto never compiled', ALL, edits(
        (r'\n    auto\.compile\([^\n]*\)\n', '\n')),
        r'compile', None),
    Operator('models returned in another order', ALL, edits(
        (r'return encoder, decoder, auto', 'return auto, encoder, decoder')),
        r'order|encoder, decoder, auto', None),
    Operator('two models returned', ALL, edits(
        (r'return encoder, decoder, auto', 'return encoder, decoder')),
        r'three|encoder, decoder, auto', None),
    Operator('auto built from encoder.output', ALL, edits(
        (AUTO_CALL,
         r'\g<model>(encoder.input, decoder(encoder.output\g<z>))')),
        r'encoder\.output|calls? (the|your) encoder', AUTO),
    Operator('auto ends in a layer of its own', ALL, edits(
        (AUTO_CALL, r"\g<model>(\g<x>, keras.layers.Activation('linear')("
                    r"decoder(encoder(\g<x>)\g<z>)))")),
        r'Activation', AUTO),
    Operator('a printed summary', ALL, edits(
        (r'\n    return encoder, decoder, auto',
         '\n    encoder.summary()\n    return encoder, decoder, auto')),
        r'print', None),
    Operator('compile called on an attribute models lack', ALL, edits(
        (r'\n    auto\.compile\(', '\n    auto.model.compile(')),
        r'\bmodel\b.*(attribute|has no|does not have)', None),
    Operator('loss_weights keyed by no output', ALL, edits(
        (r'\n    auto\.compile\(',
         "\n    auto.compile(loss_weights={'kl': 1.0}, ")),
        r'loss_weights', None),
    Operator('renamed parameters', DENSE + VAE, edits(
        (r'hidden_layers', 'hidden_units')),
        r'hidden_layers', None),
]

CONVOLUTIONAL = [
    Operator('same padding in the second-to-last convolution', CONV, edits(
        (r"'valid' if i == len\(filters\) - 1 else 'same'", "'same'"),
        (r"padding='valid'", "padding='same'")),
        r"padding 'same'|padding", STRUCTURE),
    Operator('a 5 x 5 kernel in the encoder', CONV, edits(
        (r'Conv2D\((\w+), \(3, 3\)', r'Conv2D(\1, (5, 5)'),
        (r'Conv2D\((\w+), 3,', r'Conv2D(\1, 5,'),
        (r'kernel_size=\(3, 3\)', 'kernel_size=(5, 5)')),
        r'kernel size 3 x 3|kernel', STRUCTURE),
    Operator('valid pooling', CONV, edits(
        (r"MaxPooling2D\(([^\n]*?),\s*padding='same'\)",
         r'MaxPooling2D(\1)')),
        r"pooling.*padding|padding 'valid'", None),
    Operator('relu on the last convolution', CONV, edits(
        (r"activation='sigmoid'", "activation='relu'")),
        r'sigmoid', STRUCTURE),
    Operator('filters not reversed in the decoder', CONV, edits(
        (r'enumerate\(reversed\(filters\)\)', 'enumerate(filters)'),
        (r'list\(reversed\(filters\)\)\[:-1\]', 'filters[1:]'),
        (r'range\(len\(filters\) - 1, 0, -1\)', 'range(1, len(filters))')),
        r'revers|order', STRUCTURE),
    Operator('the input shape wrapped in a tuple', CONV, edits(
        (r'keras\.Input\(shape=input_dims\)',
         'keras.Input(shape=(input_dims,))')),
        r'input_dims,\)|tuple|shape=input_dims', None),
    Operator('an off-by-one range reads past the filters', CONV, edits(
        (r'range\(len\(filters\) - 1, 0, -1\)', 'range(len(filters), 0, -1)'
         )),
        r'range\(len\(filters\)', None),
    Operator('a Reshape whose sizes cannot match', CONV, edits(
        (r'\n(    (\w+) = (latent_inputs|code_inputs|decoder_input|z_in)\n)',
         r'\n\1    \2 = keras.layers.Reshape((8, 8, 8))(\2)\n')),
        r'Reshape', None),
]
