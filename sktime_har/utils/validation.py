"""Validation of sensor-window arrays at the library's boundary.

Every estimator calls :func:`check_windows` first, so the data conventions are
enforced in one place: ``X`` is ``(n_samples, n_channels, n_timesteps)``, a 2D
``(n_samples, n_timesteps)`` array is one channel, and everything is cast to
``float32`` once.
"""

from __future__ import annotations

import numbers
import warnings

import numpy as np
import scipy.sparse

EXPECTED_SHAPE = "(n_samples, n_channels, n_timesteps)"

#: Largest absolute value the torch estimators and inspection tools accept in
#: windows or features. Sensor units (g, m/s^2, rad/s, raw ADC counts) stay far
#: below it; float32 arithmetic inside the networks (squares in normalisation
#: layers, norms in similarities) overflows to inf/NaN from about 1e19, and
#: the margin keeps every model finite. Standardise larger data first, e.g.
#: with :class:`sktime_har.preprocessing.ChannelStandardScaler`, which accepts
#: any finite magnitude.
MAX_ABS_INPUT = 1e6


def _as_numeric_array(X, name: str, expected: str = EXPECTED_SHAPE) -> np.ndarray:
    if scipy.sparse.issparse(X):
        raise TypeError(
            f"Sparse input is not supported: {name} must be a dense array of shape "
            f"{expected}; convert it with .toarray() first."
        )
    if hasattr(X, "to_numpy") and not isinstance(X, np.ndarray):
        X = X.to_numpy()
    if isinstance(X, (str, bytes)) or isinstance(X, numbers.Number):
        raise TypeError(
            f"{name} must be an array-like of shape {expected}, "
            f"got a scalar of type {type(X).__name__}."
        )
    try:
        # a memory-mapped file (possibly larger than memory) stays a view of the file
        arr = X if is_file_backed(X) else np.asarray(X)
    except ValueError as exc:  # numpy refuses inhomogeneous nested lists
        raise ValueError(
            f"{name} must be a regular array of shape {expected}; "
            f"got a ragged sequence (windows of different lengths or channel counts). "
            f"Pad or resample the windows to one length first."
        ) from exc
    if arr.dtype == object:
        try:
            arr = arr.astype(np.float64)
        except TypeError as exc:
            raise TypeError(
                f"{name} must hold numbers in a regular array of shape {expected}; "
                f"got an object array with non-numeric values ({exc})."
            ) from exc
        except ValueError as exc:
            raise ValueError(
                f"{name} must hold numbers in a regular array of shape {expected}; "
                f"got an object array that is ragged or holds non-numeric values ({exc})."
            ) from exc
    if arr.dtype.kind in "USV":
        raise TypeError(
            f"{name} must hold numbers (float-like), got dtype {arr.dtype} "
            f"(strings or bytes)."
        )
    if arr.dtype.kind == "c":
        raise ValueError(
            f"Complex data not supported: {name} must be real-valued, got dtype {arr.dtype}."
        )
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be float-like, got dtype {arr.dtype}.")
    return arr


