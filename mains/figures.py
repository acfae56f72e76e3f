#!/usr/bin/env python3
"""The mains' figures, saved in 0x04-images/ and shown where a display
can: reconstructions, the latent plane and map, and the loss curves with
the seed's printed epochs as markers."""
import os

import matplotlib
import matplotlib.pyplot as plt
import matplotlib.ticker
import numpy as np

IMAGES_DIR = os.path.join(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))), '0x04-images')
NON_INTERACTIVE_BACKENDS = {'agg', 'cairo', 'pdf', 'pgf', 'ps', 'svg',
                            'template'}
# The seed's run on TensorFlow 1.12 printed epochs 1-5 and the last five of
# each run: {epoch: (loss, val_loss)}, drawn on the loss curves.
SEED_LOSSES = {
    'vanilla': {1: (0.2504, 0.1667), 2: (0.1498, 0.1361),
                3: (0.1312, 0.1242), 4: (0.1220, 0.1173),
                5: (0.1170, 0.1132), 46: (0.0852, 0.0850),
                47: (0.0851, 0.0846), 48: (0.0850, 0.0848),
                49: (0.0849, 0.0845), 50: (0.0848, 0.0844)},
    'sparse': {1: (0.3123, 0.2538), 2: (0.2463, 0.2410),
               3: (0.2400, 0.2381), 4: (0.2379, 0.2360),
               5: (0.2360, 0.2339), 96: (0.1602, 0.1609),
               97: (0.1601, 0.1608), 98: (0.1601, 0.1601),
               99: (0.1601, 0.1604), 100: (0.1597, 0.1601)},
    'variational': {1: (214.4525, 177.2306), 2: (171.7558, 168.7191),
                    3: (167.4977, 166.5061), 4: (165.6473, 165.1279),
                    5: (164.0918, 163.7083), 46: (148.1491, 151.3205),
                    47: (148.0358, 151.2141), 48: (147.9396, 151.3823),
                    49: (147.8144, 151.4026), 50: (147.6572, 151.1969)}}
NO_SEED_LOSSES = {
    'convolutional': "No markers for the seed's run: its losses (63.97 to "
                     '23.77) fit no binary cross-entropy of this model; '
                     'docs/reproduction.md says why.'}


def _save_and_show(figure, filename):
    """Saves figure as 0x04-images/filename, shows it where a display can,
    then closes it."""
    os.makedirs(IMAGES_DIR, exist_ok=True)
    figure.savefig(os.path.join(IMAGES_DIR, filename), dpi=100,
                   bbox_inches='tight')
    print('saved', os.path.join('0x04-images', filename))
    if matplotlib.get_backend().lower() not in NON_INTERACTIVE_BACKENDS:
        plt.show()
    plt.close(figure)


def plot_reconstructions(originals, reconstructions, filename, title):
    """Draws digits in the top row over their reconstructions below.

    Args:
        originals, reconstructions: arrays of n images, any shape that holds
            784 pixels each, values in [0, 1].
        filename: PNG name under 0x04-images/.
        title: what the figure shows, e.g. the model's name.
    """
    count = len(originals)
    figure, axes = plt.subplots(2, count, figsize=(count, 2.3))
    for column in range(count):
        for row, images in enumerate((originals, reconstructions)):
            axes[row, column].imshow(images[column].reshape(28, 28),
                                     cmap='gray', vmin=0, vmax=1)
            axes[row, column].set_xticks([])
            axes[row, column].set_yticks([])
    axes[0, 0].set_ylabel('original')
    axes[1, 0].set_ylabel('decoded')
    figure.suptitle(title)
    _save_and_show(figure, filename)


def plot_latent_grid(decoder, filename, size=25, limit=3.0):
    """Decodes a size x size grid of points of a 2-D latent plane spanning
    [-limit, limit] on both axes, and draws the digits in place."""
    values = np.linspace(-limit, limit, size, dtype=np.float32)
    z0, z1 = np.meshgrid(values, values[::-1])  # z1 grows upwards
    points = np.stack([z0.ravel(), z1.ravel()], axis=1)
    digits = decoder.predict(points, verbose=0).reshape(size, size, 28, 28)
    canvas = digits.transpose(0, 2, 1, 3).reshape(size * 28, size * 28)
    figure, axis = plt.subplots(figsize=(9, 9))
    axis.imshow(canvas, cmap='gray', vmin=0, vmax=1,
                extent=(-limit, limit, -limit, limit))
    axis.set_xlabel('z[0]')
    axis.set_ylabel('z[1]')
    axis.set_title('Digits decoded across the latent plane')
    _save_and_show(figure, filename)


def plot_latent_map(means, labels, filename):
    """Scatters 2-D latent means, coloured by digit label, with a colour bar
    that names the digits."""
    figure, axis = plt.subplots(figsize=(8, 7))
    points = axis.scatter(means[:, 0], means[:, 1], c=labels, s=2,
                          cmap='tab10', vmin=-0.5, vmax=9.5)
    figure.colorbar(points, ticks=range(10), label='digit')
    axis.set_xlabel('mean[0]')
    axis.set_ylabel('mean[1]')
    axis.set_title('Test digits in the latent plane (encoder means)')
    _save_and_show(figure, filename)


def plot_loss_curve(history, filename, title, loss_name, model_name):
    """Draws loss and val_loss per epoch, on a log scale that shows both the
    steep first epochs and the slow end of a run, with the seed's printed
    epochs as markers where this run reached them.

    Args:
        history: the History that train returns.
        filename: PNG name under 0x04-images/.
        title: what was trained, e.g. the model's name.
        loss_name: what the loss measures, for the y axis.
        model_name: which seed run to mark (a key of SEED_LOSSES), or one
            whose figure says why it has none (NO_SEED_LOSSES).
    """
    losses = {name: history.history[name] for name in ('loss', 'val_loss')}
    epochs_trained = np.arange(1, len(losses['loss']) + 1)
    seed = {epoch: values for epoch, values
            in SEED_LOSSES.get(model_name, {}).items()
            if epoch <= len(epochs_trained)}
    figure, axis = plt.subplots(figsize=(7, 4.5))
    shown = []
    for column, (name, values) in enumerate(losses.items()):
        line, = axis.plot(epochs_trained, values, label=name)
        shown += values
        if seed:
            seed_values = [pair[column] for pair in seed.values()]
            axis.plot(list(seed), seed_values, linestyle='none',
                      marker='o' if column == 0 else 's', markersize=5,
                      markerfacecolor='none', color=line.get_color(),
                      label="{}, the seed's run on TensorFlow 1.12"
                      .format(name))
            shown += seed_values
    axis.set_yscale('log')
    ticks = np.geomspace(min(shown), max(shown), 6)
    axis.set_yticks(ticks, ['{:.3g}'.format(tick) for tick in ticks])
    axis.yaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
    axis.set_xlabel('epoch')
    axis.set_ylabel(loss_name)
    axis.set_title(title)
    axis.grid(True, alpha=0.3)
    axis.legend()
    if model_name in NO_SEED_LOSSES:
        figure.text(0.5, -0.02, NO_SEED_LOSSES[model_name], ha='center',
                    va='top', fontsize=8, wrap=True)
    _save_and_show(figure, filename)
