"""Test-time occlusion of randomly chosen channels, as an sklearn scorer with a full report."""

from __future__ import annotations

import numbers
from dataclasses import dataclass, field

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.metrics import get_scorer, recall_score

from sktime_har.inspection._ci import mean_ci95
from sktime_har.utils._docstrings import fill_doc
from sktime_har.utils._params import store_init_params
from sktime_har.utils._torch import seed_from
from sktime_har.utils.validation import check_fitted_estimator, check_labels, check_windows


def _check_n_masked(k, n_channels: int) -> int:
    if isinstance(k, bool) or not isinstance(k, numbers.Integral) or k < 0:
        raise ValueError(f"n_masked must be a non-negative integer; got {k!r}.")
    if k > n_channels:
        raise ValueError(
            f"n_masked={k} is larger than the number of channels ({n_channels}); "
            f"at most {n_channels} distinct channels can be masked."
        )
    return int(k)


def mask_random_channels(X: np.ndarray, n_masked: int, rng: np.random.Generator) -> np.ndarray:
    """Replace ``n_masked`` distinct random channels of every window with N(0, 1) noise.

    Each window draws its own channel subset (a random permutation's first
    ``n_masked`` entries, so the channels are distinct), as in the test-time
    occlusion experiment of the paper.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_channels, n_timesteps)
        Windows (not modified).
    n_masked : int
        Channels to mask per window, ``0 <= n_masked <= n_channels``.
    rng : numpy.random.Generator
        Source of the channel choice and the noise.

    Returns
    -------
    X_masked : ndarray of shape (n_samples, n_channels, n_timesteps), float32
        A masked copy.

    See Also
    --------
    OcclusionScorer : Scores an estimator on masked copies.

    Examples
    --------
    >>> import numpy as np
    >>> from sktime_har.inspection import mask_random_channels
    >>> Xm = mask_random_channels(np.zeros((3, 6, 5)), 2, np.random.default_rng(0))
    >>> (Xm != 0).all(axis=2).sum(axis=1)
    array([2, 2, 2])
    """
    X = check_windows(X, name="X").copy()
    n, c, t = X.shape
    k = _check_n_masked(n_masked, c)
    if k == 0:
        return X
    chosen = np.argsort(rng.random((n, c)), axis=1)[:, :k]  # distinct per row
    rows = np.repeat(np.arange(n), k)
    X[rows, chosen.ravel()] = rng.standard_normal((n * k, t), dtype=np.float32)
    return X


class _CachedPredictions(ClassifierMixin, BaseEstimator):
    """Serve one set of predictions to an sklearn scorer without predicting again.

    ``evaluate`` needs both the metric and per-class recall for every masked
    copy; this proxy lets a predict-based scorer reuse the predictions, and
    forwards probability-based responses to the real estimator.
    """

    def __init__(self, estimator, X, y_pred):
        self.estimator = estimator
        self.X = X
        self.y_pred = y_pred
        self.classes_ = getattr(estimator, "classes_", np.unique(y_pred))

    def predict(self, X):
        return self.y_pred

    def __getattr__(self, name):
        if name in ("predict_proba", "decision_function", "predict_log_proba"):
            return getattr(self.estimator, name)
        raise AttributeError(name)


