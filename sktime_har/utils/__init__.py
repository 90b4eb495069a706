"""Shared helpers: input validation, device and seed handling, estimator discovery."""

from sktime_har.utils.discovery import all_estimators
from sktime_har.utils.validation import check_windows

__all__ = ["all_estimators", "check_windows"]
