"""``validation_fraction``: a held-out share of the windows, a validation loss, early stopping."""

import numpy as np
import pytest
from _torch_estimators import TORCH_ESTIMATORS, data_for, windows
from test_common import TINY_PARAMS

from sktime_har.ssl import ConvAutoencoder, SimCLREncoder

_X = windows(96)


def _fit(cls, **extra):
    X, y = data_for(cls, 96)
    return cls(**{**TINY_PARAMS[cls], **extra}).fit(X, y), X


@pytest.mark.parametrize("cls", TORCH_ESTIMATORS, ids=lambda c: c.__name__)
def test_validation_split_records_a_validation_loss(cls):
    params = cls().get_params()
    assert params["validation_fraction"] is None and params["n_iter_no_change"] == 10
    est, X = _fit(cls, validation_fraction=0.25)
    if hasattr(est, "history_"):
        losses = [epoch["valid_loss"] for epoch in est.history_]
        assert losses and np.isfinite(losses).all()
    for method in ("transform", "predict_proba"):
        if hasattr(est, method):
            assert np.isfinite(getattr(est, method)(X)).all()
    again, _ = _fit(cls, validation_fraction=0.25)
    for method in ("transform", "predict_proba", "predict"):
        if hasattr(est, method):  # the split is drawn from random_state: repeatable
            np.testing.assert_array_equal(getattr(est, method)(X), getattr(again, method)(X))


def test_training_stops_when_the_validation_loss_stalls():
    # a learning rate too small to change the (noise-free) validation reconstruction
    # loss: no epoch improves on the first
    est, _ = _fit(ConvAutoencoder, max_epochs=30, lr=1e-12, validation_fraction=0.25,
                  n_iter_no_change=2)
    assert len(est.history_) == 3  # the first epoch, then 2 without improvement
    full, _ = _fit(ConvAutoencoder, max_epochs=5, lr=1e-12)
    assert len(full.history_) == 5  # without a validation split: the whole budget


@pytest.mark.parametrize("bad", [0, 1, 1.5, -0.1, "0.1", True])
@pytest.mark.parametrize("cls", TORCH_ESTIMATORS, ids=lambda c: c.__name__)
def test_bad_validation_fraction_raises(cls, bad):
    with pytest.raises(ValueError, match=r"The 'validation_fraction' parameter of \w+ must be "
                                         r"a float in the range \(0.0, 1.0\) or None"):
        _fit(cls, validation_fraction=bad)


def test_bad_patience_and_a_split_that_leaves_nothing_raise():
    with pytest.raises(ValueError, match="n_iter_no_change"):
        _fit(SimCLREncoder, validation_fraction=0.2, n_iter_no_change=0)
    with pytest.raises(ValueError, match="leaves none to train on"):
        SimCLREncoder(**{**TINY_PARAMS[SimCLREncoder], "validation_fraction": 0.9}).fit(_X[:2])


def test_a_split_by_groups_holds_out_whole_groups():
    import torch
    from skorch.dataset import Dataset

    from sktime_har._training._split import RandomValidationSplit

    groups = np.repeat(np.arange(10), 7)  # 10 subjects of 7 windows
    X = torch.arange(70).float()[:, None]
    train, valid = RandomValidationSplit(0.3, seed=3, groups=groups)(Dataset(X))
    held_out = set(groups[valid.X[:, 0].long().numpy()])
    kept = set(groups[train.X[:, 0].long().numpy()])
    assert len(held_out) == 3 and not held_out & kept and len(held_out | kept) == 10
    with pytest.raises(ValueError, match="of 1 groups leaves none to train on"):
        RandomValidationSplit(0.3, groups=np.zeros(70))(Dataset(X))


@pytest.mark.parametrize("cls", TORCH_ESTIMATORS, ids=lambda c: c.__name__)
def test_every_torch_estimator_splits_by_the_groups_it_is_given(cls):
    from skorch.callbacks import Callback

    class RecordSplit(Callback):
        def __init__(self, sink):
            self.sink = sink

        def on_train_begin(self, net, X=None, **kwargs):
            train, valid = net.get_split_datasets(X)
            self.sink((len(train), len(valid)))

    X, y = data_for(cls, 96)
    groups = np.repeat(np.arange(8), 12)  # 8 subjects of 12 windows
    splits = []
    est = cls(**{**TINY_PARAMS[cls], "validation_fraction": 0.25,
                 "callbacks": [RecordSplit(splits.append)]})
    est.fit(X, y, groups=groups)
    # every stage holds out 2 of the 8 subjects: 24 windows
    assert splits and all(n_valid == 24 for _, n_valid in splits), splits
    with pytest.raises(ValueError, match="one group per window"):
        cls(**{**TINY_PARAMS[cls], "validation_fraction": 0.25}).fit(X, y, groups=groups[:-1])
