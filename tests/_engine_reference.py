"""Fingerprints of every torch estimator's training, recorded before the engine refactor.

``python tests/_engine_reference.py`` writes ``tests/data/engine_reference.json``
from the code as it is; ``tests/test_engine_same_results.py`` compares the
current code with that file. Re-record only for a change meant to alter
training, and say so in the commit.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))

REFERENCE = Path(__file__).parent / "data" / "engine_reference.json"
VARIANTS = {"plain": {}, "validation": {"validation_fraction": 0.25, "n_iter_no_change": 2}}
_HISTORY_ATTRS = ("loss_history_", "pretrain_loss_history_", "refine_loss_history_")
_OUTPUT_METHODS = ("transform", "predict_proba", "predict")


def _params(cls, variant: str) -> dict:
    from _torch_estimators import fixed_budget

    return fixed_budget(cls, 3, **VARIANTS[variant])


def _summary(array: np.ndarray) -> dict:
    # enough of an output to see any change, small enough to keep in the repository
    array = np.asarray(array)
    if array.dtype.kind in "iub" or array.dtype == object:
        return {"shape": list(array.shape), "values": np.asarray(array).astype(str).tolist()}
    flat = array.reshape(len(array), -1).astype(np.float64)
    return {"shape": list(array.shape), "head": flat[:4, :16].tolist(),
            "column_sums": flat.sum(axis=0)[:64].tolist(), "abs_sum": float(np.abs(flat).sum())}


def fingerprint(cls, variant: str) -> dict:
    """Fit ``cls`` with its tiny parameters and summarise losses, history and outputs.

    One torch and BLAS thread, as recorded: float32 sums are ordered by the thread
    count, and an imported library (sktime's numba stack) may have changed it.
    """
    import torch
    from threadpoolctl import threadpool_limits

    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        with threadpool_limits(1):
            return _fingerprint(cls, variant)
    finally:
        torch.set_num_threads(previous)


def _fingerprint(cls, variant: str) -> dict:
    from _torch_estimators import data_for

    X, y = data_for(cls, 96)
    est = cls(**_params(cls, variant)).fit(X, y)
    out = {}
    for name in _HISTORY_ATTRS:
        if hasattr(est, name):
            out[name] = [float(v) for v in getattr(est, name)]
    history = getattr(est, "history_", None)
    if history is not None:
        out["valid_loss"] = [float(e["valid_loss"]) for e in history if "valid_loss" in e]
    for name in ("labels_", "initial_labels_"):
        if hasattr(est, name):
            out[name] = _summary(getattr(est, name))
    for method in _OUTPUT_METHODS:
        if hasattr(est, method):
            out[method] = _summary(getattr(est, method)(X))
    return out


def record() -> dict:
    """Fingerprints of every torch estimator in every variant."""
    from _torch_estimators import TORCH_ESTIMATORS

    return {f"{cls.__name__}/{variant}": fingerprint(cls, variant)
            for cls in TORCH_ESTIMATORS for variant in VARIANTS}


if __name__ == "__main__":
    REFERENCE.parent.mkdir(exist_ok=True)
    REFERENCE.write_text(json.dumps(record(), indent=1) + "\n")
    print(f"wrote {REFERENCE}")