def check_windows(
    X,
    *,
    min_timesteps: int = 1,
    n_channels: int | None = None,
    n_timesteps: int | None = None,
    min_samples: int = 1,
    name: str = "X",
    owner: str = "the estimator",
    max_abs: float | None = None,
) -> np.ndarray:
    """Validate sensor windows and return them as a C-contiguous float32 array.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_channels, n_timesteps) or (n_samples, n_timesteps)
        Windows of multichannel sensor signals. A 2D array is read as one
        channel per window.
    min_timesteps : int, default=1
        Fewest timesteps a window may have (the model's receptive need).
    n_channels : int or None, default=None
        If given, the channel count the windows must have (the count seen
        in ``fit``).
    n_timesteps : int or None, default=None
        If given, the exact window length required (for models whose output
        size depends on it).
    min_samples : int, default=1
        Fewest windows accepted.
    name : str, default="X"
        Name of the argument, used in error messages.
    owner : str, default="the estimator"
        Name of the estimator asking, used in error messages.
    max_abs : float or None, default=None
        If given, the largest absolute value accepted (the torch estimators
        pass :data:`MAX_ABS_INPUT`); larger values raise a ``ValueError``
        naming the magnitude found.

    Returns
    -------
    X_checked : ndarray of shape (n_samples, n_channels, n_timesteps), dtype float32
        The validated windows. A ``numpy.memmap`` is returned as a view of its
        file, checked in chunks and never copied whole (its batches are cast
        to float32 as they are read), so windows larger than memory can be
        fitted and transformed.

    Raises
    ------
    ValueError
        If the array is not 2D or 3D, is ragged, empty, holds NaN or
        infinity, has too few samples or timesteps, a channel count other
        than ``n_channels``, or values beyond ``max_abs``.
    TypeError
        If the values are not numbers.

    See Also
    --------
    check_labels : The matching check of the labels ``y``.

    Examples
    --------
    >>> import numpy as np
    >>> from sktime_har.utils import check_windows
    >>> check_windows(np.zeros((4, 3, 16))).shape
    (4, 3, 16)
    >>> check_windows(np.zeros((4, 16))).shape  # one channel
    (4, 1, 16)
    >>> check_windows(np.full((4, 3, 16), 1e9), max_abs=1e6)
    Traceback (most recent call last):
    ...
    ValueError: X holds values up to 1e+09 in magnitude; ...
    """
    arr = _as_numeric_array(X, name)
    if arr.ndim == 2 and arr.shape[1] == 0:
        raise ValueError(
            f"Found array with 0 feature(s) (shape={arr.shape}) while a minimum of 1 is "
            f"required: {name} windows need at least one timestep."
        )
    if arr.ndim == 1:
        raise ValueError(
            f"{name} must be a 3D array of shape {EXPECTED_SHAPE} (or 2D (n_samples, "
            f"n_timesteps) for one channel); got a 1D array of shape {arr.shape}. Reshape "
            f"your data: X.reshape(1, -1) if it is one window of one channel."
        )
    if arr.ndim == 2:
        arr = arr[:, np.newaxis, :]
    elif arr.ndim != 3:
        raise ValueError(
            f"{name} must be a 3D array of shape {EXPECTED_SHAPE} "
            f"(or 2D (n_samples, n_timesteps) for one channel); got a {arr.ndim}D array "
            f"of shape {arr.shape}."
        )
    n, c, t = arr.shape
    if n < max(1, min_samples):
        raise ValueError(
            f"{name} needs at least {max(1, min_samples)} sample(s) of shape "
            f"{EXPECTED_SHAPE}; got {n} sample(s) (shape {arr.shape})."
        )
    if c == 0 or t == 0:
        raise ValueError(
            f"{name} must have at least one channel and one timestep; got shape {arr.shape}."
        )
    if n_channels is not None and c != n_channels:
        raise ValueError(
            f"{name} has {c} channels but the estimator was fitted on {n_channels}; "
            f"expected shape (n_samples, {n_channels}, n_timesteps), got {arr.shape}."
        )
    if n_timesteps is not None and t != n_timesteps:
        raise ValueError(
            f"{name} has {c * t} features, but {owner} is expecting {c * n_timesteps} "
            f"features as input: its windows have {t} timesteps but the model was fitted "
            f"on {n_timesteps}; expected shape (n_samples, {c}, {n_timesteps}), got "
            f"{arr.shape}."
        )
    if t < min_timesteps:
        raise ValueError(
            f"{name} windows need at least {min_timesteps} timesteps for this model; "
            f"got {t} (that is {t} feature(s) per channel, shape {arr.shape})."
        )
    if is_file_backed(arr):
        # data larger than memory: read in chunks, never copied whole; batches are cast
        # to float32 as training and inference read them
        low, high = _chunked_min_max(arr)
    else:
        with np.errstate(over="ignore"):  # overflow shows up as inf, reported below
            arr = np.ascontiguousarray(arr, dtype=np.float32)
        # min and max propagate NaN and show +-inf without the boolean temporary of
        # np.isfinite(arr), a quarter of the input's size, so predict/transform memory
        # stays bounded
        low, high = arr.min(), arr.max()
    if not (np.isfinite(low) and np.isfinite(high)):
        raise ValueError(
            f"{name} contains NaN or infinity (or values too large for float32); "
            f"impute or drop those windows first."
        )
    check_magnitude(max(-float(low), float(high)), max_abs, name=name, owner=owner)
    return arr


