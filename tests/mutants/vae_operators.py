#!/usr/bin/env python3
"""Student mistakes of the sparse and variational tasks as edits of a
solution's source (see operators.py for their form)."""
from operators import SPARSE, STRUCTURE, VAE, Operator, edits

SAMPLING, ORDER, LOSS, PENALTY = 'sampling', 'order', 'loss', 'penalty'
EPS = (r'(random_normal\((?:shape=)?(?:keras\.backend\.shape\(\w+\)|'
       r'\(batch, dims\)))\)')
HALF = r'(?<=\+ keras\.backend\.)exp\((?:(\w+) / 2|0\.5 \* (\w+))\)'
KL_ARGUMENTS = [
    (r',\s*activity_regularizer=(kl_\w+|KL\w+\(\)|\w+Penalty\(\))\)', ')',
     0),
    (r',\s*activity_regularizer=lambda \w: 0\.5 \* keras\.backend\.sum\(\n'
     r'\s*(keras\.backend\.square\(m\)|keras\.backend\.exp\(v\) - v - 1)\)'
     r'\)', ')', 0)]
RECONSTRUCTION = edits(
    (r'(input_dims|features) \* keras\.losses', 'keras.losses'),
    (r'\) \* input_dims', ')'),
    (r'reconstruction \* input_dims', 'reconstruction'),
    (r'keras\.backend\.sum\((keras\.backend\.binary_crossentropy\(x, x_hat\))'
     r',\s*axis=-1\)', r'keras.backend.mean(\1, axis=-1)'))

SPARSE_OPERATORS = [
    Operator('L1 penalty on the kernel', SPARSE, edits(
        (r'activity_regularizer=(keras\.regularizers\.l1|BatchSumL1)',
         r'kernel_regularizer=\1')),
        r'kernel_regularizer', PENALTY),
    Operator('a hard-coded penalty factor', SPARSE, edits(
        (r'(keras\.regularizers\.l1|BatchSumL1)\(lambtha\)', r'\1(1e-5)')),
        r'1e-05.*lambtha|lambtha.*1e-05', PENALTY),
    Operator('a penalty ten times too strong', SPARSE, edits(
        (r'(keras\.regularizers\.l1|BatchSumL1)\(lambtha\)',
         r'\1(10 * lambtha)')),
        r'\b10 x lambtha', PENALTY),
    Operator('an L2 penalty', SPARSE, edits(
        (r'keras\.regularizers\.l1\(lambtha\)',
         'keras.regularizers.l2(lambtha)')),
        r'\bl2\b|L2|square', PENALTY),
    Operator('no penalty', SPARSE, edits(
        (r',\s*activity_regularizer=(keras\.regularizers\.l1|BatchSumL1)'
         r'\(lambtha\)', '')),
        r'no L1 penalty', PENALTY),
]

