#!/usr/bin/env python3
"""The computation checks, one method each, named after its key in
checker/checks.py: the reference's weights copied into the student's
models, then outputs, sampling, the loss and one training step compared
by checker/computation.py."""
from checker import computation, models


class Behaviour:
    """The checks that run the student's models on data."""

    def check_outputs(self, configuration):
        """Sets up the pair of models, then compares predict's outputs."""
        arguments = self.task.computed or configuration.arguments
        built = self.built
        if self.task.computed:
            built, error = self.build(arguments,
                                      'building for the computation')
            if error:
                self.reasons['outputs'] = ('it does not build with arguments '
                                           '{}'.format(arguments))
                return None, 'not run: it does not build with arguments {}: ' \
                    '{}'.format(arguments, error[1])
        self.arguments = arguments
        self.x = computation.fixed_batch(arguments[0])
        self.pair = self.make_pair(built, self.reference.models(
            arguments, fresh=True))
        value, error = self.student.run(
            'comparing outputs', computation.outputs_check, self.task,
            self.pair, getattr(self, 'roles', None), self.x)
        return value if error is None else (False, error[1])

    def check_spread(self, configuration):
        """z spreads as exp(log_var / 2) around the mean."""
        value, error = self.student.run('sampling',
                                        computation.sampling_checks,
                                        self.pair, self.roles, self.x)
        if error:
            self.sampled = (None, 'not run: sampling fails')
            return False, error[1]
        spread, self.sampled = value
        return spread

    def check_decodes_z(self, configuration):
        """auto decodes the sample z, not the mean."""
        return self.sampled

    def check_loss_value(self, configuration):
        """evaluate's loss agrees with the reference's under each accepted
        variant of it."""
        variants = [('', self.pair)] + self.variants(len(self.x))
        value, error = self.student.run(
            'evaluating the loss', computation.loss_check, self.task,
            variants, self.x,
            self.arguments[3] if self.task.name == 'sparse' else None)
        if error:
            self.reasons['loss value'] = 'evaluate fails'
            return False, error[1]
        verdict, self.matching = value
        return verdict

    def check_step(self, configuration):
        """The weights after one training step agree with the reference's."""
        computation.prepare_step(self.task, self.matching)
        value, error = self.student.run('training one step',
                                        computation.step_check,
                                        self.matching, self.x)
        return value if error is None else (False, error[1])

    def variants(self, batch_size):
        """The other losses accepted as the reference's: for sparse, the L1
        penalty averaged over the batch, as keras.regularizers.l1 is on
        Keras 2.x and 3, beside the task's sum."""
        if self.task.name != 'sparse':
            return []
        arguments = self.arguments
        averaged = self.make_pair(self.pair.theirs, self.reference.models(
            arguments[:3] + (arguments[3] / batch_size,), fresh=True))
        models.copy_weights(averaged.our_layers, self.pair.our_layers)
        averaged.initial = self.pair.initial
        return [('Your penalty is keras.regularizers.l1(lambtha), which '
                 'Keras 2.x and 3 average over the batch; TensorFlow 1.12, '
                 'the task\'s, summed it. That comes from the stack, not '
                 'from you.', averaged)]

    def make_pair(self, theirs, ours):
        """Lines up their weighted layers with ours: for the VAE, their
        mean and log-variance layers as their sampling uses them."""
        first = ()
        if self.task.name == 'variational':
            outputs = theirs[0].outputs
            first = (models.producer(outputs[self.roles[1]]),
                     models.producer(outputs[self.roles[2]]))
        their_encoder = models.weighted_layers(theirs[0], first)
        our_encoder = models.weighted_layers(ours[0])
        return computation.Pair(
            theirs, ours, their_encoder + models.weighted_layers(theirs[1]),
            our_encoder + models.weighted_layers(ours[1]), len(our_encoder))
