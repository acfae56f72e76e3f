#!/usr/bin/env python3
"""What the four mains share, one module per concern: startup (TensorFlow's
environment, set before TensorFlow starts), inputs (settings, MNIST, the
pipelines), training (the device, the policy, Ctrl-C, train), figures,
and stack (what the mains, the checker and the tests know of the stack).
Import inputs or training before anything that imports TensorFlow."""
