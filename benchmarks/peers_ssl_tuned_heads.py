"""MiniRocket's few-label heads with their hyperparameter chosen per k on the validation subjects.

Usage::

    OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 NUMBA_NUM_THREADS=1 \\
        python -m benchmarks.peers_ssl_tuned_heads             # one thread, ~15 min
    python -m benchmarks.peers_ssl_tuned_heads --config smoke  # checks the plumbing

The peer's side of ``ssl_all_windows --tune-heads``: the same windows,
MiniRocket features and draws as ``peers_ssl_uci_har.py`` (whose ridge picks
its alpha by leave-one-out on the k labelled windows of each draw, and whose
logistic head keeps C = 1). Here the head's hyperparameter is chosen per k on
the validation subjects, by the mean macro F1 over the very draws the test
curve uses (``_common.tuned_semi_supervised``), as the library's frozen
features get it:

- ``MiniRocket + logistic regression, C on validation (sktime)``: the
  library's linear head, C in ``ssl_all_windows.LINEAR_CS``;
- ``MiniRocket + ridge, alpha on validation (sktime)``: ``RidgeClassifier`` on
  standardised features, alpha in ``peers_ssl_uci_har.ALPHAS``.

Writes ``benchmarks/results/peers_ssl_uci_har_tuned{,_smoke}.{json,md}`` in the
shape of ``peers_ssl_uci_har.json`` (``rows``, ``semi_supervised_curves``), so
the README's strongest peer per k is chosen among these rows too.
"""

from __future__ import annotations

import time
import warnings
from pathlib import Path

from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import RidgeClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from benchmarks import _common, _peers
from benchmarks import peers_ssl_uci_har as peers
from benchmarks import ssl_uci_har as ssl
from benchmarks._common import tuned_semi_supervised
from benchmarks.ssl_all_windows import LINEAR_CS
from sktime_har.evaluation import make_head

LOGISTIC = "MiniRocket + logistic regression, C on validation (sktime)"
RIDGE = "MiniRocket + ridge, alpha on validation (sktime)"


def tuned_heads(lr_max_iter: int) -> dict:
    """``{method: (make_head(value), grid, parameter name)}``; no head has a top-level seed."""
    return {LOGISTIC: (lambda c: make_head("linear", max_iter=lr_max_iter, C=c), LINEAR_CS, "C"),
            RIDGE: (lambda a: make_pipeline(StandardScaler(), RidgeClassifier(alpha=a)),
                    peers.ALPHAS, "alpha")}


def run(config: str) -> dict:
    cfg = ssl.CONFIGS["cpu" if config == "cpu" else "smoke"]
    threads = _common.one_thread()
    started = time.perf_counter()
    splits = peers.load_splits(config)
    (X_tr, y_tr), (X_va, y_va), (X_te, y_te) = splits["train"], splits["val"], splits["test"]
    rocket, (F_tr, F_va, F_te), (feature_s, val_feature_s) = peers.minirocket_features(
        X_tr, X_va, X_te)
    draws = dict(k_values=cfg["k_values"], n_repeats=cfg["repeats"], random_state=peers.SEED)
    rows, curves = [], {}
    for method, (make, grid, param) in tuned_heads(cfg["lr_max_iter"]).items():
        t = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            curve = tuned_semi_supervised(make, grid, F_tr, y_tr, F_va, y_va, F_te, y_te,
                                          name=param, **draws)
        wall = time.perf_counter() - t
        curves[method] = [{k: v for k, v in c.items() if k != "wall_s"} for c in curve]
        # the validation curves of every value are part of each k's cost: spread evenly
        rows += [peers.row(method, "semi-supervised", c["k"], c["f1"], c["ci95"],
                           wall / len(curve), **{param: c[param]}) for c in curve]
        peers.log(f"{method}: " + ", ".join(f"k={c['k']}: {c['f1']:.3f} ({param} "
                                            f"{c[param]:g})" for c in curve))
    return {
        "title": "MiniRocket peers on UCI-HAR (ssl protocol), heads tuned on validation",
        "config": config, "device": _common.cpu_device(), "threads": threads,
        "versions": _common.versions(),
        "n_windows": {"train": len(X_tr), "val": len(X_va), "test": len(X_te)},
        "minirocket": {"num_kernels": rocket.num_kernels, "n_features": int(F_tr.shape[1]),
                       "random_state": peers.SEED, "fitted_on": "training windows (no labels)"},
        "settings": {"k_values": list(cfg["k_values"]), "repeats": cfg["repeats"],
                     "draw_seed": peers.SEED, "lr_max_iter": cfg["lr_max_iter"],
                     "C_grid": list(LINEAR_CS),
                     "alpha_grid": [round(a, 6) for a in peers.ALPHAS]},
        "feature_wall_s": round(feature_s + val_feature_s, 1),
        "total_wall_s": round(time.perf_counter() - started, 1),
        "rows": rows,
        "semi_supervised_curves": curves,
    }


def write_markdown(result: dict, path: Path) -> None:
    r = result
    ks = r["settings"]["k_values"]
    lines = [
        "# MiniRocket's few-label heads tuned on the validation subjects (UCI-HAR, `ssl`)",
        "",
        f"Config **{r['config']}**. Device: {r['device']}. Packages: "
        + ", ".join(f"{k} {v}" for k, v in r["versions"].items()) + ". "
        f"Total wall time {r['total_wall_s'] / 60:.1f} min (MiniRocket fit + transform of "
        f"train, validation and test {r['feature_wall_s']:.0f} s).",
        "",
        f"{r['settings']['repeats']} draws per k, the library's draws "
        f"(`semi_supervised_evaluation(..., random_state={r['settings']['draw_seed']})`); "
        "per k the head's hyperparameter with the best mean validation macro F1 over those "
        "draws (C in " + ", ".join(f"{c:g}" for c in r["settings"]["C_grid"]) + "; alpha in "
        + ", ".join(f"{a:g}" for a in r["settings"]["alpha_grid"]) + "); test macro F1 (%) "
        "+- Student-t 95 % half-width, the chosen value below.",
        "",
        *_common.k_table_header(["method"], ks),
    ]
    for name, curve in r["semi_supervised_curves"].items():
        param = "C" if "C" in curve[0] else "alpha"
        lines.append(f"| {name} | " + " | ".join(
            f"{100 * c['f1']:.1f} +- {100 * c['ci95']:.1f} ({param} {c[param]:g})"
            for c in curve) + " |")
    lines += ["", "Reproduce: `OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 NUMBA_NUM_THREADS=1 "
              f"python -m benchmarks.peers_ssl_tuned_heads --config {r['config']}`.", ""]
    path.write_text("\n".join(lines))


def main(argv=None) -> dict:
    return _peers.peer_command_line(argv, __doc__.splitlines()[0], "peers_ssl_uci_har_tuned", run,
                                    write_markdown)


if __name__ == "__main__":
    main()
