"""load_uci_har(data_home=...) on a tiny official-style "UCI HAR Dataset" folder."""

import numpy as np
import pytest

from sktime_har.datasets import load_uci_har
from sktime_har.datasets._uci_folder import INERTIAL_FILES


def _write_split(root, split, n, subject_ids, rng):
    folder = root / "UCI HAR Dataset" / split
    (folder / "Inertial Signals").mkdir(parents=True)
    X = rng.normal(size=(n, 9, 128)).astype(np.float32)
    for c, stem in enumerate(INERTIAL_FILES):
        np.savetxt(folder / "Inertial Signals" / f"{stem}_{split}.txt", X[:, c], fmt="%.8e")
    y = rng.integers(1, 7, size=n)
    np.savetxt(folder / f"y_{split}.txt", y, fmt="%d")
    np.savetxt(folder / f"subject_{split}.txt", np.resize(subject_ids, n), fmt="%d")
    return X, y


@pytest.fixture
def uci_folder(tmp_path):
    rng = np.random.default_rng(0)
    train = _write_split(tmp_path, "train", 5, [1, 3], rng)
    test = _write_split(tmp_path, "test", 3, [2], rng)
    return tmp_path, train, test


@pytest.mark.parametrize("use_inner", [False, True])
def test_reads_official_layout(uci_folder, use_inner):
    root, (X_train, y_train), _ = uci_folder
    home = root / "UCI HAR Dataset" if use_inner else root
    data = load_uci_har(protocol="dsc", subset="train", data_home=home)
    assert data.data.shape == (5, 9, 128) and data.data.dtype == np.float32
    np.testing.assert_allclose(data.data, X_train, rtol=1e-6)
    np.testing.assert_array_equal(data.target, y_train - 1)
    assert data.subject.tolist() == [1, 3, 1, 3, 1]
    assert data.channel_names[3] == "gyro_x" and data.sampling_rate == 50.0


def test_test_and_all_subsets(uci_folder):
    root, (_, y_train), (X_test, y_test) = uci_folder
    X, y, subject = load_uci_har(subset="test", data_home=root, return_X_y=True,
                                 return_groups=True)
    np.testing.assert_allclose(X, X_test, rtol=1e-6)
    assert subject.tolist() == [2, 2, 2]
    _, y_all = load_uci_har(subset="all", data_home=root, return_X_y=True)
    np.testing.assert_array_equal(y_all, np.concatenate([y_train, y_test]) - 1)


def test_folder_errors(uci_folder, tmp_path_factory):
    root = uci_folder[0]
    empty = tmp_path_factory.mktemp("empty")
    with pytest.raises(FileNotFoundError, match="Inertial Signals"):
        load_uci_har(data_home=empty)
    with pytest.raises(ValueError, match="only provides the"):
        load_uci_har(protocol="ssl", data_home=root)
    with pytest.raises(ValueError, match="no transition"):
        load_uci_har(data_home=root, include_transitions=True)
    (root / "UCI HAR Dataset" / "test" / "Inertial Signals" / "total_acc_z_test.txt").unlink()
    with pytest.raises(FileNotFoundError, match="total_acc_z_test.txt"):
        load_uci_har(subset="test", data_home=root)
