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
    params = dict(TINY_PARAMS[cls], batch_size=8)
    if cls is DynamicTemperatureSSL:  # its own autoencoder gets a fitting batch too
        params["autoencoder"] = ConvAutoencoder(**dict(TINY_PARAMS[ConvAutoencoder],
                                                       batch_size=8))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cls(**params).fit(X, y)
