"""Import matplotlib only when a figure is drawn, with a clear message when it is missing."""

from __future__ import annotations


def import_pyplot():
    """Return ``matplotlib.pyplot``, or raise an ImportError saying how to install it.

    Returns
    -------
    pyplot : module

    Examples
    --------
    >>> from sktime_har.plotting._pyplot import import_pyplot
    >>> import_pyplot().__name__
    'matplotlib.pyplot'
    """
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:  # optional dependency
        raise ImportError(
            "sktime_har.plotting needs matplotlib, an optional dependency: "
            "pip install 'sktime-har[plot]' (or pip install matplotlib)."
        ) from exc
    return plt
