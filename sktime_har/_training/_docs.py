"""One text for the training parameters every torch estimator documents."""

from __future__ import annotations

import re

MARKER = "%(training_params)s"

TRAINING_PARAMS = '''callbacks : list of skorch callbacks or None, default=None
    Extra :mod:`skorch.callbacks` (instances or ``(name, callback)`` pairs,
    e.g. ``EarlyStopping(monitor="train_loss")``, ``Checkpoint``,
    ``LRScheduler``) added to the net of every training stage; each stage
    gets a fresh copy and the parameter itself is never modified. The
    net's ``stage`` attribute names the stage.
precision : {"32", "bf16"}, default="32"
    Arithmetic of the training forward passes: float32, or bfloat16
    autocast (matrix products and convolutions in bfloat16, losses and
    weights in float32; on CPU and CUDA). Inference runs in float32.
validation_fraction : float or None, default=None
    Share of the training windows (drawn at random, repeatably for a fixed
    ``random_state``) held out in every training stage to measure
    ``valid_loss`` each epoch; training stops once it has not improved for
    ``n_iter_no_change`` epochs and keeps the best epoch's weights. ``None``
    trains on every window for the whole budget.
n_iter_no_change : int, default=10
    Patience of that early stopping, in epochs; used only with a
    ``validation_fraction``.'''


def fill_training_params(cls: type) -> type:
    """Class decorator: put :data:`TRAINING_PARAMS` where the docstring has :data:`MARKER`.

    The text takes the marker line's indentation, so the docstring source
    stays short and every estimator documents these parameters alike.

    Examples
    --------
    >>> from sktime_har._training._docs import fill_training_params
    >>> @fill_training_params
    ... class Example:
    ...     '''Parameters
    ...     ----------
    ...     %(training_params)s
    ...     '''
    >>> "precision : {" in Example.__doc__
    True
    """
    doc = cls.__doc__ or ""
    match = re.search(r"^([ \t]*)" + re.escape(MARKER) + r"$", doc, flags=re.MULTILINE)
    if match is None:
        raise ValueError(f"{cls.__name__}'s docstring has no {MARKER} line.")
    indent = match.group(1)
    text = "\n".join(indent + line for line in TRAINING_PARAMS.splitlines())
    cls.__doc__ = doc[:match.start()] + text + doc[match.end():]
    return cls
