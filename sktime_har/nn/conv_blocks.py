"""Stack of 1D convolution blocks (Conv1d, BatchNorm1d, ReLU) shared by the encoders."""

from __future__ import annotations

from collections.abc import Sequence

from torch import nn


def _check_channels(conv_channels: Sequence[int]) -> tuple[int, ...]:
    channels = tuple(conv_channels)
    if len(channels) == 0 or any(
        isinstance(c, bool) or not isinstance(c, int) or c < 1 for c in channels
    ):
        raise ValueError(
            f"conv_channels must be a non-empty sequence of positive ints; got {conv_channels!r}."
        )
    return channels


def make_conv_blocks(
    in_channels: int, conv_channels: Sequence[int], kernel_size: int
) -> nn.Sequential:
    """Build ``len(conv_channels)`` blocks of ``Conv1d -> BatchNorm1d -> ReLU``.

    Convolutions use "same" padding so the time axis keeps its length. Each
    block is its own ``nn.Sequential`` so ``blocks[-1]`` is the last block and
    ``blocks[-1][0]`` its convolution (the default Grad-CAM layer). ReLUs are
    ``nn.ReLU`` modules, not in-place and not functional, because guided
    backpropagation (captum) only overrides ``nn.ReLU`` modules.

    Parameters
    ----------
    in_channels : int
        Channels of the input ``(B, C, T)``.
    conv_channels : sequence of int
        Output channels of each block.
    kernel_size : int
        Kernel size of every convolution.

    Returns
    -------
    blocks : nn.Sequential
        Maps ``(B, in_channels, T)`` to ``(B, conv_channels[-1], T)``.

    Examples
    --------
    >>> import torch
    >>> from sktime_har.nn.conv_blocks import make_conv_blocks
    >>> blocks = make_conv_blocks(6, (8, 16), 3)
    >>> blocks(torch.zeros(2, 6, 30)).shape
    torch.Size([2, 16, 30])
    """
    if isinstance(in_channels, bool) or not isinstance(in_channels, int) or in_channels < 1:
        raise ValueError(f"in_channels must be a positive int; got {in_channels!r}.")
    if isinstance(kernel_size, bool) or not isinstance(kernel_size, int) or kernel_size < 1:
        raise ValueError(f"kernel_size must be a positive int; got {kernel_size!r}.")
    channels = _check_channels(conv_channels)
    blocks = []
    previous = in_channels
    for out in channels:
        blocks.append(
            nn.Sequential(
                # no conv bias: the BatchNorm shift that follows makes it redundant
                nn.Conv1d(previous, out, kernel_size, padding="same", bias=False),
                nn.BatchNorm1d(out),
                nn.ReLU(),
            )
        )
        previous = out
    return nn.Sequential(*blocks)
