#!/usr/bin/env python3
"""What the four mains share, one module per concern: startup (TensorFlow's
environment, set on importing the package, before TensorFlow starts),
inputs (settings, MNIST, the pipelines), training (the device, the policy,
Ctrl-C, train) and figures. Import it before anything that imports
TensorFlow."""
from mains import startup  # noqa: F401 (sets the environment first)
