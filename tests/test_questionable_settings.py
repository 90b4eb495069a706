"""Questionable but legal settings warn; sensible ones stay silent."""

from __future__ import annotations

import warnings

import pytest
from test_common import TINY_PARAMS

from sktime_har.clustering import DEC, IDEC, DeepSensoryClustering
from sktime_har.datasets import make_activity_windows
from sktime_har.ssl import ConvAutoencoder, DynamicTemperatureSSL, SimCLREncoder, VICRegEncoder
from sktime_har.supervised import TransformerClassifier

TRAINED = [DeepSensoryClustering, DEC, IDEC, SimCLREncoder, VICRegEncoder,
           DynamicTemperatureSSL, ConvAutoencoder, TransformerClassifier]


@pytest.fixture(scope="module")
def small():
    X, y, _ = make_activity_windows(24, n_channels=3, n_timesteps=16, n_classes=3,
                                    random_state=0)
    return X, y


@pytest.mark.parametrize("cls", TRAINED, ids=lambda c: c.__name__)
def test_batch_larger_than_data_warns(cls, small):
    X, y = small
    est = cls(**dict(TINY_PARAMS[cls], batch_size=64))
    with pytest.warns(UserWarning, match=r"batch_size=64 is larger than the 24 training"):
        est.fit(X, y)


@pytest.mark.parametrize("cls", TRAINED, ids=lambda c: c.__name__)
def test_batch_within_data_is_silent(cls, small):
    X, y = small
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cls(**dict(TINY_PARAMS[cls], batch_size=8)).fit(X, y)


def test_fit_on_read_only_windows_is_silent():
    # torch warns once per process about read-only arrays, so check in a fresh one
    import subprocess
    import sys

    code = (
        "import numpy as np, warnings\n"
        "warnings.simplefilter('error')\n"
        "from sktime_har.datasets import make_activity_windows\n"
        "from sktime_har.ssl import SimCLREncoder\n"
        "X, _, _ = make_activity_windows(32, n_timesteps=16, random_state=0)\n"
        "X = X.astype(np.float32); X.flags.writeable = False\n"
        "SimCLREncoder(conv_channels=(4, 4), n_layers=1, n_heads=1, batch_size=16,\n"
        "              max_epochs=1, device='cpu', random_state=0).fit(X).transform(X)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
