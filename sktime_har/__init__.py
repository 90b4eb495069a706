"""sktime-har: deep clustering, self-supervised learning and representation
inspection for wearable-sensor human activity recognition, as scikit-learn
estimators trained through skorch."""

from sktime_har.clustering import DEC, IDEC, DeepSensoryClustering
from sktime_har.inspection import ChannelOcclusion, GuidedGradCAM, LinearProbe, OcclusionScorer
from sktime_har.persistence import load_weights, save_weights
from sktime_har.ssl import ConvAutoencoder, DynamicTemperatureSSL, SimCLREncoder, VICRegEncoder
from sktime_har.supervised import TransformerClassifier

__version__ = "0.1.0"

__all__ = [
    "DEC",
    "IDEC",
    "ChannelOcclusion",
    "ConvAutoencoder",
    "DeepSensoryClustering",
    "DynamicTemperatureSSL",
    "GuidedGradCAM",
    "LinearProbe",
    "OcclusionScorer",
    "SimCLREncoder",
    "TransformerClassifier",
    "VICRegEncoder",
    "load_weights",
    "save_weights",
]
