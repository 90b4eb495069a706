import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold

from sktime_har.inspection import (
    BlockedSubjectKFold,
    LinearProbe,
    activity_type_probe,
    mean_ci95,
    subject_probe,
)


# ------------------------------------------------------------- CI arithmetic
def test_mean_ci95_by_hand():
    values = [0.70, 0.74, 0.78, 0.72, 0.76]
    m, s, h = mean_ci95(values)
    assert m == pytest.approx(0.74)
    assert s == pytest.approx(np.sqrt(0.001))  # squared deviations sum 0.004, / (5 - 1)
    # t(0.975, df=4) = 2.776445
    assert h == pytest.approx(2.776445 * np.sqrt(0.001) / np.sqrt(5), rel=1e-6)


def test_mean_ci95_edge_cases():
    m, s, h = mean_ci95([0.5])
    assert m == 0.5 and np.isnan(s) and np.isnan(h)
    assert mean_ci95([1.0, 1.0, 1.0]) == (1.0, 0.0, 0.0)
    with pytest.raises(ValueError, match="at least one"):
        mean_ci95([])
    with pytest.raises(ValueError, match="finite"):
        mean_ci95([0.1, np.nan])


# ------------------------------------------------------------ no-leak folds
def _sliding_windows(n_subjects=3, recordings=(23, 17), length=10, step=5):
    """Window metadata as the loaders produce it: per subject, recording order."""
    subject, recording, start = [], [], []
    for s in range(n_subjects):
        for r, n_windows in enumerate(recordings):
            for w in range(n_windows):
                subject.append(s)
                recording.append(r)
                start.append(w * step)
    return np.array(subject), np.array(recording), np.array(start), length


def _overlapping_pairs(train, test, subject, recording, start, length):
    """Number of (train, test) pairs of windows sharing at least one sample."""
    leaks = 0
    for j in test:
        same = train[(subject[train] == subject[j]) & (recording[train] == recording[j])]
        leaks += int((np.abs(start[same] - start[j]) < length).sum())
    return leaks


