import warnings

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn.linear_model import LogisticRegression
from torch import nn

from sktime_har.datasets import make_activity_windows
from sktime_har.inspection import GuidedGradCAM, attribution_entropy, channel_importance

LABELS = np.array(["walk", "run", "hop", "sit", "stand", "lie"])


class ConvNet(nn.Module):
    """Conv1d + nn.ReLU blocks, global pooling, linear head: (B, C, T) -> logits."""

    def __init__(self, n_channels=6, n_classes=6, rnn=False, attention=False):
        super().__init__()
        self.conv_blocks = nn.Sequential(
            nn.Conv1d(n_channels, 8, 3, padding=1), nn.BatchNorm1d(8), nn.ReLU(),
            nn.Conv1d(8, 16, 3, padding=1), nn.BatchNorm1d(16), nn.ReLU(),
        )
        self.attention = nn.TransformerEncoderLayer(16, 2, 32, batch_first=True) \
            if attention else None
        self.after = nn.Conv1d(16, 16, 1) if attention else None
        self.rnn = nn.GRU(16, 16, batch_first=True) if rnn else None
        self.head = nn.Linear(16, n_classes)

    def forward(self, x):
        h = self.conv_blocks(x)  # (B, 16, T)
        if self.attention is not None:
            h = self.after(self.attention(h.transpose(1, 2)).transpose(1, 2))
        if self.rnn is not None:
            h = self.rnn(h.transpose(1, 2))[0].transpose(1, 2)
        return self.head(h.mean(dim=2))


class FittedModel:
    """Minimal fitted-estimator stand-in: classes_, n_channels_ and module_."""

    def __init__(self, module, classes=LABELS):
        self.module_ = module
        self.classes_ = np.asarray(classes)
        self.n_channels_ = 6

    def predict(self, X):
        with torch.no_grad():
            logits = self.module_.eval()(torch.as_tensor(X, dtype=torch.float32))
        return self.classes_[logits.argmax(1).numpy()]


def _train(module, X, y, epochs=40):
    torch.manual_seed(0)
    opt = torch.optim.Adam(module.parameters(), lr=1e-2)
    Xt, yt = torch.as_tensor(X), torch.as_tensor(y)
    module.train()
    for _ in range(epochs):
        opt.zero_grad()
        nn.functional.cross_entropy(module(Xt), yt).backward()
        opt.step()
    return module.eval()


@pytest.fixture(scope="module")
def data():
    X, y, _ = make_activity_windows(120, n_timesteps=24, noise=0.3, random_state=0)
    return X, y


@pytest.fixture(scope="module")
def fitted(data):
    X, y = data
    torch.manual_seed(0)
    return FittedModel(_train(ConvNet(), X, y))


def test_shape_nonempty_and_default_target(fitted, data):
    X, y = data
    gc = GuidedGradCAM(fitted)
    assert gc.layer_ is fitted.module_.conv_blocks[3]  # last Conv1d
    attr = gc.attribute(X[:20])
    assert attr.shape == (20, 6, 24) and attr.dtype == np.float32
    assert np.isfinite(attr).all()
    # Grad-CAM clips negative maps to zero, so a window may get no attribution
    # at all; most must have some
    assert (np.abs(attr).sum(axis=(1, 2)) > 0).mean() >= 0.8
    # target=None explains the predicted class
    np.testing.assert_allclose(attr, gc.attribute(X[:20], target=fitted.predict(X[:20])),
                               rtol=1e-5, atol=1e-7)
    # another target gives other attributions
    assert not np.allclose(attr, gc.attribute(X[:20], target="lie"))


def test_batches_do_not_change_results(fitted, data):
    X, _ = data
    full = GuidedGradCAM(fitted, batch_size=64).attribute(X[:30])
    batched = GuidedGradCAM(fitted, batch_size=7).attribute(X[:30])
    np.testing.assert_allclose(full, batched, rtol=1e-5, atol=1e-7)


def test_layer_by_name_or_module(fitted, data):
    X, _ = data
    default = GuidedGradCAM(fitted).attribute(X[:5])
    by_name = GuidedGradCAM(fitted, layer="conv_blocks.3").attribute(X[:5])
    by_module = GuidedGradCAM(fitted, layer=fitted.module_.conv_blocks[3]).attribute(X[:5])
    np.testing.assert_array_equal(default, by_name)
    np.testing.assert_array_equal(default, by_module)
    first = GuidedGradCAM(fitted, layer="conv_blocks.0").attribute(X[:5])
    assert not np.allclose(default, first)


def test_modes_restored_and_no_warnings_leak(fitted, data):
    X, _ = data
    fitted.module_.train()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        GuidedGradCAM(fitted).attribute(X[:3])
    assert fitted.module_.training and fitted.module_.conv_blocks[1].training
    fitted.module_.eval()


