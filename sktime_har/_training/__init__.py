"""skorch plumbing shared by the estimators: fast batching, safety callbacks, the nets."""

from sktime_har._training._autoencoder_net import AutoencoderNet
from sktime_har._training._callbacks import StopOnNonFiniteLoss
from sktime_har._training._clustering_net import ClusteringNet
from sktime_har._training._contrastive_net import ContrastiveNet
from sktime_har._training._iterator import TensorBatchIterator
from sktime_har._training._net import WindowNet

__all__ = ["AutoencoderNet", "ClusteringNet", "ContrastiveNet", "StopOnNonFiniteLoss",
           "TensorBatchIterator", "WindowNet"]
