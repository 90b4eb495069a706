"""Occlusion curve: metric against the number of masked channels, with 95 % CIs (Figure 2)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from sktime_har.plotting._pyplot import import_pyplot


def plot_occlusion_curve(reports, *, ax=None, title="Test-time channel occlusion",
                         reference=None):
    """Plot the mean metric per masked-channel count with 95 % CI bars, one line per model.

    Parameters
    ----------
    reports : OcclusionReport or mapping of str to OcclusionReport or dict
        From :meth:`sktime_har.inspection.OcclusionScorer.evaluate` (or its
        ``to_dict()``), keyed by model name.
    ax : matplotlib Axes or None, default=None
        Axes to draw on; a new figure when None.
    title : str or None, default="Test-time channel occlusion"
        Axes title.
    reference : mapping of str to sequence of float or None, default=None
        Published values per model (e.g. read off the paper's Figure 2),
        drawn as dashed lines over the same ``k``.

    Returns
    -------
    ax : matplotlib Axes
        The axes drawn on: one error-bar line per model (plus dashed
        reference lines), ``k`` on the x axis.

    See Also
    --------
    sktime_har.inspection.OcclusionScorer : Produces the reports.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sktime_har.plotting import plot_occlusion_curve
    >>> report = {"n_masked": [0, 1, 2], "mean": [0.9, 0.7, 0.5], "ci95": [0, 0.02, 0.03],
    ...           "metric": "f1_macro"}
    >>> ax = plot_occlusion_curve({"SimCLR": report})
    >>> len(ax.get_lines()) >= 1
    True
    """
    plt = import_pyplot()
    if not isinstance(reports, Mapping) or "n_masked" in reports:
        reports = {"model": reports}
    if not reports:
        raise ValueError("reports must hold at least one OcclusionReport.")
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4))
    metric = "score"
    for name, report in reports.items():
        r = report if isinstance(report, Mapping) else report.to_dict()
        missing = {"n_masked", "mean"} - set(r)
        if missing:
            raise ValueError(f"report of {name!r} lacks {sorted(missing)}.")
        ci = np.nan_to_num(np.asarray(r.get("ci95", np.zeros(len(r["mean"]))), float))
        line = ax.errorbar(r["n_masked"], r["mean"], yerr=ci, marker="o", capsize=3,
                           label=str(name))
        metric = r.get("metric", metric)
        if reference and name in reference:
            ax.plot(r["n_masked"][: len(reference[name])], reference[name], linestyle="--",
                    color=line[0].get_color(), alpha=0.6, label=f"{name} (paper)")
    ax.set_xlabel("masked channels per window (k)")
    ax.set_ylabel(f"{metric} (mean, 95 % CI)")
    if title:
        ax.set_title(title)
    ax.grid(True, alpha=0.3)
    ax.legend()
    return ax
