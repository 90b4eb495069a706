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


@pytest.mark.parametrize("bad", ["fp16", "fp32", 32, None])
@pytest.mark.parametrize("cls", TORCH_ESTIMATORS, ids=lambda c: c.__name__)
def test_bad_precision_raises(cls, bad):
    with pytest.raises(ValueError, match=r"The 'precision' parameter of \w+ must be '32' "
                                         r"\(float32\), 'bf16' .* or '16'"):
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


@pytest.mark.parametrize("cls", TORCH_ESTIMATORS, ids=lambda c: c.__name__)
def test_float16_needs_cuda(cls):
    # this machine's fits run on the CPU: float16 is refused with the alternative named
    with pytest.raises(ValueError, match=r"precision='16' .* needs a CUDA device.*'bf16'"):
        _fit(cls, precision="16")


@pytest.mark.parametrize("net_class", ["WindowNet", "ContrastiveNet"])
def test_float16_training_scales_the_loss_and_steps_like_float32(net_class):
    # the net-level float16 path (autocast, loss scaling, unscaled steps) runs on a CPU
    # as it would on CUDA, so it is tested here directly; estimators refuse it on CPU.
    # A scale of 256 never overflows here, so no step is skipped and float16 must follow
    # float32 up to rounding; gradients left scaled would take steps 256 times too long.
    import torch

    from sktime_har._training import ContrastiveNet, WindowNet

    def fit(precision, init_scale=None):
        torch.manual_seed(0)
        X = torch.randn(64, 4)
        common = dict(lr=0.05, max_epochs=5, batch_size=16, verbose=0, precision=precision,
                      device="cpu", optimizer=torch.optim.SGD)
        if net_class == "WindowNet":
            net = WindowNet(torch.nn.Linear(4, 1), criterion=torch.nn.MSELoss, **common)
            y = X.sum(dim=1, keepdim=True)
        else:
            class Agreement(torch.nn.Module):
                def forward(self, z1, z2):
                    return ((z1 - z2) ** 2).mean()

            net = ContrastiveNet(torch.nn.Linear(4, 3), Agreement(), **common,
                                 augmenter=lambda x: x + 0.1 * torch.randn_like(x))
            y = None
        net.initialize()
        if init_scale is not None:
            net.grad_scaler_ = torch.amp.GradScaler("cpu", init_scale=init_scale)
        net.partial_fit(X, y)
        return net

    half, full = fit("16", init_scale=256.0), fit("32")
    assert full.grad_scaler_ is None and half.grad_scaler_.get_scale() >= 256
    losses16 = [e["train_loss"] for e in half.history]
    losses32 = [e["train_loss"] for e in full.history]
    np.testing.assert_allclose(losses16, losses32, rtol=0.02)
    for p16, p32 in zip(half.module_.parameters(), full.module_.parameters(), strict=True):
        torch.testing.assert_close(p16, p32, rtol=0.02, atol=0.01)
    # with the default scale (2**16) steps whose gradients overflow are skipped, never NaN
    default = fit("16")
    losses = [e["train_loss"] for e in default.history]
    assert np.isfinite(losses).all() and losses[-1] < losses[0]
