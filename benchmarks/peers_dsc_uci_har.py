"""Classical clustering peers on the Deep Sensory Clustering benchmark's UCI-HAR split.

Usage::

    OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 NUMBA_NUM_THREADS=1 \\
        python -m benchmarks.peers_dsc_uci_har             # seeds 0-2, one thread
    python -m benchmarks.peers_dsc_uci_har --config smoke  # a minute, checks the plumbing

The peers' rows of ``benchmarks/dsc_uci_har.py``, without retraining the DSC
models: the same data (``dsc_uci_har.load_standardised``: 9 channels x 128
samples, standardised with training statistics, about 7.4 k train / 3.0 k test
windows), the same scoring (``dsc_uci_har.scores``: Hungarian ACC, NMI) and the
same split rules (**train** = ``fit_predict`` on the training windows, **test** =
``predict`` on the held-out subjects with the model fitted on train). Rows:

- ``soft-DTW k-means (tslearn)``: ``tslearn.clustering.TimeSeriesKMeans(
  n_clusters=6, metric="softdtw", metric_params={"gamma": 1.0}, max_iter=5,
  n_init=1, random_state=seed)`` on the windows;
- ``k-means on summary statistics``: scikit-learn ``KMeans(6, n_init=20,
  random_state=seed)`` (as the benchmark's k-means rows) on the 63 per-channel
  statistics of :func:`_peers.summary_statistics`, standardised with training
  statistics;
- ``k-means on MiniRocket features (sktime)``: the same ``KMeans`` on sktime's
  ``MiniRocketMultivariate(random_state=seed)`` features (fitted on the
  training windows), standardised with training statistics.

Every run uses one thread (torch, BLAS, numba). ``wall_s`` of a train row is
the whole cost from standardised windows to the labels (features + fit), of a
test row the features of the test windows plus ``predict``. Writes
``benchmarks/results/peers_dsc_uci_har{,_smoke}.{json,md}``, rewritten after
every seed so a partial run keeps what finished.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
from sklearn.cluster import KMeans
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from benchmarks import _common, _peers
from benchmarks import dsc_uci_har as table2
from benchmarks._common import RESULTS

METHODS = {
    "softdtw": ("soft-DTW k-means (tslearn)", "raw"),
    "stats": ("k-means on summary statistics", "63 statistics"),
    "minirocket": ("k-means on MiniRocket features (sktime)", "MiniRocket"),
}
SOFTDTW = dict(n_clusters=table2.N_CLUSTERS, metric="softdtw", metric_params={"gamma": 1.0},
               max_iter=5, n_init=1)
# Figures measured on this CPU before this script existed (2 threads, seed 0);
# shown beside ours as "earlier", not as targets.
EARLIER = {
    "soft-DTW k-means (tslearn)": {"train": {"acc": 0.7296, "nmi": 0.7996},
                                   "test": {"acc": 0.7133, "nmi": 0.7676}},
    "k-means on summary statistics": {"train": {"acc": 0.672, "nmi": 0.709}},
}


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def _row(method, space, split, seed, y_true, y_pred, wall_s, note=None) -> dict:
    acc, nmi = table2.scores(y_true, y_pred)
    row = {"method": method, "space": space, "split": split, "seed": seed,
           "acc": round(acc, 4), "nmi": round(nmi, 4), "wall_s": round(float(wall_s), 1)}
    if note:
        row["note"] = note
    log(f"  {method:<42s} {split:<5s} seed {seed}: ACC {acc:.4f} NMI {nmi:.4f} "
        f"({wall_s:.1f} s)")
    return row


def softdtw_rows(X_train, y_train, X_test, y_test, seed) -> list[dict]:
    from tslearn.clustering import TimeSeriesKMeans

    method, space = METHODS["softdtw"]
    # tslearn's layout is (n, time, channels)
    T_train, T_test = X_train.transpose(0, 2, 1), X_test.transpose(0, 2, 1)
    t = time.perf_counter()
    km = TimeSeriesKMeans(**SOFTDTW, random_state=seed)
    labels = km.fit_predict(T_train)
    fit_s = time.perf_counter() - t
    rows = [_row(method, space, "train", seed, y_train, labels, fit_s,
                 f"{km.n_iter_} k-means iteration(s)")]
    t = time.perf_counter()
    rows.append(_row(method, space, "test", seed, y_test, km.predict(T_test),
                     time.perf_counter() - t))
    return rows


def _kmeans_rows(key, features, X_train, y_train, X_test, y_test, seed) -> list[dict]:
    """k-means (as the DSC benchmark's) on standardised features; features(seed) -> transformer."""
    method, space = METHODS[key]
    t = time.perf_counter()
    extractor = features(seed)
    F_train = extractor.fit_transform(X_train)
    scaler = StandardScaler().fit(F_train)
    km = KMeans(table2.N_CLUSTERS, n_init=20, random_state=seed).fit(scaler.transform(F_train))
    rows = [_row(method, space, "train", seed, y_train, km.labels_, time.perf_counter() - t,
                 f"{F_train.shape[1]} features")]
    t = time.perf_counter()
    labels = km.predict(scaler.transform(extractor.transform(X_test)))
    rows.append(_row(method, space, "test", seed, y_test, labels, time.perf_counter() - t))
    return rows


class _Statistics:
    def fit_transform(self, X):
        return _peers.summary_statistics(X)

    transform = fit_transform


def summary_rows(X_train, y_train, X_test, y_test, seed) -> list[dict]:
    return _kmeans_rows("stats", lambda s: _Statistics(), X_train, y_train, X_test, y_test,
                        seed)


def minirocket_rows(X_train, y_train, X_test, y_test, seed) -> list[dict]:
    return _kmeans_rows("minirocket", lambda s: _peers.MiniRocketFeatures(random_state=s),
                        X_train, y_train, X_test, y_test, seed)


BUILDERS = {"stats": summary_rows, "minirocket": minirocket_rows, "softdtw": softdtw_rows}


def summarise(rows: list[dict]) -> list[dict]:
    """Mean, min and max over the seeds of each (method, split)."""
    out = []
    keys = dict.fromkeys((r["method"], r["space"], r["split"]) for r in rows)
    for method, space, split in keys:
        sel = [r for r in rows if (r["method"], r["space"], r["split"]) == (method, space, split)]
        entry = {"method": method, "space": space, "split": split,
                 "seeds": [r["seed"] for r in sel]}
        for m in ("acc", "nmi", "wall_s"):
            v = [r[m] for r in sel]
            entry.update({m: round(float(np.mean(v)), 4 if m != "wall_s" else 1),
                          f"{m}_min": min(v), f"{m}_max": max(v)})
        out.append(entry)
    return out


def write_markdown(path: Path, result: dict) -> None:
    lines = [
        "# Classical peers on UCI-HAR, `dsc` protocol (beside paper 000, Table 2)",
        "",
        f"Config **{result['config']}**, seeds {result['seeds']}. Device: {result['device']}. "
        f"Packages: " + ", ".join(f"{k} {v}" for k, v in result["versions"].items()) + ". "
        f"Total wall time {result['total_wall_s'] / 60:.1f} min (data loading "
        f"{result['data_wall_s']:.0f} s).",
        "",
        f"Data and rules as `benchmarks/dsc_uci_har.py`: {result['n_train']} train / "
        f"{result['n_test']} test windows (9 channels x 128 samples), standardised with "
        "training statistics; **train** = `fit_predict` on the training windows, **test** = "
        "`predict` with the model fitted on train. ACC (Hungarian) and NMI in %. Wall time: "
        "train = features + fit, test = test features + predict, one thread.",
        "",
        "| method | split | seed | ACC | NMI | wall s | note |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    for r in result["rows"]:
        lines.append(f"| {r['method']} | {r['split']} | {r['seed']} | {100 * r['acc']:.2f} | "
                     f"{100 * r['nmi']:.2f} | {r['wall_s']:.1f} | {r.get('note', '')} |")
    lines += ["", "## Mean (min-max) over the seeds", "",
              "| method | split | seeds | ACC | NMI | wall s |", "|---|---|---|---|---|---|"]
    for r in result["summary"]:
        lines.append(
            f"| {r['method']} | {r['split']} | {', '.join(map(str, r['seeds']))} | "
            f"{100 * r['acc']:.2f} ({100 * r['acc_min']:.2f}-{100 * r['acc_max']:.2f}) | "
            f"{100 * r['nmi']:.2f} ({100 * r['nmi_min']:.2f}-{100 * r['nmi_max']:.2f}) | "
            f"{r['wall_s']:.1f} ({r['wall_s_min']:.1f}-{r['wall_s_max']:.1f}) |")
    earlier = "; ".join(
        f"{method} " + ", ".join(f"{split} ACC {100 * v['acc']:.2f} / NMI {100 * v['nmi']:.2f}"
                                 for split, v in by_split.items())
        for method, by_split in result["earlier"].items())
    lines += ["", f"Measured earlier on this CPU (2 threads, seed 0, before this script): "
              f"{earlier}.", "",
              f"Reproduce: `OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 NUMBA_NUM_THREADS=1 python "
              f"benchmarks/peers_dsc_uci_har.py --config {result['config']} --seeds "
              f"{' '.join(map(str, result['seeds']))}`.", ""]
    path.write_text("\n".join(lines))


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--config", choices=["cpu", "smoke"], default="cpu")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--methods", nargs="+", choices=sorted(BUILDERS),
                        default=["stats", "minirocket", "softdtw"])
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--markdown-only", action="store_true",
                        help="rewrite the .md from the config's .json without running")
    args = parser.parse_args(argv)
    stem = "peers_dsc_uci_har" if args.config == "cpu" else f"peers_dsc_uci_har_{args.config}"
    if args.markdown_only:
        result = json.loads((args.out / f"{stem}.json").read_text())
        write_markdown(args.out / f"{stem}.md", result)
        return result
    threads = _common.one_thread()
    start = time.perf_counter()
    cfg = {"max_windows": table2.CONFIGS["smoke"]["max_windows"]} if args.config == "smoke" \
        else {}
    X_train, y_train, X_test, y_test = table2.load_standardised(cfg)
    data_s = time.perf_counter() - start
    log(f"UCI-HAR dsc: train {X_train.shape}, test {X_test.shape}; {threads} torch thread")
    result = {
        "title": "Classical clustering peers on UCI-HAR (dsc protocol)",
        "config": args.config, "seeds": args.seeds, "device": _common.cpu_device(),
        "threads": threads, "versions": _common.versions(),
        "n_train": len(X_train), "n_test": len(X_test),
        "softdtw_params": SOFTDTW,
        "kmeans_params": {"n_clusters": table2.N_CLUSTERS, "n_init": 20},
        "split_rules": {"train": "fit_predict on the training windows",
                        "test": "predict on the held-out subjects with the model fitted "
                                "on train"},
        "data_wall_s": round(data_s, 1), "rows": [], "earlier": EARLIER,
    }
    with threadpool_limits(1):
        for seed in args.seeds:
            for key in args.methods:
                log(f"seed {seed}: {METHODS[key][0]}")
                result["rows"] += BUILDERS[key](X_train, y_train, X_test, y_test, seed)
            result["summary"] = summarise(result["rows"])
            result["total_wall_s"] = round(time.perf_counter() - start, 1)
            args.out.mkdir(parents=True, exist_ok=True)
            (args.out / f"{stem}.json").write_text(json.dumps(result, indent=2) + "\n")
            write_markdown(args.out / f"{stem}.md", result)
            log(f"seed {seed} done; wrote {args.out / stem}.{{json,md}}")
    return result


if __name__ == "__main__":
    main()
