"""sktime_har.plotting."""
from sktime_har.plotting._semi_supervised import plot_semi_supervised
from sktime_har.plotting._occlusion import plot_occlusion_curve
from sktime_har.plotting._saliency import plot_channel_importance, plot_saliency
