#!/usr/bin/env python3
"""Trains the seed's convolutional (or vanilla) autoencoder in PyTorch on the
epochs that ./2-main.py (or ./0-main.py) runs: 60000 shuffled digits in
batches of 256 with Adam and binary cross-entropy, then the 10000 test
digits. Prints the seconds of each epoch: the anchor for whole_run.py.

    pip install -r benchmarks/requirements.txt
    MNIST_PATH=../shared/data/mnist.npz ./benchmarks/torch_anchor.py

Images are channels-last, PyTorch's fastest layout for these convolutions
on a CPU. Without PyTorch it prints one line and exits.
"""
import argparse
import os
import statistics
import sys
import time

import numpy as np

try:
    import torch
    from torch import nn
except ImportError:
    sys.exit('skipped: PyTorch is not installed '
             '(pip install -r benchmarks/requirements.txt)')

BATCH_SIZE = 256


def convolutional():
    """The seed's (28, 28, 1), [16, 8, 8], (4, 4, 8) model; ceil_mode gives
    Keras' same-padded pooling (7 -> 4)."""
    return nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(8, 8, 3, padding=1), nn.ReLU(),
        nn.MaxPool2d(2, ceil_mode=True),  # (batch, 8, 4, 4)
        nn.Conv2d(8, 8, 3, padding=1), nn.ReLU(), nn.Upsample(scale_factor=2),
        nn.Conv2d(8, 8, 3, padding=1), nn.ReLU(), nn.Upsample(scale_factor=2),
        nn.Conv2d(8, 16, 3), nn.ReLU(), nn.Upsample(scale_factor=2),
        nn.Conv2d(16, 1, 3, padding=1), nn.Sigmoid())  # (batch, 1, 28, 28)


def vanilla():
    """The seed's 784, [128, 64], 32 dense model."""
    sizes = [784, 128, 64, 32, 64, 128, 784]
    layers = []
    for size_in, size_out in zip(sizes, sizes[1:]):
        layers += [nn.Linear(size_in, size_out), nn.ReLU()]
    layers[-1] = nn.Sigmoid()
    return nn.Sequential(*layers)


def load(model_name):
    """Returns MNIST's training and test images as float tensors in [0, 1],
    shaped for the model."""
    with np.load(os.environ['MNIST_PATH']) as data:
        arrays = [data[key].astype(np.float32) / 255
                  for key in ('x_train', 'x_test')]
    if model_name == 'vanilla':
        return [torch.from_numpy(array.reshape(-1, 784)) for array in arrays]
    return [torch.from_numpy(array[:, None]).contiguous(
        memory_format=torch.channels_last) for array in arrays]


def epoch(model, optimizer, x_train, x_test):
    """Trains one shuffled epoch, then computes the validation loss; returns
    (seconds, val_loss)."""
    loss_function = nn.BCELoss()
    start = time.perf_counter()
    model.train()
    for indices in torch.randperm(len(x_train)).split(BATCH_SIZE):
        batch = x_train[indices]
        optimizer.zero_grad(set_to_none=True)
        loss_function(model(batch), batch).backward()
        optimizer.step()
    model.eval()
    total = 0.0
    with torch.no_grad():
        for batch in x_test.split(BATCH_SIZE):
            total += loss_function(model(batch), batch).item() * len(batch)
    return time.perf_counter() - start, total / len(x_test)


def main():
    """Trains for --epochs epochs; prints each, then the median of all but
    the first as seconds per epoch."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--model', choices=['convolutional', 'vanilla'],
                        default='convolutional')
    parser.add_argument('--epochs', type=int, default=3)
    options = parser.parse_args()
    torch.manual_seed(0)
    x_train, x_test = load(options.model)
    model = {'convolutional': convolutional, 'vanilla': vanilla}[
        options.model]()
    if options.model == 'convolutional':
        model = model.to(memory_format=torch.channels_last)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    seconds = []
    for number in range(1, options.epochs + 1):
        took, val_loss = epoch(model, optimizer, x_train, x_test)
        seconds.append(took)
        print('epoch {}: {:.2f} s, val_loss {:.4f}'.format(
            number, took, val_loss))
    print('seconds per epoch: {:.3f}'.format(
        statistics.median(seconds[1:] or seconds)), flush=True)


if __name__ == '__main__':
    main()
