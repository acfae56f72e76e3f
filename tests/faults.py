#!/usr/bin/env python3
"""Fault fixtures for the checker: each is one mistake that students make,
written as a change to a correct student-style solution
(tests/fixtures/student), with the checks it must fail."""
import os
import shutil

STUDENT = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                       'fixtures', 'student')
KL_REGULARIZERS = (
    "    mean = keras.layers.Dense(latent_dims, activity_regularizer="
    "kl_of_mean)(x)\n"
    "    log_var = keras.layers.Dense(latent_dims,\n"
    "                                 activity_regularizer=kl_of_log_var)"
    "(x)\n")
PLAIN_HEADS = ("    mean = keras.layers.Dense(latent_dims)(x)\n"
               "    log_var = keras.layers.Dense(latent_dims)(x)\n")
OUTPUTS = '    encoder = keras.Model(inputs, [z, mean, log_var])\n'
AUTO_VAE = '    auto = keras.Model(inputs, decoder(encoder(inputs)[0]))\n'
SAMPLE = '    return mean + keras.backend.exp(log_var / 2) * eps\n'
COMPILE = "    auto.compile(optimizer='adam', loss='binary_crossentropy')\n"
CODE = ("    latent = keras.layers.Dense(\n"
        "        latent_dims, activation='relu',\n"
        "        activity_regularizer=keras.regularizers.l1(lambtha))(x)\n")
FIRST_HIDDEN = ("    for units in hidden_layers:\n"
                "        x = keras.layers.Dense(units, activation='relu')(x)\n"
                "    latent")
ENCODER_LOOP = ("    for units in hidden_layers:\n"
                "        x = keras.layers.Dense(units, activation='relu')(x)\n"
                "    latent = keras.layers.Dense(latent_dims, "
                "activation='relu')(x)\n")
DECODER_LOOP = "    for i, count in enumerate(reversed(filters)):\n"
CONV_BLOCK = ("        x = keras.layers.Conv2D(count, (3, 3), "
              "padding=padding,\n"
              "                                activation='relu')(x)\n"
              "        x = keras.layers.UpSampling2D((2, 2))(x)\n")
LAMBDA = '    z = keras.layers.Lambda(sampling)([mean, log_var])\n'


def interface(name):
    """An interface check's (name, kind)."""
    return (name, 'interface')


RETURNS = interface('returns encoder, decoder, auto (Keras models)')
LOSS = ('loss that evaluate returns', 'computation')
EXERCISE_VAE = ("structure: the task's (784, [512], 2)", 'structure')
EXERCISE_CONV = ("structure: the task's ((28, 28, 1), [16, 8, 8], "
                 "(4, 4, 8))", 'structure')
EXERCISE_DENSE = ("structure: the task's (784, [128, 64], 32)",
                  'structure')
NO_HIDDEN = ('structure: no hidden layer (100, [], 8) (beyond the '
             'exercise)', 'structure')

