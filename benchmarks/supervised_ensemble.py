"""Ensembles of saved supervised transformers, chosen on the validation subjects.

Usage::

    python -m benchmarks.supervised_all_windows --seeds 0 1 2 3 4 \
        --select-epochs 20 25 30 35 40 45 50 55 60 --augmentations scaling \
        --save-models models/                       # ~60 min on one CPU thread
    python -m benchmarks.supervised_all_windows --seeds 5 6 7 8 9 ... --save-models models/
    python -m benchmarks.supervised_ensemble models/   # ~2 min

The lever for the all-labels comparison that costs no further training: a
transformer's validation F1 swings by one to three points from one kept epoch
to the next under a constant learning rate, so averaging the class
probabilities of several kept epochs (a snapshot ensemble) as well as of
several seeds smooths that out. This script reads every ``seed<k>.pt`` that
``supervised_all_windows.py --save-models`` wrote (the seeds may come from
several runs of the same flags, e.g. one per core) and scores two families of
soft-voting ensembles over all the seeds, fixed before any figure is seen:

- ``epoch e``: every seed's weights after epoch ``e`` (the ensemble that
  ``supervised_all_windows.py --select-epochs`` chooses among);
- ``epochs >= e``: every seed's weights after every kept epoch from ``e`` on.

The candidate with the best macro F1 on the **validation subjects** is the one
scored on the test subjects; no other candidate is scored there. Writes
``benchmarks/results/supervised_ensemble<flags>.{md,json}``.
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

from benchmarks._common import RESULTS
from benchmarks.ssl_all_windows import linear_f1
from benchmarks.supervised_all_windows import PAPER_F1, PEER
from sktime_har.datasets import load_uci_har


def load_runs(directory: Path) -> list[dict]:
    """The saved runs of one directory, by seed; all must share their training flags."""
    runs = [torch.load(path, weights_only=False)
            for path in sorted(directory.glob("seed*.pt"))]
    if not runs:
        raise ValueError(f"No seed<k>.pt files in {directory}; write them with "
                         "supervised_all_windows.py --save-models.")
    flags = {(tuple(r["augmentations"]), r["lr_schedule"], r.get("encoder", "cpu"), r["smoke"],
              tuple(sorted(r["snapshots"]))) for r in runs}
    if len(flags) != 1:
        raise ValueError(f"The runs in {directory} were trained with different flags: {flags}.")
    return sorted(runs, key=lambda r: r["seed"])


def snapshot_probabilities(runs, X) -> dict[tuple[int, int], np.ndarray]:
    """Class probabilities on ``X`` of every (seed, kept epoch)."""
    out = {}
    for run in runs:
        model = run["model"]
        for epoch, weights in sorted(run["snapshots"].items()):
            model.module_.load_state_dict(weights)
            out[run["seed"], epoch] = model.predict_proba(X)
    return out


def candidates(seeds, epochs) -> dict[str, list[tuple[int, int]]]:
    """The ensembles scored on validation: per kept epoch, and per tail of kept epochs."""
    out = {f"epoch {e}": [(s, e) for s in seeds] for e in epochs}
    out.update({f"epochs >= {e}": [(s, f) for s in seeds for f in epochs if f >= e]
                for e in epochs[:-1]})
    return out


def macro_f1(classes, y, proba) -> float:
    return float(f1_score(y, classes[np.argmax(proba, axis=1)], average="macro"))


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("models", type=Path, help="directory of seed<k>.pt files")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    start = time.perf_counter()
    runs = load_runs(args.models)
    seeds = [r["seed"] for r in runs]
    epochs = sorted(runs[0]["snapshots"])
    classes = runs[0]["model"].classes_
    smoke = runs[0]["smoke"]
    data = {subset: load_uci_har(protocol="ssl", subset=subset, return_X_y=True)
            for subset in ("val", "test")}
    if smoke:
        data = {k: (X[::30], y[::30]) for k, (X, y) in data.items()}
    with threadpool_limits(args.threads):
        X_va, y_va = data["val"]
        val_proba = snapshot_probabilities(runs, X_va)
        ensembles = candidates(seeds, epochs)
        validation = {name: macro_f1(classes, y_va, np.mean([val_proba[m] for m in members], 0))
                      for name, members in ensembles.items()}
        for name, f1 in validation.items():
            print(f"{name}: validation {100 * f1:.2f}", flush=True)
        chosen = max(validation, key=validation.get)
        members = ensembles[chosen]
        X_te, y_te = data["test"]
        chosen_runs = [dict(r, snapshots={e: w for e, w in r["snapshots"].items()
                                          if (r["seed"], e) in members}) for r in runs]
        test_proba = snapshot_probabilities(chosen_runs, X_te)
    test_f1 = macro_f1(classes, y_te, np.mean(list(test_proba.values()), 0))
    per_seed = [macro_f1(classes, y_te, np.mean([test_proba[m] for m in members if m[0] == s], 0))
                for s in seeds]
    peer = linear_f1("peers_ssl_uci_har.json", PEER)
    result = {
        "device": f"cpu ({platform.machine()}, {os.cpu_count()} cores, shared)",
        "threads": args.threads, "torch": torch.__version__, "smoke": smoke,
        "settings": {"seeds": seeds, "kept_epochs": epochs,
                     "train_windows": sum(b["train_batch_size"]
                                          for b in runs[0]["model"].history_[0]["batches"]),
                     "augmentations": runs[0]["augmentations"],
                     "lr_schedule": runs[0]["lr_schedule"],
                     "encoder": runs[0].get("encoder", "cpu")},
        # summed over the models: one thread each, whichever process trained them
        "train_wall_s": round(sum(float(np.sum(r["model"].history_[:, "dur"])) for r in runs), 1),
        "validation": validation, "chosen": chosen, "n_members": len(members),
        "val_f1": validation[chosen], "test_f1": test_f1, "test_f1_per_seed": per_seed,
        "peer": PEER, "peer_test_f1": peer, "paper_test_f1": PAPER_F1 / 100,
        "target_met": test_f1 >= peer,
        "total_wall_s": round(time.perf_counter() - start, 1),
    }
    settings = result["settings"]
    stem = ("supervised_ensemble" + "".join(f"_{a}" for a in settings["augmentations"])
            + ("" if settings["lr_schedule"] == "constant" else f"_{settings['lr_schedule']}")
            + ("" if settings["encoder"] == "cpu" else f"_{settings['encoder']}")
            + ("_smoke" if smoke else ""))
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"{stem}.json").write_text(json.dumps(result, indent=2) + "\n")
    (args.out / f"{stem}.md").write_text(report(result))
    print(report(result))
    return result


def report(result: dict) -> str:
    """The Markdown page of one ensemble choice."""
    settings, validation = result["settings"], result["validation"]
    augmented = settings["augmentations"]
    lines = [
        "# Ensembles of supervised transformers, chosen on the validation subjects",
        "",
        f"{result['device']}, {result['threads']} torch thread(s). {len(settings['seeds'])} "
        f"transformers (seeds {', '.join(map(str, settings['seeds']))}, encoder "
        f"`{settings.get('encoder', 'cpu')}`) trained by "
        "`supervised_all_windows.py` on every labelled training window, weights kept after "
        f"epochs {', '.join(map(str, settings['kept_epochs']))}; "
        f"{result['train_wall_s'] / 60:.1f} min of training summed over the models; learning rate "
        f"{settings['lr_schedule']}; training batches "
        + (f"augmented with {', '.join(augmented)}." if augmented else "not augmented."),
        "",
        "Soft-voting ensembles over every seed, macro F1 % on the validation subjects (the "
        "test subjects are scored only for the chosen one):",
        "",
        "| ensemble | validation |",
        "|---|---:|",
        *(f"| {name} | {100 * f1:.2f} |" for name, f1 in validation.items()),
        "",
        f"Chosen: **{result['chosen']}** ({result['n_members']} members).",
        "",
        "| model | validation subjects | test subjects |",
        "|---|---:|---:|",
        f"| chosen ensemble, this run | {100 * result['val_f1']:.2f} | "
        f"{100 * result['test_f1']:.2f} |",
        f"| the same ensemble per seed, mean (range) | - | "
        f"{100 * np.mean(result['test_f1_per_seed']):.2f} "
        f"({100 * min(result['test_f1_per_seed']):.2f}-"
        f"{100 * max(result['test_f1_per_seed']):.2f}) |",
        f"| {PEER} | - | {100 * result['peer_test_f1']:.2f} |",
        f"| paper (Table II, ST) | - | {PAPER_F1:.2f} |",
        "",
        f"Macro F1 in %. Target (at or above {PEER}): "
        f"{'met' if result['target_met'] else 'NOT met'}. Scoring took "
        f"{result['total_wall_s'] / 60:.1f} min.",
        "",
        "Reproduce: `python -m benchmarks.supervised_all_windows --seeds <seeds> "
        "--select-epochs " + " ".join(map(str, settings["kept_epochs"]))
        + (" --augmentations " + " ".join(augmented) if augmented else "")
        + ("" if settings.get("encoder", "cpu") == "cpu" else f" --encoder {settings['encoder']}")
        + " --save-models models/` (once per group of seeds), then "
        "`python -m benchmarks.supervised_ensemble models/`.",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
