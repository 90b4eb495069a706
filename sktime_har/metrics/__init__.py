"""Metrics for clustering and classifying activity windows."""

from sktime_har.metrics._clustering import (
    clustering_accuracy,
    clustering_accuracy_scorer,
    nmi_scorer,
)

__all__ = ["clustering_accuracy", "clustering_accuracy_scorer", "nmi_scorer"]
