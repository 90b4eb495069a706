"""
Deep Sensory Clustering of UCI-HAR activities
=============================================

Clusters raw UCI-HAR windows without labels with
:class:`~sktime_har.clustering.DeepSensoryClustering` (Abedin et al.,
ISWC 2020) and redraws the paper's Figure 2: t-SNE maps of the data space,
the autoencoding space after stage I and the clustering-oriented space after
stage II, coloured by the true activity.

The budget is small so that the script runs in a few minutes on a laptop CPU:
a subset of the training windows and a much smaller recurrent autoencoder
than the paper's (BiGRU 1x32 instead of 2x256, 15 instead of 100
pretraining epochs). ``benchmarks/dsc_uci_har.py`` runs the full comparison
of Table 2.
"""

# %%
# Load and standardise the windows
# --------------------------------
# ``protocol="dsc"`` gives the paper's layout: 9 channels (body acc, gyro,
# total acc), 128 samples at 50 Hz, UCI-HAR's subject split. Each channel is
# standardised with training statistics, as in the paper.
import copy
import time

import numpy as np
import torch
from sklearn.metrics import normalized_mutual_info_score

from sktime_har.clustering import DeepSensoryClustering
from sktime_har.datasets import load_uci_har
from sktime_har.metrics import clustering_accuracy
from sktime_har.plotting import plot_embedding_tsne
from sktime_har.preprocessing import ChannelStandardScaler

torch.set_num_threads(1)  # small GRUs: one thread beats two busy ones

train = load_uci_har(protocol="dsc", subset="train")
test = load_uci_har(protocol="dsc", subset="test")
scaler = ChannelStandardScaler().fit(train.data)

rng = np.random.default_rng(0)
subset = np.sort(rng.choice(len(train.data), 2000, replace=False))
X, y = scaler.transform(train.data[subset]), train.target[subset]
X_test, y_test = scaler.transform(test.data), test.target
print(f"{len(X)} training windows of shape {X.shape[1:]}; {len(X_test)} test windows")


def report(name, y_true, labels):
    acc = clustering_accuracy(y_true, labels)
    nmi = normalized_mutual_info_score(y_true, labels)
    print(f"{name:<40s} ACC {100 * acc:5.1f}  NMI {100 * nmi:5.1f}")


# %%
# Stage I: the multi-task recurrent autoencoder
# ---------------------------------------------
# ``refine=False`` stops after pretraining and the initial Ward clustering of
# the embeddings: the "traditional clustering on the autoencoding space" row
# of Table 2.
start = time.perf_counter()
pretrained = DeepSensoryClustering(
    n_clusters=6, hidden_size=32, num_layers=1, embedding_dim=64, pretrain_epochs=15,
    lr_decay_epoch=10, init="ward", refine=False, max_refine_epochs=10,
    device="cpu", random_state=0,
).fit(X)
print(f"stage I took {time.perf_counter() - start:.0f} s")
report("Ward on the autoencoding space (train)", y, pretrained.labels_)
Z_autoencoder = pretrained.transform(X)

# %%
# Stage II: refinement by cluster assignment hardening
# ----------------------------------------------------
# ``warm_start=True`` reuses the pretrained network, so only the centroid
# initialisation and the refinement run here.
start = time.perf_counter()
dsc = copy.deepcopy(pretrained).set_params(refine=True, warm_start=True).fit(X)
print(f"stage II took {time.perf_counter() - start:.0f} s ({dsc.n_iter_} epochs)")
report("Deep Sensory Clustering (train)", y, dsc.labels_)
report("Deep Sensory Clustering (test, predict)", y_test, dsc.predict(X_test))

# %%
# Figure 2: how the representation evolves
# ----------------------------------------
# The same 1,500 windows in the three spaces; colours are the true activities,
# which the model never saw.
axes = plot_embedding_tsne(
    {
        "Data space": X,
        "Autoencoding space": Z_autoencoder,
        "Clustering-oriented space": dsc.transform(X),
    },
    y,
    label_names=train.target_names,
    max_samples=1500,
)
axes[0].figure.tight_layout()
