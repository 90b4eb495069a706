"""The issue's Pipeline / cross_validate / GridSearchCV usage, as written, on tiny settings."""

import numpy as np
import pytest
import torch
from sklearn.model_selection import GridSearchCV, GroupKFold, cross_validate
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import Pipeline

from sktime_har.datasets import make_activity_windows
from sktime_har.ssl import ConvAutoencoder, DynamicTemperatureSSL

TINY = dict(conv_channels=(4, 8, 8), n_layers=1, n_heads=1, dim_feedforward=16,
            projection_hidden_dim=16, projection_dim=8, max_epochs=1, batch_size=16,
            pooling="mean", device="cpu", random_state=0)


@pytest.fixture(scope="module", autouse=True)
def one_torch_thread():
    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(previous)


def make_pipe():
    ssl = DynamicTemperatureSSL(
        autoencoder=ConvAutoencoder(conv_channels=(4, 8, 8), latent_dim=8, max_epochs=1),
        **TINY,
    )
    return Pipeline([("ssl", ssl), ("clf", MLPClassifier(max_iter=50, random_state=0))])


def test_cross_validate_by_subject_and_grid_search_over_temperature():
    X, y, subject = make_activity_windows(60, n_timesteps=16, n_subjects=6, random_state=0)
    import warnings

    from sklearn.exceptions import ConvergenceWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        scores = cross_validate(make_pipe(), X, y, groups=subject, cv=GroupKFold(3),
                                scoring="f1_macro", error_score="raise")
        assert scores["test_score"].shape == (3,)
        assert np.isfinite(scores["test_score"]).all()
        search = GridSearchCV(make_pipe(), {"ssl__temperature": [0.1, 0.5]},
                              cv=GroupKFold(2), scoring="f1_macro", error_score="raise")
        search.fit(X, y, groups=subject)
    assert search.best_params_["ssl__temperature"] in (0.1, 0.5)
    assert search.best_estimator_.named_steps["ssl"].temperature == search.best_params_[
        "ssl__temperature"]
    assert search.predict(X).shape == (60,)
    # the user's autoencoder inside the grid was never fitted in place
    assert not hasattr(make_pipe().named_steps["ssl"].autoencoder, "module_")
