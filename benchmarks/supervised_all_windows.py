"""The supervised transformer on every UCI-HAR training window, against MiniRocket + ridge.

Usage::

    python -m benchmarks.supervised_all_windows          # ~20 min on one CPU thread
    python -m benchmarks.supervised_all_windows --smoke  # plumbing only
    python -m benchmarks.supervised_all_windows --seeds 0 1 2 3 4 \
        --select-epochs 5 10 15 20 25 30 35 40   # ~40 min: epoch on validation, ensemble

A lever for the all-labels comparison: ``ssl_uci_har.py``'s cpu config trains
the supervised transformer on the same random 6,000 of the 18,015 training
windows it pretrains on, for 15 epochs. This run keeps that config's encoder
and learning rate and changes only the data (all 18,015 labelled training
windows) and the budget (``--epochs``, 40, the budget of
``ssl_all_windows.py``), both fixed before the run; nothing is chosen on the
validation or test subjects. It reports macro F1 on the validation subjects
and on the test subjects, beside MiniRocket + ridge (``peers_ssl_uci_har.json``)
and the paper. Writes ``benchmarks/results/supervised_all_windows.{md,json}``.

``--seeds`` trains one model per seed and also reports their soft-voting
ensemble (the mean of the models' class probabilities, as scikit-learn's
``VotingClassifier(voting="soft")``). ``--select-epochs`` keeps each model's
weights after the listed epochs (training for the largest) and picks the epoch
with the best **validation-subject** F1 of the ensemble (of the single model
with one seed); the test subjects are scored only at that epoch. Results go to
``supervised_all_windows_selected.{md,json}``. ``--lr-schedule cosine`` anneals
the learning rate to zero over the epochs (``_cosine`` is appended).
``--augmentations jitter scaling`` trains on augmented batches
(``TransformerClassifier(augmentations=...)``; the names are appended).
``--encoder wide`` trains the paper's convolution widths and model width
(32-64-128, d_model 128, 8 heads, feed-forward 256) at the cpu config's two
layers instead of the cpu encoder (``_wide`` is appended); ``paper`` is the
paper's eight layers (a GPU job). ``--save-models DIR`` also writes each
fitted model and its kept weights to ``DIR/seed<k>.pt``, for
``supervised_ensemble.py`` (ensembles over seeds of several runs and over kept
epochs, chosen on the validation subjects).
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
from sklearn.metrics import f1_score
from threadpoolctl import threadpool_limits

from benchmarks._common import LR_SCHEDULES, RESULTS, lr_schedule, save_fitted, weight_snapshots
from benchmarks.ssl_all_windows import ENCODERS, LR, SEED, encoder_text, linear_f1
from sktime_har.datasets import load_uci_har
from sktime_har.supervised import TransformerClassifier

PEER = "MiniRocket + ridge (sktime)"
PAPER_F1 = 95.26  # paper 001, Table II (ST), UCI-HAR


def fit_models(seeds, epochs, select, X, y, threads, schedule="constant", augmentations=(),
               encoder="cpu"):
    """One transformer per seed, and per seed the weights kept after each ``select`` epoch."""
    models, snapshots = [], []
    with threadpool_limits(threads):
        for seed in seeds:
            callbacks, kept = weight_snapshots(select) if select else ([], {})
            model = TransformerClassifier(**ENCODERS[encoder], lr=LR, max_epochs=epochs,
                                          device="cpu", random_state=seed, verbose=1,
                                          augmentations=tuple(augmentations),
                                          callbacks=[*lr_schedule(schedule, epochs), *callbacks])
            models.append(model.fit(X, y))
            snapshots.append(kept)
    return models, snapshots


def probabilities(models, snapshots, epoch, X, threads) -> list[np.ndarray]:
    """Each model's class probabilities on ``X`` with its weights after ``epoch``."""
    out = []
    with threadpool_limits(threads):
        for model, kept in zip(models, snapshots, strict=True):
            if epoch is not None:
                model.module_.load_state_dict(kept[epoch])
            out.append(model.predict_proba(X))
    return out


def save_models(directory: Path, seeds, models, snapshots, args) -> None:
    """Each fitted model with its kept weights and the run's flags, one file per seed."""
    for seed, model, kept in zip(seeds, models, snapshots, strict=True):
        save_fitted(directory / f"seed{seed}.pt", model, kept, seed=seed,
                    augmentations=list(args.augmentations), lr_schedule=args.lr_schedule,
                    encoder=args.encoder, smoke=args.smoke)


