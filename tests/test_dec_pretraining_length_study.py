"""The DEC pretraining-length study's posture-merge measure."""

from __future__ import annotations

import numpy as np
import pytest
from _scripts import load_script


@pytest.fixture(scope="module")
def study():
    return load_script("benchmarks/dec_pretraining_length.py")


def test_three_postures_in_one_cluster_is_one(study):
    y = np.array([0, 1, 3, 3, 4, 5, 5])
    labels = np.array([0, 1, 2, 2, 2, 2, 2])
    assert study.postures_in_one_cluster(y, labels) == 1.0


def test_postures_with_clusters_of_their_own_share_a_third(study):
    y = np.repeat([0, 3, 4, 5], 10)
    labels = np.repeat([0, 1, 2, 3], 10)
    assert study.postures_in_one_cluster(y, labels) == pytest.approx(1 / 3)


def test_only_posture_windows_count(study):
    # the cluster holding every walking window holds one posture window of four
    y = np.array([0] * 50 + [3, 4, 5, 5])
    labels = np.array([7] * 50 + [7, 1, 1, 2])
    assert study.postures_in_one_cluster(y, labels) == pytest.approx(0.5)


def test_no_posture_window_is_an_error(study):
    with pytest.raises(ValueError, match="posture"):
        study.postures_in_one_cluster([0, 1, 2], [0, 0, 1])
