"""Data-parallel training across the processes of a ``torch.distributed`` group.

A script launched with ``torchrun --nproc_per_node=N`` (any backend: gloo on
CPU, NCCL on CUDA) calls ``torch.distributed.init_process_group`` before
``fit``; every training stage of every torch estimator then trains
data-parallel. Each process takes its contiguous share of every global batch,
so ``batch_size`` keeps its meaning and N processes train the model one
process would train on the same batches.

The objective of a step is the sum over processes of their losses ``L_r``;
the collectives below carry exact gradients of that sum, and the parameter
gradients are summed across processes before each optimizer step:

- a loss that is a mean over windows (reconstruction, cross-entropy,
  clustering KL) contributes ``L_r = mean_r * n_r / n``;
- a loss on the whole batch (NT-Xent, NDT-Xent, VICReg) is computed by every
  process on the gathered batch ``L`` and contributes ``L / N``, with a gather
  whose backward pass returns each process the gradient of its own share
  (summed over processes first; a gather without it gives gradients off by
  exactly ``1 / N``);
- batch normalisation uses the statistics of the global batch
  (:class:`CrossProcessBatchNorm`, which works on CPU where
  ``torch.nn.SyncBatchNorm`` does not).
"""

from __future__ import annotations

import contextlib

import numpy as np
import torch
import torch.distributed as dist
from torch import nn
from torch._utils import _flatten_dense_tensors, _unflatten_dense_tensors


def process_group() -> tuple[int, int]:
    """``(rank, world_size)`` of the initialised default process group, else ``(0, 1)``.

    Examples
    --------
    >>> from sktime_har._training._distributed import process_group
    >>> process_group()
    (0, 1)
    """
    if dist.is_available() and dist.is_initialized():
        return dist.get_rank(), dist.get_world_size()
    return 0, 1


def is_distributed() -> bool:
    """Whether training runs in a process group of more than one process."""
    return process_group()[1] > 1


def local_share(idx, n: int | None = None):
    """This process's contiguous share of the rows ``idx`` of a global batch.

    Shares differ by at most one row; concatenated in rank order they are
    ``idx`` again, which is the order :func:`gather` restores.

    Examples
    --------
    >>> import torch
    >>> from sktime_har._training._distributed import local_share
    >>> local_share(torch.arange(5))
    tensor([0, 1, 2, 3, 4])
    """
    rank, world = process_group()
    if world == 1:
        return idx
    if isinstance(idx, slice):
        start = idx.start or 0
        stop = n if idx.stop is None else min(idx.stop, n)
        # integer bounds, the first (length % world) shares one row longer, as tensor_split
        size, longer = divmod(stop - start, world)
        first = start + rank * size + min(rank, longer)
        return slice(first, first + size + (rank < longer))
    return torch.tensor_split(idx, world)[rank]


def apply_to_shares(apply, X):
    """``apply(X)`` for all rows, each process computing only its contiguous share.

    Every process receives the whole result (an ndarray, concatenated in rank
    order), so whole-dataset passes (embeddings for the initial clustering,
    the target distribution, instance features) are split across the
    processes instead of repeated. Outside a process group it is ``apply(X)``.

    Examples
    --------
    >>> import numpy as np
    >>> from sktime_har._training._distributed import apply_to_shares
    >>> apply_to_shares(lambda rows: rows * 2, np.arange(3))
    array([0, 2, 4])
    """
    if not is_distributed():
        return apply(X)
    n = len(X)
    share = local_share(slice(0, n), n)
    local = apply(X[share]) if share.stop > share.start else None
    parts = [None] * process_group()[1]
    dist.all_gather_object(parts, local)
    return np.concatenate([part for part in parts if part is not None])


