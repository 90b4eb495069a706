"""Subject-wise K-fold cross-validation."""

from __future__ import annotations

import time

from sklearn.model_selection import GroupKFold, cross_validate

from sktime_har.evaluation._statistics import mean_confidence_interval
from sktime_har.utils._docstrings import fill_doc
from sktime_har.utils.validation import check_estimator_instance, check_labels, check_samples


@fill_doc
def subject_cross_validation(
    estimator, X, y, groups, *, n_splits: int = 5, scoring: str = "f1_macro",
    confidence: float = 0.95, n_jobs=None,
) -> dict:
    """Score an estimator with K folds that never split a subject.

    The protocol of Table III of [1]_: subjects are partitioned into
    ``n_splits`` folds (``GroupKFold``); each fold is the test set once.
    Unlike the paper no validation subset is carved out of the training
    folds (nothing here selects hyperparameters on it). For an SSL encoder
    pass a ``Pipeline`` of the encoder and a head: both are refitted on the
    training folds only, so the test subjects stay unseen by pretraining too.

    Parameters
    ----------
    estimator : sklearn estimator or Pipeline
        Cloned per fold.
    X : array-like of shape (n_samples, n_channels, n_timesteps)
        Windows.
    y : array-like of shape (n_samples,)
        Labels.
    groups : array-like of shape (n_samples,)
        Subject ids.
    n_splits : int, default=5
        Number of folds.
    scoring : str, default="f1_macro"
        Scorer name.
    confidence : float, default=0.95
        Coverage of the Student-t interval over folds.
    n_jobs : int or None, default=None
        Passed to ``cross_validate``.

    Returns
    -------
    result : dict
        ``{"f1": mean score, "ci95": half-width, "scores": per fold, "wall_s"}``.

    See Also
    --------
    sklearn.model_selection.GroupKFold : the folds.

    References
    ----------
    .. [1] %(cite_dynamic_temperature)s, Table III.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.dummy import DummyClassifier
    >>> from sktime_har.evaluation import subject_cross_validation
    >>> X = np.zeros((12, 2)); y = np.r_[[0] * 6, [1] * 6]; g = np.arange(12) % 4
    >>> res = subject_cross_validation(DummyClassifier(), X, y, g, n_splits=2)
    >>> len(res["scores"])
    2
    """
    check_estimator_instance(estimator)
    X = check_samples(X, owner="subject_cross_validation")
    y = check_labels(y, len(X))
    groups = check_labels(groups, len(X), name="groups")
    start = time.perf_counter()
    result = cross_validate(
        estimator, X, y, groups=groups, cv=GroupKFold(n_splits), scoring=scoring, n_jobs=n_jobs
    )
    scores = [float(s) for s in result["test_score"]]
    mean, half_width = mean_confidence_interval(scores, confidence)
    return {"f1": mean, "ci95": half_width, "scores": scores,
            "wall_s": time.perf_counter() - start}
