"""Find the library's public modules and estimators, for tests, docs and users."""

from __future__ import annotations

import importlib
import inspect

from sklearn.base import BaseEstimator, ClassifierMixin, ClusterMixin, TransformerMixin

#: The public subpackages, most specific first, so an object re-exported higher
#: up is reported under the subpackage that documents it. The docs and the
#: tests read this list; a new public subpackage is added here only.
PUBLIC_MODULES = (
    "sktime_har.datasets",
    "sktime_har.preprocessing",
    "sktime_har.metrics",
    "sktime_har.model_selection",
    "sktime_har.utils",
    "sktime_har.exceptions",
    "sktime_har.clustering",
    "sktime_har.ssl",
    "sktime_har.supervised",
    "sktime_har.inspection",
    "sktime_har.evaluation",
    "sktime_har.augment",
    "sktime_har.nn",
    "sktime_har.nn.losses",
    "sktime_har.plotting",
    "sktime_har.callbacks",
    "sktime_har",
)

_TYPE_MIXINS = {
    "classifier": ClassifierMixin,
    "cluster": ClusterMixin,
    "transformer": TransformerMixin,
}


def _is_torch_estimator(cls: type) -> bool:
    from sktime_har._training._engine import TorchEstimatorMixin

    return issubclass(cls, TorchEstimatorMixin)


def all_estimators(type_filter: str | None = None) -> list[tuple[str, type]]:
    """Every public scikit-learn estimator of the library, as ``(name, class)`` pairs.

    Parameters
    ----------
    type_filter : {"classifier", "cluster", "transformer", "torch"} or None, default=None
        Keep only classifiers, clusterers, transformers, or the estimators
        that train torch modules (those persistence can rebuild); ``None``
        keeps all.

    Returns
    -------
    estimators : list of (str, type)
        Sorted by name; each class once, from the ``__all__`` of
        :data:`PUBLIC_MODULES`; base classes (``Base*``) are left out, as in
        :func:`sklearn.utils.discovery.all_estimators`.

    Raises
    ------
    ValueError
        If ``type_filter`` is not one of the values above.

    See Also
    --------
    sklearn.utils.discovery.all_estimators : The same for scikit-learn.

    Examples
    --------
    >>> from sktime_har.utils.discovery import all_estimators
    >>> names = [name for name, _ in all_estimators("cluster")]
    >>> "DeepSensoryClustering" in names
    True
    >>> all(hasattr(cls, "fit") for _, cls in all_estimators())
    True
    """
    allowed = (*_TYPE_MIXINS, "torch")
    if type_filter is not None and type_filter not in allowed:
        raise ValueError(f"type_filter must be one of {allowed} or None; got {type_filter!r}.")
    found: dict[str, type] = {}
    for modname in PUBLIC_MODULES:
        module = importlib.import_module(modname)
        for name in getattr(module, "__all__", ()):
            obj = getattr(module, name)
            if (inspect.isclass(obj) and issubclass(obj, BaseEstimator)
                    and not inspect.isabstract(obj) and not name.startswith(("_", "Base"))):
                found.setdefault(name, obj)
    if type_filter == "torch":
        keep = _is_torch_estimator
    elif type_filter is not None:
        keep = lambda cls: issubclass(cls, _TYPE_MIXINS[type_filter])  # noqa: E731
    else:
        keep = lambda cls: True  # noqa: E731
    return sorted((name, cls) for name, cls in found.items() if keep(cls))
