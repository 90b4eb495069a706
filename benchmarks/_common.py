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
