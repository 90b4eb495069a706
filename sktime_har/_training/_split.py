"""Hold out a random share of the training windows to measure a validation loss."""

from __future__ import annotations

import numpy as np
import torch
from skorch.dataset import Dataset

from sktime_har._training._iterator import n_rows, take_rows, windows_of


class RandomValidationSplit:
    """skorch ``train_split``: a random ``fraction`` of the windows (or groups) for validation.

    The permutation comes from its own generator seeded with ``seed``, so the
    split is the same however much of torch's global random stream training
    has used (a fit resumed from a checkpoint holds out the same windows).
    With ``groups`` (e.g. subject ids, one per window) whole groups are held
    out, ``fraction`` of them (at least one, leaving at least one), so the
    validation loss measures windows of subjects training never saw.

    Parameters
    ----------
    fraction : float
        Share of the windows (or of the groups) held out, in (0, 1).
    seed : int, default=0
        Seed of the permutation.
    groups : array-like of shape (n_windows,) or None, default=None
        Group of every window, in the order of the training data.

    Examples
    --------
    >>> import torch
    >>> from skorch.dataset import Dataset

from sktime_har._training._iterator import n_rows, take_rows, windows_of
    >>> from sktime_har._training._split import RandomValidationSplit
    >>> split = RandomValidationSplit(0.25, seed=0)
    >>> train, valid = split(Dataset(torch.zeros(8, 2), torch.arange(8)))
    >>> len(train), len(valid)
    (6, 2)
    >>> by_subject = RandomValidationSplit(0.5, seed=0, groups=[1, 1, 2, 2, 3, 3, 4, 4])
    >>> [len(part) for part in by_subject(Dataset(torch.zeros(8, 2)))]
    [4, 4]
    """

    def __init__(self, fraction: float, seed: int = 0, groups=None):
        self.fraction = fraction
        self.seed = seed
        self.groups = groups

    def _held_out_groups(self, n: int, generator: torch.Generator) -> torch.Tensor:
        """Boolean mask of the windows of the held-out groups."""
        names, codes = np.unique(np.asarray(self.groups), return_inverse=True)
        if len(codes) != n:
            raise ValueError(f"groups has {len(codes)} entries but there are {n} windows.")
        n_valid = max(1, round(self.fraction * len(names)))
        if len(names) - n_valid < 1:
            raise ValueError(
                f"validation_fraction={self.fraction} of {len(names)} groups leaves none to "
                "train on; pass windows of more groups or a smaller validation_fraction."
            )
        chosen = torch.randperm(len(names), generator=generator)[:n_valid]
        return torch.from_numpy(np.isin(codes, chosen.numpy()))

    def __call__(self, dataset, y=None, **fit_params):
        X, y = dataset.X, dataset.y
        n = n_rows(X)
        generator = torch.Generator().manual_seed(self.seed)
        if self.groups is None:
            # the permutation of the windows, as fits without groups have always drawn it
            n_valid = max(1, round(self.fraction * n))
            if n - n_valid < 1:
                raise ValueError(
                    f"validation_fraction={self.fraction} of {n} windows leaves none to train "
                    "on; pass more windows or a smaller validation_fraction."
                )
            order = torch.randperm(n, generator=generator)
            valid, train = order[:n_valid], order[n_valid:]
        else:
            mask = self._held_out_groups(n, generator)
            valid, train = mask.nonzero().ravel(), (~mask).nonzero().ravel()
        if isinstance(windows_of(X), torch.Tensor):
            valid, train = valid.to(windows_of(X).device), train.to(windows_of(X).device)

        def take(idx):
            return Dataset(take_rows(X, idx), take_rows(y, idx))

        return take(train), take(valid)
