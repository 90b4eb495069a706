"""SimCLREncoder, DynamicTemperatureSSL and ConvAutoencoder as sklearn estimators."""

import pickle

import numpy as np
import pytest
import torch
from sklearn.base import clone
from sklearn.frozen import FrozenEstimator

from sktime_har.datasets import make_activity_windows
from sktime_har.exceptions import TrainingDivergedError
from sktime_har.ssl import ConvAutoencoder, DynamicTemperatureSSL, SimCLREncoder

TINY = dict(conv_channels=(4, 8, 8), n_layers=1, n_heads=1, dim_feedforward=16,
            projection_hidden_dim=16, projection_dim=8, max_epochs=2, batch_size=16,
            device="cpu", random_state=0)
TINY_AE = dict(conv_channels=(4, 8, 8), latent_dim=8, max_epochs=2, batch_size=16,
               device="cpu", random_state=0)


def make_dt(**kwargs):
    return DynamicTemperatureSSL(autoencoder=ConvAutoencoder(**TINY_AE), **{**TINY, **kwargs})


@pytest.fixture(scope="module", autouse=True)
def one_torch_thread():
    # tiny models on a shared 2-core machine: intra-op threading only adds contention
    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(previous)


@pytest.fixture(scope="module")
def data():
    X, y, groups = make_activity_windows(48, n_timesteps=16, random_state=0)
    return X, y, groups


@pytest.mark.parametrize("factory", [lambda **kw: SimCLREncoder(**{**TINY, **kw}), make_dt])
def test_shapes_feature_names_and_fitted_attributes(data, factory):
    X, _, _ = data
    est = factory().fit(X)
    Z = est.transform(X)
    assert Z.shape == (48, 8 * 16) and Z.dtype == np.float32
    assert len(est.get_feature_names_out()) == Z.shape[1]
    assert not est.encoder_.training and est.module_.encoder is est.encoder_
    assert est.loss_history_.shape == (2,) and np.isfinite(est.loss_history_).all()
    assert len(est.history_) == 2
    assert (est.n_channels_, est.n_timesteps_) == (6, 16)
    mean = factory(pooling="mean").fit(X)
    assert mean.transform(X).shape == (48, 8)
    assert mean.transform(X[:, :, :12]).shape == (48, 8)  # any length with mean pooling


@pytest.mark.parametrize("factory", [lambda **kw: SimCLREncoder(**{**TINY, **kw}), make_dt])
def test_determinism_clone_and_pickle_round_trip(data, factory):
    X, _, _ = data
    a = factory().fit(X)
    b = clone(a).fit(X)
    np.testing.assert_array_equal(a.transform(X), b.transform(X))
    np.testing.assert_array_equal(a.loss_history_, b.loss_history_)
    c = factory(random_state=1).fit(X)
    assert not np.allclose(a.transform(X), c.transform(X))
    restored = pickle.loads(pickle.dumps(a))
    np.testing.assert_array_equal(a.transform(X), restored.transform(X))


def test_fit_leaves_global_rng_alone(data):
    X, _, _ = data
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    SimCLREncoder(**TINY).fit(X)
    assert torch.equal(torch.rand(3), expected)


def test_transform_is_frozen_and_batched(data):
    X, _, _ = data
    est = SimCLREncoder(**TINY).fit(X)
    before = [p.detach().clone() for p in est.module_.parameters()]
    est.encoder_.train()  # transform must still use eval mode (dropout off)...
    z1, z2 = est.transform(X), est.transform(X)
    np.testing.assert_array_equal(z1, z2)
    assert est.encoder_.training  # ...and restore the caller's mode
    est.set_params(batch_size=5)  # batching must not change the features
    np.testing.assert_allclose(est.transform(X), z1, rtol=1e-5, atol=1e-5)
    assert all(torch.equal(p, q) for p, q in zip(before, est.module_.parameters(), strict=True))


def test_max_epochs_zero_is_the_random_encoder(data):
    X, _, _ = data
    est = SimCLREncoder(**{**TINY, "max_epochs": 0}).fit(X)
    assert est.loss_history_.shape == (0,)
    assert est.transform(X).shape == (48, 128)


