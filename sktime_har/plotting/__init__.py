"""Figures for papers (matplotlib, imported lazily: ``pip install "sktime-har[plot]"``)."""

from sktime_har.plotting._occlusion import plot_occlusion_curve
from sktime_har.plotting._saliency import plot_channel_importance, plot_saliency
from sktime_har.plotting._semi_supervised import plot_semi_supervised
from sktime_har.plotting._tsne import plot_embedding_tsne

__all__ = [
    "plot_channel_importance",
    "plot_embedding_tsne",
    "plot_occlusion_curve",
    "plot_saliency",
    "plot_semi_supervised",
]
