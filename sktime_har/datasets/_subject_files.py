"""A directory of per-subject window files, opened lazily as one dataset."""

from __future__ import annotations

from pathlib import Path

import numpy as np

LABELS_SUFFIX = ".labels.npy"


class WindowFiles:
    """Rows of several ``.npy`` window files, read only when a batch asks for them.

    Indexing with a slice or an index array gives another ``WindowFiles``
    (nothing is read, so scikit-learn's cross-validation splits stay on disk);
    an integer, ``np.asarray`` or ``astype`` reads the rows. Every estimator on
    windows treats it as it treats a ``numpy.memmap``: validated in chunks,
    trained and transformed batch by batch.

    Parameters
    ----------
    files : list of numpy.memmap
        Windows of shape ``(n_i, n_channels, n_timesteps)``, one dtype.
    rows : ndarray of shape (n_windows, 2) or None, default=None
        ``(file, row)`` of each window; ``None`` is every row of every file in
        order.

    Attributes
    ----------
    shape : tuple of int
        ``(n_windows, n_channels, n_timesteps)``.
    dtype : numpy.dtype
        Dtype of the files.

    See Also
    --------
    load_subject_windows : Opens a directory of per-subject files as one.

    Examples
    --------
    >>> import numpy as np
    >>> from sktime_har.datasets import WindowFiles
    >>> X = WindowFiles([np.zeros((2, 3, 4)), np.ones((3, 3, 4))])
    >>> X.shape, X[[4, 0]].shape, float(np.asarray(X[1:3]).sum())
    ((5, 3, 4), (2, 3, 4), 12.0)
    """

    file_backed = True  # read by sktime_har.utils.validation.is_file_backed

    def __init__(self, files, rows=None):
        self.files = list(files)
        if rows is None:
            rows = np.concatenate([
                np.stack([np.full(len(f), i), np.arange(len(f))], axis=1)
                for i, f in enumerate(self.files)]) if self.files else np.zeros((0, 2), int)
        self.rows = np.asarray(rows, dtype=np.int64).reshape(-1, 2)
        first = self.files[0]
        self.dtype = first.dtype
        self.shape = (len(self.rows), *first.shape[1:])

    ndim = 3

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, key):
        if isinstance(key, (int, np.integer)):
            file, row = self.rows[key]
            return np.asarray(self.files[file][row])
        if isinstance(key, tuple):  # scikit-learn's X[indices, ...]
            if len(key) == 2 and key[1] is Ellipsis:
                return self[key[0]]
            raise TypeError("WindowFiles index windows only (one index, slice or array).")
        return WindowFiles(self.files, self.rows[key])

    def __array__(self, dtype=None, copy=None):
        out = np.empty(self.shape, dtype=self.dtype if dtype is None else dtype)
        for file in np.unique(self.rows[:, 0]):
            where = np.flatnonzero(self.rows[:, 0] == file)
            out[where] = self.files[file][self.rows[where, 1]]
        return out

    def astype(self, dtype, copy=True):
        """The rows read into memory as an array of ``dtype``.

        Parameters
        ----------
        dtype : numpy dtype
            Dtype of the array.
        copy : bool, default=True
            Ignored: the rows are always read into a new array.

        Returns
        -------
        windows : ndarray of shape ``shape``
            The rows.
        """
        return self.__array__(dtype)


def load_subject_windows(directory) -> tuple[WindowFiles, np.ndarray | None, np.ndarray]:
    """Open a directory of per-subject window files as one dataset, without reading it.

    The layout large studies use: one ``<subject>.npy`` per subject holding
    its windows ``(n_windows, n_channels, n_timesteps)``, and optionally
    ``<subject>.labels.npy`` with one label per window. The files are memory
    mapped; windows are read when a batch is.

    Parameters
    ----------
    directory : str or path-like
        Folder with the files (sorted by name).

    Returns
    -------
    X : WindowFiles
        All windows, subject after subject, left in their files.
    y : ndarray of shape (n_windows,) or None
        Labels when every subject has a labels file, else ``None``.
    groups : ndarray of shape (n_windows,)
        Subject of each window (the file name without ``.npy``), for
        ``GroupKFold`` and ``fit(..., groups=)``.

    Raises
    ------
    ValueError
        When the folder holds no window file, the files disagree in channels,
        length or dtype, a labels file has another length than its windows,
        or only some subjects have labels.

    See Also
    --------
    WindowFiles : The lazily read windows.

    Examples
    --------
    >>> import numpy as np, tempfile, pathlib
    >>> from sktime_har.datasets import load_subject_windows
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> for subject in ("s01", "s02"):
    ...     np.save(folder / f"{subject}.npy", np.zeros((3, 6, 8), "float32"))
    >>> X, y, groups = load_subject_windows(folder)
    >>> X.shape, y, groups.tolist()
    ((6, 6, 8), None, ['s01', 's01', 's01', 's02', 's02', 's02'])
    """
    folder = Path(directory)
    if not folder.is_dir():
        raise ValueError(f"load_subject_windows expects a directory; got {str(folder)!r}.")
    paths = sorted(p for p in folder.glob("*.npy") if not p.name.endswith(LABELS_SUFFIX))
    if not paths:
        raise ValueError(f"{str(folder)!r} holds no <subject>.npy window file.")
    files = [np.load(p, mmap_mode="r") for p in paths]
    layouts = {(f.ndim, f.shape[1:], f.dtype.str) for f in files}
    if len(layouts) != 1 or files[0].ndim != 3:
        found = ", ".join(f"{p.name}: {f.shape} {f.dtype}" for p, f in zip(paths, files,
                                                                        strict=True))
        raise ValueError("Every window file must hold (n_windows, n_channels, n_timesteps) "
                         f"windows of one layout and dtype; got {found}.")
    label_paths = [p.with_name(p.name[:-4] + LABELS_SUFFIX) for p in paths]
    present = [p.exists() for p in label_paths]
    if any(present) and not all(present):
        missing = [p.name for p, there in zip(label_paths, present, strict=True) if not there]
        raise ValueError(f"Only some subjects have labels; missing {missing}.")
    y = None
    if all(present):
        labels = [np.load(p) for p in label_paths]
        for path, f, lab in zip(paths, files, labels, strict=True):
            if len(lab) != len(f):
                raise ValueError(f"{path.name} has {len(f)} windows but its labels file "
                                 f"{len(lab)} labels.")
        y = np.concatenate(labels)
    groups = np.concatenate([np.full(len(f), p.name[:-4]) for p, f in zip(paths, files,
                                                                        strict=True)])
    return WindowFiles(files), y, groups
