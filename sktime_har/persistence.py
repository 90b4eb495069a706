"""Weights-only saving and loading of fitted estimators.

``pickle`` (and ``joblib``) files can run arbitrary code when loaded, so they
are unsafe to exchange. :func:`save_weights` writes an estimator as plain data
instead: its class name, its hyperparameters, its fitted arrays and the
``state_dict`` of every torch module, all as CPU tensors and Python literals.
:func:`load_weights` reads the file with ``torch.load(weights_only=True)``,
which refuses anything but tensors and literals, rebuilds the untrained
network from the hyperparameters and loads the weights into it. Because every
tensor is stored on the CPU, a model trained on a GPU loads on a machine
without one.
"""

from __future__ import annotations

import importlib
import os
import pickle
from typing import Any

import numpy as np
import torch
from sklearn.base import BaseEstimator
from skorch.history import History

from sktime_har._training._engine import TorchEstimatorMixin
from sktime_har.utils._torch import resolve_device, seeded

__all__ = ["load_weights", "save_weights"]

_FORMAT = "sktime-har-weights"
_VERSION = 1
# Classes are re-created by import path; only these packages may be named.
_ALLOWED_PACKAGES = ("sktime_har.", "sklearn.")
_ARRAY_DTYPE_KINDS = "biufc"  # bool, (unsigned) integer, float, complex: stored as tensors


def save_weights(estimator: BaseEstimator, path: str | os.PathLike) -> None:
    """Save an estimator without pickled code: hyperparameters, arrays and weights.

    Parameters
    ----------
    estimator : estimator
        A sktime-har estimator, fitted or not (nested sktime-har or
        scikit-learn estimators, e.g. ``LinearProbe(encoder=...)``, are saved
        with it).
    path : str or path-like
        File to write (a torch zip archive; ``.pt`` is a good suffix).

    Raises
    ------
    TypeError
        If the estimator holds something that is not plain data, a torch
        module it can rebuild, or a nested estimator (for instance a fitted
        attribute of a third-party type).

    See Also
    --------
    load_weights : Read the file back.

    Notes
    -----
    Every tensor is copied to the CPU, so the file loads on any machine. The
    training history is kept; skorch's net objects and optimiser state are not
    (a loaded model predicts and transforms; refitting starts afresh).

    Examples
    --------
    >>> import os, tempfile
    >>> import numpy as np
    >>> from sktime_har.datasets import make_activity_windows
    >>> from sktime_har.persistence import load_weights, save_weights
    >>> from sktime_har.ssl import SimCLREncoder
    >>> X, _, _ = make_activity_windows(32, n_timesteps=16, random_state=0)
    >>> enc = SimCLREncoder(conv_channels=(4, 8), n_layers=1, n_heads=1, max_epochs=1,
    ...                     batch_size=16, device="cpu", random_state=0).fit(X)
    >>> path = os.path.join(tempfile.mkdtemp(), "encoder.pt")
    >>> save_weights(enc, path)
    >>> np.array_equal(load_weights(path).transform(X), enc.transform(X))
    True
    """
    payload = {"format": _FORMAT, "version": _VERSION,
               "estimator": _encode_estimator(estimator, "estimator")}
    torch.save(payload, path)


