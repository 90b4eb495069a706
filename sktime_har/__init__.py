"""sktime-har: deep clustering, self-supervised learning and representation
inspection for wearable-sensor human activity recognition, as scikit-learn
estimators trained through skorch."""

__version__ = "0.1.0"

__all__: list[str] = []
