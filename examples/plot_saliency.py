"""
Where does the model look? Guided Grad-CAM on sensor channels
=============================================================

:class:`~sktime_har.inspection.GuidedGradCAM` gives every channel an
importance at every time step for a predicted class (Khaertdinov &
Asteriadis, 2023, Figure 3). Summed over time and averaged over correctly
classified windows of each activity, it becomes a global channel-importance
map (Figure 4), and its entropy measures how spread the evidence is over
channels (Tables 5-6). A small transformer trained for a few epochs on
UCI-HAR keeps this to a couple of minutes on a CPU.
"""

# %%
# Train a small supervised transformer
# ------------------------------------
import matplotlib.pyplot as plt
import numpy as np

from sktime_har.datasets import load_uci_har
from sktime_har.inspection import GuidedGradCAM, attribution_entropy, channel_importance
from sktime_har.plotting import plot_channel_importance, plot_saliency
from sktime_har.supervised import TransformerClassifier

train = load_uci_har(protocol="ssl", subset="train")
test = load_uci_har(protocol="ssl", subset="test")
names = np.asarray(train.target_names)
rng = np.random.default_rng(0)
tr = np.sort(rng.choice(len(train.data), 2000, replace=False))
te = np.sort(rng.choice(len(test.data), 600, replace=False))
X, y = train.data[tr], names[train.target[tr]]
X_test, y_test = test.data[te], names[test.target[te]]

clf = TransformerClassifier(conv_channels=(16, 32, 64), n_layers=2, n_heads=4,
                            dim_feedforward=128, head_hidden_features=(), optimizer="adam",
                            lr=1e-3, max_epochs=6, device="cpu", random_state=0).fit(X, y)
y_pred = clf.predict(X_test)
print("test accuracy:", np.mean(y_pred == y_test).round(3))

# %%
# Local attributions
# ------------------
# By default Grad-CAM runs on the last ``Conv1d`` before self-attention
# (``clf.module_.encoder.conv_blocks``); pass ``layer=`` to choose another.
gradcam = GuidedGradCAM(clf)
print("Grad-CAM layer:", gradcam.layer_)
attributions = gradcam.attribute(X_test)  # target=None: the predicted class
print(attributions.shape)

fig, axes = plt.subplots(1, 2, figsize=(12, 3.5))
for ax, activity in zip(axes, ["walking", "standing"], strict=True):
    i = np.flatnonzero((y_test == activity) & (y_pred == y_test))[0]
    plot_saliency(X_test[i], attributions[i], channel_names=test.channel_names, ax=ax,
                  title=activity)
fig.tight_layout()
plt.show()

# %%
# Global channel importance and attribution entropy
# -------------------------------------------------
activities = names[:6]
importance, labels = channel_importance(attributions, y_test, y_pred, labels=activities)
ax = plot_channel_importance(importance, labels, channel_names=test.channel_names)
plt.show()

entropy, _ = attribution_entropy(attributions, y_test, y_pred, labels=activities)
for activity, bits in zip(labels, entropy, strict=True):
    print(f"{activity:20s} {bits:.2f} bits (max log2 6 = 2.58)")