def test_bad_inputs(data):
    X, _, _ = data
    est = SimCLREncoder(**TINY)
    with pytest.raises(ValueError, match="3D"):
        est.fit(X[..., None])
    bad = X.copy()
    bad[0, 0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        est.fit(bad)
    with pytest.raises(ValueError, match="at least 2 timesteps"):
        est.fit(X[:, :, :1])  # one-sample windows
    with pytest.raises(ValueError, match="at least 2 sample"):
        est.fit(X[:1])
    with pytest.raises(TypeError):
        est.fit(np.array([["a"] * 16] * 4))
    fitted = SimCLREncoder(**TINY).fit(X)
    with pytest.raises(ValueError, match="fitted on 6"):
        fitted.transform(X[:, :4])
    with pytest.raises(ValueError, match="16"):
        fitted.transform(X[:, :, :12])  # flattened features need the fitted length
    with pytest.raises(Exception, match="not fitted"):
        SimCLREncoder(**TINY).transform(X)


@pytest.mark.parametrize(
    "params, match",
    [
        (dict(similarity="dot"), "similarity"),
        (dict(temperature=0.0), "temperature"),
        (dict(lr=-1.0), "lr"),
        (dict(batch_size=1), "batch_size"),
        (dict(optimizer="sgd"), "optimizer"),
        (dict(n_heads=3), "divide"),
        (dict(pooling="max"), "pooling"),
        (dict(augmentations="uci_har"), "augmentations"),
        (dict(augmentation_p=1.5), "augmentation_p"),
        (dict(max_epochs=-1), "max_epochs"),
    ],
)
def test_bad_hyperparameters_raise_value_error(data, params, match):
    X, _, _ = data
    with pytest.raises(ValueError, match=match):
        SimCLREncoder(**{**TINY, **params}).fit(X)


def test_divergence_raises_training_diverged_error(data, monkeypatch):
    X, _, _ = data
    from sktime_har.nn.losses import NTXentLoss

    monkeypatch.setattr(NTXentLoss, "forward", lambda self, z1, z2: (z1 * z2).sum() * np.nan)
    with pytest.raises(TrainingDivergedError, match="diverged"):
        SimCLREncoder(**TINY).fit(X)


def test_dynamic_temperature_feeds_batch_instance_features_to_loss(data, monkeypatch):
    X, _, _ = data
    from sktime_har.nn.losses import NDTXentLoss

    seen = []
    original = NDTXentLoss.forward

    def spy(self, z1, z2, instance_features):
        seen.append((z1.shape[0], instance_features.detach().clone()))
        return original(self, z1, z2, instance_features)

    monkeypatch.setattr(NDTXentLoss, "forward", spy)
    est = make_dt().fit(X)
    H = est.autoencoder_.transform(X)
    assert len(seen) == 2 * (48 // 16)  # 2 epochs, full batches only (drop_last)
    for batch_size, feats in seen:
        assert feats.shape == (batch_size, 8) == (16, 8)
        # every row is the frozen feature of some training window (clean, not augmented)
        gap = (feats[:, None, :] - torch.from_numpy(H)[None]).abs().amax(dim=2).min(dim=1).values
        assert float(gap.max()) < 1e-5


def test_dynamic_temperature_never_mutates_the_users_autoencoder(data):
    X, _, _ = data
    unfitted = ConvAutoencoder(**TINY_AE)
    est = DynamicTemperatureSSL(autoencoder=unfitted, **TINY).fit(X)
    assert not hasattr(unfitted, "module_")  # a clone was fitted
    assert est.autoencoder_ is not unfitted

    fitted = ConvAutoencoder(**TINY_AE).fit(X)
    state = {k: v.clone() for k, v in fitted.module_.state_dict().items()}
    H = fitted.transform(X)
    est = DynamicTemperatureSSL(autoencoder=fitted, **TINY).fit(X)
    assert est.autoencoder_ is fitted
    assert all(torch.equal(state[k], v) for k, v in fitted.module_.state_dict().items())
    np.testing.assert_array_equal(H, fitted.transform(X))


def test_frozen_autoencoder_survives_clone(data):
    X, _, _ = data
    fitted = ConvAutoencoder(**TINY_AE).fit(X)
    est = clone(DynamicTemperatureSSL(autoencoder=FrozenEstimator(fitted), **TINY))
    est.fit(X)
    np.testing.assert_array_equal(est.autoencoder_.transform(X), fitted.transform(X))


def test_autoencoder_errors(data):
    X, _, _ = data
    with pytest.raises(TypeError, match="ConvAutoencoder"):
        DynamicTemperatureSSL(autoencoder="cae", **TINY).fit(X)
    other_length = ConvAutoencoder(**TINY_AE).fit(X[:, :, :12])
    with pytest.raises(ValueError, match="12"):
        DynamicTemperatureSSL(autoencoder=other_length, **TINY).fit(X)
    with pytest.raises(ValueError, match="positive_temperature"):
        make_dt(positive_temperature="batch").fit(X)


def test_conv_autoencoder_learns_to_reconstruct(data):
    X, _, _ = data
    ae = ConvAutoencoder(**{**TINY_AE, "max_epochs": 15, "batch_size": 8}).fit(X)
    assert ae.loss_history_[-1] < ae.loss_history_[0]
    assert ae.reconstruct(X).shape == X.shape
    H = ae.transform(X)
    assert H.shape == (48, 8) and len(ae.get_feature_names_out()) == 8
    np.testing.assert_array_equal(H, ae.transform(X))  # no input noise at transform time
    with pytest.raises(ValueError, match="16"):
        ae.transform(X[:, :, :12])
    np.testing.assert_array_equal(pickle.loads(pickle.dumps(ae)).transform(X), H)
