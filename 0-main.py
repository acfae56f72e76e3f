#!/usr/bin/env python3
"""Trains the seed's vanilla autoencoder on MNIST, prints the mean of the
codes of the first 10 test digits, and saves them over their reconstructions
as 0x04-images/img_1.png, with its loss
curve as loss_0.png."""
import numpy as np

from mains import figures, inputs, training  # TensorFlow's environment first

autoencoder = __import__('0-vanilla').autoencoder

if __name__ == '__main__':
    epoch_count = inputs.epochs(50)  # checked first
    inputs.seed()
    (x_train, _), (x_test, _) = inputs.load_mnist((784,))
    encoder, decoder, auto = autoencoder(784, [128, 64], 32)
    history = training.train(auto, x_train, x_test,
                             epoch_count, 'vanilla')
    encoded = encoder.predict(x_test[:10], verbose=0)  # (10, 32)
    print(np.mean(encoded))
    reconstructed = decoder.predict(encoded, verbose=0)  # (10, 784)
    figures.plot_reconstructions(x_test[:10], reconstructed,
                                 'img_1.png', 'Vanilla autoencoder')
    figures.plot_loss_curve(history, 'loss_0.png',
                            'Vanilla autoencoder',
                            'binary cross-entropy per pixel',
                            'vanilla')
