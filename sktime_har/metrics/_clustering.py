"""Unsupervised clustering accuracy (Hungarian matching) and matching scorers."""

from __future__ import annotations

import numpy as np
from scipy.optimize import linear_sum_assignment
from sklearn.metrics import make_scorer, normalized_mutual_info_score
from sklearn.metrics.cluster import contingency_matrix

from sktime_har.utils._docstrings import fill_doc


@fill_doc
def clustering_accuracy(y_true, y_pred) -> float:
    """Accuracy of a clustering under the best one-to-one cluster-to-class matching.

    ``ACC = max_m (1/n) sum_i 1[y_i = m(c_i)]`` over one-to-one maps ``m`` from
    clusters to classes, found with the Hungarian algorithm
    (:func:`scipy.optimize.linear_sum_assignment`). When there are more
    clusters than classes, the unmatched clusters count as errors; when there
    are fewer, the unmatched classes do.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels, any hashable type.
    y_pred : array-like of shape (n_samples,)
        Cluster assignments, any hashable type.

    Returns
    -------
    accuracy : float
        In ``[0, 1]``.

    See Also
    --------
    clustering_accuracy_scorer : The same metric as a scorer for ``GridSearchCV``.
    sklearn.metrics.normalized_mutual_info_score : NMI, the other clustering figure.

    References
    ----------
    .. [1] %(cite_dsc)s.

    Examples
    --------
    >>> from sktime_har.metrics import clustering_accuracy
    >>> clustering_accuracy([0, 0, 1, 1], [1, 1, 0, 0])
    1.0
    >>> clustering_accuracy([0, 0, 1, 1], [0, 1, 2, 3])
    0.5
    """
    y_true = np.asarray(y_true)
    y_pred = np.asarray(y_pred)
    if y_true.ndim != 1 or y_pred.ndim != 1:
        raise ValueError(
            f"y_true and y_pred must be 1D; got shapes {y_true.shape} and {y_pred.shape}."
        )
    if y_true.shape[0] != y_pred.shape[0]:
        raise ValueError(
            f"y_true and y_pred must have the same length; got {y_true.shape[0]} "
            f"and {y_pred.shape[0]}."
        )
    if y_true.shape[0] == 0:
        raise ValueError("clustering_accuracy needs at least one sample.")
    counts = contingency_matrix(y_true, y_pred)  # classes x clusters
    rows, cols = linear_sum_assignment(counts, maximize=True)
    return float(counts[rows, cols].sum() / y_true.shape[0])


#: Scorer for ``GridSearchCV(..., scoring=clustering_accuracy_scorer)`` on a
#: clusterer with ``predict``.
clustering_accuracy_scorer = make_scorer(clustering_accuracy)

#: Normalised mutual information scorer for clusterers with ``predict``.
nmi_scorer = make_scorer(normalized_mutual_info_score)
