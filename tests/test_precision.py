"""``precision="bf16"`` trains every torch estimator under bfloat16 autocast, close to float32."""

import numpy as np
import pytest
import torch
from _torch_estimators import TORCH_ESTIMATORS, data_for, windows
from test_common import TINY_PARAMS

from sktime_har._training import WindowNet

_X = windows(160)


def _fit(cls, **extra):
    X, y = data_for(cls, 160)
    return cls(**{**TINY_PARAMS[cls], **extra}).fit(X, y), X


def _output(est, X):
    for method in ("transform", "predict_proba", "predict"):
        if hasattr(est, method):
            return np.asarray(getattr(est, method)(X), dtype=float)
    raise AssertionError(type(est).__name__)


@pytest.mark.parametrize("cls", TORCH_ESTIMATORS, ids=lambda c: c.__name__)
def test_bf16_fit_is_finite_repeatable_and_differs_from_fp32(cls):
    assert cls().get_params()["precision"] == "32"
    bf16, X = _fit(cls, precision="bf16")
    again, _ = _fit(cls, precision="bf16")
    out = _output(bf16, X)
    assert np.isfinite(out).all()
    np.testing.assert_array_equal(out, _output(again, X))  # same seed, same result


def test_bf16_losses_track_fp32_and_are_not_identical():
    from sktime_har.ssl import SimCLREncoder

    losses = {p: _fit(SimCLREncoder, precision=p, max_epochs=3)[0].loss_history_
              for p in ("32", "bf16")}
    assert not np.array_equal(losses["32"], losses["bf16"])  # autocast really ran
    np.testing.assert_allclose(losses["bf16"], losses["32"], rtol=0.05)


def test_autocast_runs_the_module_in_bf16_and_returns_float32():
    seen = []
    module = torch.nn.Linear(4, 2)
    module.register_forward_hook(lambda m, i, o: seen.append(o.dtype))
    net = WindowNet(module, criterion=torch.nn.MSELoss, max_epochs=1, batch_size=4,
                    precision="bf16", verbose=0)
    net.initialize()
    out = net.infer(torch.ones(3, 4))
    assert seen == [torch.bfloat16] and out.dtype == torch.float32


@pytest.mark.parametrize("bad", ["16", "fp32", 32, None])
@pytest.mark.parametrize("cls", TORCH_ESTIMATORS, ids=lambda c: c.__name__)
def test_bad_precision_raises(cls, bad):
    with pytest.raises(ValueError, match=r"The 'precision' parameter of \w+ must be '32' "
                                         r"\(float32\) or 'bf16'"):
        _fit(cls, precision=bad)


def test_training_guide_quotes_the_precision_benchmark():
    import json

    from _scripts import ROOT

    rows = {r["estimator"]: r for r in json.loads(
        (ROOT / "benchmarks/results/precision.json").read_text())["rows"]}
    contrastive = [rows[n]["speedup"] for n in rows if n.startswith(
        ("SimCLR", "VICReg", "DynamicTemperatureSSL"))]
    guide = " ".join((ROOT / "docs/user_guide/training.rst").read_text().split())
    assert f"{min(contrastive):.2f}-{max(contrastive):.2f}x for the contrastive" in guide
    dsc = rows["DeepSensoryClustering (pretraining)"]["speedup"]
    assert f"{dsc:.2f}x for the Deep Sensory Clustering pretraining" in guide
    worst = max(r["loss_rel_diff"] for r in rows.values())
    assert f"within {100 * worst:.1f} % of float32" in guide
