"""Convolutional transformer encoder for sensor windows (Khaertdinov et al., 2021/2022)."""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn

from sktime_har.nn.conv_blocks import make_conv_blocks
from sktime_har.nn.positional_encoding import SinusoidalPositionalEncoding

_POOLINGS = ("flatten", "mean")


def _positive_int(value: int, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{name} must be a positive int; got {value!r}.")
    return value


class TransformerEncoder(nn.Module):
    """Conv blocks, sinusoidal positions and self-attention layers over a window.

    ``(B, C, T)`` -> three ``Conv1d/BatchNorm1d/ReLU`` blocks (same padding,
    time length kept) -> ``(B, T, D)`` with ``D = conv_channels[-1]`` ->
    positional encoding -> ``n_layers`` transformer encoder layers -> either
    flattened over time (``T * D`` features, as in the paper) or averaged
    over time (``D`` features, any window length).

    Parameters
    ----------
    n_channels : int
        Input channels ``C``.
    n_timesteps : int
        Window length ``T`` (the flattened output size depends on it).
    conv_channels : sequence of int, default=(32, 64, 128)
        Output channels of the conv blocks; the last one is the attention width.
    kernel_size : int, default=3
        Kernel of every convolution.
    n_layers : int, default=8
        Self-attention layers (paper, UCI-HAR: 8).
    n_heads : int, default=8
        Attention heads; must divide ``conv_channels[-1]``.
    dim_feedforward : int, default=256
        Width of each layer's feed-forward block. The paper does not state it;
        256 (twice the attention width) is this library's choice, not torch's
        2048 default.
    dropout : float, default=0.1
        Dropout inside the attention layers.
    pooling : {"flatten", "mean"}, default="flatten"
        How the ``(T, D)`` sequence becomes one feature vector.
    norm_first : bool, default=False
        Pre-norm layers (with a final LayerNorm) instead of the original
        post-norm ones.

    Attributes
    ----------
    conv_blocks : nn.Sequential
        The conv blocks; ``conv_blocks[-1][0]`` is the last ``nn.Conv1d``
        (the default Grad-CAM layer).
    out_features : int
        Size of the output feature vector.

    See Also
    --------
    sktime_har.nn.SinusoidalPositionalEncoding : The positional encoding used here.
    sktime_har.nn.EncoderWithHead : Puts a projection or classification head on top.
    sktime_har.ssl.SimCLREncoder : Contrastive pre-training of this encoder.
    sktime_har.supervised.TransformerClassifier : Supervised training of this encoder.

    References
    ----------
    .. [1] Khaertdinov, Ghaleb, Asteriadis, "Contrastive self-supervised learning
       for sensor-based human activity recognition", IJCB 2021.
    .. [2] Khaertdinov, Asteriadis, Ghaleb, "Dynamic Temperature Scaling in
       Contrastive Self-Supervised Learning for Sensor-Based Human Activity
       Recognition", IEEE T-BIOM 2022.

    Examples
    --------
    >>> import torch
    >>> from sktime_har.nn import TransformerEncoder
    >>> enc = TransformerEncoder(6, 30, conv_channels=(4, 8), n_layers=1, n_heads=2)
    >>> enc(torch.zeros(5, 6, 30)).shape, enc.out_features
    (torch.Size([5, 240]), 240)
    """

    def __init__(
        self,
        n_channels: int,
        n_timesteps: int,
        *,
        conv_channels: Sequence[int] = (32, 64, 128),
        kernel_size: int = 3,
        n_layers: int = 8,
        n_heads: int = 8,
        dim_feedforward: int = 256,
        dropout: float = 0.1,
        pooling: str = "flatten",
        norm_first: bool = False,
    ) -> None:
        super().__init__()
        self.n_channels = _positive_int(n_channels, "n_channels")
        self.n_timesteps = _positive_int(n_timesteps, "n_timesteps")
        _positive_int(n_layers, "n_layers")
        _positive_int(n_heads, "n_heads")
        _positive_int(dim_feedforward, "dim_feedforward")
        if pooling not in _POOLINGS:
            raise ValueError(f"pooling must be one of {_POOLINGS}; got {pooling!r}.")
        if not 0.0 <= float(dropout) < 1.0:
            raise ValueError(f"dropout must be in [0, 1); got {dropout!r}.")
        self.conv_blocks = make_conv_blocks(n_channels, conv_channels, kernel_size)
        d_model = int(tuple(conv_channels)[-1])
        if d_model % n_heads:
            raise ValueError(
                f"n_heads={n_heads} must divide the attention width conv_channels[-1]={d_model}."
            )
        self.d_model = d_model
        self.pooling = pooling
        self.positional_encoding = SinusoidalPositionalEncoding(d_model)
        layer = nn.TransformerEncoderLayer(
            d_model,
            n_heads,
            dim_feedforward=dim_feedforward,
            dropout=float(dropout),
            batch_first=True,
            norm_first=norm_first,
        )
        self.attention = nn.TransformerEncoder(
            layer,
            n_layers,
            # pre-norm stacks need a final norm; post-norm layers already end in one
            norm=nn.LayerNorm(d_model) if norm_first else None,
            enable_nested_tensor=False,  # no padding masks here, and it warns with norm_first
        )
        self.out_features = d_model * self.n_timesteps if pooling == "flatten" else d_model

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Encode a batch of windows into feature vectors.

        Parameters
        ----------
        x : Tensor of shape (B, n_channels, T)
            Input windows; ``T`` must equal ``n_timesteps`` when
            ``pooling="flatten"`` and may be any length with ``"mean"``.

        Returns
        -------
        features : Tensor of shape (B, out_features)
            The attention output flattened over time (``T * D`` features,
            time-major) or averaged over time (``D`` features).
        """
        if x.ndim != 3 or x.shape[1] != self.n_channels:
            raise ValueError(
                f"expected input of shape (batch, {self.n_channels}, n_timesteps); "
                f"got {tuple(x.shape)}."
            )
        if self.pooling == "flatten" and x.shape[2] != self.n_timesteps:
            raise ValueError(
                f"pooling='flatten' needs windows of {self.n_timesteps} timesteps; "
                f"got {x.shape[2]} (shape {tuple(x.shape)})."
            )
        h = self.conv_blocks(x).transpose(1, 2)  # (B, T, D): attention is batch_first
        h = self.attention(self.positional_encoding(h))
        if self.pooling == "mean":
            return h.mean(dim=1)
        return h.flatten(start_dim=1)
