"""Import optional dependencies on first use, naming the extra that installs them."""

from __future__ import annotations

import importlib
from types import ModuleType


def import_optional(module: str, *, extra: str, feature: str) -> ModuleType:
    """Import ``module``, or raise an ``ImportError`` saying which extra installs it.

    Parameters
    ----------
    module : str
        Dotted module name, e.g. ``"captum.attr"``.
    extra : str
        The sktime-har extra that provides it, e.g. ``"explain"``.
    feature : str
        What needs it, for the message, e.g. ``"GuidedGradCAM"``.

    Returns
    -------
    module : module

    Raises
    ------
    ImportError
        If the module is not installed; the message gives the ``pip``
        command.

    Examples
    --------
    >>> from sktime_har.utils._optional import import_optional
    >>> import_optional("json", extra="none", feature="this example").__name__
    'json'
    >>> import_optional("no_such_module_x", extra="explain", feature="GuidedGradCAM")
    Traceback (most recent call last):
    ...
    ImportError: GuidedGradCAM needs no_such_module_x, an optional dependency: ...
    """
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        top = module.split(".")[0]
        raise ImportError(
            f"{feature} needs {top}, an optional dependency: "
            f"pip install 'sktime-har[{extra}]' (or pip install {top})."
        ) from exc
