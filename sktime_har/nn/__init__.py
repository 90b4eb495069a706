"""sktime_har.nn."""
from sktime_har.nn.classification_head import ClassificationHead
from sktime_har.nn.conv_autoencoder import DenoisingConvAutoencoder
from sktime_har.nn.encoder_with_head import EncoderWithHead
from sktime_har.nn.positional_encoding import SinusoidalPositionalEncoding
from sktime_har.nn.projection_head import ProjectionHead
from sktime_har.nn.transformer_encoder import TransformerEncoder
from sktime_har.nn.lars import LARS
