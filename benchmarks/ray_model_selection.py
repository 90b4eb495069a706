"""GridSearchCV of an SSL pipeline under Ray's joblib backend against the serial run.

``python -m benchmarks.ray_model_selection`` (needs the ``ray`` extra) runs the
search of ``tests/test_dask_model_selection.py`` (SimCLR + logistic
regression, 4 candidates x 2 subject folds) serially on one torch thread,
then on a local Ray instance (``ray.init(num_cpus=2)``, joblib's ``"ray"``
backend), and records whether every ``cv_results_`` entry but the timings is
identical, with the wall times. Not a unit test: starting Ray and importing
torch in its workers takes minutes on a loaded 2-core machine. Results:
``results/ray_model_selection.{json,md}``.
"""

from __future__ import annotations

import json
import time

import numpy as np

from benchmarks._common import RESULTS, cpu_device, one_thread, versions


def _search():
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GridSearchCV, GroupKFold
    from sklearn.pipeline import Pipeline

    from sktime_har.ssl import SimCLREncoder

    ssl = SimCLREncoder(conv_channels=(4, 4, 8), kernel_size=3, n_layers=1, n_heads=2,
                        dim_feedforward=8, projection_hidden_dim=8, projection_dim=8,
                        batch_size=16, max_epochs=1, device="cpu", random_state=0)
    pipeline = Pipeline([("ssl", ssl), ("clf", LogisticRegression(max_iter=200))])
    return GridSearchCV(pipeline, {"ssl__max_epochs": [1, 2], "ssl__lr": [1e-3, 1e-2]},
                        cv=GroupKFold(n_splits=2), scoring="f1_macro")


def _scores(search) -> dict:
    return {key: np.asarray(value) for key, value in search.cv_results_.items()
            if "time" not in key}


def _differences(serial: dict, other: dict) -> list[str]:
    if serial.keys() != other.keys():
        return [f"keys differ: {sorted(set(serial) ^ set(other))}"]
    return [key for key, value in serial.items()
            if not (np.array_equal(other[key], value) if value.dtype.kind == "f"
                    else list(other[key]) == list(value))]


def main() -> dict:
    import joblib
    import ray
    from ray.util.joblib import register_ray

    from sktime_har.datasets import make_activity_windows

    one_thread()
    X, y, groups = make_activity_windows(64, n_channels=6, n_timesteps=16, random_state=0)
    t = time.perf_counter()
    serial = _scores(_search().fit(X, y, groups=groups))
    serial_s = time.perf_counter() - t

    register_ray()
    t = time.perf_counter()
    # Ray sets OMP_NUM_THREADS to each task's num_cpus (1) in its workers
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    init_s = time.perf_counter() - t
    try:
        t = time.perf_counter()
        with joblib.parallel_backend("ray"):
            on_ray = _scores(_search().fit(X, y, groups=groups))
        search_s = time.perf_counter() - t
    finally:
        ray.shutdown()
    differing = _differences(serial, on_ray)
    result = {
        "title": "GridSearchCV under Ray's joblib backend against the serial run",
        "device": cpu_device(),
        "versions": {**versions(), "ray": ray.__version__, "joblib": joblib.__version__},
        "search": "SimCLR (tiny) + LogisticRegression, ssl__max_epochs in [1, 2] x ssl__lr in "
                  "[1e-3, 1e-2], GroupKFold(2) by subject, 64 synthetic windows",
        "ray_init": "ray.init(num_cpus=2, include_dashboard=False)",
        "identical_cv_results": not differing,
        "differing_keys": differing,
        "compared_keys": sorted(serial),
        "serial_s": round(serial_s, 1),
        "ray_init_s": round(init_s, 1),
        "ray_search_s": round(search_s, 1),
        "mean_test_score": np.round(serial["mean_test_score"], 4).tolist(),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "ray_model_selection.json").write_text(json.dumps(result, indent=2) + "\n")
    verdict = "identical" if not differing else f"DIFFERENT in {differing}"
    (RESULTS / "ray_model_selection.md").write_text("\n".join([
        f"# {result['title']}",
        "",
        f"{result['search']}. Serial: this process, one torch thread. Ray: "
        f"`{result['ray_init']}`, joblib's `\"ray\"` backend. Device: {result['device']}; "
        f"ray {result['versions']['ray']}, torch {result['versions']['torch']}, "
        f"scikit-learn {result['versions']['scikit-learn']}.",
        "",
        f"- `cv_results_` (every entry but the timings, {len(serial)} keys): **{verdict}**",
        f"- mean test scores (macro F1) of the 4 candidates: {result['mean_test_score']}",
        f"- wall time: serial {serial_s:.1f} s; Ray start {init_s:.1f} s, search on Ray "
        f"{search_s:.1f} s (each Ray worker imports torch and the library on its first task)",
        "",
        "Reproduce: `pip install -e .[ray] -c constraints.txt` then "
        "`python -m benchmarks.ray_model_selection`.",
        "",
    ]))
    print(f"cv_results_ {verdict}; serial {serial_s:.1f} s, ray init {init_s:.1f} s, "
          f"search {search_s:.1f} s")
    return result


if __name__ == "__main__":
    main()
