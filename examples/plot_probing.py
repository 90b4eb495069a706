"""
Probing what a self-supervised representation encodes
======================================================

Linear probes (paper 004, Table 7) ask two questions of frozen features:

* **subject heterogeneity**: can a linear classifier tell the subjects apart?
  Folds are contiguous blocks of each subject's recording with a gap, because
  random K-fold over 50 %-overlapping windows puts near-copies of a test window
  in the training folds;
* **activity type**: trained on all but one activity of each type (periodic,
  stable, and with UCI-HAR's postural transitions a third type), does the
  probe still recognise the type of the held-out activities?

A small SimCLR encoder at a CPU budget (about two minutes);
``benchmarks/explain_uci_har.py`` runs the full table.
"""

# %%
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402

from sktime_har.datasets import load_uci_har  # noqa: E402
from sktime_har.inspection import activity_type_probe, subject_probe  # noqa: E402
from sktime_har.ssl import SimCLREncoder  # noqa: E402

torch.set_num_threads(1)
data = load_uci_har(protocol="ssl", subset="train", include_transitions=True)
X, y, subject = data.data, data.target, data.subject
names = list(data.target_names)
y = np.asarray(names)[y]  # activity names, so the types below read naturally
# every 2nd window keeps the run short; windows stay in recording order
X, y, subject = X[::2], y[::2], subject[::2]

encoder = SimCLREncoder(conv_channels=(16, 32, 64), n_layers=2, n_heads=4, dim_feedforward=128,
                        pooling="mean", lr=1e-3, max_epochs=5, device="cpu", random_state=0)
features = encoder.fit(X).transform(X)

# %%
# Subject probe (postural transitions left out, as in the paper)
steady = np.isin(y, names[:6])
subject_result = subject_probe(features[steady], subject[steady], random_state=0)
print(f"subject probe macro F1: {subject_result.mean:.3f} +- {subject_result.ci95:.3f}")

# %%
# Activity-type probe, two and three types
types_2 = {"periodic": names[:3], "stable": names[3:6]}
types_3 = {**types_2, "transition": names[6:]}
results = {
    "2 types": activity_type_probe(features[steady], y[steady], types_2, random_state=0),
    "3 types": activity_type_probe(features, y, types_3, random_state=0),
}
for setting, result in results.items():
    print(f"activity-type probe, {setting}: {result.mean:.3f} +- {result.ci95:.3f} "
          f"over {len(result.scores)} hold-out combinations")

# %%
fig, ax = plt.subplots(figsize=(4.5, 3))
labels = ["subject"] + list(results)
means = [subject_result.mean] + [r.mean for r in results.values()]
errors = [subject_result.ci95] + [r.ci95 for r in results.values()]
ax.bar(labels, means, yerr=errors, capsize=4, color="tab:blue")
ax.set_ylabel("macro F1")
ax.set_ylim(0, 1)
ax.set_title("Linear probes on SimCLR features")
fig.tight_layout()
plt.show()
