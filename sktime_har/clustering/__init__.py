"""Deep clustering of sensor windows: Deep Sensory Clustering, the DEC / IDEC baselines, and a
consensus of several seeds."""

from sktime_har.clustering._consensus import ConsensusClustering
from sktime_har.clustering._dec import DEC, IDEC
from sktime_har.clustering._deep_sensory_clustering import DeepSensoryClustering

__all__ = ["ConsensusClustering", "DEC", "IDEC", "DeepSensoryClustering"]
