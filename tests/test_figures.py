#!/usr/bin/env python3
"""The loss curves: both losses per epoch on a log scale, the seed's printed
epochs as markers, and the note where the seed's run has none."""
import os
import re
import types

import pytest

from conftest import FLOAT, ROOT

from mains import figures


def draw_loss_curve(monkeypatch, history, model_name):
    """Draws a loss curve without saving it; returns its figure."""
    drawn = []
    monkeypatch.setattr(figures, '_save_and_show',
                        lambda figure, filename: drawn.append(figure))
    figures.plot_loss_curve(types.SimpleNamespace(history=history),
                            'loss.png', 'title', 'BCE', model_name)
    return drawn[0]


def test_loss_curve_draws_both_losses_per_epoch(monkeypatch):
    """The curve has loss and val_loss against epochs 1..n, a log scale,
    labelled axes and a legend."""
    figure = draw_loss_curve(monkeypatch, {'loss': [0.3, 0.2, 0.15],
                                           'val_loss': [0.25, 0.18, 0.16]},
                             'vanilla')
    axis = figure.axes[0]
    lines = {line.get_label(): line for line in axis.get_lines()}
    assert list(lines['loss'].get_xdata()) == [1, 2, 3]
    assert list(lines['loss'].get_ydata()) == [0.3, 0.2, 0.15]
    assert list(lines['val_loss'].get_ydata()) == [0.25, 0.18, 0.16]
    assert axis.get_yscale() == 'log'
    assert (axis.get_xlabel(), axis.get_ylabel()) == ('epoch', 'BCE')
    assert [text.get_text() for text in axis.get_legend().get_texts()][
        ::2] == ['loss', 'val_loss']


def seed_log(main):
    """The (epoch, loss, val_loss) rows the seed printed for a main, read
    from the seed's specification."""
    path = os.path.join(ROOT, '..', 'shared', 'seed',
                        '0x04-autoencoders.md')
    if not os.path.exists(path):
        pytest.skip('no ../shared/seed/0x04-autoencoders.md')
    with open(path) as handle:
        text = handle.read()
    block = text.split('$ ./' + main)[1].split('```')[0]
    rows = re.findall(r'Epoch (\d+)/\d+\n.*loss: ({0}) - val_loss: ({0})'
                      .format(FLOAT), block)
    return [(int(epoch), float(loss), float(val_loss))
            for epoch, loss, val_loss in rows]


def markers(figure):
    """The seed's markers on a loss curve: {label: (epochs, values)}."""
    return {line.get_label(): (list(line.get_xdata()),
                               list(line.get_ydata()))
            for line in figure.axes[0].get_lines()
            if line.get_linestyle() == 'None'}


@pytest.mark.parametrize('main, model_name, epochs, count', [
    ('0-main.py', 'vanilla', 50, 10), ('1-main.py', 'sparse', 100, 10),
    ('3-main.py', 'variational', 50, 10), ('0-main.py', 'vanilla', 3, 3),
    ('3-main.py', 'variational', 47, 7)])
def test_loss_curve_marks_the_seeds_printed_epochs(monkeypatch, main,
                                                   model_name, epochs, count):
    """The seed's loss and val_loss stand at the epochs the seed printed,
    with its values, up to the epochs this run reached."""
    figure = draw_loss_curve(monkeypatch, {'loss': [1.0] * epochs,
                                           'val_loss': [1.0] * epochs},
                             model_name)
    expected = [row for row in seed_log(main) if row[0] <= epochs]
    assert len(expected) == count
    suffix = ", the seed's run on TensorFlow 1.12"
    assert markers(figure) == {
        'loss' + suffix: ([row[0] for row in expected],
                          [row[1] for row in expected]),
        'val_loss' + suffix: ([row[0] for row in expected],
                              [row[2] for row in expected])}


def test_convolutional_loss_curve_says_why_it_has_no_markers(monkeypatch):
    """The seed's conv losses fit no BCE: no markers, a note instead."""
    figure = draw_loss_curve(monkeypatch, {'loss': [0.2, 0.1],
                                           'val_loss': [0.2, 0.1]},
                             'convolutional')
    assert markers(figure) == {}
    notes = [text.get_text() for text in figure.texts]
    assert notes == [figures.NO_SEED_LOSSES['convolutional']]
    assert 'fit no binary cross-entropy' in notes[0]
