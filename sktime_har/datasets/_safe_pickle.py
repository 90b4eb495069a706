"""A restricted unpickler for the pandas-0.x HAPT pickle, needing no pandas.

The HAPT recordings ship as a gzip pickle of ``{subject: [DataFrame, ...]}``
written by an old pandas that no current pandas can read. A plain
``pickle.load`` would also run whatever callables the file names, so this
module never uses it. :class:`RestrictedUnpickler` resolves only an
allow-list of globals:

* numpy array reconstruction (``_reconstruct``, ``ndarray``, ``dtype``),
  checked so it can only build plain ndarrays;
* ``bytes`` re-encoding (``_codecs.encode``, latin-1 only) and ``slice``,
  which protocol-2 pickles use for byte strings and block locations;
* the pandas classes the file references, mapped to inert stand-ins
  (:class:`PickledObject`) that only keep their ``__setstate__`` state.

Everything else raises :class:`pickle.UnpicklingError` before anything is
called. :func:`frame_columns` then reads a stand-in DataFrame's columns from
its ``BlockManager`` state.
"""

from __future__ import annotations

import gzip
import pickle

import numpy as np

try:  # numpy >= 2 moved the internals to numpy._core
    from numpy._core.multiarray import _reconstruct as _np_reconstruct
except ImportError:  # pragma: no cover - numpy 1.x
    from numpy.core.multiarray import _reconstruct as _np_reconstruct


class PickledObject:
    """Inert stand-in for a pandas object found in a pickle.

    It records the pandas class it replaces (``pickled_class``), the
    arguments it was constructed with (``args``) and the state the pickle
    sets on it (``state``). It never runs pandas code.

    Parameters
    ----------
    pickled_class : str
        Dotted name of the pandas class in the pickle.
    args : tuple, default=()
        Constructor arguments recorded by the pickle.

    Examples
    --------
    >>> from sktime_har.datasets._safe_pickle import PickledObject
    >>> obj = PickledObject("pandas.core.frame.DataFrame")
    >>> obj.__setstate__({"_data": None})
    >>> obj.state
    {'_data': None}
    """

    def __init__(self, pickled_class: str, args: tuple = ()):
        self.pickled_class = pickled_class
        self.args = args
        self.state = None

    def __setstate__(self, state):
        self.state = state

    def __repr__(self) -> str:
        return f"PickledObject({self.pickled_class!r})"


class _StandInClass:
    """Callable placeholder returned by ``find_class`` for one pandas class."""

    def __init__(self, qualified_name: str):
        self.qualified_name = qualified_name

    def __call__(self, *args):
        return PickledObject(self.qualified_name, args)


def _safe_reconstructor(cls, base, state):
    # copyreg._reconstructor(cls, object, None) is how old pickles create
    # instances of Python classes; only stand-ins may be created this way.
    if not isinstance(cls, _StandInClass) or base is not object or state is not None:
        raise pickle.UnpicklingError(
            f"copyreg._reconstructor is only allowed for pandas stand-ins; got {cls!r}."
        )
    return cls()


def _safe_new_index(cls, data=None, *args):
    # pandas.core.indexes.base._new_Index(cls, dict_of_attributes)
    if not isinstance(cls, _StandInClass):
        raise pickle.UnpicklingError(f"_new_Index is only allowed for pandas indexes; got {cls!r}.")
    obj = cls()
    obj.state = data
    return obj


def _safe_ndarray_reconstruct(subtype, shape, dtype):
    if subtype is not np.ndarray:
        raise pickle.UnpicklingError(f"only plain numpy arrays may be unpickled; got {subtype!r}.")
    return _np_reconstruct(np.ndarray, shape, dtype)


def _safe_encode(obj, encoding="utf-8"):
    # Protocol-2 pickles store bytes as _codecs.encode(str, "latin1").
    if not isinstance(obj, str) or encoding not in ("latin1", "latin-1"):
        raise pickle.UnpicklingError("_codecs.encode is only allowed for latin-1 strings.")
    return obj.encode("latin-1")


