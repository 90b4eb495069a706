"""Import matplotlib only when a figure is drawn, with a clear message when it is missing."""

from __future__ import annotations

from sktime_har.utils._optional import import_optional


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
    return import_optional("matplotlib.pyplot", extra="plot", feature="sktime_har.plotting")
