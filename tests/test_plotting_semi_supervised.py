"""The semi-supervised curve plot."""

import math

import matplotlib
import pytest

matplotlib.use("Agg")

from sktime_har.plotting import plot_semi_supervised  # noqa: E402


def test_one_line_per_method_with_error_bars():
    rows = [{"k": 10, "f1": 0.8, "ci95": 0.05}, {"k": 1, "f1": 0.5, "ci95": math.nan}]
    ax = plot_semi_supervised({"a": rows, "b": [{"k": 1, "f1": 0.4, "ci95": 0.1}]})
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["a", "b"]
    x, y = ax.get_lines()[0].get_data()
    assert list(x) == [1, 10] and list(y) == [0.5, 0.8]  # sorted by k
    assert ax.get_xscale() == "log"


def test_bad_results():
    with pytest.raises(ValueError):
        plot_semi_supervised({})
    with pytest.raises(ValueError, match="'k'"):
        plot_semi_supervised({"a": [{"f1": 0.5}]})
