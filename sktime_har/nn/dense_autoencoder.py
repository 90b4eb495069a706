"""Fully connected autoencoder on flattened windows (the DEC / IDEC backbone).

DEC and IDEC use a ``d-500-500-2000-10`` encoder with ReLU activations and a
mirrored decoder; here it reads windows of shape ``(batch, n_channels,
n_timesteps)`` and flattens them inside, which is exactly what makes these
image-clustering baselines blind to temporal structure.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn


def _mlp(sizes: Sequence[int]) -> nn.Sequential:
    layers: list[nn.Module] = []
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True)):
        layers.append(nn.Linear(n_in, n_out))
        if i < len(sizes) - 2:  # no activation on the embedding / the output
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


class DenseAutoencoder(nn.Module):
    """Symmetric multilayer perceptron autoencoder on flattened windows.

    Parameters
    ----------
    n_channels : int
        Channels per window.
    n_timesteps : int
        Window length; the input size is ``n_channels * n_timesteps``.
    hidden_sizes : sequence of int, default=(500, 500, 2000)
        Encoder layer widths; the decoder mirrors them.
    embedding_dim : int, default=10
        Size of the embedding ``z``.

    See Also
    --------
    sktime_har.clustering.DEC : Clustering estimator built on this autoencoder.
    sktime_har.clustering.IDEC : DEC keeping the reconstruction loss.
    sktime_har.nn.RecurrentAutoencoder : Recurrent autoencoder of Deep Sensory Clustering.
    sktime_har.nn.DeepClusteringModel : Adds a clustering layer on the embedding.

    References
    ----------
    .. [1] Xie, Girshick, Farhadi, "Unsupervised Deep Embedding for
       Clustering Analysis", ICML 2016.
    .. [2] Guo, Gao, Liu, Yin, "Improved Deep Embedded Clustering with Local
       Structure Preservation", IJCAI 2017.

    Examples
    --------
    >>> import torch
    >>> from sktime_har.nn.dense_autoencoder import DenseAutoencoder
    >>> ae = DenseAutoencoder(3, 8, hidden_sizes=(16,), embedding_dim=2)
    >>> z, rec = ae(torch.zeros(5, 3, 8))
    >>> tuple(z.shape), tuple(rec.shape)
    ((5, 2), (5, 3, 8))
    """

    def __init__(
        self,
        n_channels: int,
        n_timesteps: int,
        *,
        hidden_sizes: Sequence[int] = (500, 500, 2000),
        embedding_dim: int = 10,
    ) -> None:
        super().__init__()
        hidden_sizes = [int(h) for h in hidden_sizes]
        for name, value in [("n_channels", n_channels), ("n_timesteps", n_timesteps),
                            ("embedding_dim", embedding_dim)]:
            if int(value) < 1:
                raise ValueError(f"{name} must be >= 1; got {value!r}.")
        if any(h < 1 for h in hidden_sizes):
            raise ValueError(f"hidden_sizes must be positive; got {hidden_sizes!r}.")
        self.n_channels = int(n_channels)
        self.n_timesteps = int(n_timesteps)
        self.embedding_dim = int(embedding_dim)
        sizes = [self.n_channels * self.n_timesteps, *hidden_sizes, self.embedding_dim]
        self.encoder = _mlp(sizes)
        self.decoder = _mlp(sizes[::-1])

    def _check_input(self, x: torch.Tensor) -> None:
        if x.ndim != 3 or x.shape[1] != self.n_channels or x.shape[2] != self.n_timesteps:
            raise ValueError(
                f"DenseAutoencoder expects input of shape (batch, {self.n_channels}, "
                f"{self.n_timesteps}); got {tuple(x.shape)}."
            )

    def encode(self, x: torch.Tensor) -> torch.Tensor:
        """Embed windows.

        Parameters
        ----------
        x : Tensor of shape (batch, n_channels, n_timesteps)
            Input windows, flattened inside.

        Returns
        -------
        z : Tensor of shape (batch, embedding_dim)
            Embeddings (output of the last encoder layer, no activation).
        """
        self._check_input(x)
        return self.encoder(x.flatten(1))

    def decode(self, z: torch.Tensor) -> tuple[torch.Tensor]:
        """Reconstruct windows from embeddings.

        Parameters
        ----------
        z : Tensor of shape (batch, embedding_dim)
            Embeddings.

        Returns
        -------
        reconstructions : tuple of one Tensor
            ``(reconstruction,)``, the reconstructed windows of shape
            ``(batch, n_channels, n_timesteps)`` (a tuple so that all
            autoencoders share the ``decode`` interface).
        """
        if z.ndim != 2 or z.shape[1] != self.embedding_dim:
            raise ValueError(
                f"decode expects z of shape (batch, {self.embedding_dim}); got {tuple(z.shape)}."
            )
        return (self.decoder(z).view(z.shape[0], self.n_channels, self.n_timesteps),)

    def targets(self, x: torch.Tensor) -> tuple[torch.Tensor]:
        """Targets matching :meth:`decode`: the input itself.

        Parameters
        ----------
        x : Tensor of shape (batch, n_channels, n_timesteps)
            Input windows.

        Returns
        -------
        targets : tuple of one Tensor
            ``(x,)``: the input itself, paired with the output of :meth:`decode`.
        """
        self._check_input(x)
        return (x,)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Embed and reconstruct.

        Parameters
        ----------
        x : Tensor of shape (batch, n_channels, n_timesteps)
            Input windows.

        Returns
        -------
        z : Tensor of shape (batch, embedding_dim)
            Embeddings.
        reconstruction : Tensor of shape (batch, n_channels, n_timesteps)
            Reconstructed windows.
        """
        z = self.encode(x)
        return (z, *self.decode(z))
