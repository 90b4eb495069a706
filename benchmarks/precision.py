"""Training speed and losses with ``precision="bf16"`` against float32.

Usage::

    python -m benchmarks.precision           # ~5 min on one CPU thread
    python -m benchmarks.precision --smoke   # seconds; checks the plumbing only

The model sizes of ``throughput.py``'s cpu config (the cpu configs of the
UCI-HAR benchmarks) on the same UCI-HAR training windows (1,920 ``ssl`` / 1,536
``dsc``). Each row fits the public estimator twice per precision with the same
seed: for the estimators with a ``history_``, windows/s is windows per epoch /
the fastest epoch after the first (a warm-up) of a 4-epoch fit; for Deep
Sensory Clustering's pretraining (no history) it is windows / ((fit with 3
epochs - fit with 1 epoch) / 2). ``loss_rel_diff`` is the relative difference
of the final training loss, bf16 against float32, after the same epochs.

Writes ``benchmarks/results/precision.{md,json}``.
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

SEED = 0
ENCODER = dict(conv_channels=(16, 32, 64), kernel_size=3, n_layers=2, n_heads=4,
               dim_feedforward=128, projection_hidden_dim=256, projection_dim=256,
               batch_size=128, lr=1e-3)
DSC = dict(hidden_size=64, num_layers=2, embedding_dim=64, batch_size=256, refine=False,
           lr_decay_epoch=None)


def history_rate(est, n: int) -> tuple[float, float]:
    durations = [epoch["dur"] for epoch in est.history_][1:]
    return n / min(durations), float(est.loss_history_[-1])


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--smoke", action="store_true")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    start, load = time.perf_counter(), os.getloadavg()[0]
    Xs, ys = load_uci_har(protocol="ssl", return_X_y=True)
    Xd, _ = load_uci_har(protocol="dsc", return_X_y=True)
    n_ssl, n_dsc = (128, 128) if args.smoke else (1920, 1536)
    rng = np.random.default_rng(SEED)
    pick = rng.choice(len(Xs), n_ssl, replace=False)
    Xs, ys = Xs[pick].astype(np.float32), ys[pick]
    Xd = ChannelStandardScaler().fit_transform(Xd)[rng.choice(len(Xd), n_dsc, replace=False)]
    Xd = Xd.astype(np.float32)
    common = dict(device="cpu", random_state=SEED)
    epochs = 2 if args.smoke else 4
    frozen = FrozenEstimator(ConvAutoencoder(conv_channels=ENCODER["conv_channels"],
                                             max_epochs=1, **common).fit(Xs))
    makers = {
        "SimCLREncoder": lambda p: SimCLREncoder(**ENCODER, max_epochs=epochs, precision=p,
                                                 **common).fit(Xs),
        "VICRegEncoder": lambda p: VICRegEncoder(**ENCODER, max_epochs=epochs, precision=p,
                                                 **common).fit(Xs),
        "DynamicTemperatureSSL (contrastive stage)": lambda p: DynamicTemperatureSSL(
            autoencoder=frozen, **ENCODER, max_epochs=epochs, precision=p, **common).fit(Xs),
        "ConvAutoencoder": lambda p: ConvAutoencoder(
            conv_channels=ENCODER["conv_channels"], max_epochs=epochs, precision=p,
            **common).fit(Xs),
        "TransformerClassifier": lambda p: TransformerClassifier(
            **{k: v for k, v in ENCODER.items() if not k.startswith("projection")},
            max_epochs=epochs, precision=p, **common).fit(Xs, ys),
    }
    rows = []
    with threadpool_limits(args.threads):
        for name, make in makers.items():
            rates, losses = {}, {}
            for precision in ("32", "bf16"):
                rates[precision], losses[precision] = history_rate(make(precision), n_ssl)
            rows.append(_row(name, rates, losses, n_ssl))
        rates, losses = {}, {}
        for precision in ("32", "bf16"):
            times = {}
            for e in (1, 3):
                t = time.perf_counter()
                est = DeepSensoryClustering(pretrain_epochs=e, precision=precision, **DSC,
                                            **common).fit(Xd)
                times[e] = time.perf_counter() - t
            rates[precision] = n_dsc / max((times[3] - times[1]) / 2, 1e-9)
            losses[precision] = float(est.pretrain_loss_history_[-1])
        rows.append(_row("DeepSensoryClustering (pretraining)", rates, losses, n_dsc))
    result = {"device": f"cpu ({platform.machine()}, {os.cpu_count()} cores, shared)",
              "threads": args.threads, "torch": torch.__version__, "smoke": args.smoke,
              "epochs": epochs, "rows": rows, "load_average": [round(load, 2),
                                                               round(os.getloadavg()[0], 2)],
              "total_wall_s": round(time.perf_counter() - start, 1)}
    stem = "precision" + ("_smoke" if args.smoke else "")
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"{stem}.json").write_text(json.dumps(result, indent=2) + "\n")
    lines = ["# bf16 autocast against float32", "",
             f"{result['device']}, {args.threads} torch thread(s), torch {result['torch']}; "
             f"load average {result['load_average'][0]} / {result['load_average'][1]} at start "
             f"/ end; {result['total_wall_s'] / 60:.1f} min.", "",
             "| estimator | windows | fp32 windows/s | bf16 windows/s | speed-up | final loss "
             "fp32 | final loss bf16 | relative difference |",
             "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['estimator']} | {r['n_windows']} | {r['fp32_windows_per_s']:.0f} | "
                     f"{r['bf16_windows_per_s']:.0f} | {r['speedup']:.2f}x | "
                     f"{r['fp32_final_loss']:.4f} | {r['bf16_final_loss']:.4f} | "
                     f"{100 * r['loss_rel_diff']:.2f} % |")
    lines += ["", "Reproduce: `python -m benchmarks.precision`.", ""]
    (args.out / f"{stem}.md").write_text("\n".join(lines))
    print("\n".join(lines))
    return result


def _row(name, rates, losses, n):
    return {"estimator": name, "n_windows": n,
            "fp32_windows_per_s": round(rates["32"], 1),
            "bf16_windows_per_s": round(rates["bf16"], 1),
            "speedup": round(rates["bf16"] / rates["32"], 3),
            "fp32_final_loss": losses["32"], "bf16_final_loss": losses["bf16"],
            "loss_rel_diff": abs(losses["bf16"] - losses["32"]) / abs(losses["32"])}


if __name__ == "__main__":
    main()
