"""skorch plumbing shared by the estimators: fast batching, safety callbacks, a base net."""

from sktime_har._training._callbacks import StopOnNonFiniteLoss
from sktime_har._training._iterator import TensorBatchIterator
from sktime_har._training._net import WindowNet

__all__ = ["StopOnNonFiniteLoss", "TensorBatchIterator", "WindowNet"]

from sktime_har._training._contrastive_net import ContrastiveNet  # noqa: E402
from sktime_har._training._reconstruction_net import ReconstructionNet  # noqa: E402

__all__ += ["ContrastiveNet", "ReconstructionNet"]

from sktime_har._training._autoencoder_net import AutoencoderNet  # noqa: E402
from sktime_har._training._clustering_net import ClusteringNet  # noqa: E402

__all__ += ["AutoencoderNet", "ClusteringNet"]
