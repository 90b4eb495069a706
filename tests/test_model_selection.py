import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sktime_har.model_selection import sample_per_class, subject_split


@given(st.integers(1, 5), st.integers(0, 1000))
@settings(max_examples=30, deadline=None)
def test_sample_per_class_draws_k_distinct_per_class(k, seed):
    y = np.repeat(["walk", "sit", "lay"], 7)
    idx = sample_per_class(y, k, random_state=seed)
    assert len(np.unique(idx)) == len(idx) == 3 * k
    values, counts = np.unique(y[idx], return_counts=True)
    assert set(values) == {"walk", "sit", "lay"} and (counts == k).all()


def test_sample_per_class_is_seeded():
    y = np.repeat([0, 1], 10)
    np.testing.assert_array_equal(sample_per_class(y, 3, 1), sample_per_class(y, 3, 1))


@pytest.mark.parametrize("k", [0, -1, 2.5, True])
def test_sample_per_class_rejects_bad_k(k):
    with pytest.raises(ValueError, match="positive integer"):
        sample_per_class([0, 1], k)


def test_sample_per_class_rejects_small_class():
    with pytest.raises(ValueError, match="fewer than k=3"):
        sample_per_class([0, 0, 1], 3)


def test_subject_splits_partition_all_subjects():
    subjects = np.arange(1, 31)
    for protocol, n_test, n_val in [("dsc", 9, 0), ("ssl", 6, 5)]:
        m = subject_split(subjects, protocol)
        assert m["test"].sum() == n_test and m["val"].sum() == n_val
        assert (m["train"].astype(int) + m["val"] + m["test"] == 1).all()
    with pytest.raises(ValueError, match="protocol"):
        subject_split(subjects, "other")