def is_file_backed(X) -> bool:
    """Whether ``X`` holds windows left in files (a ``numpy.memmap``, ``WindowFiles``).

    Such windows are validated in chunks and read batch by batch, never copied whole.

    Parameters
    ----------
    X : object
        Anything passed as windows.

    Returns
    -------
    file_backed : bool

    Examples
    --------
    >>> import numpy as np
    >>> from sktime_har.utils.validation import is_file_backed
    >>> is_file_backed(np.zeros(3))
    False
    """
    return isinstance(X, np.memmap) or getattr(X, "file_backed", False) is True


def _chunked_min_max(arr: np.ndarray, chunk_bytes: int = 64 * 2**20) -> tuple[float, float]:
    """Smallest and largest value of an array read in chunks of about ``chunk_bytes``.

    NaN anywhere gives NaN; values beyond float32's range count as infinite, as
    the float32 cast of the in-memory path makes them. In a torch.distributed
    process group each process reads only its contiguous share of the rows and
    all get the extremes of the whole array (so all accept or all refuse it).
    """
    from sktime_har._training._distributed import local_share, min_max_over_processes

    share = local_share(slice(0, len(arr)), len(arr))
    row_bytes = int(np.prod(arr.shape[1:])) * np.dtype(arr.dtype).itemsize  # without reading
    rows = max(1, chunk_bytes // max(1, row_bytes))
    low, high = np.inf, -np.inf
    for start in range(share.start, share.stop, rows):
        chunk = np.asarray(arr[start:min(start + rows, share.stop)])
        # np.fmin/fmax would skip NaN and Python's min keeps its first argument
        # against NaN: propagate it explicitly
        low, high = np.minimum(low, float(chunk.min())), np.maximum(high, float(chunk.max()))
    low, high = min_max_over_processes(float(low), float(high))
    limit = float(np.finfo(np.float32).max)
    return (low if low >= -limit else -np.inf), (high if high <= limit else np.inf)


def check_magnitude(
    peak: float, max_abs: float | None, *, name: str = "X", owner: str = "the estimator"
) -> None:
    """Raise a ``ValueError`` when the largest absolute value exceeds ``max_abs``.

    Parameters
    ----------
    peak : float
        Largest absolute value of the input.
    max_abs : float or None
        Bound accepted; ``None`` accepts any finite value.
    name : str, default="X"
        Argument name for the message.
    owner : str, default="the estimator"
        Who asks, for the message.

    Examples
    --------
    >>> from sktime_har.utils.validation import check_magnitude
    >>> check_magnitude(3.0, 1e6)
    >>> check_magnitude(1e30, 1e6)
    Traceback (most recent call last):
    ...
    ValueError: X holds values up to 1e+30 in magnitude; ...
    """
    if max_abs is not None and peak > max_abs:
        raise ValueError(
            f"{name} holds values up to {peak:.0e} in magnitude; {owner} accepts at most "
            f"{max_abs:.0e}, beyond which float32 arithmetic in its network overflows or "
            f"loses the signal. Standardise the windows first (e.g. "
            f"sktime_har.preprocessing.ChannelStandardScaler) or convert them to physical "
            f"units."
        )


def check_numeric(X, *, name: str = "X", expected: str = EXPECTED_SHAPE) -> np.ndarray:
    """Return ``X`` as a regular numeric array, or raise naming ``expected``.

    Ragged sequences, strings, sparse matrices and complex values get the
    same messages as in :func:`check_windows`; shape and values are left to
    the caller.

    Examples
    --------
    >>> from sktime_har.utils.validation import check_numeric
    >>> check_numeric([[1, 2], [3, 4]]).shape
    (2, 2)
    """
    return _as_numeric_array(X, name, expected=expected)


def check_feature_matrix(X, *, name: str = "X", owner: str = "the estimator",
                         max_abs: float | None = MAX_ABS_INPUT, hint: str = "") -> np.ndarray:
    """Validate a 2D feature matrix ``(n_samples, n_features)`` as float32.

    The counterpart of :func:`check_windows` for estimators on features
    (probes and heads): ragged, non-numeric, empty, non-finite or too large
    input raises a ``ValueError``/``TypeError`` with the same wording.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        Features.
    name : str, default="X"
        Argument name for messages.
    owner : str, default="the estimator"
        Who asks, for messages.
    max_abs : float or None, default=MAX_ABS_INPUT
        Largest absolute value accepted.
    hint : str, default=""
        Appended to the message for input that is not 2D.

    Returns
    -------
    X_checked : ndarray of shape (n_samples, n_features), dtype float32

    Examples
    --------
    >>> import numpy as np
    >>> from sktime_har.utils.validation import check_feature_matrix
    >>> check_feature_matrix(np.ones((3, 4))).dtype
    dtype('float32')
    """
    arr = _as_numeric_array(X, name, expected="(n_samples, n_features)")
    if arr.ndim != 2:
        # scikit-learn's wording for a 1D array, which its common checks match
        reshape = (" Reshape your data either using array.reshape(-1, 1) if your data has a "
                   "single feature or array.reshape(1, -1) if it contains a single sample."
                   if arr.ndim == 1 else "")
        raise ValueError(
            f"{owner} expects 2D features of shape (n_samples, n_features) in {name}; got a "
            f"{arr.ndim}D array of shape {arr.shape}.{reshape}{hint}"
        )
    # worded like scikit-learn's check_array, which its common checks match
    if arr.shape[0] == 0:
        raise ValueError(
            f"Found array with 0 sample(s) (shape={arr.shape}) while a minimum of 1 is "
            f"required by {owner}: {name} needs at least one sample."
        )
    if arr.shape[1] == 0:
        raise ValueError(
            f"Found array with 0 feature(s) (shape={arr.shape}) while a minimum of 1 is "
            f"required by {owner}: {name} needs at least one feature."
        )
    with np.errstate(over="ignore"):
        arr = np.ascontiguousarray(arr, dtype=np.float32)
    low, high = arr.min(), arr.max()
    if not (np.isfinite(low) and np.isfinite(high)):
        raise ValueError(
            f"Input {name} contains NaN or infinity (or values too large for float32); "
            f"impute or drop those samples first."
        )
    check_magnitude(max(-float(low), float(high)), max_abs, name=name, owner=owner)
    return arr


def check_samples(X, *, name: str = "X", owner: str = "this function") -> np.ndarray:
    """Validate samples that may be features ``(n, f)`` or windows ``(n, c, t)``.

    For the evaluation helpers that pass ``X`` on to a user's estimator or
    Pipeline: the array is checked (regular, numeric, non-empty, finite) but
    keeps its dtype and dimensionality.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features) or (n_samples, n_channels, n_timesteps)
    name : str, default="X"
        Argument name for messages.
    owner : str, default="this function"
        Who asks, for messages.

    Returns
    -------
    X_checked : ndarray

    Examples
    --------
    >>> import numpy as np
    >>> from sktime_har.utils.validation import check_samples
    >>> check_samples(np.zeros((4, 3, 8))).shape
    (4, 3, 8)
    """
    expected = "(n_samples, n_features) or (n_samples, n_channels, n_timesteps)"
    arr = _as_numeric_array(X, name, expected=expected)
    if arr.ndim not in (2, 3):
        raise ValueError(
            f"{owner} expects {name} of shape {expected}; got a {arr.ndim}D array of "
            f"shape {arr.shape}."
        )
    if arr.size == 0:
        raise ValueError(f"{name} needs at least one sample; got shape {arr.shape}.")
    if arr.dtype.kind == "f" and not np.isfinite(arr).all():
        raise ValueError(
            f"Input {name} contains NaN or infinity; impute or drop those samples first."
        )
    return arr


def check_fitted_estimator(estimator, *, name: str = "estimator",
                           methods: tuple[str, ...] = ()) -> None:
    """Raise ``NotFittedError`` unless ``estimator`` (or a Pipeline) is fitted.

    Parameters
    ----------
    estimator : estimator
        A scikit-learn compatible estimator or Pipeline.
    name : str, default="estimator"
        Argument name for the message.
    methods : tuple of str, default=()
        Methods the caller needs, e.g. ``("predict",)``.

    Raises
    ------
    TypeError
        If ``estimator`` is not an estimator (a class, or an object without
        ``fit``) or lacks one of ``methods``.
    sklearn.exceptions.NotFittedError
        If it is not fitted.

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sktime_har.utils.validation import check_fitted_estimator
    >>> check_fitted_estimator(LogisticRegression())
    Traceback (most recent call last):
    ...
    sklearn.exceptions.NotFittedError: This LogisticRegression instance is not fitted yet...
    """
    from sklearn.utils.validation import check_is_fitted

    check_estimator_instance(estimator, name=name, methods=methods)
    check_is_fitted(estimator)


def check_estimator_instance(estimator, *, name: str = "estimator",
                             methods: tuple[str, ...] = ()) -> None:
    """Raise ``TypeError`` unless ``estimator`` is an estimator instance with ``methods``.

    Parameters
    ----------
    estimator : object
    name : str, default="estimator"
        Argument name for the message.
    methods : tuple of str, default=()
        Methods the caller needs besides ``fit``, e.g. ``("predict",)``.

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sktime_har.utils.validation import check_estimator_instance
    >>> check_estimator_instance(LogisticRegression(), methods=("predict",))
    >>> check_estimator_instance(LogisticRegression)
    Traceback (most recent call last):
    ...
    TypeError: estimator must be an estimator instance (with fit); got <class ...
    """
    if isinstance(estimator, type) or not hasattr(estimator, "fit"):
        raise TypeError(
            f"{name} must be an estimator instance (with fit); got {estimator!r}."
        )
    missing = [m for m in methods if not hasattr(estimator, m)]
    if missing:
        raise TypeError(
            f"{name} must have {', '.join(missing)}; {type(estimator).__name__} has not."
        )


def warn_if_batch_exceeds_data(batch_size: int, n_samples: int, owner: str) -> None:
    """Warn that a batch larger than the data makes every epoch one small step.

    Parameters
    ----------
    batch_size : int
        The estimator's ``batch_size``.
    n_samples : int
        Training windows.
    owner : str
        Estimator name for the message.

    Examples
    --------
    >>> import warnings
    >>> from sktime_har.utils.validation import warn_if_batch_exceeds_data
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warn_if_batch_exceeds_data(256, 100, "DeepSensoryClustering")
    >>> "batch_size=256" in str(caught[0].message)
    True
    """
    if batch_size > n_samples:
        warnings.warn(
            f"{owner}: batch_size={batch_size} is larger than the {n_samples} training "
            f"windows, so each epoch is a single batch of {n_samples} (one optimiser step). "
            "Lower batch_size or raise the number of epochs if the model underfits.",
            UserWarning,
            stacklevel=3,
        )


def check_labels(y, n_samples: int, name: str = "y") -> np.ndarray:
    """Validate a 1D label vector of ``n_samples`` entries.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        Labels of any hashable type.
    n_samples : int
        Number of windows the labels must match.
    name : str, default="y"
        Name of the argument, used in error messages.

    Returns
    -------
    y_checked : ndarray of shape (n_samples,)
        The labels as a numpy array.

    Examples
    --------
    >>> from sktime_har.utils.validation import check_labels
    >>> check_labels(["walk", "sit"], 2)
    array(['walk', 'sit'], dtype='<U4')
    """
    if y is None:
        raise ValueError(f"{name} is required for this estimator; got None.")
    arr = np.asarray(y)
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr.ravel()
    if arr.ndim != 1:
        raise ValueError(f"{name} must be 1D of shape (n_samples,); got shape {arr.shape}.")
    if arr.shape[0] != n_samples:
        raise ValueError(
            f"{name} has {arr.shape[0]} entries but X has {n_samples} samples."
        )
    if arr.dtype.kind == "f" and not np.isfinite(arr).all():
        raise ValueError(f"{name} contains NaN or infinity.")
    return arr
