"""Self-supervised encoders for sensor windows (sklearn transformers)."""

from sktime_har.ssl._base import BaseSSLEncoder
from sktime_har.ssl._conv_autoencoder import ConvAutoencoder
from sktime_har.ssl._dynamic_temperature import DynamicTemperatureSSL
from sktime_har.ssl._simclr import SimCLREncoder
from sktime_har.ssl._vicreg import VICRegEncoder

__all__ = ["BaseSSLEncoder", "ConvAutoencoder", "DynamicTemperatureSSL", "SimCLREncoder",
           "VICRegEncoder"]