def macro_f1(model, y, proba) -> float:
    return float(f1_score(y, model.classes_[np.argmax(proba, axis=1)], average="macro"))


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, default=40)
    parser.add_argument("--seeds", type=int, nargs="+", default=[SEED])
    parser.add_argument("--select-epochs", type=int, nargs="+", default=None,
                        help="keep the weights after these epochs and pick one on the "
                             "validation subjects; trains for the largest")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--smoke", action="store_true")
    parser.add_argument("--lr-schedule", choices=LR_SCHEDULES, default="constant",
                        help="cosine: anneal the learning rate to zero over the epochs")
    parser.add_argument("--augmentations", nargs="+", default=[],
                        help="augment every training batch (sktime_har.augment.Augmenter "
                             "names, e.g. jitter scaling)")
    parser.add_argument("--encoder", choices=sorted(ENCODERS), default="cpu",
                        help="wide: the paper's widths at two layers; paper: its eight layers")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--save-models", type=Path, default=None,
                        help="write each fitted model and its kept weights to DIR/seed<k>.pt")
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    start = time.perf_counter()
    data = {subset: load_uci_har(protocol="ssl", subset=subset, return_X_y=True)
            for subset in ("train", "val", "test")}
    select = sorted(set(args.select_epochs)) if args.select_epochs else None
    epochs = select[-1] if select else args.epochs
    if args.smoke:
        data = {k: (X[::30], y[::30]) for k, (X, y) in data.items()}
        epochs, select = (2, [1, 2]) if select else (1, None)
    X_tr, y_tr = data["train"]
    print(f"training {len(args.seeds)} model(s) on {len(X_tr)} windows for {epochs} epochs",
          flush=True)
    t = time.perf_counter()
    models, snapshots = fit_models(args.seeds, epochs, select, X_tr, y_tr, args.threads,
                                   args.lr_schedule, args.augmentations, args.encoder)
    train_s = time.perf_counter() - t
    if args.save_models is not None:
        save_models(args.save_models, args.seeds, models, snapshots, args)
    X_va, y_va = data["val"]
    validation = []
    for epoch in select or [None]:
        proba = probabilities(models, snapshots, epoch, X_va, args.threads)
        validation.append({"epoch": epoch or epochs,
                           "single_f1": [macro_f1(models[0], y_va, p) for p in proba],
                           "ensemble_f1": macro_f1(models[0], y_va, np.mean(proba, axis=0))})
        print(f"epoch {epoch or epochs}: validation {validation[-1]}", flush=True)
    key = "ensemble_f1" if len(models) > 1 else "single_f1"
    chosen = max(validation, key=lambda r: r[key] if key == "ensemble_f1" else r[key][0])
    X_te, y_te = data["test"]
    proba = probabilities(models, snapshots, chosen["epoch"] if select else None, X_te,
                          args.threads)
    single = [macro_f1(models[0], y_te, p) for p in proba]
    ensemble = macro_f1(models[0], y_te, np.mean(proba, axis=0))
    best = ensemble if len(models) > 1 else single[0]
    peer = linear_f1("peers_ssl_uci_har.json", PEER)
    cpu_config = next(r["f1"] for r in json.loads((RESULTS / "ssl_uci_har.json").read_text())
                      ["rows"] if r["method"] == "supervised transformer" and r["k"] is None)
    result = {
        "device": f"cpu ({platform.machine()}, {os.cpu_count()} cores, shared)",
        "threads": args.threads, "torch": torch.__version__, "smoke": args.smoke,
        "settings": {"encoder": {**ENCODERS[args.encoder],
                                 "conv_channels": list(ENCODERS[args.encoder]["conv_channels"])},
                     "encoder_name": args.encoder,
                     "lr": LR, "epochs": epochs, "train_windows": len(X_tr),
                     "seeds": args.seeds, "select_epochs": select,
                     "lr_schedule": args.lr_schedule,
                     "augmentations": list(args.augmentations)},
        "train_wall_s": round(train_s, 1),
        "final_loss": [float(m.loss_history_[-1]) for m in models],
        "validation": validation, "chosen_epoch": chosen["epoch"],
        "val_f1": chosen[key] if key == "ensemble_f1" else chosen[key][0],
        "test_f1_single": single, "test_f1_ensemble": ensemble if len(models) > 1 else None,
        "test_f1": best,
        "cpu_config_test_f1": cpu_config, "peer": PEER, "peer_test_f1": peer,
        "paper_test_f1": PAPER_F1 / 100,
        "target_met": best >= peer,
        "total_wall_s": round(time.perf_counter() - start, 1),
    }
    stem = ("supervised_all_windows" + ("_selected" if select or len(models) > 1 else "")
            + ("" if args.lr_schedule == "constant" else f"_{args.lr_schedule}")
            + "".join(f"_{name}" for name in args.augmentations)
            + ("" if args.encoder == "cpu" else f"_{args.encoder}")
            + ("_smoke" if args.smoke else ""))
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"{stem}.json").write_text(json.dumps(result, indent=2) + "\n")
    (args.out / f"{stem}.md").write_text(report(result, args, len(X_tr)))
    print(report(result, args, len(X_tr)))
    return result


