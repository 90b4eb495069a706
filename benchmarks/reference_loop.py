"""Reference training loops "in the style of the papers' public code": the performance yardstick.

Not library code. It trains the *same* torch modules with the *same* losses and
optimisers as :mod:`sktime_har` (imported from :mod:`sktime_har.nn` and
:mod:`sktime_har.nn.losses`), but the way the papers' public code feeds them:

- a per-sample ``torch.utils.data.Dataset`` whose ``__getitem__`` returns one
  window as a numpy array (contrastive methods: two views, each augmented in
  numpy, per sample: jitter always, scaling and permutation each with
  probability 0.5, the magnitudes of the library's ``"uci_har"`` preset);
- a default ``DataLoader`` (``shuffle=True``, default collation,
  ``num_workers=0``), batches copied to the training device one by one;
- a plain python loop: ``optimizer.zero_grad(); loss.backward();
  optimizer.step()`` and ``loss.item()`` per batch for the epoch mean.

Method-specific choices:

- DSC refinement recomputes the target distribution ``P`` **once per epoch over
  the whole training set** (an inference pass through a ``DataLoader``) before
  the epoch's mini-batches, as DEC's code does with ``update_interval`` set to
  one epoch and as DSC's stopping rule (assignment changes between consecutive
  epochs) implies; the library does the same in an epoch-end callback.
- Dynamic temperature (Algorithm 1 of paper 001): the denoising autoencoder
  adds its Gaussian noise per sample in ``__getitem__`` (numpy), and the
  contrastive stage passes every batch of original windows through the
  frozen autoencoder encoder to get the instance features (the library
  computes them once for the whole training set).

``seed``: with ``replay_global_rng=True`` the loaders draw each epoch's order
as one ``torch.randperm(n)`` from torch's global generator (and nothing
else), which is what the library's in-memory iterator does; the
``benchmarks/throughput.py`` "same results" check uses it to feed both
implementations the same batches.

Usage::

    from reference_loop import train_autoencoder  # from benchmarks/
    losses = train_autoencoder(model, X, epochs=3, batch_size=256, lr=1e-3)
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset, Sampler

from sktime_har.nn.clustering_layer import target_distribution
from sktime_har.nn.losses.cluster_hardening import cluster_hardening_loss
from sktime_har.nn.losses.reconstruction import multitask_reconstruction_loss

EpochHook = Callable[[int, float], None]  # (epoch, mean loss), called after each epoch


# ----------------------------------------------------------------- augmentations (numpy)
def np_jitter(x: np.ndarray, rng: np.random.Generator, sigma: float = 0.5) -> np.ndarray:
    """Additive Gaussian noise on one window ``(C, T)``."""
    return x + rng.normal(0.0, sigma, size=x.shape).astype(np.float32)


def np_scale(x: np.ndarray, rng: np.random.Generator, sigma: float = 0.5) -> np.ndarray:
    """One gain ``N(1, sigma^2)`` per channel of one window ``(C, T)``."""
    return x * rng.normal(1.0, sigma, size=(x.shape[0], 1)).astype(np.float32)


def np_permute(x: np.ndarray, rng: np.random.Generator, max_segments: int = 5) -> np.ndarray:
    """Cut one window at 1..max_segments-1 random points and shuffle the segments."""
    steps = x.shape[1]
    k = int(rng.integers(2, min(max_segments, steps) + 1))
    cuts = np.sort(rng.choice(np.arange(1, steps), size=k - 1, replace=False))
    segments = np.split(x, cuts, axis=1)
    return np.concatenate([segments[i] for i in rng.permutation(k)], axis=1)


class NumpyAugment:
    """Per-window numpy augmentations with the semantics of ``Augmenter`` (``uci_har`` preset).

    ``augmentations=()`` is the identity (used by the same-results check).
    """

    _FUNCTIONS = {"jitter": np_jitter, "scaling": np_scale, "permutation": np_permute}

    def __init__(self, augmentations: Sequence[str] = ("jitter", "scaling", "permutation"),
                 p: float = 0.5, always: Sequence[str] = ("jitter",), seed: int | None = None):
        unknown = set(augmentations) - set(self._FUNCTIONS)
        if unknown:
            raise ValueError(f"unknown augmentations {sorted(unknown)}")
        self.augmentations = tuple(augmentations)
        self.p = float(p)
        self.always = tuple(always)
        self.rng = np.random.default_rng(seed)

    def __call__(self, x: np.ndarray) -> np.ndarray:
        for name in self.augmentations:
            if name in self.always or self.rng.random() < self.p:
                x = self._FUNCTIONS[name](x, self.rng)
        return np.ascontiguousarray(x, dtype=np.float32)


# ----------------------------------------------------------------------- datasets
class WindowDataset(Dataset):
    """One window per item (reconstruction objectives, inference)."""

    def __init__(self, X: np.ndarray):
        self.X = X

    def __len__(self) -> int:
        return len(self.X)

    def __getitem__(self, i: int) -> np.ndarray:
        return self.X[i]


class IndexedWindowDataset(WindowDataset):
    """``(window, index)``: the index selects the window's row of the target distribution."""

    def __getitem__(self, i: int):
        return self.X[i], i


