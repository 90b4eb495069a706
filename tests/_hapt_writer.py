"""Write small gzip pickles with the structure of HAPT.pkl.gz, without pandas.

The real file (pandas 0.x, protocol 2) references exactly these globals:
copy_reg._reconstructor, __builtin__.object, pandas.core.frame.DataFrame,
pandas.core.internals.managers.BlockManager, pandas.core.indexes.base._new_Index,
pandas.core.indexes.base.Index, pandas.core.indexes.range.RangeIndex,
numpy.core.multiarray._reconstruct, numpy.ndarray, numpy.dtype, _codecs.encode,
__builtin__.slice. The pure-Python pickler below writes the same GLOBAL opcodes
for stand-in objects (so no pandas is needed) and otherwise pickles as usual.
"""

from __future__ import annotations

import gzip
import io
import pickle

import numpy as np

try:
    from numpy._core.multiarray import _reconstruct
except ImportError:  # numpy 1.x
    from numpy.core.multiarray import _reconstruct

COLUMNS = ["acc-x", "acc-y", "acc-z", "gyro-x", "gyro-y", "gyro-z", "sequence", "label"]


class Global:
    """A module/name pair written as a GLOBAL opcode."""

    def __init__(self, module: str, name: str):
        self.module, self.name = module, name

    def __call__(self, *args):  # pickle insists that reduce functions are callable
        raise TypeError("stand-in for writing pickles only")


RECONSTRUCTOR = Global("copy_reg", "_reconstructor")
DATAFRAME = Global("pandas.core.frame", "DataFrame")
BLOCK_MANAGER = Global("pandas.core.internals.managers", "BlockManager")
NEW_INDEX = Global("pandas.core.indexes.base", "_new_Index")
INDEX = Global("pandas.core.indexes.base", "Index")
RANGE_INDEX = Global("pandas.core.indexes.range", "RangeIndex")


class Reduced:
    """An object pickled as ``func(*args)`` followed by BUILD ``state``."""

    def __init__(self, func, args, state=None):
        self.func, self.args, self.state = func, args, state

    def __reduce__(self):
        return (self.func, self.args, self.state) if self.state is not None else (
            self.func, self.args)


class _Pickler(pickle._Pickler):
    dispatch = pickle._Pickler.dispatch.copy()

    def save_global(self, obj, name=None):
        if isinstance(obj, Global):
            module, name = obj.module, obj.name
        elif obj is _reconstruct:  # write the pre-numpy-2 name, as in the real file
            module, name = "numpy.core.multiarray", "_reconstruct"
        else:
            return super().save_global(obj, name)
        self.write(pickle.GLOBAL + f"{module}\n{name}\n".encode())
        self.memoize(obj)

    dispatch[Global] = save_global


def frame(signals: np.ndarray, labels: np.ndarray) -> Reduced:
    """A pandas-0.x DataFrame stand-in with the HAPT column layout."""
    n = len(labels)
    columns = Reduced(NEW_INDEX, (INDEX, {"data": np.array(COLUMNS, dtype=object), "name": None}))
    rows = Reduced(NEW_INDEX, (RANGE_INDEX, {"name": None, "start": 0, "stop": n, "step": 1}))
    floats = np.ascontiguousarray(np.asarray(signals, dtype=np.float64).T)  # (6, n)
    ints = np.stack([np.arange(n), np.asarray(labels)]).astype(np.int64)  # (2, n)
    blocks = [
        {"values": floats, "mgr_locs": slice(0, 6, 1)},
        {"values": ints, "mgr_locs": slice(6, 8, 1)},
    ]
    axes = [columns, rows]
    manager_state = (axes, [floats, ints], [columns, columns],
                     {"0.14.1": {"axes": axes, "blocks": blocks}})
    manager = Reduced(RECONSTRUCTOR, (BLOCK_MANAGER, object, None), manager_state)
    state = {"_data": manager, "_typ": "dataframe", "_metadata": [], "attrs": {}}
    return Reduced(RECONSTRUCTOR, (DATAFRAME, object, None), state)


def dumps(obj) -> bytes:
    """Protocol-2 pickle bytes of ``obj`` (stand-ins written as their pandas globals)."""
    buffer = io.BytesIO()
    _Pickler(buffer, protocol=2).dump(obj)
    return buffer.getvalue()


def write_hapt(path, recordings: dict) -> None:
    """Write ``{subject: [(signals (n, 6), labels (n,)), ...]}`` as a HAPT-like gzip pickle."""
    obj = {s: [frame(sig, lab) for sig, lab in recs] for s, recs in recordings.items()}
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wb") as f:
        f.write(dumps(obj))