VAE_OPERATORS = [
    Operator('noise scaled by the variance', VAE, edits(
        (HALF, r'exp(\1\2)')),
        r'exp\(log_var\), the variance', SAMPLING),
    Operator('eps drawn with stddev 0.1', VAE, edits(
        (EPS, r'\1, stddev=0.1)')),
        r'stddev=0\.1', SAMPLING),
    Operator('stddev 0.1 and the variance both', VAE, edits(
        [(EPS, r'\1, stddev=0.1)', 1), (HALF, r'exp(\1\2)', 1)]),
        r'stddev=0\.1.*exp\(log_var\)|exp\(log_var\).*stddev=0\.1',
        SAMPLING),
    Operator('noise not scaled', VAE, edits(
        (r'(\w+) \+ keras\.backend\.' + HALF + r' \* (\w+)', r'\1 + \4')),
        r'not scaled', SAMPLING),
    Operator('log_var as the standard deviation', VAE, edits(
        (r'keras\.backend\.exp\((?:(\w+) / 2|0\.5 \* (\w+))\)(?= \* )',
         r'\1\2')),
        r'log_var \* eps|scaled by log_var', SAMPLING),
    Operator('mean and log_var swapped in the sampling', VAE, edits(
        (r'(\w+), (\w+) = (args|inputs|tensors)\n', r'\2, \1 = \3\n')),
        r'swapped', SAMPLING),
    Operator('outputs mean, log_var, z', VAE, edits(
        (r'(Model\([^\n]*)\[z, (\w+), (\w+)\](.*?\(\w+\)\)?)\[0\]',
         r'\1[\2, \3, z]\g<4>[2]')),
        r'z, mean, log_var', ORDER),
    Operator('outputs z, log_var, mean', VAE, edits(
        (r'(Model\([^\n]*)\[z, (\w+), (\w+)\]', r'\1[z, \3, \2]')),
        r'z, mean, log_var', ORDER),
    Operator('auto decodes the mean', VAE, edits(
        (r'(encoder\(\w+\))\[0\]', r'\1[1]')),
        r'decodes the mean', ORDER),
    Operator('auto decodes the log-variance', VAE, edits(
        (r'(encoder\(\w+\))\[0\]', r'\1[2]')),
        r'decodes the log-variance', ORDER),
    Operator('no KL term', VAE, edits(KL_ARGUMENTS[:1], KL_ARGUMENTS[1:]),
             r'KL term missing', LOSS),
    Operator('KL without its factor 0.5', VAE, edits(
        [(r'0\.5 \* keras\.backend\.sum', 'keras.backend.sum', 0)]),
        r'factor 0\.5', LOSS),
    Operator('reconstruction averaged over the inputs', VAE, RECONSTRUCTION,
             r'averaged over the 784', LOSS),
    Operator('a loss that indexes y_pred', VAE, edits(
        (r'(?<=\.)binary_crossentropy\((y_true|x), (y_pred|x_hat)\)',
         r'binary_crossentropy(\1, \2[0])')),
        r'indexes (y_pred|x_hat)', LOSS),
    Operator('mean squared error for the reconstruction', VAE, edits(
        (r'keras\.losses\.binary_crossentropy', 'keras.losses.mse'),
        (r'keras\.backend\.binary_crossentropy', 'keras.losses.mse')),
        r'squared|binary cross-entropy', LOSS),
    Operator('binary cross-entropy between mismatched shapes', VAE, edits(
        (r'(?<=\.)binary_crossentropy\((y_true|x),',
         r'binary_crossentropy(keras.backend.flatten(\1),')),
        r'shapes?', None),
    Operator('KL through add_loss', VAE, edits(
        KL_ARGUMENTS[:1] + [(
            r'(\n    (\w+) = (keras\.(?:models\.)?Model)\([^\n]*\[0\]\)\)\n)',
            r'\1    \2.add_loss(keras.backend.mean(keras.backend.square('
            r'encoder.outputs[1])))\n', 1)]),
        r'add_loss', None),
    Operator('relu on the mean layer', VAE, edits(
        (r"(mean = keras\.layers\.Dense\(latent_dims), activation=None",
         r"\1, activation='relu'"),
        (r"(mean = keras\.layers\.Dense\(latent_dims),",
         r"\1, activation='relu',"),
        (r"(mu = keras\.layers\.Dense\(latent_dims), activation='linear'",
         r"\1, activation='relu'"),
        (r"(mean = keras\.layers\.Dense\()\n(\s+)latent_dims,",
         r"\1\n\2latent_dims, activation='relu',")),
        r'activation', STRUCTURE),
    Operator('a Sampling layer subclass', VAE, edits(
        (r'\ndef autoencoder\((.*?)keras\.layers\.Lambda\((\w+)\)',
         '\nclass Sampling(keras.layers.Layer):\n'
         '    """Draws z with the reparameterization trick."""\n\n'
         '    def call(self, args):\n'
         '        """Returns z."""\n'
         '        return \\2(args)\n\n\ndef autoencoder(\\1Sampling()')),
        r'keras\.layers\.Lambda', None),
]
