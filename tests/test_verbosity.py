"""``verbose=0`` is silent; ``verbose=1`` shows progress for every training stage.

Every torch estimator is fitted with its tiny test parameters and then used
for inference. With ``verbose=0`` nothing may reach stdout or stderr (checked
at the file-descriptor level, so C-level and tqdm output count too) and no
warning may be emitted. With ``verbose=1`` each long stage must announce
itself: a progress bar labelled with the stage name (and, for the clustering
estimators, their stage lines), so a two-stage fit such as
``DynamicTemperatureSSL`` (autoencoder, then contrastive pretraining) shows
two labelled bars.
"""

import re
import warnings

import numpy as np
import pytest
from sklearn.base import ClassifierMixin
from test_common import TINY_PARAMS

from sktime_har.clustering import DEC, IDEC, DeepSensoryClustering
from sktime_har.datasets import make_activity_windows
from sktime_har.evaluation import MLPHeadClassifier
from sktime_har.inspection import LinearProbe
from sktime_har.ssl import ConvAutoencoder, DynamicTemperatureSSL, SimCLREncoder, VICRegEncoder
from sktime_har.supervised import TransformerClassifier
from sktime_har.utils.discovery import all_estimators

_CLUSTERING_STAGES = ("stage I", "pretraining:", "stage II", "refinement:")

#: Text each long stage must print with verbose=1 (bar labels end in ":").
STAGE_MARKERS = {
    DeepSensoryClustering: _CLUSTERING_STAGES,
    DEC: _CLUSTERING_STAGES,
    IDEC: _CLUSTERING_STAGES,
    SimCLREncoder: ("SimCLREncoder pretraining:",),
    VICRegEncoder: ("VICRegEncoder pretraining:",),
    DynamicTemperatureSSL: ("ConvAutoencoder training:", "DynamicTemperatureSSL pretraining:"),
    ConvAutoencoder: ("ConvAutoencoder training:",),
    TransformerClassifier: ("TransformerClassifier training:",),
    LinearProbe: ("linear probing:",),
    MLPHeadClassifier: ("MLP head training:",),
}
FEATURE_ESTIMATORS = (LinearProbe, MLPHeadClassifier)
OUTPUT_METHODS = ("transform", "predict", "predict_proba")

# More windows than any batch size in play (including the 128 of the autoencoder
# that DynamicTemperatureSSL builds by default), so no batch-size warning is due.
_X, _Y, _ = make_activity_windows(160, n_channels=6, n_timesteps=32, random_state=0)
_X = _X.astype(np.float32)
_FEATURES = np.concatenate([_X.mean(axis=2), _X.std(axis=2)], axis=1)


def _fit_and_use(cls, verbose):
    X = _FEATURES if cls in FEATURE_ESTIMATORS else _X
    y = _Y if issubclass(cls, ClassifierMixin) else None
    estimator = cls(**{**TINY_PARAMS[cls], "verbose": verbose}).fit(X, y)
    for method in OUTPUT_METHODS:
        if hasattr(estimator, method):
            getattr(estimator, method)(X)


def _run_captured(capfd, cls, verbose):
    capfd.readouterr()  # drop anything printed before this call
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        _fit_and_use(cls, verbose)
    out, err = capfd.readouterr()
    return out, err, [f"{w.category.__name__}: {w.message}" for w in caught]


def test_every_torch_estimator_is_covered():
    assert set(STAGE_MARKERS) == {cls for _, cls in all_estimators("torch")}
    assert set(STAGE_MARKERS) <= set(TINY_PARAMS)
    for cls in STAGE_MARKERS:
        assert "verbose" in cls().get_params(), cls.__name__


@pytest.mark.parametrize("cls", list(STAGE_MARKERS), ids=lambda c: c.__name__)
def test_verbose_0_is_silent(capfd, cls):
    out, err, caught = _run_captured(capfd, cls, verbose=0)
    assert out == ""
    assert err == ""
    assert caught == []


@pytest.mark.parametrize("cls", list(STAGE_MARKERS), ids=lambda c: c.__name__)
def test_verbose_1_shows_each_stage(capfd, cls):
    out, err, caught = _run_captured(capfd, cls, verbose=1)
    text = out + err
    for marker in STAGE_MARKERS[cls]:
        assert marker in text, f"{marker!r} missing from {cls.__name__}'s verbose output"
    # the labelled tqdm bars go to stderr, skorch's epoch table to stdout
    assert "it/s" in err
    assert "train_loss" in out
    # each bar says the epoch and, from the first batch on, the stage's ETA
    assert re.search(r"epoch=1/\d+", err)
    assert re.search(r"eta=\d+:\d\d:\d\d", err)
    assert caught == []
