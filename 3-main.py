#!/usr/bin/env python3
"""Trains the seed's variational autoencoder with a 2-D latent space on
MNIST, prints the means and standard deviations of the first 10 test digits'
latent Gaussians, and saves four figures in 0x04-images/: reconstructions
(img_4.png), digits decoded across the latent plane (img_5.png), the test
set's means coloured by label (img_6.png) and the loss curve (loss_3.png)."""
import numpy as np

from mains import figures, inputs, training  # TensorFlow's environment first

autoencoder = __import__('3-variational').autoencoder

if __name__ == '__main__':
    epoch_count = inputs.epochs(50)  # checked first
    inputs.seed()
    (x_train, _), (x_test, y_test) = inputs.load_mnist((784,))
    encoder, decoder, auto = autoencoder(784, [512], 2)
    history = training.train(auto, x_train, x_test,
                             epoch_count, 'variational')
    z, mean, log_var = encoder.predict(x_test[:10], verbose=0)  # (10, 2) each
    print(mean)
    print(np.exp(log_var / 2))
    reconstructed = decoder.predict(z, verbose=0)  # (10, 784)
    figures.plot_reconstructions(x_test[:10], reconstructed,
                                 'img_4.png',
                                 'Variational autoencoder')
    figures.plot_latent_grid(decoder, 'img_5.png')
    means = encoder.predict(x_test, batch_size=1000, verbose=0)[1]
    figures.plot_latent_map(means, y_test, 'img_6.png')
    figures.plot_loss_curve(history, 'loss_3.png',
                            'Variational autoencoder',
                            'summed binary cross-entropy + KL,'
                            ' per digit', 'variational')
