"""MiniRocket peers on the contrastive-SSL benchmark's UCI-HAR split (paper 001).

Usage::

    OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 NUMBA_NUM_THREADS=1 \\
        python -m benchmarks.peers_ssl_uci_har             # one thread, ~minutes
    python -m benchmarks.peers_ssl_uci_har --config smoke  # checks the plumbing

The peer rows of ``benchmarks/ssl_uci_har.py`` without retraining the SSL
models: the same data (``load_uci_har(protocol="ssl")``, 6 channels, 1 s
windows at 30 Hz, test subjects 2, 3, 11, 14, 26, 30, validation 4, 10, 21, 24,
28), the same heads and the same semi-supervised draws. Features: sktime's
``MiniRocketMultivariate(random_state=0)`` fitted on the training windows (it is
unsupervised: it uses no labels), via :class:`_peers.MiniRocketFeatures`.

- ``MiniRocket + ridge (sktime)``, ``linear``: standardised features, scikit-learn
  ``RidgeClassifier(alpha)`` fitted on all training labels, alpha chosen by
  macro F1 on the validation subjects over ``ALPHAS`` (the test subjects are
  never looked at), scored on the test subjects;
- ``MiniRocket + logistic regression (sktime)``, ``linear``: the library's
  linear-evaluation head, ``make_head("linear", 0, max_iter=...)`` with the
  benchmark config's ``lr_max_iter``, on all training labels;
- ``semi-supervised``: ``semi_supervised_evaluation`` (k = 1, 2, 5, 10, 25, 50,
  100 labelled training windows per class, 10 draws, ``random_state=0``) with
  the logistic head above, and with ridge whose alpha ``RidgeClassifierCV``
  picks by leave-one-out on the k labelled windows of the draw (validation
  labels would be more labels than k). The library's frozen encoders get the
  same call with the same seed and a head without a top-level
  ``random_state``, so every draw is the same labelled subset for them and
  for these rows; the paired differences against the library's per-draw scores
  in ``ssl_uci_har.json`` are written too.

``wall_s`` counts from the windows: MiniRocket fit and transform of the windows
the row needs, plus the head (for ``semi-supervised`` rows: the draws of that
k; the shared feature extraction is recorded once as ``feature_wall_s``). Writes
``benchmarks/results/peers_ssl_uci_har{,_smoke}.{json,md}``.
"""

from __future__ import annotations

import json
import time
import warnings
from pathlib import Path

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import RidgeClassifier, RidgeClassifierCV
from sklearn.metrics import f1_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from benchmarks import _common, _peers
from benchmarks import ssl_uci_har as ssl
from benchmarks._common import RESULTS
from sktime_har.datasets import load_uci_har
from sktime_har.evaluation import make_head, mean_confidence_interval, semi_supervised_evaluation

SEED = ssl.SEED
ALPHAS = tuple(float(a) for a in np.logspace(-3, 5, 9))  # MiniRocket paper: 1e-3..1e3
RIDGE = "MiniRocket + ridge (sktime)"
LOGISTIC = "MiniRocket + logistic regression (sktime)"
# library rows whose semi-supervised draws are the same as ours (frozen encoders,
# random_state=SEED); the supervised transformer draws with SEED + k, 3 repeats
PAIRED_WITH = ("dynamic temperature", "SimCLR (cosine)", "random encoder")
SMOKE_WINDOWS = {"train": 600, "val": 300, "test": 300}


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def semi_supervised_heads(lr_max_iter: int) -> dict:
    """The heads of the semi-supervised rows; none has a top-level random_state."""
    heads = {LOGISTIC: make_head("linear", max_iter=lr_max_iter),
             RIDGE: make_pipeline(StandardScaler(), RidgeClassifierCV(alphas=ALPHAS))}
    for name, head in heads.items():
        # semi_supervised_evaluation draws one extra seed per draw for an estimator
        # with this parameter, which would shift every later draw off the library's
        if "random_state" in head.get_params():
            raise ValueError(f"{name}: a top-level random_state would change the draws")
    return heads


def ridge_on_validation(F_tr, y_tr, F_va, y_va, F_te, y_te) -> dict:
    """Ridge with alpha chosen by validation macro F1; refitted on train, scored on test."""
    scaler = StandardScaler().fit(F_tr)
    S_tr, S_va = scaler.transform(F_tr), scaler.transform(F_va)
    val_f1 = {}
    for alpha in ALPHAS:
        model = RidgeClassifier(alpha=alpha).fit(S_tr, y_tr)
        val_f1[alpha] = float(f1_score(y_va, model.predict(S_va), average="macro"))
    best = max(ALPHAS, key=lambda a: (val_f1[a], a))  # ties: the larger alpha
    model = RidgeClassifier(alpha=best).fit(S_tr, y_tr)
    f1 = f1_score(y_te, model.predict(scaler.transform(F_te)), average="macro")
    return {"f1": float(f1), "alpha": best,
            "validation_f1": {f"{a:.4g}": round(v, 4) for a, v in val_f1.items()}}


