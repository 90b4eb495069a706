"""VICReg loss: hand and numpy reference values, terms, conventions, bad input."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from sktime_har.nn.losses import VICRegLoss


def vicreg_reference(z1, z2, lam, mu, nu, eps=1e-4, convention="reference"):
    """Paper 004 Eqs. 3-6 written with numpy loops."""
    n, d = z1.shape
    if convention == "reference":
        inv = np.mean((z1 - z2) ** 2)
    else:
        inv = np.mean([np.sum((z1[i] - z2[i]) ** 2) for i in range(n)])  # Eq. 3

    def v(z):  # Eq. 4
        return np.mean([max(0.0, 1.0 - np.sqrt(np.var(z[:, j], ddof=1) + eps)) for j in range(d)])

    def c(z):  # Eq. 5
        cov = np.cov(z, rowvar=False, ddof=1).reshape(d, d)
        return sum(cov[i, j] ** 2 for i in range(d) for j in range(d) if i != j) / d

    var = v(z1) + v(z2)
    if convention == "reference":
        var /= 2
    cov = c(z1) + c(z2)
    return {
        "invariance": inv,
        "variance": var,
        "covariance": cov,
        "loss": lam * inv + mu * var + nu * cov,
    }


def test_hand_computed_values():
    # z1 columns: (1, -1) var 2 -> std > 1, no hinge; (0, 0) var 0 -> hinge 1 - sqrt(1e-4) = 0.99
    z1 = torch.tensor([[1.0, 0.0], [-1.0, 0.0]], dtype=torch.float64)
    # z2 = z1 + (0, 1) on the first row: invariance mean = 1 / 4
    z2 = torch.tensor([[1.0, 1.0], [-1.0, 0.0]], dtype=torch.float64)
    terms = VICRegLoss().terms(z1, z2)
    assert float(terms["invariance"]) == pytest.approx(0.25)
    # z2 second column (1, 0): var 0.5, std sqrt(0.5001)
    v1 = 0.99 / 2
    v2 = (1 - np.sqrt(0.5 + 1e-4)) / 2
    assert float(terms["variance"]) == pytest.approx((v1 + v2) / 2)
    # cov(z2) off-diagonal: cov((1,-1), (1,0)) = 1 -> two entries squared / D = 1
    assert float(terms["covariance"]) == pytest.approx(1.0)
    expected = 10 * 0.25 + 10 * (v1 + v2) / 2 + 5 * 1.0
    assert float(terms["loss"]) == pytest.approx(expected)
    assert float(VICRegLoss()(z1, z2)) == pytest.approx(expected)


@pytest.mark.parametrize("convention", ["reference", "paper"])
@pytest.mark.parametrize("weights", [(10.0, 10.0, 5.0), (25.0, 25.0, 1.0), (1.0, 0.0, 0.0)])
def test_matches_numpy_reference(convention, weights):
    rng = np.random.default_rng(0)
    z1 = rng.normal(scale=0.7, size=(6, 4))
    z2 = z1 + rng.normal(scale=0.3, size=(6, 4))
    expected = vicreg_reference(z1, z2, *weights, convention=convention)
    loss = VICRegLoss(*weights, convention=convention)
    got = loss(torch.tensor(z1), torch.tensor(z2), return_terms=True)
    for key, value in expected.items():
        assert float(got[key]) == pytest.approx(value, rel=1e-9, abs=1e-12), key


def test_paper_convention_scales_invariance_by_d():
    rng = np.random.default_rng(1)
    z1, z2 = (torch.tensor(rng.normal(size=(5, 8))) for _ in range(2))
    ref = VICRegLoss().terms(z1, z2)
    paper = VICRegLoss(convention="paper").terms(z1, z2)
    assert float(paper["invariance"]) == pytest.approx(8 * float(ref["invariance"]))
    assert float(paper["variance"]) == pytest.approx(2 * float(ref["variance"]))
    assert float(paper["covariance"]) == pytest.approx(float(ref["covariance"]))


def test_terms_behave_as_described():
    z = torch.randn(64, 3, dtype=torch.float64) * 5.0  # wide, nearly uncorrelated
    terms = VICRegLoss().terms(z, z.clone())
    assert float(terms["invariance"]) == 0.0
    assert float(terms["variance"]) == 0.0  # every std well above 1
    collapsed = VICRegLoss().terms(torch.ones(8, 3), torch.ones(8, 3))
    assert float(collapsed["variance"]) == pytest.approx(1 - 1e-2)  # 1 - sqrt(eps)
    correlated = torch.randn(32, 1).repeat(1, 3)
    assert float(VICRegLoss().terms(correlated, correlated)["covariance"]) > 0.1


@settings(max_examples=20, deadline=None)
@given(b=st.integers(2, 9), d=st.integers(1, 6), kind=st.sampled_from(["const", "zeros", "randn"]))
def test_finite_loss_and_gradients(b, d, kind):
    if kind == "const":
        z1 = torch.ones(b, d)
    elif kind == "zeros":
        z1 = torch.zeros(b, d)
    else:
        z1 = torch.randn(b, d)
    z1 = z1.requires_grad_(True)
    z2 = z1.detach().clone().requires_grad_(True)
    loss = VICRegLoss()(z1, z2)
    loss.backward()
    assert torch.isfinite(loss)
    assert torch.isfinite(z1.grad).all() and torch.isfinite(z2.grad).all()


def test_batch_size_one_raises():
    with pytest.raises(ValueError, match="at least 2 windows"):
        VICRegLoss()(torch.zeros(1, 4), torch.zeros(1, 4))


@pytest.mark.parametrize(
    "z1, z2, exc",
    [
        (torch.zeros(4), torch.zeros(4), ValueError),
        (torch.zeros(4, 3), torch.zeros(4, 2), ValueError),
        (np.zeros((4, 3)), torch.zeros(4, 3), TypeError),
    ],
)
def test_bad_shapes(z1, z2, exc):
    with pytest.raises(exc):
        VICRegLoss()(z1, z2)


@pytest.mark.parametrize(
    "kwargs",
    [{"sim_weight": -1.0}, {"cov_weight": float("inf")}, {"eps": 0.0}, {"convention": "lightly"}],
)
def test_bad_parameters(kwargs):
    with pytest.raises(ValueError):
        VICRegLoss(**kwargs)


def test_defaults_are_paper_004_uci_har():
    loss = VICRegLoss()
    assert (loss.sim_weight, loss.var_weight, loss.cov_weight, loss.eps) == (10.0, 10.0, 5.0, 1e-4)
