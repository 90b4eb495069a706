"""One rule per hyperparameter, the same in every estimator (``sktime_har.utils._params``).

Each rule is exercised on every estimator that has the parameter, found from
``get_params()``, so an estimator gaining the parameter is covered without
editing this file.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from sklearn.base import ClassifierMixin
from test_common import TINY_PARAMS

from sktime_har.datasets import make_activity_windows
from sktime_har.evaluation import MLPHeadClassifier
from sktime_har.inspection import ChannelOcclusion, LinearProbe
from sktime_har.preprocessing import ChannelStandardScaler

N_CHANNELS, N_TIMESTEPS = 6, 16
FEATURE_ESTIMATORS = (LinearProbe, MLPHeadClassifier)
_X, _Y, _ = make_activity_windows(32, n_channels=N_CHANNELS, n_timesteps=N_TIMESTEPS,
                                  n_classes=3, random_state=0)
_X = _X.astype(np.float32)
_FEATURES = _X.mean(axis=2)


def _having(param):
    return [cls for cls in TINY_PARAMS if param in cls().get_params()]


def _fit(cls, **overrides):
    X = _FEATURES if cls in FEATURE_ESTIMATORS else _X
    y = _Y if issubclass(cls, ClassifierMixin) else None
    return cls(**dict(TINY_PARAMS[cls], **overrides)).fit(X, y)


def _ids(cls):
    return cls.__name__


def test_every_rule_reaches_estimators():
    # guards the parametrisations below against an empty list after a rename
    for param in ("verbose", "max_epochs", "kernel_size", "channel_groups", "norm_first"):
        assert _having(param), param


@pytest.mark.parametrize("cls", _having("verbose"), ids=_ids)
@pytest.mark.parametrize("bad", [-1, 1.5, "yes", None])
def test_verbose_must_be_a_non_negative_int(cls, bad):
    message = (rf"The 'verbose' parameter of {cls.__name__} must be an int in the range "
               r"\[0, inf\) or an instance of 'bool'")
    with pytest.raises(ValueError, match=message):
        _fit(cls, verbose=bad)


@pytest.mark.parametrize("cls", _having("verbose"), ids=_ids)
def test_verbose_false_is_silent(cls, capsys):
    _fit(cls, verbose=False)
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("cls", _having("max_epochs"), ids=_ids)
def test_max_epochs_zero_gives_a_usable_untrained_model(cls):
    # the random-encoder baseline: no epoch runs, the model still predicts
    extra = {"min_steps": 0} if cls is MLPHeadClassifier else {}
    est = _fit(cls, max_epochs=0, **extra)
    assert not [e for e in getattr(est, "history_", []) if "train_loss" in e]
    method = "transform" if hasattr(est, "transform") else "predict_proba"
    X = _FEATURES if cls in FEATURE_ESTIMATORS else _X
    out = getattr(est, method)(X)
    assert len(out) == len(X) and np.isfinite(out).all()


@pytest.mark.parametrize("cls", _having("max_epochs"), ids=_ids)
@pytest.mark.parametrize("bad", [-1, 2.0, True])
def test_max_epochs_must_be_a_non_negative_int(cls, bad):
    with pytest.raises(ValueError, match=rf"The 'max_epochs' parameter of {cls.__name__} must "
                                         r"be an int in the range \[0, inf\)\. Got"):
        _fit(cls, max_epochs=bad)


@pytest.mark.parametrize("cls", _having("kernel_size"), ids=_ids)
def test_kernel_longer_than_the_window_is_rejected(cls):
    with pytest.raises(ValueError, match=rf"kernel_size=17 is longer than the windows "
                                         rf"\({N_TIMESTEPS} timesteps\)"):
        _fit(cls, kernel_size=N_TIMESTEPS + 1)


@pytest.mark.parametrize("cls", _having("kernel_size"), ids=_ids)
def test_kernel_as_long_as_the_window_is_accepted(cls):
    _fit(cls, kernel_size=N_TIMESTEPS)


_BAD_GROUPS = [
    ({"acc": [0, 1, 9]}, r"channel_groups\['acc'\] names channel 9, but the windows have 6"),
    ({"acc": [0, 0, 1]}, "lists a channel twice"),
    ({"acc": []}, "non-empty list of integer"),
    ({"acc": "012"}, "must be a list of channel indices"),
    ([0, 1, 2], "must be an instance of .collections.abc.Mapping. or None"),
]


@pytest.mark.parametrize("cls", _having("channel_groups"), ids=_ids)
@pytest.mark.parametrize(("groups", "message"), _BAD_GROUPS)
def test_channel_groups_are_checked_at_fit_even_when_unused(cls, groups, message):
    # no rotation in the tiny configs and no group in ChannelOcclusion's: unused
    with pytest.raises(ValueError, match=message):
        _fit(cls, channel_groups=groups)


@pytest.mark.parametrize("cls", _having("channel_groups"), ids=_ids)
def test_valid_channel_groups_are_accepted(cls):
    _fit(cls, channel_groups={"acc": [0, 1, 2], "gyro": [3, 4, 5]})


def test_channel_occlusion_group_from_valid_groups():
    occ = ChannelOcclusion(group="gyro", channel_groups={"acc": [0, 1, 2], "gyro": [3, 4, 5]},
                           random_state=0).fit(_X)
    assert occ.occluded_channels_.tolist() == [3, 4, 5]


_SWITCHES = [(cls, name) for name in ("norm_first", "refine", "warm_start", "with_mean",
                                      "with_std") for cls in _having(name)]


@pytest.mark.parametrize(("cls", "name"), _SWITCHES, ids=lambda v: getattr(v, "__name__", v))
@pytest.mark.parametrize("bad", ["yes", 1, None])
def test_switches_take_only_true_or_false(cls, name, bad):
    with pytest.raises(ValueError, match=rf"The '{name}' parameter of {cls.__name__} must be an "
                                         rf"instance of 'bool'.*Got {re.escape(repr(bad))}"):
        _fit(cls, **{name: bad})


def test_scaler_switches_accept_numpy_bools():
    scaler = ChannelStandardScaler(with_mean=np.False_, with_std=np.True_).fit(_X)
    assert np.all(scaler.mean_ == 0)


_CLASSIFIERS = [cls for cls in TINY_PARAMS if issubclass(cls, ClassifierMixin)]


@pytest.mark.parametrize("cls", _CLASSIFIERS, ids=_ids)
def test_classifiers_need_two_classes(cls):
    X = _FEATURES if cls in FEATURE_ESTIMATORS else _X
    with pytest.raises(ValueError, match="needs at least 2 classes in y; got only 'walk'"):
        cls(**TINY_PARAMS[cls]).fit(X, np.full(len(X), "walk"))


def test_every_parameter_of_every_public_estimator_has_a_constraint():
    # scikit-learn validates only the parameters named in _parameter_constraints
    from sktime_har.utils.discovery import all_estimators

    for name, cls in all_estimators():
        missing = set(cls().get_params(deep=False)) - set(cls._parameter_constraints)
        assert not missing, f"{name} declares no constraint for {sorted(missing)}"


@pytest.mark.parametrize("cls", list(TINY_PARAMS), ids=_ids)
def test_an_invalid_parameter_is_refused_before_any_training(cls, monkeypatch):
    # the constraints are checked at the start of fit: no net is built for a bad value
    from sktime_har._training import _engine

    def no_training(*args, **kwargs):
        raise AssertionError("training started")

    monkeypatch.setattr(_engine.TorchEstimatorMixin, "_train_net", no_training)
    name, value = next(iter(cls._parameter_constraints)), object()
    with pytest.raises((ValueError, TypeError), match=f"The '{name}' parameter of"):
        _fit(cls, **{name: value})
