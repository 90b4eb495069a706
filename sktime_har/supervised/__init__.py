"""Supervised deep classifiers for sensor windows."""

from sktime_har.supervised._transformer_classifier import TransformerClassifier

__all__ = ["TransformerClassifier"]
