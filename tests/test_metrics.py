import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.cluster import KMeans
from sklearn.model_selection import GridSearchCV

from sktime_har.metrics import clustering_accuracy, clustering_accuracy_scorer


@given(
    st.lists(st.integers(0, 4), min_size=1, max_size=40),
    st.permutations(range(5)),
)
@settings(max_examples=50, deadline=None)
def test_invariant_to_cluster_relabelling(labels, perm):
    y_pred = np.array(labels)
    y_true = (y_pred + 1) % 3
    relabelled = np.array(perm)[y_pred]
    assert clustering_accuracy(y_true, y_pred) == pytest.approx(
        clustering_accuracy(y_true, relabelled)
    )


def test_hand_made_cases():
    assert clustering_accuracy([0, 0, 1, 1], [1, 1, 0, 0]) == 1.0
    # best matching: cluster 0 -> class 0 (2 hits), cluster 1 -> class 1 (1 hit)
    assert clustering_accuracy([0, 0, 0, 1, 1], [0, 0, 1, 1, 0]) == pytest.approx(3 / 5)
    # more clusters than classes: extra clusters are errors
    assert clustering_accuracy([0, 0, 1, 1], [0, 1, 2, 3]) == 0.5
    # fewer clusters than classes
    assert clustering_accuracy(["a", "b", "c"], [0, 0, 0]) == pytest.approx(1 / 3)


def test_bad_input():
    with pytest.raises(ValueError, match="same length"):
        clustering_accuracy([0, 1], [0])
    with pytest.raises(ValueError, match="at least one"):
        clustering_accuracy([], [])


def test_scorer_in_grid_search():
    rng = np.random.default_rng(0)
    X = np.concatenate([rng.normal(0, 0.1, (20, 2)), rng.normal(3, 0.1, (20, 2))])
    y = np.repeat([0, 1], 20)
    search = GridSearchCV(
        KMeans(n_init=3, random_state=0), {"n_clusters": [2, 4]},
        scoring=clustering_accuracy_scorer, cv=2,
    ).fit(X, y)
    assert search.best_params_ == {"n_clusters": 2}
