"""Plain torch building blocks: encoders, decoders, heads, the clustering layer and LARS.

Losses live in :mod:`sktime_har.nn.losses`, augmentations in
:mod:`sktime_har.augment`. Nothing here imports scikit-learn or skorch.
"""

from sktime_har.nn.classification_head import ClassificationHead
from sktime_har.nn.clustering_layer import (
    ClusteringLayer,
    student_t_assignment,
    target_distribution,
)
from sktime_har.nn.conv_autoencoder import DenoisingConvAutoencoder
from sktime_har.nn.deep_clustering_model import DeepClusteringModel
from sktime_har.nn.dense_autoencoder import DenseAutoencoder
from sktime_har.nn.encoder_with_head import EncoderWithHead
from sktime_har.nn.lars import LARS
from sktime_har.nn.positional_encoding import SinusoidalPositionalEncoding
from sktime_har.nn.projection_head import ProjectionHead
from sktime_har.nn.recurrent_autoencoder import RecurrentAutoencoder
from sktime_har.nn.transformer_encoder import TransformerEncoder

__all__ = [
    "LARS",
    "ClassificationHead",
    "ClusteringLayer",
    "DeepClusteringModel",
    "DenoisingConvAutoencoder",
    "DenseAutoencoder",
    "EncoderWithHead",
    "ProjectionHead",
    "RecurrentAutoencoder",
    "SinusoidalPositionalEncoding",
    "TransformerEncoder",
    "student_t_assignment",
    "target_distribution",
]
