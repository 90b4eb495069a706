"""Sinusoidal positional encoding (Vaswani et al., 2017)."""

from __future__ import annotations

import math

import torch
from torch import nn


class SinusoidalPositionalEncoding(nn.Module):
    """Add fixed sine/cosine position codes to a ``(B, T, D)`` sequence.

    ``PE[t, 2i] = sin(t / 10000^(2i/D))``, ``PE[t, 2i+1] = cos(t / 10000^(2i/D))``.
    The table is computed for the sequence length seen in ``forward`` (no
    maximum length to configure) and is not a learnable parameter.

    Parameters
    ----------
    d_model : int
        Feature dimension ``D``.

    See Also
    --------
    sktime_har.nn.TransformerEncoder : Adds these codes before its attention layers.

    References
    ----------
    .. [1] Vaswani et al., "Attention is all you need", NeurIPS 2017.

    Examples
    --------
    >>> import torch
    >>> from sktime_har.nn import SinusoidalPositionalEncoding
    >>> pe = SinusoidalPositionalEncoding(4)
    >>> pe(torch.zeros(1, 3, 4))[0, 0].tolist()  # position 0: sin 0, cos 0
    [0.0, 1.0, 0.0, 1.0]
    """

    def __init__(self, d_model: int) -> None:
        super().__init__()
        if isinstance(d_model, bool) or not isinstance(d_model, int) or d_model < 1:
            raise ValueError(f"d_model must be a positive int; got {d_model!r}.")
        self.d_model = d_model

    def table(self, n_positions: int, device: torch.device | None = None) -> torch.Tensor:
        """Return the encoding table for the first ``n_positions`` positions.

        Parameters
        ----------
        n_positions : int
            Sequence length ``T``.
        device : torch.device or None, default=None
            Device of the table; None for torch's default device.

        Returns
        -------
        pe : Tensor of shape (n_positions, d_model)
            Float32 table; row ``t`` holds the sine/cosine codes of position ``t``.
        """
        position = torch.arange(n_positions, dtype=torch.float32, device=device).unsqueeze(1)
        even = torch.arange(0, self.d_model, 2, dtype=torch.float32, device=device)
        freq = torch.exp(-math.log(10000.0) * even / self.d_model)
        pe = torch.zeros(n_positions, self.d_model, device=device)
        pe[:, 0::2] = torch.sin(position * freq)
        pe[:, 1::2] = torch.cos(position * freq[: self.d_model // 2])
        return pe

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Add the position codes to a sequence.

        Parameters
        ----------
        x : Tensor of shape (B, T, d_model)
            Batch-first sequence of feature vectors.

        Returns
        -------
        encoded : Tensor of shape (B, T, d_model)
            ``x + PE[:T]``, in the dtype and on the device of ``x``.
        """
        if x.ndim != 3 or x.shape[-1] != self.d_model:
            raise ValueError(
                f"expected input of shape (batch, time, {self.d_model}); got {tuple(x.shape)}."
            )
        return x + self.table(x.shape[1], device=x.device).to(x.dtype)
