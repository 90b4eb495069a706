"""An encoder followed by a head, as one module."""

from __future__ import annotations

import torch
from torch import nn


class EncoderWithHead(nn.Module):
    """Compose ``head(encoder(x))``, keeping both parts reachable by name.

    Used for the contrastive module (encoder + projection head) and the
    supervised classifier (encoder + classification head); inspection tools
    reach the encoder's layers through ``.encoder`` (e.g.
    ``module.encoder.conv_blocks``).

    Parameters
    ----------
    encoder : nn.Module
        Maps ``(B, C, T)`` to ``(B, F)``.
    head : nn.Module
        Maps ``(B, F)`` to the output.

    See Also
    --------
    sktime_har.nn.ProjectionHead : Head of the contrastive objectives.
    sktime_har.nn.ClassificationHead : Head of the supervised classifier.
    sktime_har.nn.TransformerEncoder : Encoder mapping ``(B, C, T)`` to ``(B, F)``.

    Examples
    --------
    >>> import torch
    >>> from torch import nn
    >>> from sktime_har.nn import EncoderWithHead
    >>> m = EncoderWithHead(nn.Flatten(), nn.Linear(6, 2))
    >>> m(torch.zeros(4, 2, 3)).shape
    torch.Size([4, 2])
    """

    def __init__(self, encoder: nn.Module, head: nn.Module) -> None:
        super().__init__()
        self.encoder = encoder
        self.head = head

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Apply the encoder, then the head.

        Parameters
        ----------
        x : Tensor of shape (B, C, T)
            Input windows (whatever the encoder accepts).

        Returns
        -------
        output : Tensor
            ``head(encoder(x))``, e.g. of shape ``(B, n_classes)`` for a
            classification head.
        """
        return self.head(self.encoder(x))
