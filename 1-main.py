#!/usr/bin/env python3
"""Trains the seed's sparse autoencoder on MNIST, prints the mean of the
codes of the first 10 test digits (small: the L1 penalty keeps most units at
zero), and saves them over their reconstructions as 0x04-images/img_2.png,
with its loss curve as loss_1.png."""
import numpy as np

from mains import figures, inputs, training  # TensorFlow's environment first

sparse = __import__('1-sparse').sparse

if __name__ == '__main__':
    epoch_count = inputs.epochs(100)  # checked first
    inputs.seed()
    (x_train, _), (x_test, _) = inputs.load_mnist((784,))
    encoder, decoder, auto = sparse(784, [128, 64], 32, 10e-6)
    history = training.train(auto, x_train, x_test,
                             epoch_count, 'sparse')
    encoded = encoder.predict(x_test[:10], verbose=0)  # (10, 32)
    print(np.mean(encoded))
    reconstructed = decoder.predict(encoded, verbose=0)  # (10, 784)
    figures.plot_reconstructions(x_test[:10], reconstructed,
                                 'img_2.png', 'Sparse autoencoder')
    figures.plot_loss_curve(history, 'loss_1.png',
                            'Sparse autoencoder',
                            'binary cross-entropy per pixel'
                            ' + L1 penalty', 'sparse')
