"""Torch parts of the contrastive encoders: transformer encoder, heads, autoencoder."""

import pytest
import torch
from torch import nn

from sktime_har.nn import (
    ClassificationHead,
    DenoisingConvAutoencoder,
    EncoderWithHead,
    ProjectionHead,
    SinusoidalPositionalEncoding,
    TransformerEncoder,
)

TINY = dict(conv_channels=(4, 8, 8), n_layers=1, n_heads=2, dim_feedforward=16)


def test_flatten_and_mean_pooling_shapes():
    x = torch.randn(5, 6, 30)
    flat = TransformerEncoder(6, 30, **TINY)
    mean = TransformerEncoder(6, 30, **TINY, pooling="mean")
    assert flat(x).shape == (5, 8 * 30) and flat.out_features == 240
    assert mean(x).shape == (5, 8) and mean.out_features == 8
    # mean pooling accepts any window length, flatten does not
    assert mean(torch.randn(2, 6, 17)).shape == (2, 8)
    with pytest.raises(ValueError, match="30 timesteps"):
        flat(torch.randn(2, 6, 17))


def test_paper_defaults_and_explicit_attention_settings():
    enc = TransformerEncoder(6, 30)
    convs = [m for m in enc.conv_blocks.modules() if isinstance(m, nn.Conv1d)]
    assert [c.out_channels for c in convs] == [32, 64, 128]
    assert all(c.kernel_size == (3,) for c in convs)
    assert len(enc.attention.layers) == 8
    layer = enc.attention.layers[0]
    assert layer.self_attn.num_heads == 8 and layer.self_attn.batch_first
    assert layer.linear1.out_features == 256  # not torch's 2048 default
    assert layer.norm_first is False and enc.attention.norm is None
    pre = TransformerEncoder(6, 30, **{**TINY, "dim_feedforward": 12}, norm_first=True)
    assert pre.attention.layers[0].norm_first and isinstance(pre.attention.norm, nn.LayerNorm)
    assert pre.attention.layers[0].linear1.out_features == 12


def test_relus_are_hookable_modules_and_last_conv_is_reachable():
    enc = TransformerEncoder(6, 30, **TINY)
    relus = [m for m in enc.conv_blocks.modules() if isinstance(m, nn.ReLU)]
    assert len(relus) == 3 and not any(r.inplace for r in relus)
    assert isinstance(enc.conv_blocks[-1][0], nn.Conv1d)
    seen = []
    enc.conv_blocks[-1][0].register_forward_hook(lambda m, i, o: seen.append(o.shape))
    enc(torch.randn(2, 6, 30))
    assert seen == [torch.Size([2, 8, 30])]


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(n_heads=3), "must divide"),
        (dict(pooling="max"), "pooling"),
        (dict(conv_channels=()), "conv_channels"),
        (dict(n_layers=0), "n_layers"),
        (dict(dropout=1.5), "dropout"),
    ],
)
def test_bad_constructor_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        TransformerEncoder(6, 30, **{**TINY, **kwargs})


def test_bad_input_shapes():
    enc = TransformerEncoder(6, 30, **TINY)
    with pytest.raises(ValueError, match="6"):
        enc(torch.randn(2, 5, 30))
    with pytest.raises(ValueError):
        enc(torch.randn(6, 30))


def test_positional_encoding_values():
    pe = SinusoidalPositionalEncoding(4).table(3)
    t = torch.arange(3.0)
    assert torch.allclose(pe[:, 0], torch.sin(t)) and torch.allclose(pe[:, 1], torch.cos(t))
    assert torch.allclose(pe[:, 2], torch.sin(t / 100))
    assert torch.allclose(pe[:, 3], torch.cos(t / 100))
    odd = SinusoidalPositionalEncoding(5)(torch.zeros(1, 7, 5))
    assert odd.shape == (1, 7, 5)
    assert list(SinusoidalPositionalEncoding(5).parameters()) == []  # fixed, not learned
    with pytest.raises(ValueError):
        SinusoidalPositionalEncoding(4)(torch.zeros(1, 7, 5))


def test_heads():
    assert ProjectionHead(12)(torch.randn(3, 12)).shape == (3, 256)
    mlp = ClassificationHead(12, 4)
    widths = [m.out_features for m in mlp.modules() if isinstance(m, nn.Linear)]
    drops = [m.p for m in mlp.modules() if isinstance(m, nn.Dropout)]
    assert widths == [256, 128, 4] and drops == [0.2, 0.2]
    linear = ClassificationHead(12, 4, hidden_features=())
    assert [type(m) for m in linear.layers] == [nn.Linear]
    with pytest.raises(ValueError):
        ProjectionHead(12)(torch.randn(3, 11))
    model = EncoderWithHead(TransformerEncoder(6, 30, **TINY), ClassificationHead(240, 3))
    assert model(torch.randn(2, 6, 30)).shape == (2, 3)


def test_denoising_autoencoder_noise_only_in_training():
    torch.manual_seed(0)
    ae = DenoisingConvAutoencoder(6, 20, conv_channels=(4, 8, 8), latent_dim=16, noise_std=0.5)
    x = torch.randn(4, 6, 20)
    ae.eval()
    assert torch.equal(ae.reconstruct(x), ae.reconstruct(x))  # no noise in eval mode
    assert ae.encode(x).shape == (4, 16) and ae.reconstruct(x).shape == x.shape
    h, reconstruction = ae(x)  # the autoencoder protocol: (z, *predictions)
    assert torch.equal(h, ae.encode(x)) and ae.targets(x)[0] is x
    decoder_widths = [m.out_channels for m in ae.decoder.modules() if isinstance(m, nn.Conv1d)]
    assert decoder_widths == [8, 4]  # mirrored encoder, then the linear output conv
    assert isinstance(ae.output, nn.Conv1d)
    # training-mode forward corrupts the input; BatchNorm is frozen to isolate the noise
    ae.train()
    for m in ae.modules():
        if isinstance(m, nn.BatchNorm1d):
            m.eval()
    assert not torch.equal(ae.reconstruct(x), ae.reconstruct(x))
    quiet = DenoisingConvAutoencoder(6, 20, conv_channels=(4,), latent_dim=8, noise_std=0.0).train()
    for m in quiet.modules():
        if isinstance(m, nn.BatchNorm1d):
            m.eval()
    assert torch.equal(quiet.reconstruct(x), quiet.reconstruct(x))
    with pytest.raises(ValueError, match="20"):
        ae.encode(torch.randn(4, 6, 21))
