"""The supervised transformer on every UCI-HAR training window, against MiniRocket + ridge.

Usage::

    python -m benchmarks.supervised_all_windows          # ~20 min on one CPU thread
    python -m benchmarks.supervised_all_windows --smoke  # plumbing only

A lever for the all-labels comparison: ``ssl_uci_har.py``'s cpu config trains
the supervised transformer on the same random 6,000 of the 18,015 training
windows it pretrains on, for 15 epochs. This run keeps that config's encoder
and learning rate and changes only the data (all 18,015 labelled training
windows) and the budget (``--epochs``, 40, the budget of
``ssl_all_windows.py``), both fixed before the run; nothing is chosen on the
validation or test subjects. It reports macro F1 on the validation subjects
and on the test subjects, beside MiniRocket + ridge (``peers_ssl_uci_har.json``)
and the paper. Writes ``benchmarks/results/supervised_all_windows.{md,json}``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from pathlib import Path

import torch
from sklearn.metrics import f1_score
from threadpoolctl import threadpool_limits

from benchmarks._common import RESULTS
from benchmarks.ssl_all_windows import ENCODER, LR, SEED, linear_f1
from sktime_har.datasets import load_uci_har
from sktime_har.supervised import TransformerClassifier

PEER = "MiniRocket + ridge (sktime)"
PAPER_F1 = 95.26  # paper 001, Table II (ST), UCI-HAR


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, default=40)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--smoke", action="store_true")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    start = time.perf_counter()
    data = {subset: load_uci_har(protocol="ssl", subset=subset, return_X_y=True)
            for subset in ("train", "val", "test")}
    epochs = args.epochs
    if args.smoke:
        data = {k: (X[::30], y[::30]) for k, (X, y) in data.items()}
        epochs = 1
    X_tr, y_tr = data["train"]
    print(f"training on {len(X_tr)} windows for {epochs} epochs", flush=True)
    with threadpool_limits(args.threads):
        model = TransformerClassifier(**ENCODER, lr=LR, max_epochs=epochs, device="cpu",
                                      random_state=SEED, verbose=1)
        t = time.perf_counter()
        model.fit(X_tr, y_tr)
        train_s = time.perf_counter() - t
        f1 = {subset: float(f1_score(data[subset][1], model.predict(data[subset][0]),
                                     average="macro")) for subset in ("val", "test")}
    peer = linear_f1("peers_ssl_uci_har.json", PEER)
    cpu_config = next(r["f1"] for r in json.loads((RESULTS / "ssl_uci_har.json").read_text())
                      ["rows"] if r["method"] == "supervised transformer" and r["k"] is None)
    result = {
        "device": f"cpu ({platform.machine()}, {os.cpu_count()} cores, shared)",
        "threads": args.threads, "torch": torch.__version__, "smoke": args.smoke,
        "settings": {"encoder": {**ENCODER, "conv_channels": list(ENCODER["conv_channels"])},
                     "lr": LR, "epochs": epochs, "train_windows": len(X_tr), "seed": SEED},
        "train_wall_s": round(train_s, 1),
        "final_loss": float(model.loss_history_[-1]),
        "val_f1": f1["val"], "test_f1": f1["test"],
        "cpu_config_test_f1": cpu_config, "peer": PEER, "peer_test_f1": peer,
        "paper_test_f1": PAPER_F1 / 100,
        "target_met": f1["test"] >= peer,
        "total_wall_s": round(time.perf_counter() - start, 1),
    }
    stem = "supervised_all_windows" + ("_smoke" if args.smoke else "")
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"{stem}.json").write_text(json.dumps(result, indent=2) + "\n")
    lines = [
        "# The supervised transformer on every training window",
        "",
        f"{result['device']}, {args.threads} torch thread(s); {len(X_tr):,} labelled training "
        f"windows, {epochs} epochs, {train_s / 60:.1f} min (total "
        f"{result['total_wall_s'] / 60:.1f} min). Encoder and lr as `ssl_uci_har.py --config "
        "cpu` (6,000 windows, 15 epochs there); budget fixed before the run.",
        "",
        "| model | validation subjects | test subjects |",
        "|---|---:|---:|",
        f"| supervised transformer, this run | {100 * f1['val']:.2f} | {100 * f1['test']:.2f} |",
        f"| supervised transformer, cpu config | - | {100 * cpu_config:.2f} |",
        f"| {PEER} | - | {100 * peer:.2f} |",
        f"| paper (Table II, ST) | - | {PAPER_F1:.2f} |",
        "",
        f"Macro F1 in %. Target (at or above {PEER}): "
        f"{'met' if result['target_met'] else 'NOT met'}.",
        "",
        "Reproduce: `python -m benchmarks.supervised_all_windows`.",
        "",
    ]
    (args.out / f"{stem}.md").write_text("\n".join(lines))
    print("\n".join(lines))
    return result


if __name__ == "__main__":
    main()
