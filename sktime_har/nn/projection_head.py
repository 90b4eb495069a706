"""Projection head of the contrastive objectives (SimCLR's g)."""

from __future__ import annotations

import torch
from torch import nn


class ProjectionHead(nn.Module):
    """Two-layer MLP ``Linear -> ReLU -> Linear`` mapping features to the loss space.

    Parameters
    ----------
    in_features : int
        Encoder output size.
    hidden_features : int, default=256
        Hidden width (paper, UCI-HAR: 256).
    out_features : int, default=256
        Projection size (paper, UCI-HAR: 256).

    See Also
    --------
    sktime_har.nn.ClassificationHead : MLP head mapping features to class logits.
    sktime_har.nn.EncoderWithHead : Puts a head on top of an encoder.
    sktime_har.ssl.SimCLREncoder : Contrastive encoder trained through this head.

    References
    ----------
    .. [1] Chen et al., "A simple framework for contrastive learning of visual
       representations", ICML 2020.

    Examples
    --------
    >>> import torch
    >>> from sktime_har.nn import ProjectionHead
    >>> ProjectionHead(10, 8, 4)(torch.zeros(3, 10)).shape
    torch.Size([3, 4])
    """

    def __init__(self, in_features: int, hidden_features: int = 256, out_features: int = 256):
        super().__init__()
        for name, value in [("in_features", in_features), ("hidden_features", hidden_features),
                            ("out_features", out_features)]:
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be a positive int; got {value!r}.")
        self.in_features = in_features
        self.out_features = out_features
        self.layers = nn.Sequential(
            nn.Linear(in_features, hidden_features),
            nn.ReLU(),
            nn.Linear(hidden_features, out_features),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Project a batch of encoder features into the loss space.

        Parameters
        ----------
        x : Tensor of shape (batch, in_features)
            Encoder features.

        Returns
        -------
        projection : Tensor of shape (batch, out_features)
            Projected features, the input of the contrastive loss.
        """
        if x.ndim != 2 or x.shape[1] != self.in_features:
            raise ValueError(
                f"expected input of shape (batch, {self.in_features}); got {tuple(x.shape)}."
            )
        return self.layers(x)
