"""Real (UCI-HAR) and synthetic activity data as numpy arrays."""

from sktime_har.datasets._synthetic import make_activity_windows

__all__ = ["make_activity_windows"]
