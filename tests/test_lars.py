"""LARS over Adam: the trust ratio binds, excluded tensors get Adam, it optimises."""

import copy

import numpy as np
import pytest
import torch

from sktime_har.nn import LARS


def _model(seed=0):
    torch.manual_seed(seed)
    return torch.nn.Sequential(
        torch.nn.Linear(8, 16), torch.nn.BatchNorm1d(16), torch.nn.Linear(16, 3)
    )


def _deltas(model, optimizer_cls, steps=3, **kwargs):
    """Parameter changes after ``steps`` steps on a fixed batch."""
    model = copy.deepcopy(model)
    opt = optimizer_cls(model.parameters(), **kwargs)
    x = torch.randn(32, 8, generator=torch.Generator().manual_seed(1))
    before = [p.detach().clone() for p in model.parameters()]
    for _ in range(steps):
        opt.zero_grad()
        model(x).pow(2).mean().backward()
        opt.step()
    return [p.detach() - b for p, b in zip(model.parameters(), before, strict=True)], opt, model


def test_trust_ratio_changes_the_update_relative_to_adam():
    model = _model()
    lars, opt, trained = _deltas(model, LARS, steps=1, lr=1e-3)
    adam, _, _ = _deltas(model, torch.optim.Adam, steps=1, lr=1e-3)
    for p_lars, p_adam, p in zip(lars, adam, trained.parameters(), strict=True):
        if p.ndim <= 1:  # biases and BatchNorm: plain Adam step
            torch.testing.assert_close(p_lars, p_adam)
            assert "trust_ratio" not in opt.state[p]
        else:  # weights: Adam step scaled by ||w|| / ||u||
            ratio = float(opt.state[p]["trust_ratio"])
            assert not (0.5 < ratio < 2.0)  # it binds: far from the plain Adam step
            torch.testing.assert_close(p_lars, ratio * p_adam)


def test_first_step_trust_ratio_by_hand():
    # one weight tensor; first Adam direction is g / (|g| + eps) ~ sign(g)
    w = torch.nn.Parameter(torch.tensor([[3.0, 4.0], [0.0, 0.0]]))
    opt = LARS([w], lr=0.1, eps=0.0)
    w.grad = torch.tensor([[1.0, -2.0], [0.5, 3.0]])
    opt.step()
    ratio = 5.0 / 2.0  # ||w|| = 5, ||sign(g)|| = 2
    expected = torch.tensor([[3.0, 4.0], [0.0, 0.0]]) - 0.1 * ratio * torch.sign(w.grad)
    torch.testing.assert_close(w.detach(), expected)
    assert float(opt.state[w]["trust_ratio"]) == pytest.approx(ratio)


def test_gradient_scaling_before_adam_never_binds():
    # why the authors' apex-LARC-over-Adam did nothing: Adam ignores a per-tensor gradient scale
    w1 = torch.nn.Parameter(torch.tensor([[1.0, 2.0], [3.0, 4.0]]))
    w2 = torch.nn.Parameter(w1.detach().clone())
    o1, o2 = torch.optim.Adam([w1], lr=0.1), torch.optim.Adam([w2], lr=0.1)
    g = torch.tensor([[0.3, -0.1], [0.2, 0.5]])
    for _ in range(3):
        w1.grad, w2.grad = g.clone(), 0.001 * g.clone()
        o1.step()
        o2.step()
    torch.testing.assert_close(w1, w2, atol=1e-4, rtol=0)  # only eps=1e-8 tells them apart


def test_trust_coefficient_scales_weight_steps():
    model = _model()
    one, _, _ = _deltas(model, LARS, steps=1, lr=1e-3)
    tenth, _, _ = _deltas(model, LARS, steps=1, lr=1e-3, trust_coefficient=0.1)
    torch.testing.assert_close(tenth[0], 0.1 * one[0])
    torch.testing.assert_close(tenth[1], one[1])  # bias excluded


def test_exclude_1d_false_applies_ratio_to_biases():
    model = _model()
    _, opt, trained = _deltas(model, LARS, steps=1, lr=1e-3, exclude_1d=False)
    assert all("trust_ratio" in opt.state[p] for p in trained.parameters())


def test_zero_weights_get_ratio_one():
    w = torch.nn.Parameter(torch.zeros(2, 2))
    opt = LARS([w], lr=0.1)
    w.grad = torch.ones(2, 2)
    opt.step()
    assert float(opt.state[w]["trust_ratio"]) == 1.0
    assert torch.isfinite(w).all() and (w != 0).all()


def test_weight_decay_only_on_trust_ratio_tensors():
    w = torch.nn.Parameter(torch.ones(2, 2))
    b = torch.nn.Parameter(torch.ones(2))
    opt = LARS([w, b], lr=0.1, weight_decay=0.5)
    w.grad, b.grad = torch.zeros(2, 2), torch.zeros(2)
    opt.step()
    assert torch.equal(b.detach(), torch.ones(2))  # excluded: zero Adam step, no decay
    # update = 0.5 w, ratio = ||w|| / ||0.5 w|| = 2 -> w - 0.1 * 2 * 0.5 w = 0.9 w
    torch.testing.assert_close(w.detach(), torch.full((2, 2), 0.9))


def test_optimises_a_tiny_quadratic():
    torch.manual_seed(0)
    target = torch.randn(6, 5)
    w = torch.nn.Parameter(torch.randn(6, 5))
    b = torch.nn.Parameter(torch.zeros(5))
    opt = LARS([w, b], lr=0.02)
    initial = None
    for _ in range(400):
        opt.zero_grad()
        loss = (w - target).pow(2).sum() + (b - 1.0).pow(2).sum()
        initial = loss.item() if initial is None else initial
        loss.backward()
        opt.step()
    assert loss.item() < 0.02 * initial


def test_usable_as_skorch_optimizer():
    from skorch import NeuralNetRegressor

    rng = np.random.default_rng(0)
    X = rng.normal(size=(64, 4)).astype(np.float32)
    y = (X @ np.array([1.0, -2.0, 0.5, 0.0], dtype=np.float32))[:, None]
    net = NeuralNetRegressor(
        torch.nn.Linear,
        module__in_features=4,
        module__out_features=1,
        optimizer=LARS,
        lr=0.05,
        optimizer__trust_coefficient=1.0,
        max_epochs=30,
        batch_size=16,
        train_split=None,
        verbose=0,
    )
    net.fit(X, y)
    losses = net.history[:, "train_loss"]
    assert losses[-1] < 0.5 * losses[0]
    assert isinstance(net.optimizer_, LARS)


def test_state_dict_round_trip():
    model = _model()
    _, opt, trained = _deltas(model, LARS, steps=2, lr=1e-3)
    fresh = LARS(trained.parameters(), lr=1e-3)
    fresh.load_state_dict(opt.state_dict())
    p = next(trained.parameters())
    assert fresh.state[p]["step"] == 2


@pytest.mark.parametrize(
    "kwargs",
    [
        {"lr": -1.0},
        {"betas": (1.0, 0.9)},
        {"eps": -1.0},
        {"weight_decay": -0.1},
        {"trust_coefficient": 0.0},
    ],
)
def test_bad_arguments(kwargs):
    with pytest.raises(ValueError):
        LARS([torch.nn.Parameter(torch.ones(2, 2))], **kwargs)
