"""Windowing, resampling, gravity split and per-channel scaling of sensor signals."""

from sktime_har.preprocessing._gravity import split_gravity
from sktime_har.preprocessing._resampling import Resampler, resample_windows
from sktime_har.preprocessing._scaling import ChannelStandardScaler
from sktime_har.preprocessing._windowing import sliding_windows, window_starts

__all__ = [
    "ChannelStandardScaler",
    "Resampler",
    "resample_windows",
    "sliding_windows",
    "split_gravity",
    "window_starts",
]