def load_weights(path: str | os.PathLike, *, device: str = "cpu") -> BaseEstimator:
    """Load an estimator written by :func:`save_weights`, without unpickling code.

    Parameters
    ----------
    path : str or path-like
        File written by :func:`save_weights`.
    device : {"cpu", "cuda", "auto"}, default="cpu"
        Where the loaded networks live (and run ``transform``/``predict``).
        The estimator's own ``device`` hyperparameter is kept for refitting.

    Returns
    -------
    estimator : estimator
        The estimator with its hyperparameters, fitted attributes and weights.

    Raises
    ------
    ValueError
        If the file is not a sktime-har weights file or holds objects other
        than tensors and Python literals (``torch.load(weights_only=True)``
        refuses them before anything runs).

    See Also
    --------
    save_weights : Write the file.

    Examples
    --------
    >>> import os, tempfile
    >>> from sktime_har.datasets import make_activity_windows
    >>> from sktime_har.persistence import load_weights, save_weights
    >>> from sktime_har.clustering import DeepSensoryClustering
    >>> X, _, _ = make_activity_windows(40, n_timesteps=16, random_state=0)
    >>> dsc = DeepSensoryClustering(n_clusters=3, hidden_size=4, embedding_dim=3,
    ...                             pretrain_epochs=1, max_refine_epochs=1, batch_size=16,
    ...                             device="cpu", random_state=0).fit(X)
    >>> path = os.path.join(tempfile.mkdtemp(), "dsc.pt")
    >>> save_weights(dsc, path)
    >>> (load_weights(path).predict(X) == dsc.predict(X)).all()
    np.True_
    """
    try:
        payload = torch.load(path, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as exc:
        raise ValueError(
            f"{os.fspath(path)!r} holds objects other than tensors and Python literals; "
            "load_weights refuses it without running them (use pickle only for files "
            f"you trust). torch said: {str(exc).splitlines()[0]}"
        ) from None
    if not isinstance(payload, dict) or payload.get("format") != _FORMAT:
        raise ValueError(f"{os.fspath(path)!r} is not a sktime-har weights file "
                         "(written by sktime_har.persistence.save_weights).")
    if payload.get("version") != _VERSION:
        raise ValueError(f"{os.fspath(path)!r} has weights format version "
                         f"{payload.get('version')!r}; this sktime-har reads version {_VERSION}.")
    target = resolve_device(device)
    with seeded(0, torch.device("cpu")):  # rebuilding draws random init: keep the user's RNG
        return _decode_estimator(payload["estimator"], target)


# --------------------------------------------------------------------- encoding
def _encode_estimator(est: BaseEstimator, where: str) -> dict:
    cls = type(est)
    name = f"{cls.__module__}.{cls.__qualname__}"
    if not isinstance(est, BaseEstimator) or not name.startswith(_ALLOWED_PACKAGES):
        raise TypeError(f"{where}: only sktime-har and scikit-learn estimators can be saved "
                        f"weights-only; got {name}.")
    params = est.get_params(deep=False)
    state = {k: v for k, v in vars(est).items() if k not in params}
    modules = {k: v for k, v in state.items() if isinstance(v, torch.nn.Module)}
    return {
        "class": name,
        "params": {k: _encode(v, f"{where}.{k}") for k, v in params.items()},
        "attributes": {k: _encode(v, f"{where}.{k}") for k, v in state.items()
                       if k not in modules},
        "modules": _encode_modules(modules),
    }


def _encode_modules(modules: dict[str, torch.nn.Module]) -> dict:
    """State dicts on the CPU; a module inside another one is stored as a path to it."""
    out: dict[str, Any] = {}
    stored: list[str] = []  # modules saved with their weights, largest first
    for name in sorted(modules, key=lambda k: -len(list(modules[k].modules()))):
        out[name] = _find_in(modules[name], {k: modules[k] for k in stored})
        if out[name] is None:
            stored.append(name)
            out[name] = {"state_dict": {k: v.detach().cpu().clone()
                                        for k, v in modules[name].state_dict().items()}}
    return out


def _find_in(module: torch.nn.Module, owners: dict[str, torch.nn.Module]) -> dict | None:
    for owner, parent in owners.items():
        for path, sub in parent.named_modules():
            if sub is module:
                return {"submodule_of": owner, "path": path}
    return None


def _encode(value: Any, where: str) -> Any:
    if isinstance(value, np.generic):  # first: np.float64 is also a float
        return _encode(value.item(), where)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, np.ndarray):
        if value.dtype.kind in _ARRAY_DTYPE_KINDS:
            return {"__ndarray__": torch.from_numpy(np.array(value, copy=True)),
                    "dtype": value.dtype.str}
        items = value.tolist()
        if value.dtype.kind in "US" or all(isinstance(v, str | int | float) for v in
                                             np.ravel(value)):
            return {"__ndarray__": items, "dtype": value.dtype.str}
        raise TypeError(f"{where}: arrays of {value.dtype} objects cannot be saved "
                        "weights-only.")
    if isinstance(value, torch.Tensor):
        return value.detach().cpu().clone()
    if isinstance(value, History):
        return {"__history__": _encode(list(value), where)}
    if isinstance(value, tuple):
        return tuple(_encode(v, where) for v in value)
    if isinstance(value, list):
        return [_encode(v, where) for v in value]
    if isinstance(value, dict):
        if not all(isinstance(k, str | int) for k in value):
            raise TypeError(f"{where}: only dicts with str or int keys can be saved.")
        return {"__dict__": [(k, _encode(v, f"{where}[{k!r}]")) for k, v in value.items()]}
    if isinstance(value, BaseEstimator):
        return {"__estimator__": _encode_estimator(value, where)}
    if isinstance(value, torch.device):
        return {"__device__": str(value)}
    raise TypeError(f"{where}: a {type(value).__name__} cannot be saved weights-only "
                    "(only arrays, tensors, Python literals, torch modules the estimator "
                    "rebuilds and nested estimators can).")


