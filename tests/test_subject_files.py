"""A directory of per-subject window files, opened lazily as one dataset."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold, cross_validate
from sklearn.pipeline import Pipeline
from sklearn.utils import _safe_indexing

from sktime_har.datasets import WindowFiles, load_subject_windows, make_activity_windows
from sktime_har.ssl import SimCLREncoder


@pytest.fixture()
def study(tmp_path):
    X, y, subjects = make_activity_windows(60, n_channels=6, n_timesteps=16, n_subjects=4,
                                           random_state=0)
    X = X.astype(np.float32)
    order = np.argsort(subjects, kind="stable")
    X, y, subjects = X[order], y[order], subjects[order]
    for subject in np.unique(subjects):
        np.save(tmp_path / f"s{subject:02d}.npy", X[subjects == subject])
        np.save(tmp_path / f"s{subject:02d}.labels.npy", y[subjects == subject])
    return tmp_path, X, y, np.array([f"s{s:02d}" for s in subjects])


def _encoder():
    return SimCLREncoder(conv_channels=(4, 4, 8), kernel_size=3, n_layers=1, n_heads=2,
                         dim_feedforward=8, projection_hidden_dim=8, projection_dim=8,
                         batch_size=8, max_epochs=2, device="cpu", random_state=0)


def test_the_directory_opens_as_the_concatenated_windows_without_reading_them(study):
    folder, X, y, groups = study
    lazy, labels, subjects = load_subject_windows(folder)
    assert isinstance(lazy, WindowFiles) and all(isinstance(f, np.memmap) for f in lazy.files)
    assert lazy.shape == X.shape and lazy.dtype == np.float32
    np.testing.assert_array_equal(np.asarray(lazy), X)
    np.testing.assert_array_equal(labels, y)
    np.testing.assert_array_equal(subjects, groups)
    # cross-validation folds are views of the files, read only batch by batch
    fold = _safe_indexing(lazy, np.array([40, 3, 17]))
    assert isinstance(fold, WindowFiles)
    np.testing.assert_array_equal(np.asarray(fold), X[[40, 3, 17]])


def test_group_k_fold_on_the_files_equals_the_windows_in_memory(study):
    folder, X, y, groups = study
    lazy, labels, subjects = load_subject_windows(folder)
    pipeline = Pipeline([("ssl", _encoder()), ("clf", LogisticRegression(max_iter=200))])
    on_disk = cross_validate(pipeline, lazy, labels, groups=subjects, cv=GroupKFold(2))
    in_memory = cross_validate(pipeline, X, y, groups=groups, cv=GroupKFold(2))
    np.testing.assert_array_equal(on_disk["test_score"], in_memory["test_score"])
    fitted_lazy, fitted = _encoder().fit(lazy), _encoder().fit(X)
    np.testing.assert_allclose(fitted_lazy.loss_history_, fitted.loss_history_, rtol=1e-6)
    np.testing.assert_allclose(fitted_lazy.transform(lazy), fitted.transform(X), rtol=1e-5,
                               atol=1e-6)


def test_unlabelled_subjects_give_no_labels(tmp_path):
    np.save(tmp_path / "a.npy", np.zeros((2, 3, 4)))
    np.save(tmp_path / "b.npy", np.zeros((1, 3, 4)))
    X, y, groups = load_subject_windows(tmp_path)
    assert y is None and list(groups) == ["a", "a", "b"]


@pytest.mark.parametrize("files, match", [
    ({}, "no <subject>.npy"),
    ({"a.npy": np.zeros((2, 3, 4)), "b.npy": np.zeros((2, 2, 4))}, "one layout"),
    ({"a.npy": np.zeros((2, 3, 4)), "b.npy": np.zeros((2, 3, 4), "float32")}, "one layout"),
    ({"a.npy": np.zeros((2, 12))}, "n_channels, n_timesteps"),
    ({"a.npy": np.zeros((2, 3, 4)), "a.labels.npy": np.zeros(3)}, "2 windows but"),
    ({"a.npy": np.zeros((2, 3, 4)), "b.npy": np.zeros((2, 3, 4)),
      "a.labels.npy": np.zeros(2)}, "Only some subjects"),
])
def test_bad_directories_are_refused_clearly(tmp_path, files, match):
    for name, array in files.items():
        np.save(tmp_path / name, array)
    with pytest.raises(ValueError, match=match):
        load_subject_windows(tmp_path)


def test_a_file_is_not_a_directory(tmp_path):
    with pytest.raises(ValueError, match="expects a directory"):
        load_subject_windows(tmp_path / "missing")
