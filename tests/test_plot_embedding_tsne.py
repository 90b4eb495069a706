"""Figure-2 helper: t-SNE panels of representation spaces."""

import sys

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from sktime_har.plotting import plot_embedding_tsne  # noqa: E402
from sktime_har.plotting._tsne import _subsample  # noqa: E402


@pytest.fixture
def spaces():
    rng = np.random.default_rng(0)
    y = np.repeat([0, 1, 2], 12)
    return {
        "Data space": rng.normal(size=(36, 2, 8)),  # raw windows are flattened
        "Embedding": rng.normal(size=(36, 3)) + 4 * y[:, None],
    }, y


def test_one_panel_per_space_with_a_legend_entry_per_class(spaces):
    spaces, y = spaces
    axes = plot_embedding_tsne(spaces, y, label_names=["walk", "sit", "lay"], perplexity=5)
    assert [ax.get_title() for ax in axes] == ["Data space", "Embedding"]
    assert [t.get_text() for t in axes[-1].get_legend().get_texts()] == ["walk", "sit", "lay"]
    assert sum(len(c.get_offsets()) for c in axes[0].collections) == 36
    matplotlib.pyplot.close("all")


def test_subsample_is_stratified_and_shared():
    labels = np.repeat([0, 1], [900, 100])
    idx = _subsample(1000, labels, 100, np.random.default_rng(0))
    assert 95 <= len(idx) <= 105
    assert np.sum(labels[idx] == 1) == 10


def test_bad_inputs(spaces):
    spaces, y = spaces
    with pytest.raises(ValueError, match="n_samples=36"):
        plot_embedding_tsne({"a": np.zeros((10, 3))}, y)
    with pytest.raises(ValueError, match="1D"):
        plot_embedding_tsne(spaces, y[:, None])
    with pytest.raises(ValueError, match="at least one"):
        plot_embedding_tsne({}, y)


def test_missing_matplotlib_points_to_the_extra(monkeypatch, spaces):
    # sys.modules[name] = None makes the import fail as if it were not installed
    for name in [m for m in sys.modules if m == "matplotlib" or m.startswith("matplotlib.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(ImportError, match=r"sktime-har\[plot\]"):
        plot_embedding_tsne(*spaces)
