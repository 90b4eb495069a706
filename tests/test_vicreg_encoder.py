import numpy as np
import pytest
import torch
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from sktime_har.datasets import make_activity_windows
from sktime_har.nn.losses import VICRegLoss
from sktime_har.ssl import BaseSSLEncoder, VICRegEncoder

TINY = {"conv_channels": (4, 8), "n_layers": 1, "n_heads": 1, "dim_feedforward": 16,
        "batch_size": 16, "max_epochs": 2, "device": "cpu", "random_state": 0}


@pytest.fixture(scope="module")
def data():
    return make_activity_windows(48, n_timesteps=12, random_state=0)


@pytest.fixture(scope="module")
def fitted(data):
    X, _, _ = data
    return VICRegEncoder(**TINY).fit(X)


def test_defaults_are_the_papers():
    enc = VICRegEncoder()
    assert isinstance(enc, BaseSSLEncoder)
    assert (enc.sim_weight, enc.var_weight, enc.cov_weight) == (10, 10, 5)
    assert (enc.projection_hidden_dim, enc.projection_dim) == (256, 256)
    assert (enc.optimizer, enc.lr, enc.batch_size) == ("lars", 1e-4, 128)


def test_fit_transform_shapes(fitted, data):
    X, _, _ = data
    Z = fitted.transform(X)
    assert Z.shape == (48, 8 * 12) and Z.dtype == np.float32 and np.isfinite(Z).all()
    assert fitted.loss_history_.shape == (2,) and np.isfinite(fitted.loss_history_).all()
    assert len(fitted.get_feature_names_out()) == 96
    mean_pool = VICRegEncoder(**{**TINY, "pooling": "mean"}).fit(X)
    assert mean_pool.transform(X).shape == (48, 8)


def test_loss_is_vicreg_with_the_given_weights(data):
    enc = VICRegEncoder(sim_weight=1.0, var_weight=2.0, cov_weight=3.0, convention="paper")
    loss = enc._make_loss()
    assert isinstance(loss, VICRegLoss)
    assert (loss.sim_weight, loss.var_weight, loss.cov_weight) == (1.0, 2.0, 3.0)
    assert loss.convention == "paper"
    z1, z2 = torch.randn(8, 4), torch.randn(8, 4)
    expected = VICRegLoss(1.0, 2.0, 3.0, convention="paper")(z1, z2)
    assert torch.allclose(loss(z1, z2), expected)


def test_training_lowers_the_loss(data):
    X, _, _ = data
    enc = VICRegEncoder(**{**TINY, "max_epochs": 8, "optimizer": "adam", "lr": 1e-3}).fit(X)
    assert enc.loss_history_[-1] < enc.loss_history_[0]


def test_seeded_and_clonable(fitted, data):
    X, _, _ = data
    again = clone(fitted).fit(X)
    np.testing.assert_array_equal(again.transform(X[:5]), fitted.transform(X[:5]))
    assert clone(fitted).get_params()["cov_weight"] == 5.0


def test_in_pipeline(data):
    X, y, _ = data
    pipe = Pipeline([("ssl", VICRegEncoder(**TINY)), ("clf", LogisticRegression(max_iter=200))])
    assert pipe.fit(X, y).predict(X).shape == (48,)


@pytest.mark.parametrize(
    "params, match",
    [({"convention": "lightly"}, "convention"), ({"cov_weight": -1.0}, "cov_weight"),
     ({"sim_weight": "10"}, "sim_weight"), ({"batch_size": 1}, "batch_size")],
)
def test_bad_params(data, params, match):
    X, _, _ = data
    with pytest.raises(ValueError, match=match):
        VICRegEncoder(**{**TINY, **params}).fit(X)


def test_single_window_is_rejected():
    with pytest.raises(ValueError, match="at least 2"):
        VICRegEncoder(**TINY).fit(np.zeros((1, 6, 12)))
