"""Model selection on a Dask cluster gives the serial run's results.

``GridSearchCV`` of an SSL pipeline under joblib's ``"dask"`` backend on a
``LocalCluster`` (2 worker processes, 1 thread each, started and closed here)
against the same search run serially in this process on one torch thread
(Dask's nanny starts its workers with one BLAS/OpenMP thread).
"""

from __future__ import annotations

import distributed  # the dev extra installs dask[distributed]
import joblib
import numpy as np
import torch
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, GroupKFold
from sklearn.pipeline import Pipeline

from sktime_har.datasets import make_activity_windows
from sktime_har.ssl import SimCLREncoder


def _search():
    ssl = SimCLREncoder(conv_channels=(4, 4, 8), kernel_size=3, n_layers=1, n_heads=2,
                        dim_feedforward=8, projection_hidden_dim=8, projection_dim=8,
                        batch_size=16, max_epochs=1, device="cpu", random_state=0)
    pipeline = Pipeline([("ssl", ssl), ("clf", LogisticRegression(max_iter=200))])
    return GridSearchCV(pipeline, {"ssl__max_epochs": [1, 2], "ssl__lr": [1e-3, 1e-2]},
                        cv=GroupKFold(n_splits=2), scoring="f1_macro")


def _scores(search) -> dict:
    return {key: np.asarray(value) for key, value in search.cv_results_.items()
            if "time" not in key}


def test_grid_search_on_a_local_cluster_equals_the_serial_run():
    X, y, groups = make_activity_windows(64, n_channels=6, n_timesteps=16, random_state=0)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        serial = _scores(_search().fit(X, y, groups=groups))
    finally:
        torch.set_num_threads(threads)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client, joblib.parallel_backend("dask"), \
            distributed.get_task_stream(client) as tasks:
        on_cluster = _scores(_search().fit(X, y, groups=groups))
    assert len(tasks.data) >= 8  # the 4 candidates x 2 folds ran on the workers
    assert serial.keys() == on_cluster.keys()
    for key, value in serial.items():
        if value.dtype.kind == "f":
            np.testing.assert_array_equal(on_cluster[key], value, err_msg=key)
        else:
            assert list(on_cluster[key]) == list(value), key
