"""skorch plumbing shared by the estimators: fast batching, safety callbacks, a base net."""

from sktime_har._training._callbacks import StopOnNonFiniteLoss
from sktime_har._training._iterator import TensorBatchIterator
from sktime_har._training._net import WindowNet

__all__ = ["StopOnNonFiniteLoss", "TensorBatchIterator", "WindowNet"]