@dataclass
class OcclusionReport:
    """Results of :meth:`OcclusionScorer.evaluate`.

    Attributes
    ----------
    n_masked : list of int
        Numbers of masked channels, in evaluation order.
    metric : str
        Name of the metric.
    scores : ndarray of shape (n_k, n_repeats)
        Metric per masked count and repeat (``k = 0`` is evaluated once and
        repeated, since nothing random happens).
    mean : ndarray of shape (n_k,)
        Mean of ``scores`` over repeats.
    std : ndarray of shape (n_k,)
        Sample standard deviation (``ddof=1``) of ``scores`` over repeats.
    ci95 : ndarray of shape (n_k,)
        Half-width of the 95 % t-interval of the mean (see :func:`mean_ci95`).
    classes : ndarray of shape (n_classes,)
        Class labels of the recall columns.
    recall : ndarray of shape (n_k, n_classes)
        Per-class recall averaged over repeats.
    recall_drop : dict of str to ndarray of shape (n_classes,)
        ``"0->1"`` and ``"1->2"`` (when those counts were evaluated): recall
        at the smaller count minus recall at the larger one, so a positive
        value is a drop (the paper's Tables 3-4 report its absolute value).

    See Also
    --------
    OcclusionScorer.evaluate : Produces the report (its Examples use it).
    sktime_har.plotting.plot_occlusion_curve : Draws it.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.dummy import DummyClassifier
    >>> from sktime_har.inspection import OcclusionScorer
    >>> X, y = np.zeros((6, 3, 8), dtype="float32"), np.array([0, 0, 0, 1, 1, 1])
    >>> clf = DummyClassifier(strategy="most_frequent").fit(X, y)
    >>> scorer = OcclusionScorer(n_repeats=2, metric="accuracy", random_state=0)
    >>> report = scorer.evaluate(clf, X, y, n_masked=[0, 1])
    >>> report.mean.tolist(), report.recall.tolist()
    ([0.5, 0.5], [[1.0, 0.0], [1.0, 0.0]])
    >>> report.to_dict()["recall_drop"]
    {'0->1': [0.0, 0.0]}
    """

    n_masked: list
    metric: str
    scores: np.ndarray
    mean: np.ndarray
    std: np.ndarray
    ci95: np.ndarray
    classes: np.ndarray
    recall: np.ndarray
    recall_drop: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        """JSON-ready dictionary of plain lists and floats.

        Returns
        -------
        report : dict
            The fields as keys; arrays become (nested) lists and class labels
            plain Python scalars, so ``json.dumps`` accepts it.
        """
        def plain(a):
            return np.asarray(a).tolist()

        return {
            "n_masked": list(self.n_masked),
            "metric": self.metric,
            "scores": plain(self.scores),
            "mean": plain(self.mean),
            "std": plain(self.std),
            "ci95": plain(self.ci95),
            "classes": [c.item() if hasattr(c, "item") else c for c in self.classes],
            "recall": plain(self.recall),
            "recall_drop": {k: plain(v) for k, v in self.recall_drop.items()},
        }


