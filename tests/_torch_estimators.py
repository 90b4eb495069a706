"""What the per-estimator training tests share: the torch estimators and data fitting each."""

from __future__ import annotations

from functools import cache

import numpy as np
from sklearn.base import ClassifierMixin
from test_verbosity import FEATURE_ESTIMATORS

from sktime_har.datasets import make_activity_windows
from sktime_har.ssl import ConvAutoencoder
from sktime_har.utils.discovery import all_estimators

TORCH_ESTIMATORS = [cls for _, cls in all_estimators("torch")]


@cache
def _windows(n: int):
    X, y, _ = make_activity_windows(n, n_channels=6, n_timesteps=32, random_state=0)
    X = X.astype(np.float32)
    return X, y, np.concatenate([X.mean(axis=2), X.std(axis=2)], axis=1)


def windows(n: int = 96) -> np.ndarray:
    """``n`` synthetic float32 windows of 6 channels x 32 timesteps."""
    return _windows(n)[0]


def data_for(cls, n: int = 96):
    """``(X, y)`` for ``cls``: windows (features for the feature heads), labels for classifiers."""
    X, y, features = _windows(n)
    return (features if cls in FEATURE_ESTIMATORS else X,
            y if issubclass(cls, ClassifierMixin) else None)


def fixed_budget(cls, epochs: int, **extra) -> dict:
    """``cls``'s tiny parameters with ``extra``, every stage trained for exactly ``epochs``."""
    from test_common import TINY_PARAMS

    params = {**TINY_PARAMS[cls], **extra}
    for name in ("max_epochs", "pretrain_epochs", "max_refine_epochs"):
        if name in params:
            params[name] = epochs
    if "tol" in params:
        params["tol"] = 0.0  # refinement runs all its epochs
    if "autoencoder" in cls().get_params():
        # the default inner autoencoder trains 50 epochs, long enough for float32
        # kernel differences between CPUs to change its features, and so the losses
        params["autoencoder"] = ConvAutoencoder(
            conv_channels=params.get("conv_channels", (4, 4, 4)),
            kernel_size=params.get("kernel_size", 1), batch_size=16, max_epochs=epochs,
            device="cpu")
    return params
