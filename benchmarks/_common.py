"""What the benchmark scripts share: where results go, one thread, versions, the device line.

Run every benchmark from the repository root as a module of this package,
``python -m benchmarks.<name>`` (e.g. ``python -m benchmarks.dsc_uci_har --config cpu``).
"""

from __future__ import annotations

import copy
import os
import platform
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

#: results/*.json and *.md, committed
RESULTS = Path(__file__).resolve().parent / "results"
#: the repository root
ROOT = RESULTS.parent.parent
THREAD_VARIABLES = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS",
                    "NUMBA_NUM_THREADS")


def one_thread() -> int:
    """Set one torch thread (and the thread variables, for libraries not yet loaded).

    The BLAS and numba pools read their variables at import, so the runs set them
    in the shell too (``OMP_NUM_THREADS=1 ...``); this function covers torch and
    whatever is imported later, and the scripts also wrap the work in
    ``threadpool_limits(1)``. Returns ``torch.get_num_threads()``.
    """
    for name in THREAD_VARIABLES:
        os.environ.setdefault(name, "1")
    import torch

    torch.set_num_threads(1)
    return torch.get_num_threads()


def versions() -> dict[str, str]:
    """Versions of the packages a peer row depends on (``"not installed"`` if absent)."""
    out = {"python": platform.python_version()}
    for name in ("tslearn", "sktime", "scikit-learn", "numpy", "scipy", "numba", "torch"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "not installed"
    return out


def cpu_device() -> str:
    """The device line of a one-thread CPU row."""
    return f"cpu ({platform.machine()}, {os.cpu_count()} cores, shared), 1 thread"


def weight_snapshots(epochs) -> tuple[list, dict]:
    """A callback list that keeps the module's weights after each of ``epochs``, and their dict.

    Pass the list as an estimator's ``callbacks``; after ``fit`` the dict maps each
    listed epoch to a copy of the trained module's ``state_dict``, for
    ``estimator.module_.load_state_dict`` (choosing an epoch on validation data).
    """
    from skorch.callbacks import Callback

    snapshots: dict[int, dict] = {}

    class WeightSnapshots(Callback):
        # the estimator copies its callbacks for every stage; a closure survives the copy
        # (a bound dict.__setitem__ would be deep-copied with its dict)
        def on_epoch_end(self, net, **kwargs):
            epoch = len(net.history)
            if epoch in epochs:
                snapshots[epoch] = {k: v.detach().clone()
                                    for k, v in net.module_.state_dict().items()}

    return [WeightSnapshots()], snapshots


def save_fitted(path: Path, model, snapshots: dict, **meta) -> None:
    """``torch.save`` a fitted estimator with its kept weights (``weight_snapshots``) and ``meta``.

    Reload with ``torch.load(path, weights_only=False)``; the estimator's
    ``module_.load_state_dict(snapshots[epoch])`` restores an earlier epoch.
    """
    import torch

    path.parent.mkdir(parents=True, exist_ok=True)
    model = copy.copy(model)
    model.callbacks = None  # the snapshot callback is a local class, which pickle refuses
    torch.save({"model": model, "snapshots": snapshots, **meta}, path)


def tuned_semi_supervised(make_head, grid, F_tr, y_tr, F_va, y_va, F_te, y_te, *,
                          name: str, **draws) -> list[dict]:
    """The semi-supervised curve with one head hyperparameter chosen per k on validation subjects.

    ``make_head(value)`` gives an unfitted head for each value of ``grid``. For
    each value, ``semi_supervised_evaluation(..., **draws)`` scores the heads fitted
    on the draws from ``F_tr`` on the validation features; per k the value with the
    best mean validation F1 (the first of ties, in ``grid`` order) is kept, and the
    test rows are those of that value on the very same draws (same
    ``random_state``, all of ``draws["k_values"]`` drawn in order). Each row adds
    ``name`` (the chosen value, e.g. ``"C"``) and ``"val_f1"``.
    """
    from sktime_har.evaluation import semi_supervised_evaluation

    def curve(value, F_eval, y_eval):
        rows = semi_supervised_evaluation(make_head(value), F_tr, y_tr, F_eval, y_eval, **draws)
        return {r["k"]: r for r in rows}

    validation = {value: curve(value, F_va, y_va) for value in grid}
    best = {k: max(grid, key=lambda v, k=k: validation[v][k]["f1"]) for k in draws["k_values"]}
    test = {value: curve(value, F_te, y_te) for value in dict.fromkeys(best.values())}
    return [{**test[best[k]][k], name: best[k], "val_f1": validation[best[k]][k]["f1"]}
            for k in draws["k_values"]]


def k_table_header(first: list[str], ks, last: list[str] = ()) -> list[str]:
    """The two header lines of a Markdown table with one column per ``k``."""
    names = [*first, *(f"k={k}" for k in ks), *last]
    return ["| " + " | ".join(names) + " |", "|---" * len(names) + "|"]


LR_SCHEDULES = ("constant", "cosine")


def lr_schedule(name: str, epochs: int) -> list:
    """The callbacks of a learning-rate schedule: none (``"constant"``) or cosine decay.

    ``"cosine"`` anneals the learning rate from its initial value to zero over
    ``epochs`` (skorch's ``LRScheduler`` around torch's ``CosineAnnealingLR``,
    stepped once an epoch), so the last epochs take small, stable steps.
    """
    if name == "constant":
        return []
    if name == "cosine":
        from skorch.callbacks import LRScheduler

        return [LRScheduler(policy="CosineAnnealingLR", T_max=epochs)]
    raise ValueError(f"lr schedule must be one of {LR_SCHEDULES}; got {name!r}.")