def report(result: dict, args, n_train: int) -> str:
    """The Markdown page of one run."""
    seeds, settings = result["settings"]["seeds"], result["settings"]
    single = result["test_f1_single"]
    lines = [
        "# The supervised transformer on every training window",
        "",
        f"{result['device']}, {args.threads} torch thread(s); {n_train:,} labelled training "
        f"windows, {settings['epochs']} epochs, {len(seeds)} model(s) (seeds "
        f"{', '.join(map(str, seeds))}), {result['train_wall_s'] / 60:.1f} min of training "
        f"(total {result['total_wall_s'] / 60:.1f} min). "
        + encoder_text(settings.get("encoder_name", "cpu"))
        + (" and" if settings.get("encoder_name", "cpu") == "cpu" else ",")
        + " lr as `ssl_uci_har.py --config cpu` (6,000 windows, 15 epochs there); "
        "budget fixed before the run; "
        f"learning rate {settings.get('lr_schedule', 'constant')}; training batches "
        + (f"augmented with {', '.join(settings['augmentations'])}."
           if settings.get("augmentations") else "not augmented."),
        "",
    ]
    if settings["select_epochs"]:
        lines += ["Validation subjects, macro F1 % after each kept epoch (the test subjects are "
                  "scored only at the chosen epoch):", "",
                  "| epoch | " + " | ".join(f"seed {s}" for s in seeds)
                  + (" | ensemble |" if len(seeds) > 1 else " |"),
                  "|---|" + "---:|" * (len(seeds) + (len(seeds) > 1))]
        for r in result["validation"]:
            cells = [f"{100 * f:.2f}" for f in r["single_f1"]]
            if len(seeds) > 1:
                cells.append(f"{100 * r['ensemble_f1']:.2f}")
            lines.append(f"| {r['epoch']} | " + " | ".join(cells) + " |")
        lines += ["", f"Chosen epoch: {result['chosen_epoch']}.", ""]
    lines += ["| model | validation subjects | test subjects |", "|---|---:|---:|"]
    if len(seeds) > 1:
        lines.append(f"| soft-voting ensemble of {len(seeds)} transformers, this run | "
                     f"{100 * result['val_f1']:.2f} | {100 * result['test_f1_ensemble']:.2f} |")
        lines.append(f"| single transformers, this run, mean (range) | - | "
                     f"{100 * np.mean(single):.2f} ({100 * min(single):.2f}-"
                     f"{100 * max(single):.2f}) |")
    else:
        lines.append(f"| supervised transformer, this run | {100 * result['val_f1']:.2f} | "
                     f"{100 * single[0]:.2f} |")
    lines += [
        f"| supervised transformer, cpu config | - | {100 * result['cpu_config_test_f1']:.2f} |",
        f"| {PEER} | - | {100 * result['peer_test_f1']:.2f} |",
        f"| paper (Table II, ST) | - | {PAPER_F1:.2f} |",
        "",
        f"Macro F1 in %. Target (at or above {PEER}): "
        f"{'met' if result['target_met'] else 'NOT met'}.",
        "",
    ]
    flags = ""
    if len(seeds) > 1 or seeds != [SEED]:
        flags += " --seeds " + " ".join(map(str, seeds))
    if settings["select_epochs"]:
        flags += " --select-epochs " + " ".join(map(str, settings["select_epochs"]))
    if settings.get("lr_schedule", "constant") != "constant":
        flags += f" --lr-schedule {settings['lr_schedule']}"
    if settings.get("augmentations"):
        flags += " --augmentations " + " ".join(settings["augmentations"])
    if settings.get("encoder_name", "cpu") != "cpu":
        flags += f" --encoder {settings['encoder_name']}"
    lines += [f"Reproduce: `python -m benchmarks.supervised_all_windows{flags}`.", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
