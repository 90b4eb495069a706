"""Semi-supervised protocol: k labelled windows per class, repeated draws."""

from __future__ import annotations

import time

import numpy as np
from sklearn.base import clone
from sklearn.metrics import f1_score
from sklearn.utils import check_random_state

from sktime_har.evaluation._statistics import mean_confidence_interval
from sktime_har.model_selection import sample_per_class
from sktime_har.utils._docstrings import fill_doc
from sktime_har.utils.validation import check_estimator_instance, check_labels, check_samples

K_VALUES = (1, 2, 5, 10, 25, 50, 100)


@fill_doc
def semi_supervised_evaluation(
    estimator,
    X_train,
    y_train,
    X_test,
    y_test,
    *,
    k_values=K_VALUES,
    n_repeats: int = 10,
    confidence: float = 0.95,
    random_state=None,
) -> list[dict]:
    """Macro F1 when only ``k`` labelled training windows per class are available.

    For each ``k`` and each of ``n_repeats`` draws, ``k`` windows per class
    are sampled from the training split (:func:`sktime_har.model_selection.sample_per_class`),
    a clone of ``estimator`` is fitted on them and scored on the whole test
    split. The result per ``k`` is the mean macro F1 and the half-width of its
    Student-t confidence interval over the repeats
    (:func:`mean_confidence_interval`).

    For a frozen SSL encoder pass its features and a head
    (``estimator=make_head("linear")``, ``X_train=encoder.transform(X_train)``):
    pretraining used all unlabelled windows, once. For the supervised
    baseline pass an unfitted classifier and the raw windows: it is trained
    end to end on each labelled subset.

    Parameters
    ----------
    estimator : sklearn classifier
        Cloned for every draw.
    X_train : array-like
        Training pool (windows or features).
    y_train : array-like of shape (n_samples,)
        Training labels.
    X_test : array-like
        Test set.
    y_test : array-like of shape (n_samples,)
        Test labels.
    k_values : sequence of int, default=(1, 2, 5, 10, 25, 50, 100)
        Labelled windows per class (paper: these seven).
    n_repeats : int, default=10
        Draws per ``k`` (paper: 10).
    confidence : float, default=0.95
        Coverage of the interval.
    random_state : int, RandomState or None, default=None
        Seed of the draws; each draw's estimator gets ``random_state`` set
        from it when it has that parameter.

    Returns
    -------
    rows : list of dict
        One per ``k``: ``{"k", "f1" (mean), "ci95" (half-width), "scores",
        "wall_s"}``.

    See Also
    --------
    sktime_har.model_selection.sample_per_class : the draw.
    mean_confidence_interval : the interval.

    References
    ----------
    .. [1] %(cite_dynamic_temperature)s, Section V-B.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.neighbors import KNeighborsClassifier
    >>> from sktime_har.evaluation import semi_supervised_evaluation
    >>> X = np.r_[np.zeros((10, 2)), np.ones((10, 2))]; y = np.r_[[0] * 10, [1] * 10]
    >>> rows = semi_supervised_evaluation(KNeighborsClassifier(1), X, y, X, y,
    ...                                   k_values=(1, 2), n_repeats=3, random_state=0)
    >>> [(r["k"], r["f1"]) for r in rows]
    [(1, 1.0), (2, 1.0)]
    """
    if isinstance(n_repeats, bool) or not isinstance(n_repeats, (int, np.integer)) or n_repeats < 1:
        raise ValueError(f"n_repeats must be a positive integer; got {n_repeats!r}.")
    check_estimator_instance(estimator, methods=("predict", "get_params"))
    X_train = check_samples(X_train, name="X_train", owner="semi_supervised_evaluation")
    X_test = check_samples(X_test, name="X_test", owner="semi_supervised_evaluation")
    y_train = check_labels(y_train, len(X_train), name="y_train")
    y_test = check_labels(y_test, len(X_test), name="y_test")
    rng = check_random_state(random_state)
    has_seed = "random_state" in estimator.get_params()
    rows = []
    for k in k_values:
        start = time.perf_counter()
        scores = []
        for _ in range(n_repeats):
            idx = sample_per_class(y_train, k, random_state=rng.randint(2**31 - 1))
            model = clone(estimator)
            if has_seed:
                model.set_params(random_state=int(rng.randint(2**31 - 1)))
            model.fit(X_train[idx], y_train[idx])
            scores.append(f1_score(y_test, model.predict(X_test), average="macro"))
        mean, half_width = mean_confidence_interval(scores, confidence)
        rows.append({"k": int(k), "f1": mean, "ci95": half_width,
                     "scores": [float(s) for s in scores],
                     "wall_s": time.perf_counter() - start})
    return rows
