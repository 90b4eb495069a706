"""Guided Grad-CAM attributions over channels and time for fitted torch-backed classifiers."""

from __future__ import annotations

import contextlib
import numbers
import warnings
from collections import OrderedDict

import numpy as np
import torch
from sklearn.pipeline import Pipeline
from sklearn.utils.validation import check_is_fitted
from torch import nn

from sktime_har._training._inference import require_finite
from sktime_har.utils._docstrings import fill_doc
from sktime_har.utils._optional import import_optional
from sktime_har.utils.validation import MAX_ABS_INPUT, check_windows

_ATTENTION = (nn.MultiheadAttention, nn.TransformerEncoderLayer, nn.TransformerEncoder)


def _unwrap(estimator):
    # sklearn.frozen.FrozenEstimator keeps the fitted estimator in .estimator
    while type(estimator).__name__ == "FrozenEstimator" and hasattr(estimator, "estimator"):
        estimator = estimator.estimator
    return estimator


def _encoder_module(step) -> nn.Module:
    step = _unwrap(step)
    module = getattr(step, "encoder_", None)
    if isinstance(module, nn.Module):
        return module
    raise ValueError(
        f"GuidedGradCAM cannot differentiate through the Pipeline step "
        f"{type(step).__name__}: only fitted encoders exposing a torch module as "
        "`encoder_` (the SSL encoders) can precede the classifier."
    )


def _head_parts(head) -> list[tuple[str, nn.Module]]:
    from sktime_har.inspection._linear_probe import LinearProbe

    head = _unwrap(head)
    if isinstance(head, LinearProbe):
        check_is_fitted(head, "module_")
        parts = []
        if head.encoder_ is not None:
            parts.append(("encoder", _encoder_module(head.encoder_)))
        return parts + [("flatten", nn.Flatten()), ("head", head.module_)]
    if hasattr(head, "transform") and not hasattr(head, "predict"):
        raise ValueError(
            f"{type(head).__name__} is a feature extractor, not a classifier: its torch "
            "model gives features, not class logits. Explain Pipeline([('ssl', encoder), "
            "('clf', LinearProbe())]) or LinearProbe(encoder=encoder) instead."
        )
    module = getattr(head, "module_", None)
    if isinstance(module, nn.Module):
        return [("model", module)]
    raise ValueError(
        f"GuidedGradCAM needs a fitted torch-backed classifier (TransformerClassifier, "
        f"LinearProbe, or a Pipeline of an SSL encoder and a LinearProbe); "
        f"{type(head).__name__} exposes no torch module `module_`."
    )


def logit_model(estimator) -> nn.Module:
    """The torch module mapping windows ``(B, C, T)`` to class logits for an estimator.

    A ``TransformerClassifier`` (or any classifier with a ``module_`` giving
    logits) is used as is. A :class:`LinearProbe` and a ``Pipeline`` of a
    fitted SSL encoder and a ``LinearProbe`` are composed into
    ``nn.Sequential(encoder=..., flatten=..., head=...)``, sharing (not
    copying) the fitted weights.

    Parameters
    ----------
    estimator : fitted estimator
        See above.

    Returns
    -------
    model : torch.nn.Module
        Module mapping float32 windows ``(B, C, T)`` to logits ``(B, n_classes)``
        whose columns follow the estimator's ``classes_``; it shares the
        estimator's fitted parameters.

    See Also
    --------
    GuidedGradCAM : Explains this model.

    Examples
    --------
    >>> import numpy as np
    >>> from sktime_har.inspection import LinearProbe, logit_model
    >>> X, y = np.random.default_rng(0).normal(size=(8, 3)), np.arange(8) % 2
    >>> logit_model(LinearProbe(max_epochs=1, device="cpu").fit(X, y))
    Sequential(
      (flatten): Flatten(start_dim=1, end_dim=-1)
      (head): ClassificationHead(
        (layers): Sequential(
          (0): Linear(in_features=3, out_features=2, bias=True)
        )
      )
    )
    """
    estimator = _unwrap(estimator)
    if isinstance(estimator, Pipeline):
        steps = [s for _, s in estimator.steps if s is not None and s != "passthrough"]
        *front, head = steps
        if len(front) > 1:
            raise ValueError(
                "GuidedGradCAM supports a Pipeline of one SSL encoder and a classifier; "
                f"got {len(front)} steps before the classifier."
            )
        parts = [("encoder", _encoder_module(s)) for s in front] + _head_parts(head)
    else:
        parts = _head_parts(estimator)
    if len(parts) == 1:
        return parts[0][1]
    return nn.Sequential(OrderedDict(parts))