def test_empty_captum_result_is_an_error(fitted, data):
    X, _ = data
    # a Linear layer's output has no time axis: captum cannot upsample it and
    # returns an empty tensor (with a warning) instead of raising
    with pytest.raises(ValueError, match="empty attribution"):
        GuidedGradCAM(fitted, layer="head").attribute(X[:3])


def test_estimator_without_conv_layer():
    mlp = nn.Sequential(nn.Flatten(), nn.Linear(6 * 24, 16), nn.ReLU(), nn.Linear(16, 6))
    with pytest.raises(ValueError, match="no nn.Conv1d"):
        GuidedGradCAM(FittedModel(mlp))


def test_estimator_without_torch_model(data):
    X, y = data
    clf = LogisticRegression().fit(X.reshape(len(X), -1), y)
    with pytest.raises(ValueError, match="exposes no torch module"):
        GuidedGradCAM(clf)


def test_bad_layer_and_targets(fitted, data):
    X, _ = data
    with pytest.raises(ValueError, match="not a submodule"):
        GuidedGradCAM(fitted, layer="conv_blocks.99")
    with pytest.raises(ValueError, match="not part of"):
        GuidedGradCAM(fitted, layer=nn.Conv1d(1, 1, 1))
    with pytest.raises(TypeError, match="layer must be"):
        GuidedGradCAM(fitted, layer=3)
    with pytest.raises(ValueError, match="not among classes_"):
        GuidedGradCAM(fitted).attribute(X[:2], target="swim")
    with pytest.raises(ValueError, match="one label per window"):
        GuidedGradCAM(fitted).attribute(X[:2], target=["sit"] * 3)
    with pytest.raises(ValueError, match="channels"):
        GuidedGradCAM(fitted).attribute(X[:2, :4])


def test_default_layer_is_last_conv_before_attention(data):
    X, y = data
    torch.manual_seed(0)
    model = FittedModel(_train(ConvNet(attention=True), X[:16], y[:16], epochs=1))
    gc = GuidedGradCAM(model)
    assert gc.layer_ is model.module_.conv_blocks[3]  # not the 1x1 conv after attention
    assert gc.attribute(X[:4]).shape == (4, 6, 24)


def test_recurrent_model(data):
    X, y = data
    torch.manual_seed(0)
    model = FittedModel(_train(ConvNet(rnn=True), X[:16], y[:16], epochs=1))
    attr = GuidedGradCAM(model).attribute(X[:4])
    assert attr.shape == (4, 6, 24) and np.isfinite(attr).all()


# ------------------------------------------------------ global summaries
@given(
    attr=arrays(np.float64, (12, 4, 5), elements=st.floats(-10, 10)),
    seed=st.integers(0, 100),
)
@settings(max_examples=50, deadline=None)
def test_channel_importance_rows_sum_to_one(attr, seed):
    rng = np.random.default_rng(seed)
    y_true = rng.integers(0, 3, 12)
    y_pred = np.where(rng.random(12) < 0.7, y_true, (y_true + 1) % 3)
    importance, labels = channel_importance(attr, y_true, y_pred)
    assert importance.shape == (len(labels), 4)
    for row, label in zip(importance, labels, strict=True):
        usable = (y_true == label) & (y_true == y_pred) & (np.abs(attr).sum(axis=(1, 2)) > 0)
        if usable.any():
            assert row.sum() == pytest.approx(1.0) and (row >= 0).all()
        else:
            assert np.isnan(row).all()


def test_channel_importance_uses_only_correct_windows():
    attr = np.zeros((4, 3, 2))
    attr[0, 0] = 1.0           # class a, correct -> channel 0
    attr[1, 1] = -3.0          # class a, correct -> channel 1 (absolute value)
    attr[2, 2] = 5.0           # class a, misclassified -> ignored
    attr[3, 2] = 1.0           # class b, misclassified -> NaN row
    importance, labels = channel_importance(attr, ["a", "a", "a", "b"], ["a", "a", "b", "a"])
    assert labels.tolist() == ["a", "b"]
    np.testing.assert_allclose(importance[0], [0.5, 0.5, 0.0])
    assert np.isnan(importance[1]).all()


def test_attribution_entropy_values_and_base():
    attr = np.ones((3, 6, 4))
    attr[1, 2:] = 0            # uniform over 2 channels
    attr[2, 1:] = 0            # one channel
    ent, labels = attribution_entropy(attr, [0, 1, 2], [0, 1, 2])
    np.testing.assert_allclose(ent, [np.log2(6), 1.0, 0.0])
    ent_nats, _ = attribution_entropy(attr, [0, 1, 2], [0, 1, 2], base=np.e)
    np.testing.assert_allclose(ent_nats, [np.log(6), np.log(2), 0.0])
    with pytest.raises(ValueError, match="base"):
        attribution_entropy(attr, [0, 1, 2], [0, 1, 2], base=1)


