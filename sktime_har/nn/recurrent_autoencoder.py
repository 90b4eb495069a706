"""Multi-task recurrent autoencoder of Deep Sensory Clustering (stage I).

A bidirectional GRU reads the first ``input_fraction`` of each window and its
final hidden states are reduced to an embedding ``z``. ``z`` is projected
back to a context that initialises two unidirectional GRU decoders: one
reconstructs the time-reversed input part, the other predicts the remaining
timesteps (Abedin et al., ISWC 2020, Section 3.1, Eq. 1).
"""

from __future__ import annotations

import math

import torch
from torch import nn


def split_point(n_timesteps: int, input_fraction: float) -> int:
    """Number of leading timesteps the encoder reads.

    Parameters
    ----------
    n_timesteps : int
        Window length.
    input_fraction : float
        Fraction of the window in ``(0, 1)`` given to the encoder.

    Returns
    -------
    n_input : int
        ``floor(n_timesteps * input_fraction)``; the other
        ``n_timesteps - n_input`` timesteps are the prediction target.

    Raises
    ------
    ValueError
        If the window is too short to leave at least one timestep on each
        side of the split.

    Examples
    --------
    >>> from sktime_har.nn.recurrent_autoencoder import split_point
    >>> split_point(128, 0.5)
    64
    """
    if not 0.0 < float(input_fraction) < 1.0:
        raise ValueError(f"input_fraction must be in (0, 1); got {input_fraction!r}.")
    n_input = int(math.floor(n_timesteps * float(input_fraction)))
    if n_input < 1 or n_timesteps - n_input < 1:
        raise ValueError(
            f"A window of {n_timesteps} timesteps cannot be split at input_fraction="
            f"{input_fraction}: the encoder input and the future-prediction target both "
            f"need at least one timestep (got {n_input} and {n_timesteps - n_input}). "
            f"Use windows of at least {min_timesteps_for(input_fraction)} timesteps."
        )
    return n_input


def min_timesteps_for(input_fraction: float) -> int:
    """Shortest window that :func:`split_point` can split.

    Parameters
    ----------
    input_fraction : float
        Fraction of the window in ``(0, 1)`` given to the encoder.

    Returns
    -------
    n_timesteps : int

    Examples
    --------
    >>> from sktime_har.nn.recurrent_autoencoder import min_timesteps_for
    >>> min_timesteps_for(0.5), min_timesteps_for(0.1)
    (2, 10)
    """
    if not 0.0 < float(input_fraction) < 1.0:
        raise ValueError(f"input_fraction must be in (0, 1); got {input_fraction!r}.")
    t = 2
    while True:
        n_input = int(math.floor(t * float(input_fraction)))
        if n_input >= 1 and t - n_input >= 1:
            return t
        t += 1


