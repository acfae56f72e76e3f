#!/usr/bin/env python3
"""Trains the seed's vanilla autoencoder on MNIST, prints the mean of the
codes of the first 10 test digits, and saves them over their reconstructions
as 0x04-images/img_1.png, with its loss
curve as loss_0.png."""
import numpy as np

import mnist_helpers  # sets TensorFlow's environment: before the builder

autoencoder = __import__('0-vanilla').autoencoder

if __name__ == '__main__':
    epoch_count = mnist_helpers.epochs(50)  # checked first
    mnist_helpers.seed()
    (x_train, _), (x_test, _) = mnist_helpers.load_mnist((784,))
    encoder, decoder, auto = autoencoder(784, [128, 64], 32)
    history = mnist_helpers.train(auto, x_train, x_test,
                                  epoch_count, 'vanilla')
    encoded = encoder.predict(x_test[:10], verbose=0)  # (10, 32)
    print(np.mean(encoded))
    reconstructed = decoder.predict(encoded, verbose=0)  # (10, 784)
    mnist_helpers.plot_reconstructions(x_test[:10], reconstructed,
                                       'img_1.png', 'Vanilla autoencoder')
    mnist_helpers.plot_loss_curve(history, 'loss_0.png',
                                  'Vanilla autoencoder',
                                  'binary cross-entropy per pixel',
                                  'vanilla')
