"""The random frozen encoder baseline."""

from __future__ import annotations

from sktime_har.ssl import SimCLREncoder
from sktime_har.utils._docstrings import fill_doc


@fill_doc
def random_encoder(like=None, **params) -> SimCLREncoder:
    """An untrained encoder to fit once and freeze: the "random" baseline of [1]_.

    Returns a :class:`~sktime_har.ssl.SimCLREncoder` with ``max_epochs=0``
    (CSSHAR with zero pretraining epochs): ``fit`` only records the window
    layout and draws the initial weights from ``random_state``. The
    architecture is copied from ``like`` (any SSL encoder), so the baseline
    differs from the trained model only by its training.

    Parameters
    ----------
    like : BaseSSLEncoder or None, default=None
        Encoder whose shared parameters (architecture, batch size, device,
        seed) are copied.
    **params
        Further parameters of ``SimCLREncoder`` (override ``like``).

    Returns
    -------
    encoder : SimCLREncoder
        Unfitted encoder with ``max_epochs=0``.

    See Also
    --------
    linear_evaluation : scores a fitted encoder.

    References
    ----------
    .. [1] %(cite_dynamic_temperature)s, Section V-B.

    Examples
    --------
    >>> from sktime_har.evaluation import random_encoder
    >>> from sktime_har.ssl import DynamicTemperatureSSL
    >>> enc = random_encoder(DynamicTemperatureSSL(n_layers=2, random_state=0))
    >>> enc.max_epochs, enc.n_layers, enc.random_state
    (0, 2, 0)
    """
    shared = {}
    if like is not None:
        names = SimCLREncoder().get_params(deep=False)
        shared = {k: v for k, v in like.get_params(deep=False).items() if k in names}
        shared.pop("temperature", None)
        shared.pop("similarity", None)
    shared.update(params)
    shared["max_epochs"] = 0
    return SimCLREncoder(**shared)
