"""Shared helpers: input validation, device and seed handling."""

from sktime_har.utils.validation import check_windows

__all__ = ["check_windows"]
