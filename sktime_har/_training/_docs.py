"""One text for each group of parameters several estimators document alike."""

from __future__ import annotations

from sktime_har.utils._docstrings import SHARED_TEXTS, fill_doc

TRAINING_PARAMS = '''callbacks : list of skorch callbacks or None, default=None
    Extra :mod:`skorch.callbacks` (instances or ``(name, callback)`` pairs,
    e.g. ``EarlyStopping(monitor="train_loss")``, ``Checkpoint``,
    ``LRScheduler``) added to the net of every training stage; each stage
    gets a fresh copy and the parameter itself is never modified. The
    net's ``stage`` attribute names the stage.
precision : {"32", "bf16", "16"}, default="32"
    Arithmetic of the training forward passes: float32; bfloat16 autocast
    (matrix products and convolutions in bfloat16, losses and weights in
    float32; on CPU and CUDA); or float16 autocast with gradient scaling
    (CUDA only: elsewhere ``fit`` raises a ``ValueError``). Inference runs in
    float32.
validation_fraction : float or None, default=None
    Share of the training windows (drawn at random, repeatably for a fixed
    ``random_state``) held out in every training stage to measure
    ``valid_loss`` each epoch; training stops once it has not improved for
    ``n_iter_no_change`` epochs and keeps the best epoch's weights. ``None``
    trains on every window for the whole budget.
n_iter_no_change : int, default=10
    Patience of that early stopping, in epochs; used only with a
    ``validation_fraction``.'''


TRANSFORMER_ENCODER_PARAMS = '''conv_channels : tuple of int, default=(32, 64, 128)
    Conv block widths; the last one is the attention width.
kernel_size : int, default=3
    Convolution kernel size.
n_layers : int, default=8
    Self-attention layers.
n_heads : int, default=8
    Attention heads (must divide ``conv_channels[-1]``).
dim_feedforward : int, default=256
    Feed-forward width of the attention layers (not stated in the paper).
dropout : float, default=0.1
    Dropout in the attention layers.
pooling : {"flatten", "mean"}, default="flatten"
    Features flattened over time (paper; needs the fitted window length at
    transform time) or averaged over time (any length, fewer features).
norm_first : bool, default=False
    Pre-norm attention layers.'''

SSL_PARAMS = '''projection_hidden_dim : int, default=256
    Hidden width of the projection head.
projection_dim : int, default=256
    Output width of the projection head.
augmentations : tuple of str, default=("jitter", "scaling", "permutation")
    Augmentations of :class:`sktime_har.augment.Augmenter` (the UCI-HAR
    preset of the dynamic temperature paper).
augmentation_p : float, default=0.5
    Probability of each augmentation except jitter (always applied).
channel_groups : dict or None, default=None
    Channel triads for the rotation augmentation, e.g.
    ``{"acc": [0, 1, 2], "gyro": [3, 4, 5]}``.
optimizer : {"lars", "adam"}, default="lars"
    LARS over Adam (paper) or plain Adam.
lr : float, default=1e-4
    Learning rate.
batch_size : int, default=128
    Windows per batch (each gives two views); incomplete last batches are
    dropped.
max_epochs : int, default=200
    Pretraining epochs; 0 leaves the encoder at its random initialisation
    (the random-encoder baseline).
device : str, default="auto"
    Torch device; "auto" picks CUDA when available.
random_state : int, RandomState or None, default=None
    Seed of initialisation, batching and augmentation.
verbose : int, default=0
    Progress bars and epoch logs when > 0.'''

#: marker name -> the text that replaces it
ESTIMATOR_TEXTS = {
    **SHARED_TEXTS,
    "training_params": TRAINING_PARAMS,
    "transformer_encoder_params": TRANSFORMER_ENCODER_PARAMS,
    "ssl_params": SSL_PARAMS,
}


def fill_param_docs(cls: type) -> type:
    """Class decorator: replace each marker of :data:`ESTIMATOR_TEXTS` in the docstrings.

    Each text takes its marker line's indentation, so the docstring source
    stays short and the estimators document shared parameters alike. The
    docstrings of the class's own public methods are filled too. Every torch
    estimator documents the training parameters, so ``%(training_params)s``
    is required.

    Examples
    --------
    >>> from sktime_har._training._docs import fill_param_docs
    >>> @fill_param_docs
    ... class Example:
    ...     '''Parameters
    ...     ----------
    ...     %(training_params)s
    ...     '''
    >>> "precision : {" in Example.__doc__
    True
    """
    if "%(training_params)s" not in (cls.__doc__ or ""):
        raise ValueError(f"{cls.__name__}'s docstring has no %(training_params)s line.")
    for documented in [cls, *_own_public_methods(cls)]:
        fill_doc(documented, ESTIMATOR_TEXTS)
    return cls


def _own_public_methods(cls: type) -> list:
    return [value for name, value in vars(cls).items()
            if callable(value) and not name.startswith("_") and value.__doc__]
