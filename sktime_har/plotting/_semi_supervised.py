"""Semi-supervised curve: macro F1 against labelled windows per class, with CIs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sktime_har.plotting._pyplot import import_pyplot


def plot_semi_supervised(
    results: Mapping[str, Sequence[Mapping]],
    *,
    ax=None,
    title: str | None = "Semi-supervised evaluation",
    log_x: bool = True,
):
    """Plot mean macro F1 per ``k`` with confidence intervals, one line per method.

    Parameters
    ----------
    results : mapping of str to sequence of dict
        ``{method: rows}`` where each row has ``"k"``, ``"f1"`` and
        ``"ci95"`` (half-width; ``nan`` or missing draws no bar), e.g. the
        output of :func:`sktime_har.evaluation.semi_supervised_evaluation`.
    ax : matplotlib Axes or None, default=None
        Axes to draw on; a new figure when None.
    title : str or None, default="Semi-supervised evaluation"
        Axes title.
    log_x : bool, default=True
        Logarithmic ``k`` axis (the paper's k grid is 1 .. 100).

    Returns
    -------
    ax : matplotlib Axes
        The axes drawn on.

    See Also
    --------
    sktime_har.evaluation.semi_supervised_evaluation : computes the rows.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sktime_har.plotting import plot_semi_supervised
    >>> rows = [{"k": 1, "f1": 0.5, "ci95": 0.1}, {"k": 10, "f1": 0.8, "ci95": 0.05}]
    >>> ax = plot_semi_supervised({"SimCLR": rows})
    >>> len(ax.get_lines()) >= 1
    True
    """
    plt = import_pyplot()

    if not isinstance(results, Mapping) or not results:
        raise ValueError("results must be a non-empty mapping {method: rows}.")
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4))
    for method, rows in results.items():
        if not rows or any(not {"k", "f1"} <= set(r) for r in rows):
            raise ValueError(f"rows of {method!r} need 'k' and 'f1' keys; got {rows!r}.")
        rows = sorted(rows, key=lambda r: r["k"])
        ks = [r["k"] for r in rows]
        f1 = [r["f1"] for r in rows]
        # a missing or nan half-width (a single repeat) draws no bar
        ci = [r.get("ci95") for r in rows]
        ci = [0.0 if c is None or c != c else c for c in ci]
        ax.errorbar(ks, f1, yerr=ci, marker="o", capsize=3, label=str(method))
    if log_x:
        ax.set_xscale("log")
    ax.set_xlabel("labelled windows per class (k)")
    ax.set_ylabel("macro F1 (mean, 95 % CI)")
    if title:
        ax.set_title(title)
    ax.grid(True, alpha=0.3)
    ax.legend()
    return ax