def test_summary_input_errors():
    with pytest.raises(ValueError, match="3D"):
        channel_importance(np.ones((3, 4)), [0, 1, 2], [0, 1, 2])
    with pytest.raises(ValueError, match="y_true has 2 entries but X has 3 samples"):
        attribution_entropy(np.ones((3, 4, 2)), [0, 1], [0, 1, 2])


def test_summaries_on_real_attributions(fitted, data):
    X, y = data
    attr = GuidedGradCAM(fitted).attribute(X)
    y_true, y_pred = LABELS[y], fitted.predict(X)
    importance, labels = channel_importance(attr, y_true, y_pred, labels=LABELS)
    assert labels.tolist() == LABELS.tolist()
    finite = ~np.isnan(importance).any(axis=1)
    assert finite.sum() >= 4
    np.testing.assert_allclose(importance[finite].sum(axis=1), 1.0)
    ent, _ = attribution_entropy(attr, y_true, y_pred, labels=LABELS)
    assert ((ent[finite] >= 0) & (ent[finite] <= np.log2(6) + 1e-9)).all()


# -------------------------------------------- the library's own estimators
TINY = {"conv_channels": (4, 8), "n_layers": 1, "n_heads": 1, "dim_feedforward": 16,
        "batch_size": 32, "device": "cpu", "random_state": 0}


def test_transformer_classifier(data):
    from sktime_har.supervised import TransformerClassifier

    X, y = data
    clf = TransformerClassifier(max_epochs=1, **TINY).fit(X[:48], LABELS[y[:48]])
    gc = GuidedGradCAM(clf)
    assert gc.layer_ is clf.module_.encoder.conv_blocks[-1][0]  # last conv before attention
    attr = gc.attribute(X[:8])
    assert attr.shape == (8, 6, 24) and np.isfinite(attr).all() and np.abs(attr).sum() > 0
    assert clf.module_.training is False


def test_ssl_encoder_plus_linear_probe(data):
    from sklearn.pipeline import Pipeline

    from sktime_har.inspection import LinearProbe, logit_model
    from sktime_har.ssl import SimCLREncoder

    X, y = data
    ssl = SimCLREncoder(max_epochs=1, **TINY).fit(X[:48])
    probe = LinearProbe(max_epochs=2, lr=1e-2, device="cpu", random_state=0)
    pipe = Pipeline([("ssl", ssl), ("clf", probe)]).fit(X[:48], LABELS[y[:48]])
    # the composed torch model reproduces the pipeline's logits exactly
    model = logit_model(pipe)
    with torch.no_grad():
        logits = model.eval()(torch.as_tensor(X[:16])).numpy()
    np.testing.assert_allclose(logits, probe.decision_function(ssl.transform(X[:16])),
                               rtol=1e-5, atol=1e-6)
    attr = GuidedGradCAM(pipe, layer="encoder.conv_blocks.1.0").attribute(X[:8])
    assert attr.shape == (8, 6, 24) and np.abs(attr).sum() > 0
    # LinearProbe(encoder=...) is the same model
    wrapped = LinearProbe(encoder=ssl, max_epochs=2, lr=1e-2, device="cpu", random_state=0)
    wrapped.fit(X[:48], LABELS[y[:48]])
    assert GuidedGradCAM(wrapped).attribute(X[:8]).shape == (8, 6, 24)
    # an SSL encoder alone has no classes
    with pytest.raises(ValueError, match="not a classifier"):
        GuidedGradCAM(ssl)


def test_saliency_plots(fitted, data):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from sktime_har.plotting import plot_channel_importance, plot_saliency

    X, y = data
    attr = GuidedGradCAM(fitted).attribute(X[:12])
    names = ["acc_x", "acc_y", "acc_z", "gyro_x", "gyro_y", "gyro_z"]
    ax = plot_saliency(X[0], attr[0], channel_names=names, title="walk")
    assert len(ax.get_lines()) == 6 and len(ax.images) == 1
    assert ax.images[0].get_array().max() <= 1.0
    importance, labels = channel_importance(attr, LABELS[y[:12]], fitted.predict(X[:12]))
    ax = plot_channel_importance(importance, labels, channel_names=names)
    assert len(ax.images) == 1
    with pytest.raises(ValueError, match="one shape"):
        plot_saliency(X[0], attr[0, :3])
    with pytest.raises(ValueError, match="channel_names has 2"):
        plot_saliency(X[0], attr[0], channel_names=["a", "b"])
    with pytest.raises(ValueError, match="one row per label"):
        plot_channel_importance(importance, labels[:-1])
    plt.close("all")
