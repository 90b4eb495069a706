"""Rules that need the data, and the integer rule of the public functions.

The estimators declare every other hyperparameter rule as a scikit-learn
constraint in ``_parameter_constraints`` (``sktime_har/utils/_constraints.py``)
and validate it at the start of ``fit``. Checked here, next to the data
(also in ``docs/bad_input.rst``):

- ``kernel_size``: at most the window length.
- ``channel_groups``: ``None`` or a mapping of names to non-empty lists of
  distinct channel indices in ``[0, n_channels)``, checked in ``fit``
  whether or not an augmentation uses it.
- classifiers need at least 2 classes in ``y``.
"""

from __future__ import annotations

import inspect
import numbers
from collections.abc import Mapping


def check_int(value, name: str, minimum: int) -> int:
    """Return ``value`` as int if it is an integer >= ``minimum``, else raise ValueError.

    Examples
    --------
    >>> from sktime_har.utils._params import check_int
    >>> check_int(3, "max_epochs", 0)
    3
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}; got {value!r}.")
    return int(value)


def check_kernel_size(kernel_size, n_timesteps: int) -> int:
    """Return ``kernel_size`` if it is an integer from 1 to the window length, else raise.

    Examples
    --------
    >>> from sktime_har.utils._params import check_kernel_size
    >>> check_kernel_size(3, 30)
    3
    >>> check_kernel_size(9, 8)
    Traceback (most recent call last):
    ...
    ValueError: kernel_size=9 is longer than the windows (8 timesteps); ...
    """
    k = check_int(kernel_size, "kernel_size", 1)
    if k > n_timesteps:
        raise ValueError(
            f"kernel_size={k} is longer than the windows ({n_timesteps} timesteps); a "
            f"convolution wider than its input sees mostly padding. Use kernel_size <= "
            f"{n_timesteps}."
        )
    return k


def check_channel_groups(channel_groups, n_channels: int) -> dict[str, tuple[int, ...]] | None:
    """Validate ``channel_groups`` against the channel count of the windows.

    Parameters
    ----------
    channel_groups : mapping of str to sequence of int, or None
        E.g. ``{"acc": [0, 1, 2], "gyro": [3, 4, 5]}``.
    n_channels : int
        Channels of the windows.

    Returns
    -------
    groups : dict of str to tuple of int, or None

    Examples
    --------
    >>> from sktime_har.utils._params import check_channel_groups
    >>> check_channel_groups({"acc": [0, 1, 2]}, 6)
    {'acc': (0, 1, 2)}
    >>> check_channel_groups({"acc": [0, 1, 7]}, 6)
    Traceback (most recent call last):
    ...
    ValueError: channel_groups['acc'] names channel 7, but the windows have 6 channels ...
    """
    if channel_groups is None:
        return None
    if not isinstance(channel_groups, Mapping):
        raise ValueError(
            "channel_groups must be a dict such as {'acc': [0, 1, 2], 'gyro': [3, 4, 5]}; "
            f"got {channel_groups!r}."
        )
    groups = {}
    for name, channels in channel_groups.items():
        if isinstance(channels, str | bytes) or not hasattr(channels, "__iter__"):
            raise ValueError(
                f"channel_groups[{name!r}] must be a list of channel indices; got {channels!r}."
            )
        channels = list(channels)
        if not channels or not all(
            isinstance(c, numbers.Integral) and not isinstance(c, bool) for c in channels
        ):
            raise ValueError(
                f"channel_groups[{name!r}] must be a non-empty list of integer channel "
                f"indices; got {channels!r}."
            )
        for c in channels:
            if not 0 <= c < n_channels:
                raise ValueError(
                    f"channel_groups[{name!r}] names channel {c}, but the windows have "
                    f"{n_channels} channels (indices 0 to {n_channels - 1})."
                )
        if len(set(channels)) != len(channels):
            raise ValueError(
                f"channel_groups[{name!r}] lists a channel twice; got {channels!r}."
            )
        groups[str(name)] = tuple(int(c) for c in channels)
    return groups


def make_augmenter(estimator):
    """The :class:`~sktime_har.augment.Augmenter` of an estimator's augmentation parameters.

    ``estimator.augmentations``, ``augmentation_p`` and ``channel_groups``
    (see ``utils._constraints.AUGMENTATION``).

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> from sktime_har.utils._params import make_augmenter
    >>> params = SimpleNamespace(augmentations=("scaling",), augmentation_p=0.5,
    ...                          channel_groups=None)
    >>> type(make_augmenter(params)).__name__
    'Augmenter'
    """
    from sktime_har.augment import Augmenter

    return Augmenter(augmentations=tuple(estimator.augmentations), p=estimator.augmentation_p,
                     channel_groups=estimator.channel_groups)


def check_at_least_two_classes(classes, owner: str) -> None:
    """Raise ValueError unless ``classes`` (the distinct labels of ``y``) holds two or more.

    Examples
    --------
    >>> from sktime_har.utils._params import check_at_least_two_classes
    >>> check_at_least_two_classes(["walk", "sit"], "TransformerClassifier")
    >>> check_at_least_two_classes(["walk"], "TransformerClassifier")
    Traceback (most recent call last):
    ...
    ValueError: TransformerClassifier needs at least 2 classes in y; got only 'walk'. ...
    """
    if len(classes) < 2:
        only = "no labels"
        if len(classes):
            first = classes[0]
            only = f"only {getattr(first, 'item', lambda: first)()!r}"  # plain repr, not np.str_
        raise ValueError(
            f"{owner} needs at least 2 classes in y; got {only}. A classifier cannot "
            "learn to tell one class from nothing."
        )


def store_init_params(estimator, arguments: dict) -> None:
    """Set every parameter of the estimator's ``__init__`` from its ``locals()``, unchanged.

    The whole body of an estimator's ``__init__``: the signature stays the
    explicit list of parameters scikit-learn reads, and no value is checked or
    changed here (that happens in ``fit``), as scikit-learn requires.

    Parameters
    ----------
    estimator : object
        The estimator (or scorer) being constructed (``self``).
    arguments : dict
        ``locals()`` at the start of ``__init__``.

    Examples
    --------
    >>> from sklearn.base import BaseEstimator
    >>> from sktime_har.utils._params import store_init_params
    >>> class Scaled(BaseEstimator):
    ...     def __init__(self, *, factor=2.0, offset=0.0):
    ...         store_init_params(self, locals())
    >>> Scaled(factor=3.0).get_params()
    {'factor': 3.0, 'offset': 0.0}
    """
    for name in inspect.signature(type(estimator).__init__).parameters:
        if name != "self":
            setattr(estimator, name, arguments[name])
