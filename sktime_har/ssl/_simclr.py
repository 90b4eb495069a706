"""SimCLR / CSSHAR: contrastive pretraining with NT-Xent (constant temperature)."""

from __future__ import annotations

from sklearn.utils._param_validation import StrOptions
from torch import nn

from sktime_har._training._docs import fill_param_docs
from sktime_har.ssl._base import BaseSSLEncoder
from sktime_har.utils._constraints import positive_reals
from sktime_har.utils._params import store_init_params

_SIMILARITIES = ("cosine", "angular")


@fill_param_docs
class SimCLREncoder(BaseSSLEncoder):
    """Transformer encoder pretrained with SimCLR's NT-Xent loss (CSSHAR).

    Two augmented views of each window go through the encoder and projection
    head; NT-Xent (Eq. 1 of [1]_) pulls the two views of a window together
    and pushes the other ``2B - 2`` views of the batch away, with one
    constant temperature. ``similarity="angular"`` is the "AS" ablation of
    Table I of [1]_ (Eq. 6). After ``fit``, ``transform`` returns the frozen
    encoder's features for a downstream classifier.

    Parameters
    ----------
    temperature : float, default=0.1
        NT-Xent temperature ``tau``.
    similarity : {"cosine", "angular"}, default="cosine"
        Similarity of the projections.
    %(transformer_encoder_params)s
    %(ssl_params)s
    %(training_params)s

    Attributes
    ----------
    encoder_ : TransformerEncoder
        The trained encoder, in eval mode.
    module_ : EncoderWithHead
        Encoder plus projection head.
    history_ : skorch.History
        Per-epoch training log.
    loss_history_ : ndarray of shape (n_epochs,)
        Mean training loss per epoch.
    n_channels_, n_timesteps_, n_features_in_ : int
        Fitted window layout.

    See Also
    --------
    DynamicTemperatureSSL : NT-Xent with instance-aware dynamic temperatures.
    TransformerClassifier : the same encoder trained with labels.

    References
    ----------
    .. [1] %(cite_dynamic_temperature)s.
    .. [2] %(cite_contrastive_har)s.

    Examples
    --------
    >>> from sktime_har.datasets import make_activity_windows
    >>> from sktime_har.ssl import SimCLREncoder
    >>> X, y, _ = make_activity_windows(32, n_timesteps=16, random_state=0)
    >>> enc = SimCLREncoder(conv_channels=(4, 8), n_layers=1, n_heads=1, max_epochs=1,
    ...                     batch_size=16, device="cpu", random_state=0).fit(X)
    >>> enc.transform(X).shape
    (32, 128)
    """

    _parameter_constraints: dict = {
        **BaseSSLEncoder._parameter_constraints,
        "temperature": [positive_reals()],
        "similarity": [StrOptions(set(_SIMILARITIES))],
    }

    def __init__(
        self,
        *,
        temperature=0.1,
        similarity="cosine",
        conv_channels=(32, 64, 128),
        kernel_size=3,
        n_layers=8,
        n_heads=8,
        dim_feedforward=256,
        dropout=0.1,
        pooling="flatten",
        norm_first=False,
        projection_hidden_dim=256,
        projection_dim=256,
        augmentations=("jitter", "scaling", "permutation"),
        augmentation_p=0.5,
        channel_groups=None,
        optimizer="lars",
        lr=1e-4,
        batch_size=128,
        max_epochs=200,
        device="auto",
        random_state=None,
        verbose=0,
        callbacks=None,
        precision="32",
        validation_fraction=None,
        n_iter_no_change=10,
    ):
        store_init_params(self, locals())

    def _make_loss(self) -> nn.Module:
        from sktime_har.nn.losses import NTXentLoss

        return NTXentLoss(temperature=float(self.temperature), similarity=self.similarity)
