#!/usr/bin/env python3
"""The four tasks as the checker sees them: file name, the builder's names
and parameters, the configurations each is built on (the task's own, from
its main file, first; then others a grader may try), and the arguments the
computation checks use where they are not the task's own."""
import collections

Task = collections.namedtuple(
    'Task', 'number name filename functions parameters configurations '
            'computed')
Configuration = collections.namedtuple('Configuration',
                                       'label arguments beyond')

DENSE_CONFIGURATIONS = [
    Configuration("the task's (784, [128, 64], 32)", (784, [128, 64], 32),
                  False),
    Configuration('one hidden layer (784, [64], 16)', (784, [64], 16), True),
    Configuration('three hidden layers (100, [64, 32, 16], 8)',
                  (100, [64, 32, 16], 8), True),
    Configuration('no hidden layer (100, [], 8)', (100, [], 8), True)]

TASKS = [
    Task(0, 'vanilla', '0-vanilla.py', ('autoencoder',),
         ('input_dims', 'hidden_layers', 'latent_dims'),
         DENSE_CONFIGURATIONS, None),
    Task(1, 'sparse', '1-sparse.py', ('sparse', 'autoencoder'),
         ('input_dims', 'hidden_layers', 'latent_dims', 'lambtha'),
         [Configuration(label.replace(')', ', 10e-6)'),
                        arguments + (10e-6,), beyond)
          for label, arguments, beyond in DENSE_CONFIGURATIONS],
         # The task's layers with a penalty well above float noise, so that
         # a sum over the batch and a mean over it tell apart clearly.
         (784, [128, 64], 32, 1e-3)),
    Task(2, 'convolutional', '2-convolutional.py', ('autoencoder',),
         ('input_dims', 'filters', 'latent_dims'),
         [Configuration("the task's ((28, 28, 1), [16, 8, 8], (4, 4, 8))",
                        ((28, 28, 1), [16, 8, 8], (4, 4, 8)), False),
          Configuration('one filter ((28, 28, 1), [8], (14, 14, 8))',
                        ((28, 28, 1), [8], (14, 14, 8)), True),
          Configuration('two filters ((28, 28, 1), [16, 8], (7, 7, 8))',
                        ((28, 28, 1), [16, 8], (7, 7, 8)), True),
          Configuration('four filters ((28, 28, 1), [16, 8, 8, 4], '
                        '(2, 2, 4))',
                        ((28, 28, 1), [16, 8, 8, 4], (2, 2, 4)), True),
          Configuration('three channels ((28, 28, 3), [16, 8, 8], '
                        '(4, 4, 8))',
                        ((28, 28, 3), [16, 8, 8], (4, 4, 8)), True)],
         None),
    Task(3, 'variational', '3-variational.py', ('autoencoder',),
         ('input_dims', 'hidden_layers', 'latent_dims'),
         [Configuration("the task's (784, [512], 2)", (784, [512], 2),
                        False),
          Configuration('latent of 3 (784, [512], 3)', (784, [512], 3), True),
          Configuration('three hidden layers (100, [64, 32, 16], 3)',
                        (100, [64, 32, 16], 3), True),
          Configuration('no hidden layer (100, [], 3)', (100, [], 3), True)],
         None),
]
BY_FILENAME = {task.filename: task for task in TASKS}