class RecurrentAutoencoder(nn.Module):
    """BiGRU encoder with reversed-reconstruction and future-prediction GRU decoders.

    Input windows have shape ``(batch, n_channels, n_timesteps)``; the module
    transposes to GRU's ``(batch, time, channels)`` layout inside.

    Parameters
    ----------
    n_channels : int
        Channels per window.
    n_timesteps : int
        Window length; the split into encoder input and future target is
        fixed by it and ``input_fraction``.
    input_fraction : float, default=0.5
        Fraction of each window read by the encoder (the paper uses the first
        50 %).
    hidden_size : int, default=256
        GRU units per direction and layer (encoder and decoders).
    num_layers : int, default=2
        Stacked GRU layers (encoder and decoders).
    embedding_dim : int, default=64
        Size of the bottleneck embedding ``z``.

    Attributes
    ----------
    n_input : int
        Timesteps read by the encoder.
    n_future : int
        Timesteps the future decoder predicts.

    See Also
    --------
    sktime_har.clustering.DeepSensoryClustering : Estimator built on this autoencoder.
    sktime_har.nn.DeepClusteringModel : Adds a clustering layer on the embedding.
    sktime_har.nn.losses.MultiTaskReconstructionLoss : Loss over the two decoder outputs.
    sktime_har.nn.DenseAutoencoder : Fully connected autoencoder of DEC and IDEC.

    Notes
    -----
    Both decoders start from the context and read ``z`` at every step; they
    never see the signal, so everything they reproduce has to pass through
    ``z``. On UCI-HAR this gave a far better clustering space than decoders
    reading nothing or, with teacher forcing, the previous sample
    (``benchmarks/dsc_decoder_input.py``).

    References
    ----------
    .. [1] Abedin, Ehsanpour, Shi, Rezatofighi, Ranasinghe, "Towards Deep
       Clustering of Human Activities from Wearables", ISWC 2020.
    .. [2] Srivastava, Mansimov, Salakhutdinov, "Unsupervised Learning of
       Video Representations using LSTMs", ICML 2015.

    Examples
    --------
    >>> import torch
    >>> from sktime_har.nn.recurrent_autoencoder import RecurrentAutoencoder
    >>> ae = RecurrentAutoencoder(3, 10, hidden_size=8, num_layers=1, embedding_dim=4)
    >>> z, rec, fut = ae(torch.zeros(2, 3, 10))
    >>> tuple(z.shape), tuple(rec.shape), tuple(fut.shape)
    ((2, 4), (2, 3, 5), (2, 3, 5))
    """

    def __init__(
        self,
        n_channels: int,
        n_timesteps: int,
        *,
        input_fraction: float = 0.5,
        hidden_size: int = 256,
        num_layers: int = 2,
        embedding_dim: int = 64,
    ) -> None:
        super().__init__()
        for name, value in [("n_channels", n_channels), ("hidden_size", hidden_size),
                            ("num_layers", num_layers), ("embedding_dim", embedding_dim)]:
            if int(value) < 1:
                raise ValueError(f"{name} must be >= 1; got {value!r}.")
        self.n_channels = int(n_channels)
        self.n_timesteps = int(n_timesteps)
        self.n_input = split_point(self.n_timesteps, input_fraction)
        self.n_future = self.n_timesteps - self.n_input
        self.hidden_size = int(hidden_size)
        self.num_layers = int(num_layers)
        self.embedding_dim = int(embedding_dim)

        self.encoder = nn.GRU(self.n_channels, self.hidden_size, self.num_layers,
                              batch_first=True, bidirectional=True)
        # last layer, both directions -> z
        self.bottleneck = nn.Linear(2 * self.hidden_size, self.embedding_dim)
        # z -> initial hidden state of every decoder layer
        self.context = nn.Linear(self.embedding_dim, self.num_layers * self.hidden_size)
        # Decoders read z at every step ("conditioned on the encoded input") and
        # start from the context; they never see the ground truth, so all
        # information has to pass through z.
        self.reconstruction_decoder = nn.GRU(self.embedding_dim, self.hidden_size,
                                             self.num_layers, batch_first=True)
        self.future_decoder = nn.GRU(self.embedding_dim, self.hidden_size, self.num_layers,
                                     batch_first=True)
        self.reconstruction_head = nn.Linear(self.hidden_size, self.n_channels)
        self.future_head = nn.Linear(self.hidden_size, self.n_channels)

    def _check_input(self, x: torch.Tensor) -> None:
        if x.ndim != 3 or x.shape[1] != self.n_channels or x.shape[2] != self.n_timesteps:
            raise ValueError(
                f"RecurrentAutoencoder expects input of shape (batch, {self.n_channels}, "
                f"{self.n_timesteps}); got {tuple(x.shape)}."
            )

    def encode(self, x: torch.Tensor) -> torch.Tensor:
        """Embed windows.

        Parameters
        ----------
        x : Tensor of shape (batch, n_channels, n_timesteps)
            Input windows; only the first ``n_input`` timesteps are read.

        Returns
        -------
        z : Tensor of shape (batch, embedding_dim)
            Embeddings from the last BiGRU layer's final hidden states.
        """
        self._check_input(x)
        seq = x[:, :, : self.n_input].transpose(1, 2)  # (B, T_in, C)
        _, h_n = self.encoder(seq)  # (num_layers * 2, B, H)
        last = h_n.view(self.num_layers, 2, x.shape[0], self.hidden_size)[-1]
        return self.bottleneck(torch.cat([last[0], last[1]], dim=1))

    def _initial_state(self, z: torch.Tensor) -> torch.Tensor:
        """Decoder hidden state ``(num_layers, batch, hidden_size)`` from the context of ``z``."""
        h0 = torch.tanh(self.context(z))
        return h0.view(z.shape[0], self.num_layers, self.hidden_size).transpose(0, 1).contiguous()

    def _decode(self, z: torch.Tensor, decoder: nn.GRU, head: nn.Linear,
                steps: int) -> torch.Tensor:
        inputs = z.unsqueeze(1).expand(z.shape[0], steps, self.embedding_dim)
        out, _ = decoder(inputs, self._initial_state(z))  # (B, steps, H)
        return head(out).transpose(1, 2)  # (B, C, steps)

    def decode(self, z: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Reconstruct the reversed input part and predict the future part.

        Parameters
        ----------
        z : Tensor of shape (batch, embedding_dim)
            Embeddings, fed to both decoders at every step.

        Returns
        -------
        reconstruction : Tensor of shape (batch, n_channels, n_input)
            Estimate of the encoder input in reversed time order.
        future : Tensor of shape (batch, n_channels, n_future)
            Estimate of the timesteps after the encoder input.
        """
        if z.ndim != 2 or z.shape[1] != self.embedding_dim:
            raise ValueError(
                f"decode expects z of shape (batch, {self.embedding_dim}); got {tuple(z.shape)}."
            )
        rec = self._decode(z, self.reconstruction_decoder, self.reconstruction_head,
                           self.n_input)
        fut = self._decode(z, self.future_decoder, self.future_head, self.n_future)
        return rec, fut

    def targets(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Targets matching :meth:`decode`'s outputs (Eq. 1 of the paper).

        Parameters
        ----------
        x : Tensor of shape (batch, n_channels, n_timesteps)
            Input windows.

        Returns
        -------
        reversed_input : Tensor of shape (batch, n_channels, n_input)
            The encoder input part in reversed time order.
        future : Tensor of shape (batch, n_channels, n_future)
            The remaining timesteps after the encoder input.
        """
        self._check_input(x)
        return x[:, :, : self.n_input].flip(-1), x[:, :, self.n_input :]

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Embed and decode.

        Parameters
        ----------
        x : Tensor of shape (batch, n_channels, n_timesteps)
            Input windows.

        Returns
        -------
        z : Tensor of shape (batch, embedding_dim)
            Embeddings.
        reconstruction : Tensor of shape (batch, n_channels, n_input)
            Estimate of the encoder input in reversed time order.
        future : Tensor of shape (batch, n_channels, n_future)
            Estimate of the timesteps after the encoder input.
        """
        z = self.encode(x)
        rec, fut = self.decode(z)
        return z, rec, fut
