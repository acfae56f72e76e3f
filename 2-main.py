#!/usr/bin/env python3
"""Trains the seed's convolutional autoencoder on MNIST, prints the mean of
the (4, 4, 8) codes of the first 10 test digits, and saves them over their
reconstructions as 0x04-images/img_3.png, with its loss curve as
loss_2.png."""
import numpy as np

from mains import figures, inputs, training  # TensorFlow's environment first

autoencoder = __import__('2-convolutional').autoencoder

if __name__ == '__main__':
    epoch_count = inputs.epochs(50)  # checked first
    inputs.seed()
    (x_train, _), (x_test, _) = inputs.load_mnist((28, 28, 1))
    encoder, decoder, auto = autoencoder((28, 28, 1), [16, 8, 8], (4, 4, 8))
    history = training.train(auto, x_train, x_test,
                             epoch_count, 'convolutional')
    encoded = encoder.predict(x_test[:10], verbose=0)  # (10, 4, 4, 8)
    print(np.mean(encoded))
    reconstructed = decoder.predict(encoded, verbose=0)  # (10, 28, 28, 1)
    figures.plot_reconstructions(x_test[:10], reconstructed,
                                 'img_3.png',
                                 'Convolutional autoencoder')
    figures.plot_loss_curve(history, 'loss_2.png',
                            'Convolutional autoencoder',
                            'binary cross-entropy per pixel',
                            'convolutional')
