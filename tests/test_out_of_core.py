"""Windows in a ``numpy.memmap`` are trained on and transformed batch by batch, never copied whole.

For every torch estimator on windows: a fit on a read-only memmap of the
windows (float32, and float64 cast batch by batch) gives the same losses and
outputs as a fit on the same windows in memory, and the training stages see
the memmap itself, not an in-memory copy.
"""

import numpy as np
import pytest
from _torch_estimators import TORCH_ESTIMATORS, data_for
from skorch.callbacks import Callback
from test_common import TINY_PARAMS
from test_verbosity import FEATURE_ESTIMATORS

from sktime_har._training._iterator import windows_of

WINDOW_ESTIMATORS = [cls for cls in TORCH_ESTIMATORS if cls not in FEATURE_ESTIMATORS]


class SeesAMemmap(Callback):
    """Hands ``sink`` whether each stage's training data is still the file-backed array."""

    def __init__(self, sink):
        self.sink = sink

    def on_train_begin(self, net, X=None, **kwargs):
        self.sink(isinstance(windows_of(X), np.memmap))


def _memmap(X, dtype, tmp_path):
    path = tmp_path / f"windows_{np.dtype(dtype).name}.npy"
    np.save(path, X.astype(dtype))
    return np.load(path, mmap_mode="r")


def _outputs(est, X):
    out = {name: np.asarray(getattr(est, name)) for name in
           ("loss_history_", "pretrain_loss_history_", "refine_loss_history_", "labels_")
           if hasattr(est, name)}
    for method in ("transform", "predict_proba", "predict"):
        if hasattr(est, method):
            out[method] = np.asarray(getattr(est, method)(X))
    return out


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("cls", WINDOW_ESTIMATORS, ids=lambda c: c.__name__)
def test_a_memmap_trains_and_predicts_like_the_same_windows_in_memory(cls, dtype, tmp_path):
    X, y = data_for(cls, 96)
    params = {**TINY_PARAMS[cls], "validation_fraction": 0.25}
    in_memory = cls(**params).fit(X.astype(dtype).astype(np.float32), y)
    seen = []
    mapped = _memmap(X, dtype, tmp_path)
    on_disk = cls(**params, callbacks=[SeesAMemmap(seen.append)]).fit(mapped, y)
    assert seen and all(seen), seen  # every stage read the file, not a copy
    expected, actual = _outputs(in_memory, X), _outputs(on_disk, mapped)
    assert set(actual) == set(expected)
    for name in expected:
        np.testing.assert_allclose(actual[name], expected[name], rtol=1e-5, atol=1e-6,
                                   err_msg=name)


def test_a_memmap_with_nan_is_refused_in_chunks(tmp_path):
    from sktime_har.ssl import ConvAutoencoder

    X, _ = data_for(ConvAutoencoder, 96)
    X = X.copy()
    X[90, 2, 5] = np.nan
    with pytest.raises(ValueError, match="NaN or infinity"):
        ConvAutoencoder(**TINY_PARAMS[ConvAutoencoder]).fit(_memmap(X, np.float32, tmp_path))


@pytest.mark.parametrize("row", [0, 45, 95])
@pytest.mark.parametrize("value", [np.nan, np.inf, -np.inf, 1e39])
def test_a_non_finite_value_in_any_chunk_is_seen(row, value):
    # files above the chunk size are read in many chunks; a NaN in any of them
    # must survive the running min / max (Python's min(x, nan) drops it)
    from sktime_har.utils.validation import _chunked_min_max

    X = np.zeros((96, 2, 4))
    X[row, 1, 2] = value
    low, high = _chunked_min_max(X, chunk_bytes=10 * X[0].nbytes)
    assert not (np.isfinite(low) and np.isfinite(high))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_the_channel_scaler_reads_a_memmap_in_chunks_with_the_in_memory_result(
        dtype, tmp_path, monkeypatch):
    from sktime_har.preprocessing import ChannelStandardScaler, _scaling

    rng = np.random.default_rng(0)
    X = (rng.normal(size=(50, 3, 16)) * [[[1.0], [10.0], [0.1]]] + 5).astype(dtype)
    path = tmp_path / "windows.npy"
    np.save(path, X)
    on_disk = np.load(path, mmap_mode="r")
    monkeypatch.setattr(_scaling, "_chunks",  # chunks of 7 windows, as a large file gets
                        lambda X, chunk_bytes=0: [slice(s, s + 7) for s in range(0, len(X), 7)])
    scaler = ChannelStandardScaler().fit(on_disk)
    reference = ChannelStandardScaler().fit(X)
    np.testing.assert_allclose(scaler.mean_, reference.mean_, rtol=1e-12)
    np.testing.assert_allclose(scaler.scale_, reference.scale_, rtol=1e-12)
    out = scaler.transform(on_disk)
    assert out.dtype == np.float32 and not isinstance(out, np.memmap)
    np.testing.assert_allclose(out, reference.transform(X), rtol=1e-6, atol=1e-6)
