"""A missing optional dependency names the sktime-har extra that installs it.

Each case hides the dependency (``sys.modules[name] = None`` makes its import
fail as if it were not installed) and calls the public entry point that
needs it.
"""

from __future__ import annotations

import sys
from importlib.metadata import PackageNotFoundError

import numpy as np
import pytest
from torch import nn


def _hide(monkeypatch, *modules):
    for name in list(sys.modules):
        if any(name == m or name.startswith(m + ".") for m in modules):
            monkeypatch.delitem(sys.modules, name)
    for m in modules:
        monkeypatch.setitem(sys.modules, m, None)


class _Fitted:
    module_ = nn.Sequential(nn.Conv1d(2, 4, 3, padding=1), nn.ReLU(),
                            nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(4, 3))
    classes_ = np.array([0, 1, 2])


def test_guided_gradcam_without_captum_names_the_explain_extra(monkeypatch):
    from sktime_har.inspection import GuidedGradCAM

    _hide(monkeypatch, "captum")
    with pytest.raises(ImportError, match=r"GuidedGradCAM needs captum.*sktime-har\[explain\]"):
        GuidedGradCAM(_Fitted()).attribute(np.ones((2, 2, 16), "float32"))


@pytest.mark.parametrize("plot", ["plot_saliency", "plot_embedding_tsne"])
def test_plotting_without_matplotlib_names_the_plot_extra(monkeypatch, plot):
    import sktime_har.plotting as plotting

    _hide(monkeypatch, "matplotlib")
    call = {
        "plot_saliency": lambda: plotting.plot_saliency(np.ones((2, 8)), np.ones((2, 8))),
        "plot_embedding_tsne": lambda: plotting.plot_embedding_tsne(
            {"raw": np.random.default_rng(0).normal(size=(12, 3))}, np.arange(12) % 2),
    }[plot]
    with pytest.raises(ImportError, match=r"needs matplotlib.*sktime-har\[plot\]"):
        call()


def test_dataset_loader_without_the_data_package_names_the_datasets_extra(monkeypatch):
    from sktime_har.datasets import _hapt, load_uci_har

    def missing(name):
        raise PackageNotFoundError(name)

    monkeypatch.setattr(_hapt, "distribution", missing)
    with pytest.raises(ModuleNotFoundError, match=r"sktime-har\[datasets\]"):
        load_uci_har(protocol="ssl")
