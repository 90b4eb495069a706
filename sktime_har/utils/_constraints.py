"""scikit-learn parameter constraints the estimators declare in ``_parameter_constraints``.

Every public estimator declares one constraint list per parameter (shared ones
once, in its base) and calls ``self._validate_params()`` at the start of
``fit``, as scikit-learn's own estimators do; a violation raises scikit-learn's
``InvalidParameterError`` (a ``ValueError`` and a ``TypeError``) naming the
parameter, the estimator, what is allowed and what was given. Rules that need
the data (``kernel_size`` at most the window length, ``channel_groups`` within
the channels, ``n_clusters`` at most the windows) are checked in ``fit`` next to
the data.
"""

from __future__ import annotations

from collections.abc import Mapping
from numbers import Integral, Real

import numpy as np
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions


class NumberInterval(Interval):
    """scikit-learn's ``Interval`` that refuses bools: ``max_epochs=True`` is a mistake.

    Examples
    --------
    >>> from numbers import Integral
    >>> from sktime_har.utils._constraints import NumberInterval
    >>> epochs = NumberInterval(Integral, 0, None, closed="left")
    >>> epochs.is_satisfied_by(3), epochs.is_satisfied_by(True)
    (True, False)
    """

    def is_satisfied_by(self, val) -> bool:
        return not isinstance(val, (bool, np.bool_)) and super().is_satisfied_by(val)


def integers(low: int, high: int | None = None) -> NumberInterval:
    """Integers from ``low`` to ``high`` (``None``: no upper bound), both included.

    Examples
    --------
    >>> from sktime_har.utils._constraints import integers
    >>> str(integers(1))
    'an int in the range [1, inf)'
    """
    return NumberInterval(Integral, low, high, closed="left" if high is None else "both")


def reals(low: float, high: float | None = None, closed: str = "left") -> NumberInterval:
    """Finite real numbers between ``low`` and ``high`` (``None``: no upper bound).

    Examples
    --------
    >>> from sktime_har.utils._constraints import reals
    >>> str(reals(0, 1, closed="neither"))
    'a float in the range (0.0, 1.0)'
    """
    return NumberInterval(Real, low, high, closed=closed)


def positive_reals() -> NumberInterval:
    """Finite real numbers above 0 (learning rates, temperatures).

    Examples
    --------
    >>> from sktime_har.utils._constraints import positive_reals
    >>> positive_reals().is_satisfied_by(0.0)
    False
    """
    return reals(0, None, closed="neither")


#: widths and names: a tuple or list (contents checked where they are used)
SEQUENCE = [tuple, list]

#: the parameters of :class:`~sktime_har.nn.TransformerEncoder` the SSL encoders and
#: the supervised transformer share (``kernel_size`` is also checked against the window)
TRANSFORMER_ENCODER = {
    "conv_channels": SEQUENCE,
    "kernel_size": [integers(1)],
    "n_layers": [integers(1)],
    "n_heads": [integers(1)],
    "dim_feedforward": [integers(1)],
    "dropout": [reals(0, 1, closed="left")],
    "pooling": [StrOptions({"flatten", "mean"})],
    "norm_first": ["boolean"],
}

#: the augmentation parameters of the estimators that augment their training batches
#: (names and channel groups are checked by the Augmenter and against the windows)
AUGMENTATION = {
    "augmentations": SEQUENCE,
    "augmentation_p": [reals(0, 1, closed="both")],
    "channel_groups": [Mapping, None],
}

#: optimisers of the transformer estimators (sktime_har._training._optim.OPTIMIZERS)
OPTIMIZER = [StrOptions({"lars", "adam"})]


class DescribedStrOptions(StrOptions):
    """scikit-learn's ``StrOptions`` with the library's own description in the message.

    Examples
    --------
    >>> from sktime_har.utils._constraints import DescribedStrOptions
    >>> mode = DescribedStrOptions({"a", "b"}, "'a' or 'b' (see the docs)")
    >>> mode.is_satisfied_by("a"), str(mode)
    (True, "'a' or 'b' (see the docs)")
    """

    def __init__(self, options: set, description: str):
        super().__init__(options)
        self.description = description

    def __str__(self) -> str:
        return self.description


class SkorchCallbacks(HasMethods):
    """A list (or tuple) of skorch callbacks or ``(name, callback)`` pairs.

    (A ``HasMethods`` only because scikit-learn accepts constraints of its own
    classes; the test is the one below.)

    Examples
    --------
    >>> from skorch.callbacks import EarlyStopping
    >>> from sktime_har.utils._constraints import SkorchCallbacks
    >>> SkorchCallbacks().is_satisfied_by([EarlyStopping(), ("stop", EarlyStopping())])
    True
    >>> SkorchCallbacks().is_satisfied_by(EarlyStopping())
    False
    """

    def __init__(self):
        super().__init__([])

    def is_satisfied_by(self, val) -> bool:
        from skorch.callbacks import Callback

        def entry(item) -> bool:
            return isinstance(item, Callback) or (
                isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str)
                and isinstance(item[1], Callback))

        return isinstance(val, (list, tuple)) and all(entry(item) for item in val)

    def __str__(self) -> str:
        return ("a list of skorch callbacks (instances of skorch.callbacks.Callback or "
                "(name, callback) pairs)")


#: float32, bfloat16 autocast, or float16 autocast with gradient scaling (CUDA only)
PRECISION = [DescribedStrOptions(
    {"32", "bf16", "16"},
    "'32' (float32), 'bf16' (bfloat16 autocast, CPU and CUDA) or '16' (float16 autocast "
    "with gradient scaling, CUDA only)")]
