"""Representation probing: subject heterogeneity and activity type (paper 004, section 3.4)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
from sklearn.base import clone
from sklearn.metrics import f1_score

from sktime_har.inspection._blocked_split import BlockedSubjectKFold
from sktime_har.inspection._ci import mean_ci95
from sktime_har.inspection._linear_probe import LinearProbe
from sktime_har.utils._docstrings import fill_doc
from sktime_har.utils.validation import check_estimator_instance, check_labels, check_samples


@dataclass
class ProbeResult:
    """Macro F1 of a probing task over its runs.

    Attributes
    ----------
    task : str
        ``"subject"`` or ``"activity type"``.
    mean : float
        Mean macro F1 over runs (folds or hold-out combinations).
    std : float
        Sample standard deviation (``ddof=1``) of the macro F1 over runs.
    ci95 : float
        Half-width of the 95 % t-interval of the mean (see :func:`mean_ci95`).
    scores : ndarray of shape (n_runs,)
        Macro F1 per run.
    runs : list
        What each run held out (fold number or the tuple of held-out activities).

    See Also
    --------
    subject_probe, activity_type_probe : Produce it (their Examples use it).

    Examples
    --------
    >>> import numpy as np
    >>> from sktime_har.inspection import ProbeResult, mean_ci95
    >>> scores = [0.8, 0.9, 1.0]
    >>> res = ProbeResult("subject", *mean_ci95(scores), scores=np.array(scores), runs=[0, 1, 2])
    >>> round(res.mean, 3), round(res.ci95, 3)
    (0.9, 0.248)
    >>> res.to_dict()["runs"]
    [0, 1, 2]
    """

    task: str
    mean: float
    std: float
    ci95: float
    scores: np.ndarray
    runs: list

    def to_dict(self) -> dict:
        """JSON-ready dictionary.

        Returns
        -------
        result : dict
            The fields as keys; ``scores`` becomes a list and numpy scalars
            in ``runs`` plain Python values, so ``json.dumps`` accepts it.
        """
        def plain(v):
            return v.item() if hasattr(v, "item") else v

        return {
            "task": self.task,
            "mean": self.mean,
            "std": self.std,
            "ci95": self.ci95,
            "scores": np.asarray(self.scores).tolist(),
            "runs": [
                [plain(a) for a in r] if isinstance(r, tuple) else plain(r) for r in self.runs
            ],
        }


def _default_probe(probe, random_state):
    # The paper's probe: a linear softmax layer, 10 epochs, learning rate 1e-4.
    if probe is None:
        return LinearProbe(random_state=random_state)
    check_estimator_instance(probe, name="probe", methods=("predict",))
    return probe


def _result(task: str, scores, runs) -> ProbeResult:
    mean, std, half = mean_ci95(scores)
    return ProbeResult(task, mean, std, half, np.asarray(scores, dtype=float), runs)


@fill_doc
def subject_probe(X, subjects, *, probe=None, n_splits=5, gap=1, random_state=None):
    """Subject-heterogeneity probe: predict the subject from frozen features.

    Folds come from :class:`BlockedSubjectKFold`: every subject is on both
    sides of each split, but as contiguous blocks in recording order with
    ``gap`` windows dropped at the block edges, so no two overlapping
    windows are split between training and test (random K-fold over
    50 %-overlapping windows, as in the paper's code, leaks neighbours and
    inflates the score). A low score means subject-invariant features.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features) or (n_samples, ...)
        Features (or whatever ``probe`` accepts), **in recording order within
        each subject**.
    subjects : array-like of shape (n_samples,)
        Subject id of every window (the probe's target).
    probe : classifier or None, default=None
        Cloned for every fold. ``None``: :class:`LinearProbe` with the
        paper's settings (10 epochs, learning rate 1e-4).
    n_splits : int, default=5
        Folds (paper: 5).
    gap : int, default=1
        Windows dropped from training on each side of every test block
        (1 is enough for 50 % overlap).
    random_state : int or None, default=None
        Seed of the default probe.

    Returns
    -------
    result : ProbeResult
        Mean macro F1 over folds with a 95 % t-interval.

    See Also
    --------
    activity_type_probe : The other probing task.

    References
    ----------
    .. [1] %(cite_inspection)s.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sktime_har.inspection import subject_probe
    >>> rng = np.random.default_rng(0)
    >>> subjects = np.repeat([0, 1, 2], 20)
    >>> features = rng.normal(size=(60, 3)) + 3 * np.eye(3)[subjects]
    >>> res = subject_probe(features, subjects, probe=LogisticRegression())
    >>> bool(res.mean > 0.9), len(res.scores)
    (True, 5)
    """
    X = check_samples(X, owner="subject_probe")
    subjects = check_labels(subjects, len(X), name="subjects")
    probe = _default_probe(probe, random_state)
    splitter = BlockedSubjectKFold(n_splits, gap=gap)
    scores, runs = [], []
    for fold, (train, test) in enumerate(splitter.split(X, groups=subjects)):
        fitted = clone(probe).fit(X[train], subjects[train])
        scores.append(f1_score(subjects[test], fitted.predict(X[test]), average="macro"))
        runs.append(fold)
    return _result("subject", scores, runs)


def activity_type_probe(X, y, activity_types, *, probe=None, random_state=None):
    """Activity-type probe: recognise the type of activities never seen in training.

    Activities are grouped into types (e.g. periodic / stable / transition).
    Each run holds out one activity of every type, trains ``probe`` to
    predict the type from the remaining activities and scores macro F1 over
    types on the held-out ones; runs cover all combinations (``3 x 3 = 9``
    for UCI-HAR's two groups as in the paper, ``3 x 3 x 6 = 54`` with the 6
    postural transitions as a third group). Windows whose activity is in no
    group are ignored.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features) or (n_samples, ...)
        Features (or whatever ``probe`` accepts).
    y : array-like of shape (n_samples,)
        Activity labels.
    activity_types : dict of str to list
        Type name -> activity labels of that type; every type needs at least
        two activities present in ``y`` (one to hold out, one to train on).
    probe : classifier or None, default=None
        Cloned for every run. ``None``: :class:`LinearProbe` with the paper's
        settings.
    random_state : int or None, default=None
        Seed of the default probe.

    Returns
    -------
    result : ProbeResult
        Mean macro F1 over hold-out combinations with a 95 % t-interval;
        ``runs`` lists the held-out activities of each run.

    See Also
    --------
    subject_probe : The other probing task.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sktime_har.inspection import activity_type_probe
    >>> rng = np.random.default_rng(0)
    >>> y = np.repeat(["walk", "run", "sit", "lie"], 10)
    >>> moving = np.isin(y, ["walk", "run"]).astype(float)
    >>> X = np.c_[moving + 0.1 * rng.normal(size=40), rng.normal(size=40)]
    >>> types = {"periodic": ["walk", "run"], "stable": ["sit", "lie"]}
    >>> res = activity_type_probe(X, y, types, probe=LogisticRegression())
    >>> res.mean, len(res.runs)
    (1.0, 4)
    """
    X = check_samples(X, owner="activity_type_probe")
    y = check_labels(y, len(X))
    if not isinstance(activity_types, dict) or len(activity_types) < 2:
        raise ValueError(
            "activity_types must be a dict with at least two types, e.g. "
            "{'periodic': [...], 'stable': [...]}."
        )
    present = set(np.unique(y).tolist())
    members = {}
    for name, acts in activity_types.items():
        acts = [a for a in acts if a in present]
        if len(acts) < 2:
            raise ValueError(
                f"Activity type {name!r} needs at least 2 activities present in y to hold "
                f"one out; found {acts} among the labels."
            )
        members[name] = acts
    type_of = {a: name for name, acts in members.items() for a in acts}
    if len(type_of) != sum(len(a) for a in members.values()):
        raise ValueError("An activity is listed under more than one type in activity_types.")
    in_groups = np.isin(y, list(type_of))
    target = np.array([type_of.get(a, "") for a in y.tolist()], dtype=object)
    probe = _default_probe(probe, random_state)
    scores, runs = [], []
    for held_out in itertools.product(*members.values()):
        test = np.isin(y, held_out)
        train = in_groups & ~test
        fitted = clone(probe).fit(X[train], target[train].astype(str))
        scores.append(
            f1_score(target[test].astype(str), fitted.predict(X[test]), average="macro")
        )
        runs.append(tuple(held_out))
    return _result("activity type", scores, runs)
