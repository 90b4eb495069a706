"""Hold out a random share of the training windows to measure a validation loss."""

from __future__ import annotations

import torch
from skorch.dataset import Dataset

from sktime_har._training._iterator import n_rows, take_rows, windows_of


class RandomValidationSplit:
    """skorch ``train_split``: a random ``fraction`` of the windows for validation.

    The permutation comes from its own generator seeded with ``seed``, so the
    split is the same however much of torch's global random stream training
    has used (a fit resumed from a checkpoint holds out the same windows).

    Parameters
    ----------
    fraction : float
        Share of the windows held out, in (0, 1).
    seed : int, default=0
        Seed of the permutation.

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
    """

    def __init__(self, fraction: float, seed: int = 0):
        self.fraction = fraction
        self.seed = seed

    def __call__(self, dataset, y=None, **fit_params):
        X, y = dataset.X, dataset.y
        n = n_rows(X)
        n_valid = max(1, round(self.fraction * n))
        if n - n_valid < 1:
            raise ValueError(
                f"validation_fraction={self.fraction} of {n} windows leaves none to train on; "
                "pass more windows or a smaller validation_fraction."
            )
        order = torch.randperm(n, generator=torch.Generator().manual_seed(self.seed))
        if isinstance(windows_of(X), torch.Tensor):
            order = order.to(windows_of(X).device)
        valid, train = order[:n_valid], order[n_valid:]

        def take(idx):
            return Dataset(take_rows(X, idx), take_rows(y, idx))

        return take(train), take(valid)
