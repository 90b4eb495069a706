"""Reader for the official "UCI HAR Dataset" folder (Inertial Signals text files)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

# File stems in the order of the "dsc" channels (body acc, gyro, total acc).
INERTIAL_FILES = (
    "body_acc_x", "body_acc_y", "body_acc_z",
    "body_gyro_x", "body_gyro_y", "body_gyro_z",
    "total_acc_x", "total_acc_y", "total_acc_z",
)  # fmt: skip
FOLDER_NAME = "UCI HAR Dataset"


def _find_root(data_home) -> Path:
    home = Path(data_home).expanduser()
    for candidate in (home, home / FOLDER_NAME):
        if (candidate / "train" / "Inertial Signals").is_dir():
            return candidate
    raise FileNotFoundError(
        f"data_home={str(data_home)!r} is not an official {FOLDER_NAME!r} folder: expected "
        f"'train/Inertial Signals/' and 'test/Inertial Signals/' in it or in its "
        f"'{FOLDER_NAME}' subfolder."
    )


def _read_split(root: Path, split: str):
    folder = root / split
    if not (folder / "Inertial Signals").is_dir():
        raise FileNotFoundError(f"missing folder {folder / 'Inertial Signals'}.")
    channels = []
    for stem in INERTIAL_FILES:
        path = folder / "Inertial Signals" / f"{stem}_{split}.txt"
        if not path.is_file():
            raise FileNotFoundError(f"missing UCI HAR file {path}.")
        channels.append(np.loadtxt(path, dtype=np.float32, ndmin=2))
    shapes = {c.shape for c in channels}
    if len(shapes) != 1:
        raise ValueError(f"the Inertial Signals files of {split!r} differ in shape: {shapes}.")
    X = np.stack(channels, axis=1)  # (n_windows, 9, 128)
    y = np.loadtxt(folder / f"y_{split}.txt", dtype=np.int64, ndmin=1)
    subject = np.loadtxt(folder / f"subject_{split}.txt", dtype=np.int64, ndmin=1)
    if not len(X) == len(y) == len(subject):
        raise ValueError(
            f"{split!r}: {len(X)} windows but {len(y)} labels and {len(subject)} subject ids."
        )
    if y.size and (y.min() < 1 or y.max() > 6):
        raise ValueError(f"{split!r}: labels must be 1-6; got {sorted(set(y.tolist()))}.")
    return X, y - 1, subject


def read_uci_har_folder(data_home, subset: str = "train"):
    """Read windows, labels and subjects from an official "UCI HAR Dataset" folder.

    Reads ``<split>/Inertial Signals/<channel>_<split>.txt`` for the nine
    channels in the ``"dsc"`` order (body acc xyz, body gyro xyz, total acc
    xyz), ``y_<split>.txt`` (1-6, returned as 0-5) and
    ``subject_<split>.txt``.

    Parameters
    ----------
    data_home : str or path-like
        The "UCI HAR Dataset" folder or its parent.
    subset : {"train", "test", "all"}, default="train"
        Official split to read; ``"all"`` concatenates train and test.

    Returns
    -------
    X : ndarray of shape (n_windows, 9, 128), float32
        The windows.
    y : ndarray of shape (n_windows,), int64
        Activities 0-5.
    subject : ndarray of shape (n_windows,), int64
        Subject ids.

    Raises
    ------
    FileNotFoundError
        If the folder or one of its files is missing.
    ValueError
        If ``subset`` is ``"val"`` or unknown, or the files disagree.

    Examples
    --------
    >>> import numpy as np, pathlib, tempfile
    >>> from sktime_har.datasets._uci_folder import INERTIAL_FILES, read_uci_har_folder
    >>> root = pathlib.Path(tempfile.mkdtemp()) / "UCI HAR Dataset" / "train"
    >>> (root / "Inertial Signals").mkdir(parents=True)
    >>> for stem in INERTIAL_FILES:
    ...     np.savetxt(root / "Inertial Signals" / f"{stem}_train.txt", np.zeros((2, 128)))
    >>> np.savetxt(root / "y_train.txt", [1, 6], fmt="%d")
    >>> np.savetxt(root / "subject_train.txt", [1, 3], fmt="%d")
    >>> X, y, subject = read_uci_har_folder(root.parent.parent)
    >>> X.shape, y.tolist(), subject.tolist()
    ((2, 9, 128), [0, 5], [1, 3])
    """
    root = _find_root(data_home)
    if subset == "all":
        parts = [_read_split(root, s) for s in ("train", "test")]
        return tuple(np.concatenate(p) for p in zip(*parts, strict=True))
    if subset not in ("train", "test"):
        raise ValueError(
            f'the official UCI HAR split has subsets "train", "test" (and "all"); got {subset!r}.'
        )
    return _read_split(root, subset)
