"""Optimiser names accepted by the estimators."""

from __future__ import annotations

import torch

OPTIMIZERS = ("lars", "adam")


def resolve_optimizer(name: str) -> type[torch.optim.Optimizer]:
    """Map ``"lars"`` (LARS over Adam, the papers' choice) or ``"adam"`` to a class.

    Parameters
    ----------
    name : {"lars", "adam"}

    Returns
    -------
    optimizer_class : type

    Examples
    --------
    >>> from sktime_har._training._optim import resolve_optimizer
    >>> resolve_optimizer("adam").__name__
    'Adam'
    """
    if name == "adam":
        return torch.optim.Adam
    if name == "lars":
        from sktime_har.nn import LARS

        return LARS
    raise ValueError(f"optimizer must be one of {OPTIMIZERS}; got {name!r}.")