class _GatherWithGrad(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        rank, world = process_group()
        parts = [torch.empty_like(x) for _ in range(world)]
        dist.all_gather(parts, x.contiguous())
        ctx.rank, ctx.rows = rank, x.shape[0]
        return torch.cat(parts)

    @staticmethod
    def backward(ctx, grad):
        # every process holds the gradient of its own loss with respect to the whole
        # gathered batch: their sum, restricted to this process's rows, is its share
        grad = grad.clone(memory_format=torch.contiguous_format)  # autograd's stays as is
        dist.all_reduce(grad)
        return grad[ctx.rank * ctx.rows:(ctx.rank + 1) * ctx.rows]


def gather(x: torch.Tensor) -> torch.Tensor:
    """Concatenate equal-sized shares of all processes in rank order, differentiably.

    Outside a process group it returns ``x``.

    Examples
    --------
    >>> import torch
    >>> from sktime_har._training._distributed import gather
    >>> gather(torch.ones(2, 3)).shape
    torch.Size([2, 3])
    """
    if not is_distributed():
        return x
    if not x.requires_grad:
        parts = [torch.empty_like(x) for _ in range(process_group()[1])]
        dist.all_gather(parts, x.contiguous())
        return torch.cat(parts)
    return _GatherWithGrad.apply(x)


class _SumWithGrad(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        x = x.clone()
        dist.all_reduce(x)
        return x

    @staticmethod
    def backward(ctx, grad):
        grad = grad.clone(memory_format=torch.contiguous_format)
        dist.all_reduce(grad)
        return grad


def sum_over_processes(x: torch.Tensor) -> torch.Tensor:
    """Sum of ``x`` over the processes, with the gradient of the summed objective.

    Examples
    --------
    >>> import torch
    >>> from sktime_har._training._distributed import sum_over_processes
    >>> sum_over_processes(torch.tensor([1.0, 2.0]))
    tensor([1., 2.])
    """
    return _SumWithGrad.apply(x) if is_distributed() else x


def min_max_over_processes(low: float, high: float) -> tuple[float, float]:
    """The smallest ``low`` and largest ``high`` of all processes (NaN if any has NaN).

    Examples
    --------
    >>> from sktime_har._training._distributed import min_max_over_processes
    >>> min_max_over_processes(-1.0, 2.0)
    (-1.0, 2.0)
    """
    if not is_distributed():
        return low, high
    pairs = [None] * process_group()[1]
    dist.all_gather_object(pairs, (low, high))  # objects: any backend, no device tensor
    lows, highs = zip(*pairs, strict=True)
    return float(np.min(lows)), float(np.max(highs))


class CrossProcessBatchNorm(nn.BatchNorm1d):
    """``BatchNorm1d`` whose training statistics are those of the global batch.

    Mean and variance are computed in two passes over the shares of all
    processes (sums carried by :func:`sum_over_processes`, so the gradient is
    that of the global batch). Works with every backend, on CPU and CUDA; in
    eval mode it is a plain ``BatchNorm1d``.

    Parameters
    ----------
    *args, **kwargs
        As for :class:`torch.nn.BatchNorm1d`.

    Examples
    --------
    >>> import torch
    >>> from sktime_har._training._distributed import CrossProcessBatchNorm
    >>> CrossProcessBatchNorm(3)(torch.randn(4, 3, 5)).shape
    torch.Size([4, 3, 5])
    """

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not self.training or not is_distributed():
            return super().forward(x)
        dims = [0, *range(2, x.dim())]
        shape = [1, -1] + [1] * (x.dim() - 2)
        count = sum_over_processes(x.new_tensor(float(x.numel() // x.shape[1])))
        mean = sum_over_processes(x.sum(dims)) / count
        centred = x - mean.view(shape)
        var = sum_over_processes((centred * centred).sum(dims)) / count
        if self.track_running_stats:
            with torch.no_grad():
                self.num_batches_tracked += 1
                momentum = (1.0 / float(self.num_batches_tracked) if self.momentum is None
                            else self.momentum)
                self.running_mean.lerp_(mean.detach(), momentum)
                self.running_var.lerp_(var.detach() * count / (count - 1), momentum)
        out = centred / torch.sqrt(var.view(shape) + self.eps)
        if self.affine:
            out = out * self.weight.view(shape) + self.bias.view(shape)
        return out


def _swap_batch_norms(module: nn.Module, from_class: type, to_class: type) -> None:
    for name, child in module.named_children():
        if type(child) is from_class:  # a user's own BatchNorm1d subclass is left alone
            swapped = to_class(child.num_features, eps=child.eps, momentum=child.momentum,
                               affine=child.affine,
                               track_running_stats=child.track_running_stats)
            state = child.state_dict()
            if state:  # an affine-free norm without running statistics holds nothing
                swapped = swapped.to(next(iter(state.values())).device)
            swapped.load_state_dict(state)
            swapped.train(child.training)
            setattr(module, name, swapped)
        else:
            _swap_batch_norms(child, from_class, to_class)


def share_batch_norms(module: nn.Module) -> nn.Module:
    """Replace each ``BatchNorm1d`` of ``module`` by a :class:`CrossProcessBatchNorm` (in place)."""
    _swap_batch_norms(module, nn.BatchNorm1d, CrossProcessBatchNorm)
    return module


def plain_batch_norms(module: nn.Module) -> nn.Module:
    """Undo :func:`share_batch_norms`: plain ``BatchNorm1d`` with the same state (in place)."""
    _swap_batch_norms(module, CrossProcessBatchNorm, nn.BatchNorm1d)
    return module


def broadcast_state(module: nn.Module) -> None:
    """Give every process rank 0's parameters and buffers."""
    for tensor in module.state_dict().values():
        dist.broadcast(tensor, src=0)


def sum_gradients(parameters) -> None:
    """Sum the gradients of ``parameters`` over the processes (one collective)."""
    grads = [p.grad for p in parameters if p.grad is not None]
    if not grads:
        return
    flat = _flatten_dense_tensors(grads)
    dist.all_reduce(flat)
    for grad, summed in zip(grads, _unflatten_dense_tensors(flat, grads), strict=True):
        grad.copy_(summed)


class RankStream:
    """A random stream of this process's own, for augmentation and dropout.

    The global torch stream stays the same on every process (so they draw the
    same batch order); inside :meth:`active` the process draws from a stream
    seeded from ``seed`` and its rank, which then resumes where it left off.

    Parameters
    ----------
    seed : int
        Base seed (drawn from the estimator-seeded global stream).
    device : torch.device
        Training device; its CUDA stream is swapped too.

    Examples
    --------
    >>> import torch
    >>> from sktime_har._training._distributed import RankStream
    >>> stream = RankStream(0, torch.device("cpu"))
    >>> with stream.active():
    ...     a = torch.rand(1)
    >>> with stream.active():
    ...     b = torch.rand(1)
    >>> bool(a != b)
    True
    """

    def __init__(self, seed: int, device: torch.device):
        self.cuda = torch.device(device).type == "cuda"
        rank = process_group()[0]
        with torch.random.fork_rng(devices=[torch.device(device)] if self.cuda else []):
            torch.manual_seed(int(seed) * 1009 + rank)
            self.state = self._get()

    def _get(self):
        return (torch.get_rng_state(), torch.cuda.get_rng_state() if self.cuda else None)

    def _set(self, state):
        torch.set_rng_state(state[0])
        if self.cuda:
            torch.cuda.set_rng_state(state[1])

    @contextlib.contextmanager
    def active(self):
        """Draw from this process's stream inside the ``with`` block."""
        shared = self._get()
        self._set(self.state)
        try:
            yield
        finally:
            self.state = self._get()
            self._set(shared)