# --------------------------------------------------------------------- decoding
def _decode_estimator(data: dict, device: torch.device) -> BaseEstimator:
    cls = _resolve_class(data["class"])
    est = cls(**{k: _decode(v, device) for k, v in data["params"].items()})
    for key, value in data["attributes"].items():
        setattr(est, key, _decode(value, device))
    modules = data["modules"]
    if not modules:
        return est
    if not isinstance(est, TorchEstimatorMixin):
        raise ValueError(f"{data['class']} cannot rebuild its torch modules from a weights "
                         "file.")
    est._build_modules()
    for name, entry in modules.items():
        if "state_dict" in entry:
            getattr(est, name).load_state_dict(entry["state_dict"])
            setattr(est, name, getattr(est, name).to(device).eval())
    for name, entry in modules.items():
        if "submodule_of" in entry:
            setattr(est, name, getattr(est, entry["submodule_of"]).get_submodule(entry["path"]))
    return est


def _resolve_class(name: str) -> type:
    module_name, _, qualname = name.rpartition(".")
    if not name.startswith(_ALLOWED_PACKAGES) or "." in qualname:
        raise ValueError(f"the weights file names the class {name!r}; only sktime-har and "
                         "scikit-learn estimators are loaded.")
    cls = getattr(importlib.import_module(module_name), qualname, None)
    if not (isinstance(cls, type) and issubclass(cls, BaseEstimator)):
        raise ValueError(f"the weights file names {name!r}, which is not an estimator class.")
    return cls


def _decode(value: Any, device: torch.device) -> Any:
    if isinstance(value, tuple):
        return tuple(_decode(v, device) for v in value)
    if isinstance(value, list):
        return [_decode(v, device) for v in value]
    if not isinstance(value, dict):
        return value
    if "__ndarray__" in value:
        stored, dtype = value["__ndarray__"], np.dtype(value["dtype"])
        if isinstance(stored, torch.Tensor):
            return stored.numpy().astype(dtype, copy=False)
        return np.array(stored, dtype=dtype)
    if "__history__" in value:
        return History(_decode(value["__history__"], device))
    if "__dict__" in value:
        return {k: _decode(v, device) for k, v in value["__dict__"]}
    if "__estimator__" in value:
        return _decode_estimator(value["__estimator__"], device)
    if "__device__" in value:
        return torch.device(value["__device__"])
    raise ValueError(f"unrecognised entry in the weights file: keys {sorted(value)}.")