@fill_doc
class OcclusionScorer:
    """Score a fitted estimator on test windows with random channels masked by noise.

    For every window, ``n_masked`` distinct channels chosen at random are
    replaced by N(0, 1) noise (the test-time occlusion experiment of
    Khaertdinov & Asteriadis, 2023, Figure 2); the metric is averaged over
    ``n_repeats`` random maskings. Calling the scorer follows scikit-learn's
    scorer protocol, ``scorer(estimator, X, y) -> float`` (higher is better),
    so it plugs into ``cross_validate(scoring=...)`` and ``GridSearchCV``.
    :meth:`evaluate` returns the whole curve over masked counts with
    confidence intervals and per-class recall.

    Parameters
    ----------
    n_masked : int, default=1
        Distinct channels masked per window (``0`` scores the clean data).
    n_repeats : int, default=10
        Random maskings (seeds) averaged.
    metric : str or callable, default="f1_macro"
        An sklearn scoring name or a scorer callable ``(estimator, X, y)``.
    random_state : int, RandomState instance or None, default=None
        Seed. With an int the maskings depend only on ``(random_state, k,
        repeat)``, so different estimators see the same masks (paired
        comparison).

    See Also
    --------
    ChannelOcclusion : Occlude fixed channels in training and test data.
    mask_random_channels : The masking itself.

    References
    ----------
    .. [1] %(cite_inspection)s.

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import FunctionTransformer
    >>> from sktime_har.datasets import make_activity_windows
    >>> from sktime_har.inspection import OcclusionScorer
    >>> X, y, _ = make_activity_windows(120, n_timesteps=16, random_state=0)
    >>> flat = FunctionTransformer(lambda X: X.reshape(len(X), -1))
    >>> clf = make_pipeline(flat, LogisticRegression(max_iter=200)).fit(X, y)
    >>> scorer = OcclusionScorer(n_masked=2, n_repeats=3, random_state=0)
    >>> 0.0 <= scorer(clf, X, y) <= 1.0
    True
    >>> report = scorer.evaluate(clf, X, y, n_masked=range(0, 3))
    >>> report.mean.shape, sorted(report.recall_drop)
    ((3,), ['0->1', '1->2'])
    """

    def __init__(self, *, n_masked=1, n_repeats=10, metric="f1_macro", random_state=None):
        store_init_params(self, locals())

    def __repr__(self) -> str:
        return (
            f"OcclusionScorer(n_masked={self.n_masked!r}, n_repeats={self.n_repeats!r}, "
            f"metric={self.metric!r}, random_state={self.random_state!r})"
        )

    def _setup(self, estimator, X, y):
        check_fitted_estimator(estimator, methods=("predict",))
        X_checked = check_windows(X, owner="OcclusionScorer")
        two_d = np.ndim(X) == 2  # one channel; masked copies go back in 2D
        y = check_labels(y, len(X_checked))
        if (
            isinstance(self.n_repeats, bool)
            or not isinstance(self.n_repeats, numbers.Integral)
            or self.n_repeats < 1
        ):
            raise ValueError(f"n_repeats must be a positive integer; got {self.n_repeats!r}.")
        scorer = self.metric if callable(self.metric) else get_scorer(self.metric)
        return X_checked, y, scorer, seed_from(self.random_state), two_d

    @staticmethod
    def _rng(seed: int, k: int, repeat: int) -> np.random.Generator:
        return np.random.default_rng([seed, k, repeat])

    def _masked(self, X: np.ndarray, k: int, seed: int, repeat: int, two_d: bool):
        X_masked = mask_random_channels(X, k, self._rng(seed, k, repeat))
        return X_masked[:, 0, :] if two_d else X_masked

    def __call__(self, estimator, X, y) -> float:
        """Mean metric over ``n_repeats`` random maskings of ``n_masked`` channels.

        Parameters
        ----------
        estimator : fitted estimator
            Any classifier or Pipeline that takes 3D windows.
        X : array-like of shape (n_samples, n_channels, n_timesteps)
            Test windows.
        y : array-like of shape (n_samples,)
            True labels.

        Returns
        -------
        score : float
            Metric averaged over the ``n_repeats`` maskings (one evaluation
            when ``n_masked=0``).
        """
        X, y, scorer, seed, two_d = self._setup(estimator, X, y)
        k = _check_n_masked(self.n_masked, X.shape[1])
        repeats = 1 if k == 0 else self.n_repeats
        scores = [
            scorer(estimator, self._masked(X, k, seed, r, two_d), y)
            for r in range(repeats)
        ]
        return float(np.mean(scores))

    def evaluate(self, estimator, X, y, n_masked=range(0, 6)) -> OcclusionReport:
        """Occlusion curve: metric with 95 % CI and per-class recall for each masked count.

        Parameters
        ----------
        estimator : fitted estimator
            Classifier or Pipeline taking 3D windows and returning labels
            from ``predict``.
        X : array-like of shape (n_samples, n_channels, n_timesteps)
            Test windows.
        y : array-like of shape (n_samples,)
            True labels.
        n_masked : iterable of int, default=range(0, 6)
            Masked channel counts to evaluate (``k = 0``: clean data).

        Returns
        -------
        report : OcclusionReport
            Scores per masked count and repeat with their mean, standard
            deviation and 95 % CI half-width, per-class recall and recall drops.
        """
        X, y, scorer, seed, two_d = self._setup(estimator, X, y)
        ks = [_check_n_masked(k, X.shape[1]) for k in n_masked]
        if not ks:
            raise ValueError("n_masked must list at least one count to evaluate.")
        classes = np.unique(y)
        scores = np.empty((len(ks), self.n_repeats))
        recall = np.empty((len(ks), len(classes)))
        for i, k in enumerate(ks):
            per_repeat, recalls = [], []
            for r in range(1 if k == 0 else self.n_repeats):
                X_masked = self._masked(X, k, seed, r, two_d)
                y_pred = np.asarray(estimator.predict(X_masked))
                per_repeat.append(
                    scorer(_CachedPredictions(estimator, X_masked, y_pred), X_masked, y)
                )
                recalls.append(
                    recall_score(y, y_pred, labels=classes, average=None, zero_division=0)
                )
            scores[i] = per_repeat if k else per_repeat * self.n_repeats
            recall[i] = np.mean(recalls, axis=0)
        stats = [mean_ci95(row) for row in scores]
        drops = {}
        for a, b in ((0, 1), (1, 2)):
            if a in ks and b in ks:
                drops[f"{a}->{b}"] = recall[ks.index(a)] - recall[ks.index(b)]
        return OcclusionReport(
            n_masked=ks,
            metric=self.metric if isinstance(self.metric, str) else repr(self.metric),
            scores=scores,
            mean=np.array([s[0] for s in stats]),
            std=np.array([s[1] for s in stats]),
            ci95=np.array([s[2] for s in stats]),
            classes=classes,
            recall=recall,
            recall_drop=drops,
        )
