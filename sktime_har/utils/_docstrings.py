"""Texts several docstrings share (citations, common parameters), filled in by marker.

A marker such as ``%(cite_dynamic_temperature)s`` stands in a docstring line;
:func:`fill_doc` replaces it with its text. Text before the marker on that line
(e.g. ``.. [1] ``) starts the first line and sets the indentation of the
others; text after it ends the last line (e.g. ``, Section V-A.``).
"""

from __future__ import annotations

import re
from typing import TypeVar

CITATIONS = {
    "cite_dynamic_temperature": (
        'B. Khaertdinov, S. Asteriadis, E. Ghaleb, "Dynamic Temperature Scaling in\n'
        "Contrastive Self-Supervised Learning for Sensor-Based Human Activity\n"
        'Recognition", IEEE T-BIOM 2022'
    ),
    "cite_inspection": (
        'B. Khaertdinov, S. Asteriadis, "Explaining, Analyzing, and Probing\n'
        "Representations of Self-Supervised Learning Models for Sensor-based\n"
        'Human Activity Recognition", IJCB 2023'
    ),
    "cite_dsc": (
        'A. Abedin, M. Ehsanpour, Q. Shi, H. Rezatofighi, D. C. Ranasinghe,\n'
        '"Towards Deep Clustering of Human Activities from Wearables", ISWC 2020'
    ),
    "cite_contrastive_har": (
        'B. Khaertdinov, E. Ghaleb, S. Asteriadis, "Contrastive Self-supervised\n'
        'Learning for Sensor-based Human Activity Recognition", IJCB 2021'
    ),
    "cite_dec": (
        'J. Xie, R. Girshick, A. Farhadi, "Unsupervised Deep Embedding for\n'
        'Clustering Analysis", ICML 2016'
    ),
}

PARAMETERS = {
    "fit_groups_param": (
        "groups : array-like of shape (n_samples,) or None, default=None\n"
        "    Group of each window (e.g. its subject); with ``validation_fraction``\n"
        "    the held-out windows are those of whole groups."
    ),
    "fitted_windows_param": (
        "X : array-like of shape (n_samples, n_channels, n_timesteps)\n"
        "    Windows of the fitted layout."
    ),
    "fit_windows_param": (
        "X : array-like of shape (n_samples, n_channels, n_timesteps)\n"
        "    Windows; a 2D array is one channel."
    ),
}

#: marker name -> the text that replaces it
SHARED_TEXTS = {**CITATIONS, **PARAMETERS}

Documented = TypeVar("Documented")


def fill_text(doc: str, texts: dict[str, str] | None = None) -> str:
    """Replace every ``%(name)s`` marker of ``texts`` in ``doc``.

    Parameters
    ----------
    doc : str
        A docstring.
    texts : dict of str to str or None, default=None
        Marker name to text; ``None`` uses :data:`SHARED_TEXTS`.

    Returns
    -------
    doc : str
        The docstring with each marker line expanded.

    Examples
    --------
    >>> from sktime_har.utils._docstrings import fill_text
    >>> print(fill_text("    .. [1] %(name)s, p. 2.", {"name": "A,\\nB"}))
        .. [1] A,
               B, p. 2.
    """
    texts = SHARED_TEXTS if texts is None else texts

    def expand(match: re.Match) -> str:
        indent, prefix, name, suffix = match.groups()
        if name not in texts:
            return match.group(0)
        lines = texts[name].splitlines()
        continuation = indent + " " * len(prefix)
        lines = [indent + prefix + lines[0]] + [continuation + line for line in lines[1:]]
        lines[-1] += suffix
        return "\n".join(lines)

    return re.sub(r"^([ \t]*)(.*?)%\((\w+)\)s(.*)$", expand, doc, flags=re.MULTILINE)


def fill_doc(obj: Documented, texts: dict[str, str] | None = None) -> Documented:
    """Decorator: fill the shared-text markers in a function's or class's docstring.

    Parameters
    ----------
    obj : function or class
        Whatever carries the docstring.
    texts : dict of str to str or None, default=None
        Marker name to text; ``None`` uses :data:`SHARED_TEXTS`.

    Returns
    -------
    obj : function or class
        The same object, its ``__doc__`` filled.

    Raises
    ------
    ValueError
        When a marker names no shared text (a typo would otherwise reach the
        rendered docs).

    Examples
    --------
    >>> from sktime_har.utils._docstrings import fill_doc
    >>> @fill_doc
    ... def f(X):
    ...     '''Parameters
    ...     ----------
    ...     %(fitted_windows_param)s
    ...     '''
    >>> "Windows of the fitted layout." in f.__doc__
    True
    """
    doc = fill_text(obj.__doc__ or "", texts)
    left = re.findall(r"%\((\w+)\)s", doc)
    if left:
        raise ValueError(f"{obj.__qualname__}'s docstring names unknown shared texts {left}.")
    obj.__doc__ = doc
    return obj
