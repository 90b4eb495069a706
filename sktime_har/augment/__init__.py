"""Batched, vectorised time-series augmentations in torch (paper 001 / CSSHAR).

All functions take a batch ``x`` of shape ``(B, C, T)`` on any device, return a new
tensor of the same shape, dtype and device, and draw their randomness from torch's
global generator or from an optional ``generator``.
"""

from sktime_har.augment.augmenter import Augmenter
from sktime_har.augment.jitter import jitter
from sktime_har.augment.permutation import permute
from sktime_har.augment.rotation import random_rotation_matrices, rotate
from sktime_har.augment.scaling import scale
from sktime_har.augment.time_shift import time_shift

__all__ = [
    "Augmenter",
    "jitter",
    "permute",
    "random_rotation_matrices",
    "rotate",
    "scale",
    "time_shift",
]