def paired_differences(curve: list[dict], library: dict) -> dict:
    """Mean paired difference (peer - library) of the per-draw F1, with its t interval."""
    out = {}
    for name in PAIRED_WITH:
        if name not in library:
            continue
        other = {c["k"]: c["scores"] for c in library[name]}
        rows = []
        for c in curve:
            if c["k"] in other and len(other[c["k"]]) == len(c["scores"]):
                diff = np.asarray(c["scores"]) - np.asarray(other[c["k"]])
                mean, half = mean_confidence_interval(diff)
                rows.append({"k": c["k"], "mean_diff": float(mean), "ci95": float(half),
                             "peer_wins": int((diff > 0).sum()), "n": len(diff)})
        out[name] = rows
    return out


def row(method, protocol, k, f1, ci95, wall_s, **extra) -> dict:
    r = ssl.row(method, protocol, k, f1, ci95, wall_s)
    return {**r, **extra}


def load_splits(config: str) -> dict:
    """``{"train" | "val" | "test": (X, y)}`` of the ``ssl`` layout (a subset with ``smoke``)."""
    splits = {}
    for name in ("train", "val", "test"):
        X, y = load_uci_har(protocol="ssl", subset=name, return_X_y=True)
        if config == "smoke":
            X, y = ssl.subset(X, y, SMOKE_WINDOWS[name], SEED)
        splits[name] = (X, np.asarray(y))
    return splits


def minirocket_features(X_tr, X_va, X_te):
    """MiniRocket fitted on the training windows: features of the three splits, and timings."""
    t = time.perf_counter()
    rocket = _peers.MiniRocketFeatures(random_state=SEED).fit(X_tr)
    F_tr, F_te = rocket.transform(X_tr), rocket.transform(X_te)
    feature_s = time.perf_counter() - t
    t = time.perf_counter()
    F_va = rocket.transform(X_va)
    val_feature_s = time.perf_counter() - t
    log(f"MiniRocket: {F_tr.shape[1]} features; train+test {feature_s:.0f} s, "
        f"val {val_feature_s:.0f} s")
    return rocket, (F_tr, F_va, F_te), (feature_s, val_feature_s)


