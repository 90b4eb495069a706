"""Denoising convolutional autoencoder (Fig. 3 of Khaertdinov et al., 2022)."""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn

from sktime_har.nn.conv_blocks import make_conv_blocks


class DenoisingConvAutoencoder(nn.Module):
    """Conv encoder ``g``, bottleneck ``l1``/``l2`` and a mirrored conv decoder ``d``.

    ``x (B, C, T)`` -> (training only: ``x + N(0, noise_std^2)``) -> ``g``
    (conv blocks, same padding) -> flatten -> ``l1`` (linear, the instance
    features ``h``) -> ``l2`` (linear + ReLU) -> reshape ``(B, D, T)`` ->
    decoder blocks with the channel widths mirrored -> a final linear
    ``Conv1d`` to ``C`` channels. The output layer has no activation because
    z-scored signals are negative as well as positive. ``l1`` has no
    activation either, so instance features can point in any direction and
    their angular similarity covers ``[0, 1]`` (a ReLU would confine it to
    ``[0.5, 1]``).

    Parameters
    ----------
    n_channels : int
        Input channels ``C``.
    n_timesteps : int
        Window length ``T`` (the bottleneck is fully connected).
    conv_channels : sequence of int, default=(32, 64, 128)
        Encoder block widths; the decoder uses them reversed.
    kernel_size : int, default=3
        Kernel of every convolution.
    latent_dim : int, default=256
        Size of the instance features (paper, UCI-HAR: 256).
    noise_std : float, default=0.5
        Standard deviation of the Gaussian input noise, applied in training
        mode only (paper: 0.5).

    See Also
    --------
    sktime_har.ssl.ConvAutoencoder : Estimator training this network.
    sktime_har.nn.DenseAutoencoder : Fully connected autoencoder of DEC and IDEC.
    sktime_har.nn.RecurrentAutoencoder : Recurrent autoencoder of Deep Sensory Clustering.

    References
    ----------
    .. [1] Khaertdinov, Asteriadis, Ghaleb, "Dynamic Temperature Scaling in
       Contrastive Self-Supervised Learning for Sensor-Based Human Activity
       Recognition", IEEE T-BIOM 2022.
    .. [2] Vincent et al., "Extracting and composing robust features with
       denoising autoencoders", ICML 2008.

    Examples
    --------
    >>> import torch
    >>> from sktime_har.nn import DenoisingConvAutoencoder
    >>> ae = DenoisingConvAutoencoder(6, 30, conv_channels=(4, 8), latent_dim=16).eval()
    >>> ae.reconstruct(torch.zeros(2, 6, 30)).shape, ae.encode(torch.zeros(2, 6, 30)).shape
    (torch.Size([2, 6, 30]), torch.Size([2, 16]))
    """

    def __init__(
        self,
        n_channels: int,
        n_timesteps: int,
        *,
        conv_channels: Sequence[int] = (32, 64, 128),
        kernel_size: int = 3,
        latent_dim: int = 256,
        noise_std: float = 0.5,
    ) -> None:
        super().__init__()
        for name, value in [("n_channels", n_channels), ("n_timesteps", n_timesteps),
                            ("latent_dim", latent_dim)]:
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be a positive int; got {value!r}.")
        if not float(noise_std) >= 0.0:
            raise ValueError(f"noise_std must be >= 0; got {noise_std!r}.")
        channels = tuple(conv_channels)
        self.n_channels = n_channels
        self.n_timesteps = n_timesteps
        self.noise_std = float(noise_std)
        self.out_features = latent_dim
        self.encoder = make_conv_blocks(n_channels, channels, kernel_size)
        width = channels[-1]
        self.l1 = nn.Linear(width * n_timesteps, latent_dim)
        self.l2 = nn.Sequential(nn.Linear(latent_dim, width * n_timesteps), nn.ReLU())
        mirrored = channels[::-1][1:]
        self.decoder = make_conv_blocks(width, mirrored, kernel_size) if mirrored else None
        last = mirrored[-1] if mirrored else width
        self.output = nn.Conv1d(last, n_channels, kernel_size, padding="same")

    def _check(self, x: torch.Tensor) -> None:
        if x.ndim != 3 or x.shape[1:] != (self.n_channels, self.n_timesteps):
            raise ValueError(
                f"expected input of shape (batch, {self.n_channels}, {self.n_timesteps}); "
                f"got {tuple(x.shape)}."
            )

    def encode(self, x: torch.Tensor) -> torch.Tensor:
        """Instance features ``h = l1(g(x))``, without input noise.

        Parameters
        ----------
        x : Tensor of shape (B, n_channels, n_timesteps)
            Input windows.

        Returns
        -------
        h : Tensor of shape (B, latent_dim)
            Instance features (the bottleneck ``l1``, no activation).
        """
        self._check(x)
        return self.l1(self.encoder(x).flatten(start_dim=1))

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Embed and reconstruct windows, corrupting them with Gaussian noise in training mode.

        The autoencoder protocol of the library (as
        :class:`~sktime_har.nn.DenseAutoencoder` and
        :class:`~sktime_har.nn.RecurrentAutoencoder`): ``(z, *predictions)``,
        with the matching targets from :meth:`targets`.

        Parameters
        ----------
        x : Tensor of shape (B, n_channels, n_timesteps)
            Clean input windows (the reconstruction target).

        Returns
        -------
        h : Tensor of shape (B, latent_dim)
            Instance features of the (corrupted) input.
        reconstruction : Tensor of shape (B, n_channels, n_timesteps)
            Decoder output, no output activation.
        """
        self._check(x)
        if self.training and self.noise_std > 0:
            x = x + self.noise_std * torch.randn_like(x)
        h = self.l1(self.encoder(x).flatten(start_dim=1))
        r = self.l2(h).view(x.shape[0], -1, self.n_timesteps)
        if self.decoder is not None:
            r = self.decoder(r)
        return h, self.output(r)

    def reconstruct(self, x: torch.Tensor) -> torch.Tensor:
        """The reconstruction of :meth:`forward` alone.

        Parameters
        ----------
        x : Tensor of shape (B, n_channels, n_timesteps)
            Input windows.

        Returns
        -------
        reconstruction : Tensor of shape (B, n_channels, n_timesteps)
            Decoder output (with input noise in training mode, as in :meth:`forward`).
        """
        return self.forward(x)[1]

    def targets(self, x: torch.Tensor) -> tuple[torch.Tensor]:
        """Targets matching :meth:`forward`'s predictions: the clean input.

        Parameters
        ----------
        x : Tensor of shape (B, n_channels, n_timesteps)
            Input windows.

        Returns
        -------
        targets : tuple of one Tensor of shape (B, n_channels, n_timesteps)
            The input itself, the target of the reconstruction.
        """
        return (x,)
