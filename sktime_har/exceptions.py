"""Exceptions raised by sktime-har."""


class TrainingDivergedError(RuntimeError):
    """Raised when training produces a non-finite loss.

    The model is left unfitted rather than returned with NaN weights.

    Examples
    --------
    >>> from sktime_har.exceptions import TrainingDivergedError
    >>> issubclass(TrainingDivergedError, RuntimeError)
    True
    """
