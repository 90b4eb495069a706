"""Classification heads on top of frozen or trainable features."""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn


class ClassificationHead(nn.Module):
    """Linear layer or MLP mapping features to class logits.

    ``hidden_features=()`` gives a linear head; the default is the paper's
    prediction MLP: hidden layers of 256 and 128 units, ReLU and dropout 0.2.

    Parameters
    ----------
    in_features : int
        Feature size.
    n_classes : int
        Number of classes (logits).
    hidden_features : sequence of int, default=(256, 128)
        Hidden layer widths; empty for a linear head.
    dropout : float, default=0.2
        Dropout after each hidden ReLU.

    See Also
    --------
    sktime_har.nn.ProjectionHead : MLP head of the contrastive objectives.
    sktime_har.nn.EncoderWithHead : Puts a head on top of an encoder.
    sktime_har.supervised.TransformerClassifier : Uses this head on a transformer encoder.

    Examples
    --------
    >>> import torch
    >>> from sktime_har.nn import ClassificationHead
    >>> ClassificationHead(10, 3)(torch.zeros(4, 10)).shape
    torch.Size([4, 3])
    >>> len(ClassificationHead(10, 3, hidden_features=()).layers)  # linear
    1
    """

    def __init__(
        self,
        in_features: int,
        n_classes: int,
        *,
        hidden_features: Sequence[int] = (256, 128),
        dropout: float = 0.2,
    ) -> None:
        super().__init__()
        widths = tuple(hidden_features)
        for name, value in [("in_features", in_features), ("n_classes", n_classes),
                            *[("hidden_features", w) for w in widths]]:
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must hold positive ints; got {value!r}.")
        if not 0.0 <= float(dropout) < 1.0:
            raise ValueError(f"dropout must be in [0, 1); got {dropout!r}.")
        self.in_features = in_features
        self.n_classes = n_classes
        layers: list[nn.Module] = []
        previous = in_features
        for width in widths:
            layers += [nn.Linear(previous, width), nn.ReLU(), nn.Dropout(float(dropout))]
            previous = width
        layers.append(nn.Linear(previous, n_classes))
        self.layers = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Class logits of a batch of feature vectors.

        Parameters
        ----------
        x : Tensor of shape (batch, in_features)
            Features, e.g. the output of an encoder.

        Returns
        -------
        logits : Tensor of shape (batch, n_classes)
            Unnormalised class scores (apply a softmax for probabilities).
        """
        if x.ndim != 2 or x.shape[1] != self.in_features:
            raise ValueError(
                f"expected input of shape (batch, {self.in_features}); got {tuple(x.shape)}."
            )
        return self.layers(x)