def run(config: str) -> dict:
    cfg = ssl.CONFIGS["cpu" if config == "cpu" else "smoke"]
    threads = _common.one_thread()
    started = time.perf_counter()
    splits = load_splits(config)
    (X_tr, y_tr), (X_va, y_va), (X_te, y_te) = splits["train"], splits["val"], splits["test"]
    data_s = time.perf_counter() - started
    log(f"data: train {X_tr.shape}, val {X_va.shape}, test {X_te.shape}; {threads} thread")
    rocket, (F_tr, F_va, F_te), (feature_s, val_feature_s) = minirocket_features(X_tr, X_va,
                                                                                 X_te)

    rows = []
    t = time.perf_counter()
    ridge = ridge_on_validation(F_tr, y_tr, F_va, y_va, F_te, y_te)
    wall = time.perf_counter() - t + feature_s + val_feature_s
    rows.append(row(RIDGE, "linear", None, ridge["f1"], None, wall, alpha=ridge["alpha"]))
    log(f"{RIDGE}: F1 {ridge['f1']:.4f}, alpha {ridge['alpha']:.4g} ({wall:.0f} s)")

    t = time.perf_counter()
    head = make_head("linear", SEED, max_iter=cfg["lr_max_iter"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        head.fit(F_tr, y_tr)
    f1 = f1_score(y_te, head.predict(F_te), average="macro")
    wall = time.perf_counter() - t + feature_s
    rows.append(row(LOGISTIC, "linear", None, f1, None, wall))
    log(f"{LOGISTIC}: F1 {f1:.4f} ({wall:.0f} s)")

    curves = {}
    for name, head in semi_supervised_heads(cfg["lr_max_iter"]).items():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            curve = semi_supervised_evaluation(head, F_tr, y_tr, F_te, y_te,
                                               k_values=cfg["k_values"],
                                               n_repeats=cfg["repeats"], random_state=SEED)
        curves[name] = curve
        rows += [row(name, "semi-supervised", c["k"], c["f1"], c["ci95"], c["wall_s"])
                 for c in curve]
        log(f"semi-supervised {name}: "
            + ", ".join(f"k={c['k']}: {c['f1']:.3f}" for c in curve))

    library = None
    lib_path = RESULTS / "ssl_uci_har.json"
    if config == "cpu" and lib_path.exists():
        lib = json.loads(lib_path.read_text())
        same = (lib["settings"]["k_values"] == list(cfg["k_values"])
                and lib["settings"]["repeats"] == cfg["repeats"]
                and lib["n_windows"]["train"] == len(X_tr))
        library = lib["semi_supervised_curves"] if same else None
    paired = ({name: paired_differences(curve, library) for name, curve in curves.items()}
              if library else {})
    return {
        "title": "MiniRocket peers on UCI-HAR (ssl protocol)",
        "config": config, "device": _common.cpu_device(), "threads": threads,
        "versions": _common.versions(),
        "n_windows": {"train": len(X_tr), "val": len(X_va), "test": len(X_te)},
        "minirocket": {"num_kernels": rocket.num_kernels, "n_features": int(F_tr.shape[1]),
                       "random_state": SEED, "fitted_on": "training windows (no labels)"},
        "settings": {"k_values": list(cfg["k_values"]), "repeats": cfg["repeats"],
                     "draw_seed": SEED, "lr_max_iter": cfg["lr_max_iter"],
                     "ridge_alphas": [round(a, 6) for a in ALPHAS]},
        "ridge_validation": ridge,
        "data_wall_s": round(data_s, 1), "feature_wall_s": round(feature_s, 1),
        "val_feature_wall_s": round(val_feature_s, 1),
        "total_wall_s": round(time.perf_counter() - started, 1),
        "rows": rows,
        "semi_supervised_curves": {n: [{k: v for k, v in c.items() if k != "wall_s"}
                                       for c in curve] for n, curve in curves.items()},
        "paired_with_library": paired,
    }


def write_markdown(result: dict, path: Path) -> None:
    r = result
    lines = [
        "# MiniRocket peers on UCI-HAR, `ssl` protocol (beside paper 001)",
        "",
        f"Config **{r['config']}**. Device: {r['device']}. Packages: "
        + ", ".join(f"{k} {v}" for k, v in r["versions"].items()) + ". "
        f"Total wall time {r['total_wall_s'] / 60:.1f} min (data loading "
        f"{r['data_wall_s']:.0f} s; MiniRocket fit + transform of train and test "
        f"{r['feature_wall_s']:.0f} s, of validation {r['val_feature_wall_s']:.0f} s).",
        "",
        f"Windows: train {r['n_windows']['train']}, val {r['n_windows']['val']} (ridge alpha "
        f"only), test {r['n_windows']['test']}. MiniRocket: {r['minirocket']['n_features']} "
        "features, fitted on the training windows. F1 = macro F1 on the test subjects, %.",
        "",
        "## All training labels",
        "",
        "| method | protocol | F1 (%) | wall (s) | note |",
        "|---|---|---:|---:|---|",
    ]
    for x in r["rows"]:
        if x["protocol"] == "linear":
            note = (f"alpha {x['alpha']:.4g} (validation macro F1)" if "alpha" in x
                    else f"the library's linear head (max_iter {r['settings']['lr_max_iter']})")
            lines.append(f"| {x['method']} | linear | {100 * x['f1']:.2f} | "
                         f"{x['wall_s']:.0f} | {note} |")
    ks = r["settings"]["k_values"]
    lines += ["", "## Semi-supervised (k labelled training windows per class)", "",
              f"{r['settings']['repeats']} draws per k, the library's draws "
              f"(`semi_supervised_evaluation(..., random_state={r['settings']['draw_seed']})`); "
              "mean macro F1 (%) +- Student-t 95 % half-width. Ridge: alpha by leave-one-out "
              "on the draw's labelled windows.", "",
              *_common.k_table_header(["method"], ks, ["wall (s), all k"])]
    for name, curve in r["semi_supervised_curves"].items():
        wall = sum(x["wall_s"] for x in r["rows"]
                   if x["method"] == name and x["protocol"] == "semi-supervised")
        lines.append(f"| {name} | " + " | ".join(
            f"{100 * c['f1']:.1f} +- {100 * c['ci95']:.1f}" for c in curve)
            + f" | {wall:.0f} (+ {r['feature_wall_s']:.0f} features) |")
    if r["paired_with_library"]:
        lines += ["", "## Paired with the library's frozen encoders (same draws)", "",
                  "Mean of (peer - library) per draw, points, +- t 95 % half-width; in "
                  "brackets the draws the peer wins. Library scores: "
                  "`benchmarks/results/ssl_uci_har.json` (cpu config).", "",
                  *_common.k_table_header(["peer", "library"], ks)]
        for peer, by_lib in r["paired_with_library"].items():
            for lib, diffs in by_lib.items():
                lines.append(f"| {peer} | {lib} | " + " | ".join(
                    f"{100 * d['mean_diff']:+.1f} +- {100 * d['ci95']:.1f} "
                    f"({d['peer_wins']}/{d['n']})" for d in diffs) + " |")
    lines += ["", f"Reproduce: `OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 NUMBA_NUM_THREADS=1 "
              f"python -m benchmarks.peers_ssl_uci_har --config {r['config']}`.", ""]
    path.write_text("\n".join(lines))


def main(argv=None) -> dict:
    return _peers.peer_command_line(argv, __doc__.splitlines()[0], "peers_ssl_uci_har", run,
                                    write_markdown)


if __name__ == "__main__":
    main()
