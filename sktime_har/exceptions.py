"""Exceptions raised by sktime-har."""

__all__ = ["TrainingDivergedError"]


class TrainingDivergedError(RuntimeError):
    """Raised when training produces a non-finite loss.

    The model is left unfitted rather than returned with NaN weights.

    See Also
    --------
    sktime_har._training.StopOnNonFiniteLoss : The callback that raises it.

    Examples
    --------
    >>> from sktime_har.exceptions import TrainingDivergedError
    >>> issubclass(TrainingDivergedError, RuntimeError)
    True
    """
