"""A fit interrupted after epoch k and resumed from ResumableCheckpoint equals an uninterrupted fit.

Every torch estimator (from ``all_estimators("torch")``) crashes in its last
training stage, then a fresh estimator with the same parameters resumes from
the checkpoint folder; weights, losses and outputs must be identical.
"""

import numpy as np
import pytest
import torch
from _torch_estimators import TORCH_ESTIMATORS, data_for, fixed_budget, windows
from skorch.callbacks import Callback
from test_verbosity import STAGE_MARKERS

from sktime_har.callbacks import ResumableCheckpoint
from sktime_har.clustering import DeepSensoryClustering

_X = windows(96)


class Crash(Callback):
    """Aborts the whole fit after ``epoch`` epochs of the stage whose name contains ``stage``."""

    def __init__(self, epoch, stage=""):
        self.epoch, self.stage = epoch, stage

    def on_epoch_end(self, net, **kwargs):
        if self.stage in net.stage and len(net.history) == self.epoch:
            raise RuntimeError("simulated crash")


def _data(cls):
    return data_for(cls, 96)


def _params(cls, **extra):
    return fixed_budget(cls, 5, **extra)


def _last_stage(cls):
    # the label of the stage trained last, as the progress bar shows it
    return STAGE_MARKERS[cls][-1].rstrip(":")


def _outputs(est, X):
    out = {}
    for method in ("transform", "predict_proba", "predict"):
        if hasattr(est, method):
            out[method] = np.asarray(getattr(est, method)(X))
    for name in ("loss_history_", "pretrain_loss_history_", "refine_loss_history_"):
        if hasattr(est, name):
            out[name] = np.asarray(getattr(est, name))
    out["weights"] = [p.detach().clone() for p in est.module_.parameters()]
    return out


def _assert_same(a, b):
    assert a.keys() == b.keys()
    for key in a:
        if key == "weights":
            assert all(torch.equal(x, y) for x, y in zip(a[key], b[key], strict=True))
        else:
            np.testing.assert_array_equal(a[key], b[key], err_msg=key)


def _interrupted_then_resumed(cls, tmp_path, stage, epoch, **extra):
    X, y = _data(cls)
    with pytest.raises(RuntimeError, match="simulated crash"):
        cls(**_params(cls, callbacks=[ResumableCheckpoint(tmp_path), Crash(epoch, stage)],
                      **extra)).fit(X, y)
    return cls(**_params(cls, callbacks=[ResumableCheckpoint(tmp_path)], **extra)).fit(X, y)


@pytest.mark.parametrize("cls", TORCH_ESTIMATORS, ids=lambda c: c.__name__)
def test_resumed_fit_equals_uninterrupted_fit(cls, tmp_path):
    X, y = _data(cls)
    reference = _outputs(cls(**_params(cls)).fit(X, y), X)
    stage = _last_stage(cls).split()[-1]  # e.g. "refinement", "pretraining", "probing"
    resumed = _interrupted_then_resumed(cls, tmp_path, stage, 3)
    _assert_same(reference, _outputs(resumed, X))


def test_resume_restores_the_learning_rate_schedule(tmp_path):
    # DSC pretraining decays lr after epoch 2: a crash after epoch 3 resumes past the decay
    extra = dict(lr_decay_epoch=2)
    reference = _outputs(DeepSensoryClustering(**_params(DeepSensoryClustering, **extra))
                         .fit(_X), _X)
    resumed = _interrupted_then_resumed(DeepSensoryClustering, tmp_path, "pretraining", 3,
                                        **extra)
    _assert_same(reference, _outputs(resumed, _X))


class _WeightsOnlyResume(ResumableCheckpoint):
    """A naive resume: weights, optimiser and history, but not the random-number state."""

    def on_train_begin(self, net, X=None, y=None, **kwargs):
        rng = torch.get_rng_state()
        super().on_train_begin(net, X=X, y=y, **kwargs)
        torch.set_rng_state(rng)


def test_the_comparison_catches_a_resume_that_drops_the_rng_state(tmp_path):
    # control: batch order and augmentations after the resume then differ
    from sktime_har.ssl import SimCLREncoder

    cls = SimCLREncoder
    reference = _outputs(cls(**_params(cls)).fit(_X), _X)
    with pytest.raises(RuntimeError):
        cls(**_params(cls, callbacks=[_WeightsOnlyResume(tmp_path), Crash(3)])).fit(_X)
    naive = cls(**_params(cls, callbacks=[_WeightsOnlyResume(tmp_path)])).fit(_X)
    with pytest.raises(AssertionError):
        _assert_same(reference, _outputs(naive, _X))


def test_a_checkpoint_of_another_model_is_refused(tmp_path):
    from sktime_har.ssl import ConvAutoencoder

    params = _params(ConvAutoencoder)
    ConvAutoencoder(**params, callbacks=[ResumableCheckpoint(tmp_path)]).fit(_X)
    other = {**params, "latent_dim": params["latent_dim"] + 1}
    with pytest.raises(ValueError, match="written by a different model"):
        ConvAutoencoder(**other, callbacks=[ResumableCheckpoint(tmp_path)]).fit(_X)


@pytest.mark.parametrize("cls_name, extra", [
    ("SimCLREncoder", dict(validation_fraction=0.25)),
    # the validation loss stalls: early stopping ends the stage at epoch 3 either way
    ("ConvAutoencoder", dict(validation_fraction=0.25, n_iter_no_change=2, lr=1e-12)),
])
def test_resume_keeps_the_validation_split_and_early_stopping(cls_name, extra, tmp_path):
    cls = next(c for c in TORCH_ESTIMATORS if c.__name__ == cls_name)
    reference = _outputs(cls(**_params(cls, **extra)).fit(_X), _X)
    resumed = _interrupted_then_resumed(cls, tmp_path, "", 2, **extra)
    _assert_same(reference, _outputs(resumed, _X))
