"""Linear evaluation: a head trained on the features of a frozen encoder."""

from __future__ import annotations

import time

from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sktime_har.evaluation._mlp_head import MLPHeadClassifier
from sktime_har.utils._docstrings import fill_doc
from sktime_har.utils.validation import check_fitted_estimator, check_labels, check_samples

HEADS = ("linear", "mlp")


def make_head(kind: str = "linear", random_state=None, device: str = "auto", *,
              max_iter: int = 1000, C: float = 1.0):
    """Classifier trained on frozen features in the evaluation protocols.

    ``"linear"`` is the standard linear-evaluation head: multinomial logistic
    regression (L2 with inverse strength ``C``, lbfgs, up to ``max_iter``
    iterations) on standardised features. ``"mlp"`` is the paper's prediction
    MLP (256-128, ReLU, dropout 0.2, Adam 1e-4, 50 epochs), see
    :class:`MLPHeadClassifier`.

    Parameters
    ----------
    kind : {"linear", "mlp"}, default="linear"
        Which head.
    random_state : int, RandomState or None, default=None
        Seed of the head.
    device : str, default="auto"
        Torch device of the MLP head.
    max_iter : int, default=1000
        Iteration cap of the logistic regression.
    C : float, default=1.0
        Inverse L2 strength of the logistic regression; smaller is stronger.
        Choose it on validation subjects, e.g. with few labels per class.

    Returns
    -------
    head : sklearn classifier
        Unfitted head.

    See Also
    --------
    linear_evaluation : fits such a head on frozen features.
    MLPHeadClassifier : the ``"mlp"`` head.

    Examples
    --------
    >>> from sktime_har.evaluation import make_head
    >>> make_head("linear")[-1].__class__.__name__
    'LogisticRegression'
    >>> make_head("linear", C=0.1)[-1].C
    0.1
    """
    if kind == "linear":
        if isinstance(C, bool) or not isinstance(C, (int, float)) or not C > 0:
            raise ValueError(f"C must be a positive number; got {C!r}.")
        return make_pipeline(
            StandardScaler(),
            LogisticRegression(C=C, max_iter=max_iter, random_state=random_state),
        )
    if kind == "mlp":
        return MLPHeadClassifier(random_state=random_state, device=device)
    raise ValueError(f"head must be one of {HEADS}; got {kind!r}.")


@fill_doc
def linear_evaluation(
    encoder, X_train, y_train, X_test, y_test, *, head="linear", random_state=None
) -> dict:
    """Macro F1 on a test set of a head trained on a frozen encoder's features.

    The representation-learning protocol of [1]_: the fitted encoder is not
    updated; ``head`` is fitted on ``encoder.transform(X_train)`` and scored
    on ``encoder.transform(X_test)``.

    Parameters
    ----------
    encoder : fitted transformer
        Anything with ``transform`` (an SSL encoder, a random encoder, the
        autoencoder), or ``None`` to use ``X`` as features directly.
    X_train : array-like
        Training windows (or features when ``encoder`` is None).
    y_train : array-like of shape (n_samples,)
        Training labels.
    X_test : array-like
        Test windows (or features).
    y_test : array-like of shape (n_samples,)
        Test labels.
    head : {"linear", "mlp"} or sklearn classifier, default="linear"
        See :func:`make_head`; an estimator is cloned.
    random_state : int, RandomState or None, default=None
        Seed of the head.

    Returns
    -------
    result : dict
        ``{"f1": macro F1 in [0, 1], "wall_s": seconds for features + head}``.

    See Also
    --------
    make_head : the heads.
    semi_supervised_evaluation : the same with few labels.

    References
    ----------
    .. [1] %(cite_dynamic_temperature)s, Section V-A.

    Examples
    --------
    >>> import numpy as np
    >>> from sktime_har.evaluation import linear_evaluation
    >>> X = np.r_[np.zeros((10, 3)), np.ones((10, 3))]; y = np.r_[[0] * 10, [1] * 10]
    >>> linear_evaluation(None, X, y, X, y)["f1"]
    1.0
    """
    start = time.perf_counter()
    X_train = check_samples(X_train, name="X_train", owner="linear_evaluation")
    X_test = check_samples(X_test, name="X_test", owner="linear_evaluation")
    y_train = check_labels(y_train, len(X_train), name="y_train")
    y_test = check_labels(y_test, len(X_test), name="y_test")
    if encoder is not None:
        check_fitted_estimator(encoder, name="encoder", methods=("transform",))
        X_train, X_test = encoder.transform(X_train), encoder.transform(X_test)
    model = make_head(head, random_state) if isinstance(head, str) else clone(head)
    model.fit(X_train, y_train)
    f1 = f1_score(y_test, model.predict(X_test), average="macro")
    return {"f1": float(f1), "wall_s": time.perf_counter() - start}
