#!/usr/bin/env python3
"""Times every epoch, and every call of 47 steps inside it, of a main's
training in fresh processes, one setting at a time in turns, to find what
switches the epoch between its fast and its slow rate.

    MNIST_PATH=../shared/data/mnist.npz ./benchmarks/epoch_rates.py \\
        --main 2-main.py --processes 6 --epochs 5 default interop1 ...

Each setting changes one thing in the mains as shipped (`--list` names
them; `default` changes nothing). Each process's steady epochs (all but
the first) go to stderr with the seconds of each call and of the
validation pass; then, per setting, the min, median and max of those
epochs over all processes, and how many had a call at least 1.4 times
slower than the epoch's fastest: a switch inside the epoch.
"""
import argparse
import gc
import os
import re
import statistics
import sys
import time

from shared import ROOT, fresh_process

# Each setting: environment variables for the child, and what the child
# changes in the main's training before it starts.
SETTINGS = {
    'default': ({}, 'nothing'),
    'interop1': ({'TF_NUM_INTEROP_THREADS': '1'}, 'nothing'),
    'intraop1': ({'TF_NUM_INTRAOP_THREADS': '1'}, 'nothing'),
    'data_threads1': ({}, 'tf.data private thread pool of 1'),
    'autotune_on': ({}, "tf.data autotune on, TensorFlow's default"),
    'steps1': ({}, '1 step per call'),
    'steps5': ({}, '5 steps per call'),
    'depthwise_off': ({}, "Keras' own Conv2D"),
    'no_validation': ({}, 'no validation pass'),
    'gc_off': ({}, 'gc.disable() during fit'),
}
SWITCH = 1.4  # a call this much slower than the epoch's fastest


def change_training(setting):
    """In the child: applies the setting to the mains' package and the builder,
    and adds the timing callback, before the main runs."""
    import tensorflow as tf
    from mains import figures, inputs, startup, training
    keras = startup.keras

    class Timed(training.StopOnCtrlC):
        """Ctrl-C as the main has it, plus a line per call and per epoch."""

        def on_train_batch_end(self, batch, logs=None):
            """Stamps the end of one call of steps."""
            print('CALL', time.perf_counter(), file=sys.stderr, flush=True)

        def on_epoch_end(self, epoch, logs=None):
            """Stamps the end of an epoch, validation included."""
            print('EPOCH', time.perf_counter(), file=sys.stderr, flush=True)

    training.StopOnCtrlC = Timed
    batches = inputs.batches

    def changed_batches(x_train, x_test):
        """The main's pipelines, with the setting's tf.data options."""
        pipeline, validation = batches(x_train, x_test)
        options = tf.data.Options()
        if setting == 'data_threads1':
            options.threading.private_threadpool_size = 1
        if setting == 'autotune_on':
            options.autotune.enabled = True
            validation = validation.with_options(options)
        pipeline = pipeline.with_options(options)
        return pipeline, None if setting == 'no_validation' else validation

    inputs.batches = changed_batches
    if setting in ('steps1', 'steps5'):
        training.STEPS_PER_CALL = int(setting[5:])
    if setting == 'depthwise_off':
        __import__('2-convolutional').Conv2D = keras.layers.Conv2D
    if setting == 'gc_off':
        gc.disable()
    for name in dir(figures):
        if name.startswith('plot_'):
            setattr(figures, name, lambda *args, **kwargs: None)


def child(main, setting):
    """Runs the main in this process with the setting applied."""
    import runpy
    sys.path.insert(0, ROOT)
    change_training(setting)
    sys.argv = [main]
    runpy.run_path(os.path.join(ROOT, main), run_name='__main__')


def run_once(main, setting, epochs):
    """Runs one fresh process; returns, for each steady epoch, (seconds,
    its calls' seconds, the validation pass's seconds), each epoch timed
    from the end of the one before."""
    environment = dict(os.environ, EPOCHS=str(epochs), MPLBACKEND='Agg',
                       **SETTINGS[setting][0])
    output = fresh_process(__file__, ['--child', main, setting],
                           env=environment).stderr
    stamps = [(kind, float(value)) for kind, value in
              re.findall(r'^(CALL|EPOCH) (\S+)$', output, re.M)]
    if not stamps:
        sys.exit('the child failed:\n' + output[-3000:])
    seen, calls, last, start = [], [], None, None
    for kind, value in stamps:
        if kind == 'CALL' and last is not None:
            calls.append(value - last)
        if kind == 'EPOCH' and start is not None:
            seen.append((value - start, calls, value - last))
        if kind == 'EPOCH':
            start, calls = value, []
        last = value
    return seen


def summary(name, epochs):
    """One table row: the steady epochs' spread and the switches inside."""
    seconds = sorted(duration for duration, _, _ in epochs)
    switches = sum(1 for _, calls, _ in epochs
                   if calls and max(calls) >= SWITCH * min(calls))
    return '| {} | {} | {:.2f} | {:.2f} | {:.2f} | {:.2f} | {} of {} |'.format(
        name, SETTINGS[name][1], seconds[0], statistics.median(seconds),
        seconds[-1], seconds[-1] / seconds[0], switches, len(epochs))


def main():
    """Runs the settings in turns and prints the table."""
    if sys.argv[1:2] == ['--child']:
        return child(*sys.argv[2:4])
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('settings', nargs='*', default=['default'])
    parser.add_argument('--main', default='2-main.py')
    parser.add_argument('--processes', type=int, default=6)
    parser.add_argument('--epochs', type=int, default=5)
    parser.add_argument('--list', action='store_true')
    arguments = parser.parse_args()
    if arguments.list:
        for name, (environment, change) in SETTINGS.items():
            print(name, environment or '', change)
        return
    if not os.path.isfile(os.environ.get('MNIST_PATH', '')):
        sys.exit('error: MNIST_PATH must name a local mnist.npz')
    epochs = {name: [] for name in arguments.settings}
    for _ in range(arguments.processes):
        for name in arguments.settings:
            seen = run_once(arguments.main, name, arguments.epochs)
            print(name, ' / '.join(
                '{:.2f} (calls {}; validation {:.2f})'.format(
                    duration, ', '.join('{:.2f}'.format(call)
                                        for call in calls), validation)
                for duration, calls, validation in seen),
                file=sys.stderr, flush=True)
            epochs[name] += seen
    print('| setting | change | min (s) | median (s) | max (s) | max / min '
          '| epochs with a switch inside |')
    print('|---|---|---|---|---|---|---|')
    for name in arguments.settings:
        print(summary(name, epochs[name]), flush=True)


if __name__ == '__main__':
    main()
