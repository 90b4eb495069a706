"""What a fit at the estimators' defaults (the papers' sizes) costs on this machine.

Usage::

    python -m benchmarks.default_cost              # ~15 min on one CPU thread
    python -m benchmarks.default_cost --device cuda  # the same on a GPU
    python -m benchmarks.default_cost --smoke      # seconds; checks the plumbing only

Every row fits a public estimator at its default hyperparameters (only
``max_epochs`` / ``pretrain_epochs`` / ``max_refine_epochs``, ``device`` and
``random_state`` are set) on ``n_windows`` UCI-HAR training windows, once for
one epoch and once for three, and takes the difference, halved, as the cost of
one epoch over those windows: fixed costs (network construction, centroid
initialisation, the instance-feature pass) cancel. The estimate scales that to
the windows and the default epoch budget of the README's Usage snippet at its
defaults: DSC on the 7,415 ``dsc`` training windows, the SSL estimators on the
four fifths of the 18,015 ``ssl`` training windows one ``GroupKFold(5)`` fold
trains on. DSC's refinement and DSC-style stopping tolerances may end a fit
sooner; the estimate is for the whole budget (an upper bound for those stages).

Writes ``benchmarks/results/default_cost.{md,json}`` (a device other than
cpu adds ``_<device>``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from pathlib import Path

import numpy as np
import torch
from sklearn.frozen import FrozenEstimator
from threadpoolctl import threadpool_limits

from benchmarks._common import RESULTS
from sktime_har import (
    DeepSensoryClustering,
    DynamicTemperatureSSL,
    SimCLREncoder,
    TransformerClassifier,
    VICRegEncoder,
)
from sktime_har.datasets import load_uci_har
from sktime_har.preprocessing import ChannelStandardScaler
from sktime_har.ssl import ConvAutoencoder

FOLD_FRACTION = 4 / 5  # GroupKFold(5): each fold trains on four fifths of the windows


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def epoch_cost(make, X, y=None) -> tuple[float, float, float]:
    """``(one_epoch_s, t1, t3)``: ``make(epochs)`` fitted for 1 and 3 epochs."""
    t1 = _timed(lambda: make(1).fit(X, y))
    t3 = _timed(lambda: make(3).fit(X, y))
    return max(t3 - t1, 0.0) / 2, t1, t3


def rows_for(device: str, n: int, seed: int) -> list[dict]:
    Xd, _ = load_uci_har(protocol="dsc", return_X_y=True)
    Xd = ChannelStandardScaler().fit_transform(Xd).astype(np.float32)
    Xs, ys = load_uci_har(protocol="ssl", return_X_y=True)
    n_dsc, n_ssl = len(Xd), round(len(Xs) * FOLD_FRACTION)
    rng = np.random.default_rng(seed)
    Xd_n = Xd[rng.choice(len(Xd), n, replace=False)]
    pick = rng.choice(len(Xs), n, replace=False)
    Xs_n, ys_n = Xs[pick].astype(np.float32), ys[pick]
    common = dict(device=device, random_state=seed)
    defaults = {
        "DeepSensoryClustering": DeepSensoryClustering(),
        "ConvAutoencoder": ConvAutoencoder(),
        "DynamicTemperatureSSL": DynamicTemperatureSSL(),
        "SimCLREncoder": SimCLREncoder(),
        "VICRegEncoder": VICRegEncoder(),
        "TransformerClassifier": TransformerClassifier(),
    }
    rows = []

    def add(estimator, stage, one_epoch_s, t1, t3, full_windows, epochs, note=""):
        per_window = one_epoch_s / n
        rows.append({
            "estimator": estimator, "stage": stage, "n_windows_timed": n,
            "fit_1_epoch_s": round(t1, 2), "fit_3_epochs_s": round(t3, 2),
            "epoch_s_per_1000_windows": round(1000 * per_window, 3),
            "full_windows": full_windows, "default_epochs": epochs,
            "estimate_h": round(per_window * full_windows * epochs / 3600, 2),
            "note": note,
        })
        print(f"{estimator:>22} {stage:<22} {1000 * per_window:8.2f} s/epoch/1k windows, "
              f"estimate {rows[-1]['estimate_h']:.2f} h", flush=True)

    dsc = defaults["DeepSensoryClustering"]
    cost = epoch_cost(lambda e: DeepSensoryClustering(pretrain_epochs=e, refine=False,
                                                      lr_decay_epoch=None, **common), Xd_n)
    add("DeepSensoryClustering", "pretraining", *cost, n_dsc, dsc.pretrain_epochs)
    pretrained = DeepSensoryClustering(pretrain_epochs=1, refine=False, **common).fit(Xd_n)

    def refined(e):
        est = DeepSensoryClustering(pretrain_epochs=1, max_refine_epochs=e, tol=0.0,
                                    warm_start=True, **common)
        est.__dict__.update({k: v for k, v in vars(pretrained).items() if k.endswith("_")})
        return est
    add("DeepSensoryClustering", "refinement", *epoch_cost(refined, Xd_n), n_dsc,
        dsc.max_refine_epochs, "stops earlier once fewer than tol of the labels change")

    ae = defaults["ConvAutoencoder"]
    add("ConvAutoencoder", "DynamicTemperatureSSL's autoencoder",
        *epoch_cost(lambda e: ConvAutoencoder(max_epochs=e, **common), Xs_n),
        n_ssl, ae.max_epochs)
    frozen = FrozenEstimator(ConvAutoencoder(max_epochs=1, **common).fit(Xs_n))
    add("DynamicTemperatureSSL", "contrastive pretraining",
        *epoch_cost(lambda e: DynamicTemperatureSSL(autoencoder=frozen, max_epochs=e,
                                                    **common), Xs_n),
        n_ssl, defaults["DynamicTemperatureSSL"].max_epochs,
        "with a fitted autoencoder; its training is the row above")
    for name, cls in [("SimCLREncoder", SimCLREncoder), ("VICRegEncoder", VICRegEncoder)]:
        add(name, "pretraining", *epoch_cost(lambda e, c=cls: c(max_epochs=e, **common), Xs_n),
            n_ssl, defaults[name].max_epochs)
    add("TransformerClassifier", "training",
        *epoch_cost(lambda e: TransformerClassifier(max_epochs=e, **common), Xs_n, ys_n),
        n_ssl, defaults["TransformerClassifier"].max_epochs)
    return rows


def write_markdown(path: Path, result: dict) -> None:
    lines = [
        "# Cost of a fit at the estimators' defaults",
        "",
        f"Device: {result['device']}, {result['threads']} torch thread(s); torch "
        f"{result['torch']}; load average at start / end {result['load_average'][0]} / "
        f"{result['load_average'][1]}; total wall time {result['total_wall_s'] / 60:.1f} min.",
        "",
        "Each epoch cost is (fit for 3 epochs - fit for 1 epoch) / 2 on "
        f"{result['rows'][0]['n_windows_timed']} UCI-HAR training windows, at the defaults; "
        "the estimate scales it to the full windows and default epochs.",
        "",
        "| estimator | stage | s / epoch / 1k windows | windows | default epochs | estimate (h) |",
        "|---|---|---|---|---|---|",
    ]
    for r in result["rows"]:
        lines.append(f"| {r['estimator']} | {r['stage']} | {r['epoch_s_per_1000_windows']:.2f} "
                     f"| {r['full_windows']:,} | {r['default_epochs']} | {r['estimate_h']:.2f} |")
    s = result["summary"]
    lines += [
        "",
        f"- `DeepSensoryClustering().fit_predict(X)` on the 7,415 `dsc` training windows: "
        f"{s['dsc_h']:.1f} h (pretraining {s['dsc_pretraining_h']:.1f} h plus at most "
        f"{s['dsc_refinement_h']:.1f} h of refinement).",
        f"- `DynamicTemperatureSSL()` in a `GroupKFold(5)` pipeline on the 18,015 `ssl` "
        f"training windows: {s['dt_fold_h']:.1f} h per fold, {5 * s['dt_fold_h']:.0f} h "
        "for the five folds.",
        "",
        "Reproduce: `python -m benchmarks.default_cost`.",
        "",
    ]
    path.write_text("\n".join(lines))


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--windows", type=int, default=512)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--smoke", action="store_true", help="64 windows; not a result")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    start, load_start = time.perf_counter(), os.getloadavg()[0]
    with threadpool_limits(args.threads):
        rows = rows_for(args.device, 64 if args.smoke else args.windows, args.seed)
    by = {(r["estimator"], r["stage"]): r["estimate_h"] for r in rows}
    dsc_pre = by[("DeepSensoryClustering", "pretraining")]
    dsc_ref = by[("DeepSensoryClustering", "refinement")]
    dt = (by[("ConvAutoencoder", "DynamicTemperatureSSL's autoencoder")]
          + by[("DynamicTemperatureSSL", "contrastive pretraining")])
    device = args.device if args.device != "cpu" else (
        f"cpu ({platform.machine()}, {os.cpu_count()} cores, shared)")
    result = {
        "device": device, "threads": args.threads, "torch": torch.__version__,
        "smoke": args.smoke, "rows": rows,
        "summary": {"dsc_pretraining_h": dsc_pre, "dsc_refinement_h": dsc_ref,
                    "dsc_h": round(dsc_pre + dsc_ref, 2), "dt_fold_h": round(dt, 2)},
        "load_average": [round(load_start, 2), round(os.getloadavg()[0], 2)],
        "total_wall_s": round(time.perf_counter() - start, 1),
    }
    stem = "default_cost" + ("" if args.device == "cpu" else f"_{args.device}")
    if args.smoke:
        stem += "_smoke"
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"{stem}.json").write_text(json.dumps(result, indent=2) + "\n")
    write_markdown(args.out / f"{stem}.md", result)
    print(f"total {result['total_wall_s'] / 60:.1f} min; wrote {args.out / stem}.{{md,json}}")
    return result


if __name__ == "__main__":
    main()