def _default_layer(model: nn.Module) -> nn.Module:
    # Last Conv1d registered before the first attention block (the paper's
    # choice: the last convolution before self-attention); with no attention,
    # the last Conv1d.
    last_conv = None
    for module in model.modules():
        if isinstance(module, _ATTENTION) and last_conv is not None:
            return last_conv
        if isinstance(module, nn.Conv1d):
            last_conv = module
    if last_conv is None:
        raise ValueError(
            "GuidedGradCAM needs a convolutional layer to compute Grad-CAM on, but the "
            f"estimator's torch model ({type(model).__name__}) has no nn.Conv1d. Pass "
            "layer= (a module or its dotted name) whose output is (batch, channels, time)."
        )
    return last_conv


def _resolve_layer(model: nn.Module, layer) -> nn.Module:
    if layer is None:
        return _default_layer(model)
    if isinstance(layer, str):
        try:
            return model.get_submodule(layer)
        except AttributeError as exc:
            names = [n for n, _ in model.named_modules() if n][:12]
            raise ValueError(
                f"layer={layer!r} is not a submodule of the model; some valid names: {names}."
            ) from exc
    if isinstance(layer, nn.Module):
        if not any(m is layer for m in model.modules()):
            raise ValueError("layer is a torch module that is not part of the estimator's model.")
        return layer
    raise TypeError(f"layer must be None, a dotted module name or an nn.Module; got {layer!r}.")


