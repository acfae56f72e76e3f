#!/usr/bin/env python3
"""The computations the grader asks of a student's file: the reference's
weights are set in the student's models, in the order of the reference's
weighted layers, and the student side sends back what the models give on
the run's batch: outputs, the loss, the weights after one step, samples.
Each answer is checked against the protocol on its way in."""
from checker import protocol
from checker.checks import models
from checker.checks.answer import Answer
from checker.checks.sampling import DECODED

PARTS = ('encoder', 'decoder', 'auto')


class Computations:
    """The computation questions of checker.checks.student.StudentFile."""

    def _paired(self, arguments, answer, expected):
        """The arguments of a build and the order of its weighted layers
        against the reference's (expected: a Parts), or a failure."""
        if answer.failure or answer.value.models is None:
            why = 'it does not build with arguments {}'.format(arguments)
            return Answer(failure='not run: {}: {}'.format(
                why, answer.failure or 'it returns no models'),
                from_stack=True, blocks=why)
        found = answer.value.models
        if self.vae and (None in found.encoder.roles or len({
                found.encoder.producers[found.encoder.roles[index]]
                for index in (1, 2)} - {None}) < 2):
            return Answer(failure='Your encoder\'s mean and log-variance '
                          'could not be told apart.')
        order = models.pairing(found, self.vae)
        student_shapes = [
            found[PARTS.index(part)].layers[index]['weights']
            for part, index in order]
        reference_shapes = [[tuple(weight.shape) for weight in layer]
                            for layer in expected.initial]
        if student_shapes != reference_shapes:
            return Answer(failure='Your models\' layers with weights do not '
                          'line up with the reference\'s ({} against {}), so '
                          'its weights cannot be set in yours.'.format(
                              len(student_shapes), len(reference_shapes)))
        return Answer((arguments, order, found))

    def computed_build(self):
        """The build the computations run on: for sparse, with its own
        lambtha; else the task's."""
        return self.build(self.task.computed, 'building for the '
                          'computation') if self.task.computed \
            else self.exercise()

    def paired(self):
        """That build paired with the reference's weights, or a failure."""
        arguments = self.task.computed or self.task.configurations[0] \
            .arguments
        return self._paired(arguments, self.computed_build(),
                            self.reference.values())

    def computed_models(self):
        """The tables of the build the computations run on, or None."""
        answer = self.computed_build()
        return None if answer.failure else answer.value.models

    def _computation(self, paired, ask, stage, check, weights, **message):
        """Asks for one computation with the reference's weights set in
        the student's models."""
        if paired.failure:
            return paired
        arguments, order, _ = paired.value
        sent = [{'part': part, 'layer': index,
                 'values': [protocol.array(values) for values in layer]}
                for (part, index), layer in zip(order, weights)]
        return self.ask(stage, check, arguments, ask=ask,
                        key=repr(arguments), weights=sent, **message)

    def _run(self, paired, weights, inputs, parts, stage, purpose):
        """encoder(x), decoder(code) and auto(x), those of parts asked, with
        weights set; inputs: x and code, drawn from the run's seed."""
        def check(value, found):
            """Arrays: the encoder's outputs, the decoder's, auto's."""
            return protocol.answers.outputs(
                value, parts, len(paired.value[2].encoder.outputs))
        return self._computation(paired, 'outputs', stage, check, weights,
                                 models=list(parts), purpose=purpose,
                                 x=protocol.array(inputs[0]),
                                 code=protocol.array(inputs[1]))

    def outputs(self):
        """encoder(x), decoder(code) and auto(x) with the first weights."""
        expected = self.reference.values()
        return self._run(self.paired(), expected.initial,
                         (expected.x, expected.code), PARTS,
                         'comparing outputs', 'reference')

    def parts(self, arguments, answer):
        """encoder(x) and decoder(code) of a configuration's build, with
        the reference's first weights for it, to hold its tables to."""
        expected = self.reference.parts(arguments)
        return self._run(self._paired(arguments, answer, expected),
                         expected.initial, (expected.x, expected.code),
                         PARTS[:2], 'running the models it describes',
                         'reference')

    def described(self, order, weights, inputs):
        """encoder(x) and decoder(code) of the task's build, with weights
        drawn for the shapes its tables give (order: their layers), to
        hold those tables to what the models compute."""
        arguments = self.task.configurations[0].arguments
        paired = Answer((arguments, order, self.built()))
        return self._run(paired, weights, inputs, PARTS[:2],
                         'running the models it describes', 'described')

    def loss(self):
        """The loss evaluate gives with the weights prepared for it."""
        values = self.reference.values()
        return self._computation(
            self.paired(), 'loss', 'evaluating the loss',
            lambda value, found: protocol.answers.loss(value),
            values.loss_weights, x=protocol.array(values.x))

    def step(self):
        """The weights after one training step from the prepared ones."""
        values = self.reference.values()

        return self._computation(self.paired(), 'step',
                                 'training one step',
                                 lambda value, found: protocol.answers.step(
                                     value, len(values.initial)),
                                 values.step_weights,
                                 x=protocol.array(values.x))

    def sample(self):
        """z over many copies of one input with mean and log_var pinned,
        and auto's output on the first of them."""
        values = self.reference.values()

        def check(value, found):
            """z, one row per copy; auto's output, one row per decoded."""
            return protocol.answers.sample(
                value, (len(values.samples), values.code.shape[1]),
                (DECODED, values.x.shape[1]))
        return self._computation(
            self.paired(), 'sample', 'sampling', check,
            values.sample_weights, x=protocol.array(values.x[:1]),
            copies=len(values.samples), seed=values.sample_seed,
            output=self.roles[0], decoded=DECODED)
