"""
Robustness to occluded channels: supervised vs self-supervised
==============================================================

Sensors fail, drift or get covered in real deployments. Following
Khaertdinov & Asteriadis (2023), we replace channels of the test windows
with N(0, 1) noise and watch macro F1 fall, for a supervised transformer and
for a SimCLR encoder with a linear probe on UCI-HAR (``protocol="ssl"``: 6
channels, acc then gyro). Small models and few epochs keep the example to about
two minutes on an idle 2-core CPU; see ``benchmarks/explain_uci_har.py`` for the
full comparison.
"""

# %%
# Data: a subset of the training subjects' windows, and test subjects
# ---------------------------------------------------------------------
import matplotlib.pyplot as plt
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold, cross_validate
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler

from sktime_har.datasets import load_uci_har
from sktime_har.inspection import ChannelOcclusion, LinearProbe, OcclusionScorer
from sktime_har.plotting import plot_occlusion_curve
from sktime_har.ssl import SimCLREncoder
from sktime_har.supervised import TransformerClassifier

X, y, subject = load_uci_har(protocol="ssl", subset="train", return_X_y=True,
                             return_groups=True)
X_test, y_test = load_uci_har(protocol="ssl", subset="test", return_X_y=True)
rng = np.random.default_rng(0)
train = np.sort(rng.choice(len(X), 1500, replace=False))
test = np.sort(rng.choice(len(X_test), 800, replace=False))
X, y, subject = X[train], y[train], subject[train]
X_test, y_test = X_test[test], y_test[test]
print(X.shape, X_test.shape)

# %%
# The scorer plugs into ``cross_validate``
# ----------------------------------------
# ``OcclusionScorer(n_masked=k)`` masks ``k`` distinct random channels of every
# test window and averages the metric over repeats. Here with a fast baseline
# (FFT magnitudes + logistic regression) and subject-wise folds.


def fft_magnitudes(windows):
    return np.abs(np.fft.rfft(windows, axis=2)).reshape(len(windows), -1)


baseline = make_pipeline(FunctionTransformer(fft_magnitudes), StandardScaler(),
                         LogisticRegression(max_iter=500))
scores = cross_validate(
    baseline, X, y, groups=subject, cv=GroupKFold(3),
    scoring={"clean": "f1_macro",
             "1 channel masked": OcclusionScorer(n_masked=1, n_repeats=3, random_state=0)},
)
for name in ("test_clean", "test_1 channel masked"):
    print(f"{name:24s} {scores[name].mean():.3f}")

# %%
# ``ChannelOcclusion`` removes a whole sensor in training *and* test data (the
# paper's Table 2); as the first step of a Pipeline it is fitted per fold.
no_gyro = Pipeline([("occlusion", ChannelOcclusion(group="gyro", random_state=0)),
                    *baseline.steps])
print("without gyroscope:", cross_validate(no_gyro, X, y, groups=subject, cv=GroupKFold(3),
                                           scoring="f1_macro")["test_score"].mean().round(3))

# %%
# A supervised transformer and a SimCLR encoder + linear probe
# ------------------------------------------------------------
encoder = dict(conv_channels=(16, 32, 64), n_layers=2, n_heads=4, dim_feedforward=128,
               device="cpu", random_state=0)
supervised = TransformerClassifier(**encoder, head_hidden_features=(), optimizer="adam",
                                   lr=1e-3, max_epochs=5).fit(X, y)
simclr = Pipeline([
    ("ssl", SimCLREncoder(**encoder, lr=1e-3, max_epochs=5)),
    ("clf", LinearProbe(max_epochs=50, lr=1e-3, device="cpu", random_state=0)),
]).fit(X, y)

# %%
# Test-time occlusion curve
# -------------------------
# ``evaluate`` gives, for every number of masked channels, the mean macro F1
# with a 95 % t-interval over the repeats and the per-class recall. With an
# int ``random_state`` both models see the same masks.
scorer = OcclusionScorer(n_repeats=5, random_state=0)
reports = {name: scorer.evaluate(model, X_test, y_test, n_masked=range(0, 6))
           for name, model in [("supervised", supervised), ("SimCLR", simclr)]}
for name, report in reports.items():
    print(name, np.round(report.mean, 3))
ax = plot_occlusion_curve(reports)
plt.show()

# %%
# Which activities suffer first? Recall drop from 0 to 1 masked channel
# (the paper's Table 4).
names = load_uci_har(protocol="ssl", subset="val").target_names
for name, report in reports.items():
    drops = report.recall_drop["0->1"]
    pairs = zip(report.classes, drops, strict=True)
    print(name, {names[c]: round(float(100 * d), 1) for c, d in pairs})