@fill_doc
class GuidedGradCAM:
    """Guided Grad-CAM attributions of shape ``(n_samples, n_channels, n_timesteps)``.

    Wraps :class:`captum.attr.GuidedGradCam`: Grad-CAM on a convolutional
    layer (by default the last ``nn.Conv1d`` before self-attention, as in
    Khaertdinov & Asteriadis, 2023), upsampled over time and multiplied
    element-wise with guided backpropagation, so each channel gets a
    class-discriminative importance at every timestep. Only ``nn.ReLU``
    modules are modified by guided backpropagation (functional ReLUs, e.g.
    inside ``nn.TransformerEncoderLayer``, pass gradients unchanged).

    Parameters
    ----------
    estimator : fitted estimator
        ``TransformerClassifier``, :class:`LinearProbe` with an SSL encoder,
        or a ``Pipeline`` of a fitted SSL encoder and a ``LinearProbe``.
    layer : str, torch.nn.Module or None, default=None
        Layer for Grad-CAM, as a module or a dotted name within
        :func:`logit_model` (``estimator`` for ``TransformerClassifier``:
        e.g. ``"encoder.conv_blocks.6"``). Its output must be
        ``(batch, channels, time)``.
    batch_size : int, default=64
        Windows per backward pass.

    Attributes
    ----------
    model_ : torch.nn.Module
        The composed logit model.
    layer_ : torch.nn.Module
        The Grad-CAM layer.

    See Also
    --------
    channel_importance : Global per-activity channel importance (Figure 4).
    attribution_entropy : Dispersion of attributions over channels (Tables 5-6).

    References
    ----------
    .. [1] R. R. Selvaraju et al., "Grad-CAM: Visual Explanations from Deep
       Networks via Gradient-based Localization", ICCV 2017.
    .. [2] %(cite_inspection)s.

    Examples
    --------
    >>> import numpy as np, torch
    >>> from torch import nn
    >>> from sktime_har.inspection import GuidedGradCAM
    >>> class Fitted:  # any fitted classifier exposing its torch model as module_
    ...     module_ = nn.Sequential(nn.Conv1d(2, 4, 3, padding=1), nn.ReLU(),
    ...                             nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(4, 3))
    ...     classes_ = np.array([0, 1, 2])
    >>> attr = GuidedGradCAM(Fitted()).attribute(np.ones((5, 2, 16), "float32"))
    >>> attr.shape
    (5, 2, 16)
    """

    def __init__(self, estimator, *, layer=None, batch_size=64):
        self.estimator = estimator
        self.layer = layer
        self.batch_size = batch_size
        if isinstance(batch_size, bool) or not isinstance(batch_size, numbers.Integral) \
                or batch_size < 1:
            raise ValueError(f"batch_size must be a positive integer; got {batch_size!r}.")
        self.model_ = logit_model(estimator)
        self.layer_ = _resolve_layer(self.model_, layer)

    def _target_indices(self, target, n: int, logits_fn) -> np.ndarray:
        if target is None:
            return logits_fn()
        classes = getattr(_unwrap(self.estimator), "classes_", None)
        target = np.asarray(target)
        if target.ndim == 0:
            target = np.full(n, target.item())
        if target.shape != (n,):
            raise ValueError(f"target must be a label or one label per window ({n}); "
                             f"got shape {target.shape}.")
        if classes is None:
            return target.astype(np.int64)
        classes = np.asarray(classes)
        index = {c: i for i, c in enumerate(classes.tolist())}
        unknown = sorted({t for t in target.tolist() if t not in index}, key=str)
        if unknown:
            raise ValueError(f"target labels {unknown} are not among classes_ "
                             f"{classes.tolist()}.")
        return np.array([index[t] for t in target.tolist()], dtype=np.int64)

    def attribute(self, X, target=None) -> np.ndarray:
        """Attributions for ``target`` (default: the predicted class) on each window.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_channels, n_timesteps)
            Windows, as given to the estimator.
        target : label, array-like of shape (n_samples,) or None, default=None
            Class label(s) from ``estimator.classes_`` to explain; ``None``
            explains each window's predicted class.

        Returns
        -------
        attributions : ndarray of shape (n_samples, n_channels, n_timesteps), float32
            Guided Grad-CAM attribution of every input value to the target
            class logit.

        Raises
        ------
        ValueError
            If captum cannot upsample the layer's attribution to the input
            (it then returns an empty tensor): the layer's output is not
            ``(batch, channels, time)``.
        """
        GuidedGradCam = import_optional(
            "captum.attr", extra="explain", feature="GuidedGradCAM"
        ).GuidedGradCam

        X = check_windows(
            X,
            n_channels=getattr(_unwrap(self.estimator), "n_channels_", None),
            owner="GuidedGradCAM",
            max_abs=MAX_ABS_INPUT,
        )
        model = self.model_
        device = next(model.parameters()).device
        modes = {m: m.training for m in model.modules()}
        has_rnn = any(isinstance(m, nn.RNNBase) for m in model.modules())
        # cuDNN refuses the backward of GRU/LSTM in eval mode: use the native kernels.
        rnn_guard = torch.backends.cudnn.flags(enabled=False) if has_rnn else \
            contextlib.nullcontext()
        explainer = GuidedGradCam(model, self.layer_)
        model.eval()
        try:
            with rnn_guard:
                def predicted():
                    labels = []
                    with torch.no_grad():
                        for s in range(0, len(X), self.batch_size):
                            batch = torch.from_numpy(X[s:s + self.batch_size]).to(device)
                            logits = require_finite(model(batch), batch)
                            labels.append(logits.argmax(dim=1).cpu().numpy())
                    return np.concatenate(labels)

                targets = self._target_indices(target, len(X), predicted)
                out = []
                for s in range(0, len(X), self.batch_size):
                    inputs = torch.from_numpy(X[s:s + self.batch_size]).to(device)
                    inputs.requires_grad_()
                    tgt = torch.as_tensor(targets[s:s + self.batch_size], device=device)
                    with warnings.catch_warnings():
                        warnings.filterwarnings("ignore", message="Couldn't appropriately")
                        warnings.filterwarnings("ignore", message="Setting backward hooks on ReLU")
                        attr = explainer.attribute(inputs, target=tgt)
                    if attr.numel() == 0 or attr.shape != inputs.shape:
                        raise ValueError(
                            "captum's GuidedGradCam returned an empty attribution: it could "
                            f"not upsample the Grad-CAM map of layer {self.layer_} to the "
                            f"input shape {tuple(inputs.shape)}. Choose a layer whose output "
                            "is (batch, channels, time), such as a Conv1d."
                        )
                    out.append(require_finite(attr.detach().float(), inputs).cpu().numpy())
        finally:
            for m, mode in modes.items():
                m.train(mode)
        return np.concatenate(out, axis=0)