class NoisyWindowDataset(WindowDataset):
    """``(window + N(0, noise_std^2), window)`` for the denoising autoencoder."""

    def __init__(self, X: np.ndarray, noise_std: float, seed: int | None = None):
        super().__init__(X)
        self.noise_std = float(noise_std)
        self.rng = np.random.default_rng(seed)

    def __getitem__(self, i: int):
        x = self.X[i]
        if self.noise_std > 0:
            x = x + self.rng.normal(0.0, self.noise_std, size=x.shape).astype(np.float32)
        return x, self.X[i]


class TwoViewDataset(WindowDataset):
    """Two independently augmented views of a window (and, optionally, the window itself)."""

    def __init__(self, X: np.ndarray, augment: NumpyAugment, with_original: bool = False):
        super().__init__(X)
        self.augment = augment
        self.with_original = with_original

    def __getitem__(self, i: int):
        x = self.X[i]
        views = (self.augment(x), self.augment(x))
        return (*views, x) if self.with_original else views


class GlobalPermutationSampler(Sampler):
    """One ``torch.randperm(n)`` per epoch from torch's global generator of ``device``."""

    def __init__(self, n: int, device: torch.device | str = "cpu"):
        self.n = int(n)
        self.device = torch.device(device)

    def __len__(self) -> int:
        return self.n

    def __iter__(self):
        return iter(torch.randperm(self.n, device=self.device).tolist())


def make_loader(dataset: Dataset, batch_size: int, *, shuffle: bool = True,
                drop_last: bool = False, replay_global_rng: bool = False,
                device: torch.device | str = "cpu") -> DataLoader:
    """A default ``DataLoader`` (per-sample collation, no workers).

    ``replay_global_rng=True`` swaps the ``RandomSampler`` for one that draws
    exactly one ``torch.randperm(n)`` per epoch from the global generator of
    the training ``device`` (where the library's iterator draws it), and gives
    the loader its own generator for the base seed it draws per epoch, so the
    global RNG stream matches the library's.
    """
    if replay_global_rng and shuffle:
        return DataLoader(dataset, batch_size=batch_size, sampler=GlobalPermutationSampler(
            len(dataset), device), drop_last=drop_last, num_workers=0,
            generator=torch.Generator())
    return DataLoader(dataset, batch_size=batch_size, shuffle=shuffle, drop_last=drop_last,
                      num_workers=0)


def _sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def _module_device(module: torch.nn.Module) -> torch.device:
    return next(module.parameters()).device


@torch.no_grad()
def infer(fn: Callable[[torch.Tensor], torch.Tensor], module: torch.nn.Module, X: np.ndarray,
          batch_size: int) -> np.ndarray:
    """``fn`` over all windows through a ``DataLoader``, eval mode, no gradients."""
    device = _module_device(module)
    was_training = module.training
    module.eval()
    outputs = []
    # own generator: the loader's per-pass base seed must not advance torch's global RNG
    loader = DataLoader(WindowDataset(X), batch_size=batch_size, shuffle=False,
                        num_workers=0, generator=torch.Generator())
    for xb in loader:
        outputs.append(fn(xb.to(device)).cpu().numpy())
    module.train(was_training)
    return np.concatenate(outputs, axis=0)


class EpochTimes:
    """Collects per-epoch wall times of a reference loop (``on_epoch`` hook)."""

    def __init__(self):
        self.durations: list[float] = []
        self.losses: list[float] = []

    def start(self) -> None:
        self._t = time.perf_counter()

    def __call__(self, epoch: int, loss: float) -> None:
        now = time.perf_counter()
        self.durations.append(now - self._t)
        self.losses.append(loss)
        self._t = now


def _run_epochs(step: Callable[..., torch.Tensor], loader: DataLoader, epochs: int,
                device: torch.device, before_epoch: Callable[[], None] | None,
                on_epoch: EpochHook | None) -> list[float]:
    losses = []
    for epoch in range(epochs):
        if before_epoch is not None:
            before_epoch()
        total, count = 0.0, 0
        for batch in loader:
            loss, n = step(batch)
            total += loss.item() * n
            count += n
        _sync(device)
        losses.append(total / count)
        if on_epoch is not None:
            on_epoch(epoch, losses[-1])
    return losses