def _safe_dtype(obj, align=False, copy=False):
    # Object dtypes are fine: their elements are unpickled by this same
    # restricted unpickler, so they can only be allow-listed objects.
    if not isinstance(obj, str):
        raise pickle.UnpicklingError(
            f"numpy.dtype is only allowed from a type string; got {obj!r}."
        )
    return np.dtype(obj, align=bool(align), copy=bool(copy))


# Names are looked up before protocol-2 module renames (copy_reg, __builtin__)
# and after them, and under both numpy.core and numpy._core.
_ALLOWED = {
    ("numpy.core.multiarray", "_reconstruct"): _safe_ndarray_reconstruct,
    ("numpy._core.multiarray", "_reconstruct"): _safe_ndarray_reconstruct,
    ("numpy", "ndarray"): np.ndarray,
    ("numpy", "dtype"): _safe_dtype,
    ("copy_reg", "_reconstructor"): _safe_reconstructor,
    ("copyreg", "_reconstructor"): _safe_reconstructor,
    ("__builtin__", "object"): object,
    ("builtins", "object"): object,
    ("__builtin__", "slice"): slice,
    ("builtins", "slice"): slice,
    ("_codecs", "encode"): _safe_encode,
    ("pandas.core.indexes.base", "_new_Index"): _safe_new_index,
}

#: pandas classes mapped to inert stand-ins (module prefix, class names).
_PANDAS_STANDINS = {
    "pandas.core.frame": {"DataFrame"},
    "pandas.core.series": {"Series"},
    "pandas.core.internals": {"BlockManager", "SingleBlockManager", "Block", "FloatBlock",
                              "IntBlock", "ObjectBlock", "NumericBlock"},
    "pandas.core.internals.managers": {"BlockManager", "SingleBlockManager"},
    "pandas.core.internals.blocks": {"Block", "FloatBlock", "IntBlock", "NumericBlock"},
    "pandas.core.index": {"Index", "Int64Index", "RangeIndex"},
    "pandas.core.indexes.base": {"Index"},
    "pandas.core.indexes.numeric": {"Int64Index", "Float64Index"},
    "pandas.core.indexes.range": {"RangeIndex"},
}


class RestrictedUnpickler(pickle.Unpickler):
    """Unpickler that resolves only numpy arrays and inert pandas stand-ins.

    Any global outside the allow-list (``os.system``, ``builtins.eval``,
    any other class or function) raises :class:`pickle.UnpicklingError`
    before it can be called.

    Parameters
    ----------
    file : binary file object
        The pickle stream.

    See Also
    --------
    load_restricted_pickle : Open a (gzip) file and unpickle it with this class.

    Examples
    --------
    >>> import io, os, pickle
    >>> from sktime_har.datasets._safe_pickle import RestrictedUnpickler
    >>> hostile = pickle.dumps(os.getcwd)  # any global outside the allow-list
    >>> try:
    ...     RestrictedUnpickler(io.BytesIO(hostile)).load()
    ... except pickle.UnpicklingError as exc:
    ...     print("refused")
    refused
    """

    def find_class(self, module, name):
        key = (module, name)
        if key in _ALLOWED:
            return _ALLOWED[key]
        if name in _PANDAS_STANDINS.get(module, ()):
            return _StandInClass(f"{module}.{name}")
        raise pickle.UnpicklingError(
            f"refusing to load global {module}.{name} (not on the HAPT allow-list)."
        )


def load_restricted_pickle(path):
    """Read a (possibly gzip-compressed) pickle with :class:`RestrictedUnpickler`.

    Parameters
    ----------
    path : str or path-like
        File to read; a ``.gz`` suffix means gzip.

    Returns
    -------
    obj : object
        The unpickled object, with pandas objects as :class:`PickledObject`.

    Raises
    ------
    pickle.UnpicklingError
        If the pickle names any global outside the allow-list.

    Examples
    --------
    >>> import gzip, pickle, tempfile, os
    >>> from sktime_har.datasets._safe_pickle import load_restricted_pickle
    >>> path = os.path.join(tempfile.mkdtemp(), "x.pkl.gz")
    >>> with gzip.open(path, "wb") as f:
    ...     pickle.dump({1: [2, 3]}, f, protocol=2)
    >>> load_restricted_pickle(path)
    {1: [2, 3]}
    """
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rb") as f:
        return RestrictedUnpickler(f).load()


