"""LARS over Adam: Adam updates rescaled per tensor by the layer-wise trust ratio."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any

import torch
from torch import Tensor
from torch.optim import Optimizer

__all__ = ["LARS"]


class LARS(Optimizer):
    r"""Layer-wise adaptive rate scaling (LARS) applied over Adam, as in papers 001 and 004.

    For every parameter tensor ``w`` with gradient ``g`` the Adam direction is computed
    first (with bias correction), then rescaled by the tensor's trust ratio:

    .. math::

        m_t = \beta_1 m_{t-1} + (1 - \beta_1) g, \quad
        v_t = \beta_2 v_{t-1} + (1 - \beta_2) g^2, \quad
        u = \frac{m_t / (1 - \beta_1^t)}{\sqrt{v_t / (1 - \beta_2^t)} + \epsilon} + \lambda w

        r = \eta \frac{\lVert w \rVert}{\lVert u \rVert}, \qquad
        w \leftarrow w - \mathrm{lr}\, r\, u

    (``r = 1`` when ``||w||`` or ``||u||`` is 0, e.g. a zero-initialised tensor). Every
    tensor therefore moves by ``lr * eta`` of its own norm per step, whatever the scale of
    its gradients: the layer-wise rule of You et al. with Adam's direction, which is the
    LAMB update (You et al., 2020).

    Choices:

    - ``trust_coefficient`` (``eta``) defaults to 1, the LAMB convention. LARS-over-SGD's
      ``eta = 0.001`` assumes a global learning rate of order 1-10; combined with the
      papers' Adam learning rate of 1e-4 it would move every weight by 1e-7 of its norm
      per step, i.e. not train at all.
    - Biases and normalisation parameters (tensors with ``ndim <= 1``) are excluded when
      ``exclude_1d=True``: they get the plain Adam step ``lr * u`` without weight decay, as
      in SimCLR's LARS and in LAMB implementations.
    - Weight decay is decoupled (added to the update, as in AdamW/LAMB) and only applied to
      the tensors that get the trust ratio.
    - The trust ratio multiplies the *update*. The authors' code wrapped Adam in apex's
      ``LARC``, which multiplies the *gradient* by the ratio before Adam; Adam is invariant
      to a per-tensor gradient scale, so that ratio never changed anything.

    The last trust ratio of each tensor is kept in ``state[p]["trust_ratio"]`` for
    inspection. Usable directly as a skorch optimizer: ``optimizer=LARS, lr=1e-4`` (note
    skorch's own default ``lr`` is 0.01; set it), ``optimizer__trust_coefficient=...``.

    Parameters
    ----------
    params : iterable of Tensor or dict
        Parameters or parameter groups; every option below may be set per group.
    lr : float, default=1e-4
        Learning rate (papers 001 and 004: 1e-4).
    betas : (float, float), default=(0.9, 0.999)
        Adam's moment decay rates.
    eps : float, default=1e-8
        Adam's denominator term.
    weight_decay : float, default=0.0
        Decoupled weight decay ``lambda`` for non-excluded tensors.
    trust_coefficient : float, default=1.0
        ``eta``.
    exclude_1d : bool, default=True
        Give tensors with ``ndim <= 1`` the plain Adam step.

    See Also
    --------
    torch.optim.Adam : The direction that LARS rescales.

    References
    ----------
    .. [1] Y. You, I. Gitman, B. Ginsburg, "Large Batch Training of Convolutional
       Networks", arXiv:1708.03888, 2017.
    .. [2] Y. You et al., "Large Batch Optimization for Deep Learning: Training BERT in 76
       minutes", ICLR 2020 (LAMB).

    Examples
    --------
    >>> import torch
    >>> from sktime_har.nn import LARS
    >>> layer = torch.nn.Linear(4, 2)
    >>> opt = LARS(layer.parameters(), lr=1e-2)
    >>> loss = layer(torch.ones(3, 4)).pow(2).sum()
    >>> loss.backward()
    >>> opt.step()
    >>> ratio = float(opt.state[layer.weight]["trust_ratio"])
    >>> bool(0 < ratio < 1)  # weight entries ~0.3, Adam steps ~1: ratio ~0.3
    True
    """

    def __init__(
        self,
        params: Iterable[Tensor] | Iterable[dict[str, Any]],
        lr: float = 1e-4,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        trust_coefficient: float = 1.0,
        exclude_1d: bool = True,
    ):
        if not (lr >= 0.0 and math.isfinite(lr)):
            raise ValueError(f"lr must be a finite number >= 0; got {lr!r}.")
        if len(betas) != 2 or not all(0.0 <= b < 1.0 for b in betas):
            raise ValueError(f"betas must be two numbers in [0, 1); got {betas!r}.")
        if not eps >= 0.0:
            raise ValueError(f"eps must be >= 0; got {eps!r}.")
        if not weight_decay >= 0.0:
            raise ValueError(f"weight_decay must be >= 0; got {weight_decay!r}.")
        if not (trust_coefficient > 0.0 and math.isfinite(trust_coefficient)):
            raise ValueError(
                f"trust_coefficient must be a finite number > 0; got {trust_coefficient!r}."
            )
        defaults = {
            "lr": lr,
            "betas": tuple(betas),
            "eps": eps,
            "weight_decay": weight_decay,
            "trust_coefficient": trust_coefficient,
            "exclude_1d": bool(exclude_1d),
        }
        super().__init__(params, defaults)

    @torch.no_grad()
    def step(self, closure: Callable[[], float] | None = None) -> float | None:
        """Perform one optimisation step.

        Parameters
        ----------
        closure : callable or None, default=None
            Re-evaluates the model and returns the loss (for optimisers that need it).

        Returns
        -------
        loss : float or None
            The closure's loss, or None without a closure.
        """
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for group in self.param_groups:
            beta1, beta2 = group["betas"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                if p.grad.is_sparse:
                    raise RuntimeError("LARS does not support sparse gradients.")
                update = self._adam_direction(p, beta1, beta2, group["eps"])
                if group["exclude_1d"] and p.ndim <= 1:
                    p.add_(update, alpha=-group["lr"])
                    continue
                if group["weight_decay"]:
                    update.add_(p, alpha=group["weight_decay"])
                ratio = self._trust_ratio(p, update, group["trust_coefficient"])
                self.state[p]["trust_ratio"] = ratio
                p.add_(update * ratio, alpha=-group["lr"])
        return loss

    def _adam_direction(self, p: Tensor, beta1: float, beta2: float, eps: float) -> Tensor:
        """Update Adam's moments of ``p`` and return the bias-corrected direction."""
        state = self.state[p]
        if not state:
            state["step"] = 0
            state["exp_avg"] = torch.zeros_like(p, memory_format=torch.preserve_format)
            state["exp_avg_sq"] = torch.zeros_like(p, memory_format=torch.preserve_format)
        state["step"] += 1
        step = state["step"]
        state["exp_avg"].mul_(beta1).add_(p.grad, alpha=1 - beta1)
        state["exp_avg_sq"].mul_(beta2).addcmul_(p.grad, p.grad, value=1 - beta2)
        m_hat = state["exp_avg"] / (1 - beta1**step)
        v_hat = state["exp_avg_sq"] / (1 - beta2**step)
        return m_hat / (v_hat.sqrt() + eps)

    @staticmethod
    def _trust_ratio(p: Tensor, update: Tensor, trust_coefficient: float) -> Tensor:
        """``eta * ||w|| / ||u||``, or 1 when either norm is 0 (a scalar tensor)."""
        w_norm = torch.linalg.vector_norm(p)
        u_norm = torch.linalg.vector_norm(update)
        ratio = trust_coefficient * w_norm / u_norm
        return torch.where((w_norm > 0) & (u_norm > 0), ratio, torch.ones_like(ratio))
