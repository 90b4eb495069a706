"""VICReg: joint-embedding pretraining with variance-invariance-covariance regularisation."""

from __future__ import annotations

from sklearn.utils._param_validation import StrOptions
from torch import nn

from sktime_har._training._docs import fill_param_docs
from sktime_har.ssl._base import BaseSSLEncoder
from sktime_har.utils._constraints import reals
from sktime_har.utils._params import store_init_params

_CONVENTIONS = ("reference", "paper")


@fill_param_docs
class VICRegEncoder(BaseSSLEncoder):
    """Transformer encoder pretrained with the VICReg loss (paper 004, Eqs. 3-6).

    Same encoder, augmentations, projection head (256-256) and LARS-over-Adam
    training as :class:`SimCLREncoder`; only the loss differs. VICReg uses no
    negative pairs: it pulls the two augmented views of each window together
    (invariance, weight ``sim_weight``), keeps the standard deviation of every
    projection dimension above 1 with a hinge on ``sqrt(Var + eps)``
    (variance, ``var_weight``) and decorrelates the dimensions (squared
    off-diagonal covariances, ``cov_weight``); see
    :class:`sktime_har.nn.losses.VICRegLoss`. After ``fit``, ``transform``
    returns the frozen encoder's features. A batch needs at least two windows
    (the variance and covariance are unbiased estimates).

    Parameters
    ----------
    sim_weight : float, default=10.0
        ``lambda``, weight of the invariance term (paper, UCI-HAR: 10).
    var_weight : float, default=10.0
        ``mu``, weight of the variance term (paper: 10).
    cov_weight : float, default=5.0
        ``nu``, weight of the covariance term (paper: 5).
    convention : {"reference", "paper"}, default="reference"
        ``"reference"``: the official VICReg code the weights were tuned with
        (invariance = MSE averaged over features, variance terms of the two
        views averaged); ``"paper"``: Eqs. 3 and 6 as printed (summed).
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
    SimCLREncoder : The contrastive counterpart (negative pairs).
    sktime_har.nn.losses.VICRegLoss : The loss.

    References
    ----------
    .. [1] %(cite_inspection)s.
    .. [2] A. Bardes, J. Ponce and Y. LeCun, "VICReg: Variance-Invariance-
       Covariance Regularization for Self-Supervised Learning", ICLR 2022.

    Examples
    --------
    >>> from sktime_har.datasets import make_activity_windows
    >>> from sktime_har.ssl import VICRegEncoder
    >>> X, y, _ = make_activity_windows(32, n_timesteps=16, random_state=0)
    >>> enc = VICRegEncoder(conv_channels=(4, 8), n_layers=1, n_heads=1, max_epochs=1,
    ...                     batch_size=16, device="cpu", random_state=0).fit(X)
    >>> enc.transform(X).shape
    (32, 128)
    """

    _parameter_constraints: dict = {
        **BaseSSLEncoder._parameter_constraints,
        "sim_weight": [reals(0)],
        "var_weight": [reals(0)],
        "cov_weight": [reals(0)],
        "convention": [StrOptions(set(_CONVENTIONS))],
    }

    def __init__(
        self,
        *,
        sim_weight=10.0,
        var_weight=10.0,
        cov_weight=5.0,
        convention="reference",
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
        from sktime_har.nn.losses import VICRegLoss

        weights = {name: float(getattr(self, name))
                   for name in ("sim_weight", "var_weight", "cov_weight")}
        return VICRegLoss(**weights, convention=self.convention)