# name: (task file, [(old, new), ...], {stack: failed checks} or the failed
# checks on every stack, as (name, kind) pairs; file checks not counted).
# A stack is 'keras3' or 'keras2' (tf-keras and TensorFlow 2.15 alike).
FAULTS = {
    'vae: loss closes over the encoder\'s tensors (2020)': (
        '3-variational.py',
        [(KL_REGULARIZERS, PLAIN_HEADS),
         ("        return input_dims * keras.losses.binary_crossentropy("
          "y_true, y_pred)\n",
          "        kl = -0.5 * keras.backend.sum(1 + log_var - keras.backend"
          ".square(mean)\n"
          "                                      - keras.backend.exp(log_var)"
          ", axis=-1)\n"
          "        return input_dims * keras.losses.binary_crossentropy("
          "y_true, y_pred) + kl\n")],
        [LOSS]),
    'vae: decoder gets all three encoder outputs': (
        '3-variational.py',
        [(AUTO_VAE, '    auto = keras.Model(inputs, decoder(encoder(inputs))'
                    ')\n')],
        {'keras3': [RETURNS],
         'keras2': [('outputs on a fixed batch', 'computation')]}),
    'vae: KL with add_loss on the full model': (
        '3-variational.py',
        [(KL_REGULARIZERS, PLAIN_HEADS),
         (AUTO_VAE, AUTO_VAE
          + "    auto.add_loss(keras.backend.mean(-0.5 * keras.backend.sum(\n"
            "        1 + log_var - keras.backend.square(mean)\n"
            "        - keras.backend.exp(log_var), axis=-1)))\n")],
        {'keras3': [RETURNS],
         'keras2': [interface('auto.layers is [InputLayer, encoder, '
                              'decoder]')]}),
    'vae: outputs in the order mean, log_var, z': (
        '3-variational.py',
        [(OUTPUTS, '    encoder = keras.Model(inputs, [mean, log_var, z])\n'),
         (AUTO_VAE, '    auto = keras.Model(inputs, decoder(encoder(inputs)'
                    '[2]))\n')],
        [('structure: encoder outputs z, mean, log_var', 'structure')]),
    'vae: no KL term': (
        '3-variational.py', [(KL_REGULARIZERS, PLAIN_HEADS)], [LOSS]),
    'vae: decodes the mean': (
        '3-variational.py',
        [(AUTO_VAE, '    auto = keras.Model(inputs, decoder(encoder(inputs)'
                    '[1]))\n')],
        [('sampling: auto decodes z, not the mean', 'computation')]),
    'vae: noise scaled by the variance': (
        '3-variational.py',
        [(SAMPLE, '    return mean + keras.backend.exp(log_var) * eps\n')],
        [('sampling: z = mean + exp(log_var / 2) * eps', 'computation')]),
    'vae: noise a tenth of the spread': (
        '3-variational.py',
        [(SAMPLE, '    return mean + 0.1 * keras.backend.exp(log_var / 2) '
                  '* eps\n')],
        [('sampling: z = mean + exp(log_var / 2) * eps', 'computation')]),
    'vae: a stub that returns None': (
        '3-variational.py',
        [("    \"\"\"Creates a variational autoencoder.\"\"\"\n",
          "    \"\"\"Creates a variational autoencoder.\"\"\"\n"
          "    return None\n")],
        [RETURNS]),
    'vae: pdb.set_trace() in the builder': (
        '3-variational.py',
        [("    \"\"\"Creates a variational autoencoder.\"\"\"\n",
          "    \"\"\"Creates a variational autoencoder.\"\"\"\n"
          "    import pdb\n    pdb.set_trace()\n")],
        [RETURNS]),
    'vae: a Sampling layer subclass': (
        '3-variational.py',
        [("def autoencoder(", "class Sampling(keras.layers.Layer):\n"
          "    \"\"\"Draws z with the reparameterization trick.\"\"\"\n\n"
          "    def call(self, args):\n"
          "        \"\"\"Returns z.\"\"\"\n"
          "        return sampling(args)\n\n\n"
          "def autoencoder("),
         ('    z = keras.layers.Lambda(sampling)([mean, log_var])\n',
          '    z = Sampling()([mean, log_var])\n')],
        [EXERCISE_VAE]),
    'vae: one Dense layer for mean and log_var': (
        '3-variational.py',
        [(KL_REGULARIZERS,
          "    head = keras.layers.Dense(latent_dims)\n"
          "    mean = head(x)\n    log_var = head(x)\n")],
        [EXERCISE_VAE]),
    'vae: KL averaged over the latent dimensions': (
        '3-variational.py',
        [("    return 0.5 * keras.backend.sum(keras.backend.square(mean))\n",
          "    return 0.5 * keras.backend.sum(keras.backend.mean(\n"
          "        keras.backend.square(mean), axis=-1))\n"),
         ("    return 0.5 * keras.backend.sum(keras.backend.exp(log_var) - "
          "log_var - 1)\n",
          "    return 0.5 * keras.backend.sum(keras.backend.mean(\n"
          "        keras.backend.exp(log_var) - log_var - 1, axis=-1))\n")],
        [LOSS]),
    'vae: reconstruction averaged over the pixels': (
        '3-variational.py',
        [("    auto.compile(optimizer='adam', loss=loss)\n",
          "    auto.compile(optimizer='adam', loss='binary_crossentropy')\n")],
        [LOSS]),
    'sparse: L1 penalty on the kernel': (
        '1-sparse.py',
        [(CODE, CODE.replace('activity_regularizer', 'kernel_regularizer'))],
        [LOSS]),
    'sparse: L1 penalty on the first hidden layer': (
        '1-sparse.py',
        [(CODE, "    latent = keras.layers.Dense(latent_dims, "
                "activation='relu')(x)\n"),
         ("    for units in hidden_layers:\n"
          "        x = keras.layers.Dense(units, activation='relu')(x)\n"
          "    latent",
          "    for units in hidden_layers:\n"
          "        x = keras.layers.Dense(\n"
          "            units, activation='relu',\n"
          "            activity_regularizer=keras.regularizers.l1(lambtha))"
          "(x)\n"
          "    latent")],
        [LOSS]),
    'sparse: no penalty': (
        '1-sparse.py',
        [(CODE, "    latent = keras.layers.Dense(latent_dims, "
                "activation='relu')(x)\n")],
        [LOSS]),
    'sparse: a penalty ten times too strong': (
        '1-sparse.py', [('l1(lambtha)', 'l1(10 * lambtha)')], [LOSS]),
    'sparse: no lambtha parameter': (
        '1-sparse.py',
        [('latent_dims, lambtha):', 'latent_dims):\n'
          '    """Creates a sparse autoencoder."""\n    lambtha = 10e-6'),
         ('    """Creates a sparse autoencoder."""\n    inputs',
          '    inputs')],
        [interface('takes input_dims, hidden_layers, latent_dims, lambtha'),
         RETURNS]),
    'sparse: the 2020 name, sparse': (
        '1-sparse.py', [('def autoencoder(', 'def sparse(')], []),
    'conv: one convolution too many in the decoder': (
        '2-convolutional.py',
        [("    outputs = keras.layers.Conv2D(",
          "    x = keras.layers.Conv2D(8, (3, 3), padding='same',\n"
          "                            activation='relu')(x)\n"
          "    outputs = keras.layers.Conv2D(")],
        [EXERCISE_CONV]),
    'conv: same padding in the second-to-last convolution': (
        '2-convolutional.py',
        [("        padding = 'valid' if i == len(filters) - 1 else 'same'\n",
          "        padding = 'same'\n")],
        [EXERCISE_CONV]),
    'conv: a 5 x 5 kernel in the encoder': (
        '2-convolutional.py',
        [("        x = keras.layers.Conv2D(count, (3, 3), padding='same',\n"
          "                                activation='relu')(x)\n"
          "        x = keras.layers.MaxPooling2D",
          "        x = keras.layers.Conv2D(count, (5, 5), padding='same',\n"
          "                                activation='relu')(x)\n"
          "        x = keras.layers.MaxPooling2D")],
        [EXERCISE_CONV]),
    'conv: a NameError': (
        '2-convolutional.py',
        [("    decoder = keras.Model(latent_inputs, outputs)\n",
          "    decoder = keras.Model(latent_input, outputs)\n")],
        [RETURNS]),
    'vanilla: an unbuilt Sequential encoder': (
        '0-vanilla.py',
        [(ENCODER_LOOP + '    encoder = keras.Model(inputs, latent)\n',
          "    encoder = keras.Sequential(\n"
          "        [keras.layers.Dense(units, activation='relu')\n"
          "         for units in hidden_layers]\n"
          "        + [keras.layers.Dense(latent_dims, activation='relu')])"
          "\n")],
        [EXERCISE_DENSE]),
    'vanilla: indexes hidden_layers[0]': (
        '0-vanilla.py',
        [(ENCODER_LOOP,
          "    x = keras.layers.Dense(hidden_layers[0], "
          "activation='relu')(x)\n"
          "    for units in hidden_layers[1:]:\n"
          "        x = keras.layers.Dense(units, activation='relu')(x)\n"
          "    latent = keras.layers.Dense(latent_dims, "
          "activation='relu')(x)\n")],
        [NO_HIDDEN]),
    'vanilla: a loop variable used after the loop': (
        '0-vanilla.py',
        [(ENCODER_LOOP,
          "    for units in hidden_layers:\n"
          "        hidden = keras.layers.Dense(units, activation='relu')(x)\n"
          "        x = hidden\n"
          "    latent = keras.layers.Dense(latent_dims, "
          "activation='relu')(hidden)\n")],
        [NO_HIDDEN]),
    'vanilla: decoder not reversed': (
        '0-vanilla.py',
        [('    for units in reversed(hidden_layers):\n',
          '    for units in hidden_layers:\n')],
        [EXERCISE_DENSE]),
    'vanilla: relu on the last layer': (
        '0-vanilla.py',
        [("activation='sigmoid'", "activation='relu'")],
        [EXERCISE_DENSE]),
    'vanilla: renamed parameters': (
        '0-vanilla.py',
        [('def autoencoder(input_dims, hidden_layers, latent_dims):',
          'def autoencoder(input_dim, hidden_layers, latent_dims):'),
         ('(input_dims', '(input_dim')],
        [interface('takes input_dims, hidden_layers, latent_dims')]),
    'vanilla: prints a summary': (
        '0-vanilla.py',
        [('    return encoder, decoder, auto\n',
          '    auto.summary()\n    return encoder, decoder, auto\n')],
        [interface('prints nothing while imported and built')]),
    'vanilla: mean squared error': (
        '0-vanilla.py', [(COMPILE, COMPILE.replace('binary_crossentropy',
                                                   'mse'))],
        [('loss', 'compile')]),
    'vanilla: a learning rate of 0.01': (
        '0-vanilla.py',
        [(COMPILE, "    auto.compile(optimizer=keras.optimizers.Adam(0.01),\n"
                   "                 loss='binary_crossentropy')\n")],
        [('optimizer', 'compile')]),
    'vanilla: an Adam() object, which is fine': (
        '0-vanilla.py',
        [(COMPILE, "    auto.compile(optimizer=keras.optimizers.Adam(),\n"
                   "                 loss='binary_crossentropy')\n")],
        []),
    'vanilla: input() at import': (
        '0-vanilla.py',
        [('import tensorflow.keras as keras\n',
          'import tensorflow.keras as keras\nanswer = input()\n')],
        [interface('imports without error')]),
    'vanilla: a syntax error': (
        '0-vanilla.py',
        [('import tensorflow.keras as keras\n',
          'import tensorflow.keras as keras\nif keras\n')],
        [interface('imports without error')]),
    'vanilla: raises at import': (
        '0-vanilla.py',
        [('import tensorflow.keras as keras\n',
          'import tensorflow.keras as keras\nraise RuntimeError("no")\n')],
        [interface('imports without error')]),
    'conv: an extra Conv2D after the last pooling': (
        '2-convolutional.py',
        [("    encoder = keras.Model(inputs, x)\n",
          "    x = keras.layers.Conv2D(8, (3, 3), padding='same',\n"
          "                            activation='relu')(x)\n"
          "    encoder = keras.Model(inputs, x)\n")],
        [EXERCISE_CONV]),
    'conv: a Cropping2D in place of the valid padding': (
        '2-convolutional.py',
        [(CONV_BLOCK,
          "        x = keras.layers.Conv2D(count, (3, 3), padding='same',\n"
          "                                activation='relu')(x)\n"
          "        if padding == 'valid':\n"
          "            x = keras.layers.Cropping2D(1)(x)\n"
          "        x = keras.layers.UpSampling2D((2, 2))(x)\n")],
        [EXERCISE_CONV]),
    'conv: a decoder without the convolution of filters[0]': (
        '2-convolutional.py',
        [(DECODER_LOOP,
          "    for i, count in enumerate(reversed(filters[1:])):\n")],
        [EXERCISE_CONV]),
    'conv: valid pooling and a Resizing': (
        '2-convolutional.py',
        [("        x = keras.layers.MaxPooling2D((2, 2), padding='same')(x)\n"
          "    encoder = keras.Model(inputs, x)\n",
          "        x = keras.layers.MaxPooling2D((2, 2))(x)\n"
          "    x = keras.layers.Resizing(latent_dims[0], latent_dims[1])(x)\n"
          "    encoder = keras.Model(inputs, x)\n")],
        [EXERCISE_CONV]),
    'conv: a name set in the loop used after it': (
        '2-convolutional.py',
        [(DECODER_LOOP + "        padding = 'valid' if i == len(filters) - 1 "
          "else 'same'\n" + CONV_BLOCK,
          "    for count in reversed(filters[1:]):\n"
          "        x = keras.layers.Conv2D(count, (3, 3), padding='same',\n"
          "                                activation='relu')(x)\n"
          "        upsampled = keras.layers.UpSampling2D((2, 2))(x)\n"
          "        x = upsampled\n"
          "    x = keras.layers.Conv2D(filters[0], (3, 3), padding='valid',\n"
          "                            activation='relu')(upsampled)\n"
          "    x = keras.layers.UpSampling2D((2, 2))(x)\n")],
        [('structure: one filter ((28, 28, 1), [8], (14, 14, 8)) (beyond '
          'the exercise)', 'structure')]),
    'conv: a builder that reverses its filters': (
        '2-convolutional.py',
        [(DECODER_LOOP, "    filters.reverse()\n"
                        "    for i, count in enumerate(filters):\n")],
        [interface('leaves its arguments unchanged')]),
    'vae: sampling with backend operations outside a layer': (
        '3-variational.py',
        [(LAMBDA, '    z = sampling([mean, log_var])\n')],
        {'keras3': [RETURNS], 'keras2': [EXERCISE_VAE]}),
    'vae: a Lambda that reads mean and log_var from outside': (
        '3-variational.py',
        [(LAMBDA, '    z = keras.layers.Lambda(lambda t: sampling([mean, '
                  'log_var]))(mean)\n')],
        [RETURNS]),
    'vae: a copy of the vanilla autoencoder': (
        '3-variational.py',
        [(OUTPUTS, '    encoder = keras.Model(inputs, mean)\n'),
         (AUTO_VAE, '    auto = keras.Model(inputs, decoder(encoder(inputs))'
                    ')\n')],
        [EXERCISE_VAE]),
    'vae: binary cross-entropy summed over axis 1': (
        '3-variational.py',
        [("        return input_dims * keras.losses.binary_crossentropy("
          "y_true, y_pred)\n",
          "        return keras.backend.sum(\n"
          "            keras.losses.binary_crossentropy(y_true, y_pred), "
          "axis=1)\n")],
        [LOSS]),
    'vae: eps drawn with stddev 0.1': (
        '3-variational.py',
        [("    eps = keras.backend.random_normal(keras.backend.shape(mean))\n",
          "    eps = keras.backend.random_normal(keras.backend.shape(mean), "
          "stddev=0.1)\n")],
        [('sampling: z = mean + exp(log_var / 2) * eps', 'computation')]),
    'vae: outputs mean, log_var, z and auto decodes the first': (
        '3-variational.py',
        [(OUTPUTS, '    encoder = keras.Model(inputs, [mean, log_var, z])\n')],
        [('structure: encoder outputs z, mean, log_var', 'structure')]),
    'vanilla: the decoder built on the encoder\'s input': (
        '0-vanilla.py',
        [("    decoder = keras.Model(latent_inputs, outputs)\n",
          "    decoder = keras.Model(inputs, outputs)\n")],
        [RETURNS]),
    'vanilla: a BinaryCrossentropy object': (
        '0-vanilla.py',
        [(COMPILE, "    auto.compile(optimizer='adam',\n"
                   "                 loss=keras.losses.BinaryCrossentropy()"
                   ")\n")],
        [('loss', 'compile')]),
}
# Files that stop their process: run with a short time limit.
STOPPERS = {
    'vanilla: hangs at import': (
        '0-vanilla.py',
        [('import tensorflow.keras as keras\n',
          'import tensorflow.keras as keras\nwhile True:\n    pass\n')],
        [interface('finishes within 30 s')]),
    'vanilla: exits at import': (
        '0-vanilla.py',
        [('import tensorflow.keras as keras\n',
          'import tensorflow.keras as keras\nexit(3)\n')],
        [interface('imports without error')]),
    'vanilla: os._exit while building': (
        '0-vanilla.py',
        [('    """Creates a vanilla autoencoder."""\n',
          '    """Creates a vanilla autoencoder."""\n'
          '    keras.backend.os = __import__("os")\n'
          '    keras.backend.os._exit(3)\n')],
        [interface('finishes within 30 s')]),
}


def write_fault(folder, name, fault):
    """Writes the fault's file, a changed copy of the student's, into a
    folder of its own under folder; returns its path."""
    filename, changes, _ = fault
    with open(os.path.join(STUDENT, filename)) as handle:
        text = handle.read()
    for old, new in changes:
        assert old in text, (name, old)
        text = text.replace(old, new)
    path = os.path.join(folder, ''.join(c if c.isalnum() else '_'
                                        for c in name), filename)
    os.makedirs(os.path.dirname(path))
    with open(path, 'w') as handle:
        handle.write(text)
    shutil.copymode(os.path.join(STUDENT, filename), path)
    return path


def expected_failures(fault, keras_3):
    """The (name, kind) checks a fault fails on this stack."""
    expected = fault[2]
    if isinstance(expected, dict):
        expected = expected['keras3' if keras_3 else 'keras2']
    return sorted(expected)
