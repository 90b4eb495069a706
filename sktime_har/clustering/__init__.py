"""Deep clustering of sensor windows: Deep Sensory Clustering and the DEC / IDEC baselines."""

from sktime_har.clustering._dec import DEC, IDEC
from sktime_har.clustering._deep_sensory_clustering import DeepSensoryClustering

__all__ = ["DEC", "IDEC", "DeepSensoryClustering"]
