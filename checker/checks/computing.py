#!/usr/bin/env python3
"""The computations the grader asks of a student's file: the reference's
weights are set in the student's models, in the order of the reference's
weighted layers, and the student side sends back what the models give on
the run's batch: outputs, the loss, the weights after one step, samples.
Each answer is checked against the protocol on its way in."""
from checker import protocol
from checker.checks import models
from checker.checks.answer import Answer
from checker.checks.computation import DECODED


class Computations:
    """The computation questions of checker.checks.student.StudentFile."""

    def _computed(self):
        """The build the computations run on (for sparse, its own lambtha)
        and the order of its weighted layers against the reference's."""
        arguments = self.task.computed or self.task.configurations[0] \
            .arguments
        answer = self.build(arguments, 'building for the computation') \
            if self.task.computed else self.exercise()
        if answer.failure or answer.value.models is None:
            why = 'it does not build with arguments {}'.format(arguments)
            return Answer(failure='not run: {}: {}'.format(
                why, answer.failure or 'it returns no models'),
                from_stack=True, blocks=why)
        found = answer.value.models
        order = models.pairing(found, self.vae)
        values = self.reference.values(self.seed)
        theirs = [found[('encoder', 'decoder').index(part)].layers[index][
            'weights'] for part, index in order]
        ours = [[tuple(weight.shape) for weight in layer]
                for layer in values.initial]
        if theirs != ours:
            return Answer(failure='Your models\' layers with weights do not '
                          'line up with the reference\'s ({} against {}), so '
                          'its weights cannot be set in yours.'.format(
                              len(theirs), len(ours)))
        return Answer((repr(arguments), order))

    def _computation(self, ask, stage, check, weights, **message):
        """Asks for one computation with the reference's weights set in
        the student's models."""
        computed = self._computed()
        if computed.failure:
            return computed
        key, order = computed.value
        sent = [{'part': part, 'layer': index,
                 'values': [protocol.array(values) for values in layer]}
                for (part, index), layer in zip(order, weights)]
        return self.ask(stage, check, ask=ask, key=key, weights=sent,
                        **message)

    def outputs(self):
        """encoder(x), decoder(code) and auto(x) with the first weights."""
        def check(value, found):
            """Arrays: the encoder's outputs, the decoder's, auto's."""
            value = protocol.mapping(value, ('encoder', 'decoder', 'auto'),
                                     'the outputs')
            return {'encoder': [protocol.to_array(entry, what='an output')
                                for entry in protocol.items(
                                    value['encoder'], 'outputs', 16)],
                    'decoder': protocol.to_array(value['decoder'],
                                                 what='an output'),
                    'auto': protocol.to_array(value['auto'],
                                              what='an output')}
        values = self.reference.values(self.seed)
        return self._computation('outputs', 'comparing outputs', check,
                                 values.initial, x=protocol.array(values.x),
                                 code=protocol.array(values.code))

    def loss(self):
        """The loss evaluate gives with the weights prepared for it."""
        values = self.reference.values(self.seed)
        return self._computation(
            'loss', 'evaluating the loss',
            lambda value, found: protocol.number(value, 'a loss'),
            values.loss_weights, x=protocol.array(values.x))

    def step(self):
        """The weights after one training step from the prepared ones."""
        values = self.reference.values(self.seed)

        def check(value, found):
            """A list of arrays per layer, as many layers as were sent."""
            layers = protocol.items(value, 'layers', 100)
            if len(layers) != len(values.initial):
                raise protocol.Invalid('weights of {} layers, {} were sent'
                                       .format(len(layers),
                                               len(values.initial)))
            return [[protocol.to_array(entry, what='a weight')
                     for entry in protocol.items(layer, 'weights', 16)]
                    for layer in layers]
        return self._computation('step', 'training one step', check,
                                 values.step_weights,
                                 x=protocol.array(values.x))

    def sample(self):
        """z over many copies of one input with mean and log_var pinned,
        and auto's output on the first of them."""
        values = self.reference.values(self.seed)

        def check(value, found):
            """z, one row per copy; auto's output, one row per decoded."""
            value = protocol.mapping(value, ('z', 'auto'), 'a sample')
            return {'z': protocol.to_array(value['z'], (len(values.samples),
                                                        None), 'z'),
                    'auto': protocol.to_array(value['auto'], (DECODED, None),
                                              'auto\'s output')}
        return self._computation(
            'sample', 'sampling', check, values.sample_weights,
            x=protocol.array(values.x[:1]), copies=len(values.samples),
            seed=values.sample_seed, output=self.roles[0], decoded=DECODED)
