"""The decoder-input study: its control arm is the library autoencoder, its variants as stated."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from _scripts import load_script

from sktime_har.datasets import make_activity_windows
from sktime_har.nn.recurrent_autoencoder import RecurrentAutoencoder

SIZES = dict(hidden_size=6, num_layers=2, embedding_dim=5)


@pytest.fixture(scope="module")
def study():
    return load_script("benchmarks/dsc_decoder_input.py")


def _pair(study, decoder_input):
    torch.manual_seed(0)
    library = RecurrentAutoencoder(3, 12, **SIZES)
    torch.manual_seed(0)
    variant = study.StepInputAutoencoder(3, 12, decoder_input=decoder_input, **SIZES)
    return library, variant


@pytest.mark.parametrize("decoder_input", ["embedding", "zeros", "previous"])
def test_every_variant_starts_from_the_library_weights(study, decoder_input):
    library, variant = _pair(study, decoder_input)
    for (name, a), (_, b) in zip(library.state_dict().items(), variant.state_dict().items(),
                                 strict=True):
        assert torch.equal(a, b), name


def test_embedding_variant_is_the_library_forward(study):
    library, variant = _pair(study, "embedding")
    x = torch.randn(4, 3, 12)
    for a, b in zip(library(x), variant(x), strict=True):
        torch.testing.assert_close(a, b, rtol=0, atol=0)


def test_previous_variant_is_causal_in_its_targets(study):
    _, variant = _pair(study, "previous")
    x = torch.randn(2, 3, 12)
    _, rec, fut = variant(x)
    changed = x.clone()
    changed[:, :, -1] += 10.0  # the last future step: an input to no earlier step
    _, rec2, fut2 = variant(changed)
    torch.testing.assert_close(rec, rec2)
    torch.testing.assert_close(fut[:, :, :-1], fut2[:, :, :-1])
    changed = x.clone()
    changed[:, :, 7] += 10.0  # future step 1: the input of future steps 2 on
    _, _, fut3 = variant(changed)
    torch.testing.assert_close(fut[:, :, :2], fut3[:, :, :2])
    assert not torch.allclose(fut[:, :, 2:], fut3[:, :, 2:])


def test_zeros_variant_ignores_the_embedding_after_the_first_state(study):
    _, variant = _pair(study, "zeros")
    z = torch.randn(2, SIZES["embedding_dim"])
    target = torch.randn(2, 3, 6)
    assert torch.count_nonzero(variant._step_inputs(z, target)) == 0


def test_previous_variant_needs_room_for_the_channels(study):
    variant = study.StepInputAutoencoder(9, 12, decoder_input="previous", hidden_size=4,
                                         num_layers=1, embedding_dim=4)
    with pytest.raises(ValueError, match="embedding_dim >= n_channels"):
        variant(torch.zeros(1, 9, 12))


def test_unknown_decoder_input_is_refused(study):
    with pytest.raises(ValueError, match="decoder_input must be one of"):
        study.StepInputAutoencoder(3, 12, decoder_input="teacher", **SIZES)


def test_study_run_scores_a_fitted_estimator(study):
    X, y, _ = make_activity_windows(60, n_channels=3, n_timesteps=16, random_state=0)
    cfg = {"shared": dict(lr=1e-3, batch_size=32, tol=0.001, max_refine_epochs=1),
           "dsc": dict(hidden_size=4, num_layers=1, embedding_dim=3)}
    row = study.study_run("previous", 0, cfg, 2, np.asarray(X, np.float32), y)
    assert row["decoder input"] == "previous" and row["seed"] == 0
    assert 0.0 <= row["Ward ACC"] <= 100.0 and 0.0 <= row["k-means NMI"] <= 100.0
    assert np.isfinite(row["final AE loss"])
