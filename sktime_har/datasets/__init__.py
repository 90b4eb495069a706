"""Real (UCI-HAR) and synthetic activity data as numpy arrays."""

from sktime_har.datasets._hapt import load_uci_har_raw
from sktime_har.datasets._subject_files import WindowFiles, load_subject_windows
from sktime_har.datasets._synthetic import make_activity_windows
from sktime_har.datasets._uci_har import load_uci_har

__all__ = [
    "WindowFiles",
    "load_subject_windows",
    "load_uci_har",
    "load_uci_har_raw",
    "make_activity_windows",
]