def _index_values(index) -> np.ndarray:
    """Values of a stand-in pandas Index/RangeIndex (or a plain array)."""
    if isinstance(index, np.ndarray):
        return index
    if not isinstance(index, PickledObject) or not isinstance(index.state, dict):
        raise ValueError(f"unexpected index object in the pickle: {index!r}.")
    state = index.state
    if "data" in state:
        return np.asarray(state["data"])
    if {"start", "stop"} <= set(state):  # RangeIndex
        return np.arange(state["start"], state["stop"], state.get("step", 1))
    raise ValueError(f"unrecognised index state keys: {sorted(state)}.")


def _block_rows(mgr_locs, n_rows: int) -> np.ndarray:
    if isinstance(mgr_locs, slice):
        return np.arange(n_rows)[mgr_locs]
    return np.asarray(mgr_locs, dtype=np.intp)


def frame_columns(frame) -> dict:
    """Columns of a stand-in pandas DataFrame, read from its BlockManager state.

    Parameters
    ----------
    frame : PickledObject
        A ``DataFrame`` stand-in produced by :class:`RestrictedUnpickler`.

    Returns
    -------
    columns : dict of str to ndarray of shape (n_rows,)
        Every column by name, in the frame's column order.

    Raises
    ------
    ValueError
        If the object does not hold a pandas ``BlockManager`` state in the
        ``'0.14.1'`` layout (``axes`` and ``blocks``).

    Examples
    --------
    >>> import numpy as np
    >>> from sktime_har.datasets._safe_pickle import PickledObject, frame_columns
    >>> mgr = PickledObject("pandas.core.internals.managers.BlockManager")
    >>> cols = PickledObject("pandas.core.indexes.base.Index")
    >>> cols.state = {"data": np.array(["a", "b"])}
    >>> mgr.state = (None, None, None, {"0.14.1": {"axes": [cols, np.arange(2)], "blocks": [
    ...     {"values": np.array([[1.0, 2.0], [3.0, 4.0]]), "mgr_locs": slice(0, 2, 1)}]}})
    >>> df = PickledObject("pandas.core.frame.DataFrame")
    >>> df.state = {"_data": mgr}
    >>> {k: v.tolist() for k, v in frame_columns(df).items()}
    {'a': [1.0, 2.0], 'b': [3.0, 4.0]}
    """
    if not isinstance(frame, PickledObject) or not isinstance(frame.state, dict):
        raise ValueError(f"expected a pickled pandas DataFrame; got {frame!r}.")
    manager = frame.state.get("_data", frame.state.get("_mgr"))
    if not isinstance(manager, PickledObject) or not isinstance(manager.state, tuple):
        raise ValueError("the DataFrame holds no BlockManager state.")
    layout = manager.state[-1] if isinstance(manager.state[-1], dict) else {}
    if "0.14.1" not in layout:
        raise ValueError("the BlockManager state lacks the '0.14.1' layout (axes, blocks).")
    axes = layout["0.14.1"]["axes"]
    blocks = layout["0.14.1"]["blocks"]
    names = [str(c) for c in _index_values(axes[0])]
    columns: dict = {}
    for block in blocks:
        values = np.asarray(block["values"])
        values = values.reshape(-1, values.shape[-1]) if values.ndim > 1 else values[None]
        rows = _block_rows(block["mgr_locs"], len(names))
        if len(rows) != len(values):
            raise ValueError(f"a block has {len(values)} columns but {len(rows)} locations.")
        for row, loc in zip(values, rows, strict=True):
            columns[names[loc]] = row
    return {name: columns[name] for name in names}