@pytest.mark.parametrize("step", [5, 10])
def test_blocked_folds_never_split_overlapping_windows(step):
    subject, recording, start, length = _sliding_windows(step=step)
    gap = -(-length // step) - 1  # neighbours up to ceil(L / s) - 1 apart overlap
    splitter = BlockedSubjectKFold(n_splits=5, gap=max(gap, 0))
    tested = np.zeros(len(subject), dtype=int)
    for train, test in splitter.split(subject, groups=subject):
        assert _overlapping_pairs(train, test, subject, recording, start, length) == 0
        assert not np.intersect1d(train, test).size
        assert set(subject[train]) == set(subject[test]) == {0, 1, 2}
        tested[test] += 1
    assert (tested == 1).all()  # every window is tested exactly once


def test_random_kfold_would_leak():
    # the check above can fail: random K-fold over 50 %-overlapping windows leaks
    subject, recording, start, length = _sliding_windows()
    leaks = sum(
        _overlapping_pairs(train, test, subject, recording, start, length)
        for train, test in KFold(5, shuffle=True, random_state=0).split(subject)
    )
    assert leaks > 50


@given(
    sizes=st.lists(st.integers(6, 40), min_size=1, max_size=4),
    n_splits=st.integers(2, 6),
    gap=st.integers(0, 3),
)
@settings(max_examples=40, deadline=None)
def test_blocked_folds_gap_property(sizes, n_splits, gap):
    groups = np.concatenate([np.full(n, s) for s, n in enumerate(sizes)])
    position = np.concatenate([np.arange(n) for n in sizes])
    if min(sizes) < n_splits:
        return
    for train, test in BlockedSubjectKFold(n_splits, gap=gap).split(groups, groups=groups):
        for s in np.unique(groups):
            te = position[test][groups[test] == s]
            tr = position[train][groups[train] == s]
            assert np.array_equal(te, np.arange(te.min(), te.max() + 1))  # contiguous
            if tr.size:
                dist = np.abs(tr[:, None] - te[None, :]).min()
                assert dist > gap


def test_blocked_split_errors():
    groups = np.repeat([0, 1], [10, 3])
    with pytest.raises(ValueError, match="Subject 1 has 3 windows"):
        list(BlockedSubjectKFold(5).split(groups, groups=groups))
    with pytest.raises(ValueError, match="needs groups"):
        list(BlockedSubjectKFold(5).split(groups))
    with pytest.raises(ValueError, match="n_splits"):
        list(BlockedSubjectKFold(1).split(groups, groups=groups))
    with pytest.raises(ValueError, match="gap"):
        list(BlockedSubjectKFold(2, gap=-1).split(groups, groups=groups))


# ------------------------------------------------------------------- probes
def test_subject_probe_scores_and_ci():
    rng = np.random.default_rng(0)
    subjects = np.repeat([0, 1, 2, 3], 30)
    informative = rng.normal(size=(120, 4)) + 2 * np.eye(4)[subjects]
    uninformative = rng.normal(size=(120, 4))
    good = subject_probe(informative, subjects, probe=LogisticRegression())
    bad = subject_probe(uninformative, subjects, probe=LogisticRegression())
    assert good.mean > 0.8 and bad.mean < 0.5
    m, s, h = mean_ci95(good.scores)
    assert (good.mean, good.std, good.ci95) == (m, s, h)
    assert good.runs == [0, 1, 2, 3, 4] and good.to_dict()["task"] == "subject"


def test_subject_probe_default_linear_probe():
    rng = np.random.default_rng(0)
    subjects = np.repeat(["s1", "s2"], 25)
    X = rng.normal(size=(50, 3)).astype(np.float32) + 3 * (subjects == "s1")[:, None]
    res = subject_probe(X, subjects, probe=LinearProbe(max_epochs=20, lr=0.05, device="cpu",
                                                       random_state=0))
    assert res.mean > 0.8 and len(res.scores) == 5


def _activity_data(rng, activities, type_of, n=12):
    y = np.repeat(activities, n)
    is_type = np.array([[type_of[a] == t for t in sorted(set(type_of.values()))] for a in y])
    X = 3 * is_type.astype(float) + rng.normal(size=is_type.shape)
    return X, y


def test_activity_type_probe_two_groups_like_the_paper():
    rng = np.random.default_rng(0)
    types = {"periodic": ["walk", "up", "down"], "stable": ["sit", "stand", "lie"]}
    type_of = {a: t for t, acts in types.items() for a in acts}
    X, y = _activity_data(rng, sum(types.values(), []), type_of)
    res = activity_type_probe(X, y, types, probe=LogisticRegression())
    assert len(res.runs) == 9  # 3 x 3, as in the paper's UCI-HAR setting
    assert sorted(res.runs) == sorted(itertools.product(*types.values()))
    assert res.mean > 0.9
    assert res.ci95 == pytest.approx(mean_ci95(res.scores)[2])


def test_activity_type_probe_three_groups_and_unlisted_activities():
    rng = np.random.default_rng(1)
    types = {"periodic": ["walk", "up", "down"], "stable": ["sit", "stand", "lie"],
             "transition": ["sit-stand", "stand-sit"]}
    type_of = {a: t for t, acts in types.items() for a in acts}
    X, y = _activity_data(rng, sum(types.values(), []), type_of)
    X = np.vstack([X, rng.normal(size=(5, 3))])
    y = np.concatenate([y, ["unlabelled"] * 5])
    res = activity_type_probe(X, y, types, probe=LogisticRegression())
    assert len(res.runs) == 3 * 3 * 2
    assert all(len(r) == 3 for r in res.runs)
    assert res.mean > 0.9


def test_activity_type_probe_errors():
    X, y = np.zeros((6, 2)), np.array(["a", "b", "c", "d", "e", "f"])
    with pytest.raises(ValueError, match="at least 2 activities"):
        activity_type_probe(X, y, {"p": ["a", "b"], "s": ["c"]})
    with pytest.raises(ValueError, match="more than one type"):
        activity_type_probe(X, y, {"p": ["a", "b"], "s": ["b", "c"]})
    with pytest.raises(ValueError, match="at least two types"):
        activity_type_probe(X, y, {"p": ["a", "b"]})
    with pytest.raises(ValueError, match="entries"):
        activity_type_probe(X, y[:-1], {"p": ["a", "b"], "s": ["c", "d"]})
