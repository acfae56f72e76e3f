#!/usr/bin/env python3
"""Profiles the seed's convolutional autoencoder layer by layer: forward and
backward of each layer alone at batch 256, then whole training steps, with
Keras' Conv2D and with the builder's one-filter route in turns.

    ./benchmarks/conv_layers.py

Each layer is timed as a tf.function that computes the layer's output and
the gradients the model needs: the weights', and the input's except for the
first layer. Medians of --repeats timings; the step is Adam's full step.
"""
import argparse
import os
import statistics
import sys
import time

from shared import ROOT


def parse_args():
    """Returns the command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--repeats', type=int, default=30)
    return parser.parse_args()


def median_ms(function, repeats):
    """Median wall time of function() in milliseconds, after a warm-up."""
    function()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def layer_timer(tf, layer, input_shape, needs_input_gradient):
    """Returns a function running one forward and backward of layer."""
    inputs = tf.random.uniform((256,) + tuple(input_shape))

    @tf.function
    def step():
        """Forward, then the gradients that training needs."""
        with tf.GradientTape() as tape:
            tape.watch(inputs)
            loss = tf.reduce_sum(layer(inputs))
        sources = list(layer.trainable_weights)
        if needs_input_gradient:
            sources.append(inputs)
        return tape.gradient(loss, sources)
    return lambda: [gradient.numpy() for gradient in step()]


def model_rows(tf, convolutional, route_class, repeats):
    """Times each layer of the seed model built with route_class as its
    one-filter Conv2D; returns [(layer, ms)] and a whole step's ms."""
    convolutional.Conv2D = route_class
    encoder, decoder, auto = convolutional.autoencoder(
        (28, 28, 1), [16, 8, 8], (4, 4, 8))
    rows = []
    for model in (encoder, decoder):
        for layer in model.layers[1:]:
            shape = layer.input.shape[1:]
            name = '{} {} -> {}'.format(type(layer).__name__,
                                        tuple(shape), tuple(
                                            layer.output.shape[1:]))
            first = layer is encoder.layers[1]
            rows.append((name, median_ms(
                layer_timer(tf, layer, shape, not first), repeats)))
    images = tf.random.uniform((256, 28, 28, 1))
    auto.train_on_batch(images, images)
    step = median_ms(lambda: auto.train_on_batch(images, images), repeats)
    return rows, step


def main():
    """Prints a Markdown table: each layer and the step, both routes."""
    options = parse_args()
    sys.path.insert(0, ROOT)
    from mains import startup  # sets TensorFlow's environment first
    import tensorflow as tf
    convolutional = __import__('2-convolutional')
    routes = {'Keras': startup.keras.layers.Conv2D,
              'ours': convolutional.Conv2D}
    results = {route: model_rows(tf, convolutional, layer_class,
                                 options.repeats)
               for route, layer_class in routes.items()}
    print('| layer, batch 256 | Keras Conv2D (ms) | ours (ms) |')
    print('|---|---|---|')
    for (name, keras_ms), (_, our_ms) in zip(results['Keras'][0],
                                             results['ours'][0]):
        print('| {} | {:.1f} | {:.1f} |'.format(name, keras_ms, our_ms))
    print('| whole training step | {:.1f} | {:.1f} |'.format(
        results['Keras'][1], results['ours'][1]))


if __name__ == '__main__':
    main()
