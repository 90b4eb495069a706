"""skorch callbacks for the estimators' ``callbacks`` parameter."""

from sktime_har._training._checkpoint import ResumableCheckpoint

__all__ = ["ResumableCheckpoint"]