# ------------------------------------------------------------------ DSC, stage I
def train_autoencoder(model: torch.nn.Module, X: np.ndarray, *, epochs: int, batch_size: int,
                      lr: float = 1e-3, replay_global_rng: bool = False,
                      on_epoch: EpochHook | None = None) -> list[float]:
    """Multi-task recurrent autoencoder pretraining (Adam, DSC Eq. 1)."""
    device = _module_device(model)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    loader = make_loader(WindowDataset(X), batch_size, replay_global_rng=replay_global_rng,
                         device=device)
    model.train()

    def step(xb):
        xb = xb.to(device)
        _, *predictions = model(xb)
        loss = multitask_reconstruction_loss(predictions, model.targets(xb))
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss, len(xb)

    return _run_epochs(step, loader, epochs, device, None, on_epoch)


# ----------------------------------------------------------------- DSC, stage II
def train_clustering(model: torch.nn.Module, X: np.ndarray, *, epochs: int, batch_size: int,
                     lr: float = 1e-3, gamma: float = 0.1, reconstruction: bool = True,
                     replay_global_rng: bool = False,
                     on_epoch: EpochHook | None = None) -> tuple[list[float], np.ndarray]:
    """Cluster assignment hardening of a ``DeepClusteringModel`` (DSC Eq. 2-4).

    Returns the per-epoch losses and the hard assignments after the last epoch.
    """
    device = _module_device(model)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    loader = make_loader(IndexedWindowDataset(X), batch_size,
                         replay_global_rng=replay_global_rng, device=device)
    state = {}

    def refresh():  # P over the whole training set, fixed for the epoch
        q = torch.from_numpy(infer(model.soft_assign, model, X, batch_size))
        state["p"] = target_distribution(q).to(device)
        model.train()

    def step(batch):
        xb, idx = batch
        xb = xb.to(device)
        q, _, *predictions = model(xb)
        loss = gamma * cluster_hardening_loss(q, state["p"][idx.to(device)])
        if reconstruction:
            loss = loss + multitask_reconstruction_loss(predictions,
                                                        model.autoencoder.targets(xb))
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss, len(xb)

    losses = _run_epochs(step, loader, epochs, device, refresh, on_epoch)
    labels = infer(model.soft_assign, model, X, batch_size).argmax(axis=1)
    return losses, labels


# ------------------------------------------------ dynamic temperature, autoencoder
def train_denoising_autoencoder(model: torch.nn.Module, X: np.ndarray, *, epochs: int,
                                batch_size: int, lr: float = 1e-3, noise_std: float = 0.5,
                                seed: int | None = None, replay_global_rng: bool = False,
                                on_epoch: EpochHook | None = None) -> list[float]:
    """Denoising conv autoencoder (MSE to the clean window; noise added per sample).

    ``model`` must not add noise itself (build it with ``noise_std=0``).
    """
    device = _module_device(model)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    loader = make_loader(NoisyWindowDataset(X, noise_std, seed), batch_size,
                         replay_global_rng=replay_global_rng, device=device)
    mse = torch.nn.MSELoss()
    model.train()

    def step(batch):
        noisy, clean = (t.to(device) for t in batch)
        loss = mse(model(noisy), clean)
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss, len(clean)

    return _run_epochs(step, loader, epochs, device, None, on_epoch)


# ------------------------------------------------------ SimCLR, NDT-Xent, VICReg
def train_contrastive(model: torch.nn.Module, loss_fn: torch.nn.Module, X: np.ndarray, *,
                      epochs: int, batch_size: int, optimizer: type[torch.optim.Optimizer],
                      lr: float, augment: NumpyAugment,
                      instance_encoder: torch.nn.Module | None = None,
                      replay_global_rng: bool = False,
                      on_epoch: EpochHook | None = None) -> list[float]:
    """Two augmented views per window, both through ``model`` in one call, then ``loss_fn``.

    With ``instance_encoder`` (a frozen ``DenoisingConvAutoencoder``) the
    loss gets a third argument: the instance features of the original windows
    of the batch, computed on the fly (NDT-Xent, Algorithm 1 of paper 001).
    """
    device = _module_device(model)
    opt = optimizer(model.parameters(), lr=lr)
    dataset = TwoViewDataset(X, augment, with_original=instance_encoder is not None)
    loader = make_loader(dataset, batch_size, drop_last=True,
                         replay_global_rng=replay_global_rng, device=device)
    if instance_encoder is not None:
        instance_encoder.eval()
    model.train()

    def step(batch):
        v1, v2, *original = (t.to(device) for t in batch)
        z1, z2 = model(torch.cat([v1, v2])).chunk(2)
        if instance_encoder is None:
            loss = loss_fn(z1, z2)
        else:
            with torch.no_grad():
                h = instance_encoder.encode(original[0])
            loss = loss_fn(z1, z2, h)
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss, len(v1)

    return _run_epochs(step, loader, epochs, device, None, on_epoch)
