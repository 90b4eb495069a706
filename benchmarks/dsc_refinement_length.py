"""How long should Deep Sensory Clustering refine? ACC and NMI per refinement epoch.

Usage::

    python -m benchmarks.dsc_refinement_length                # seeds 0 and 1, 60 epochs
    python -m benchmarks.dsc_refinement_length --seeds 0 1 2 --epochs 60
    python -m benchmarks.dsc_refinement_length --config smoke  # plumbing only

The ``cpu`` configuration of ``dsc_uci_har.py`` caps stage II at 20 epochs, and its
Ward-init runs reach that cap before the paper's stopping rule (fewer than
``tol`` = 0.1 % of the hard assignments change between two epochs) fires. This
study reruns exactly those models (the same config, seeds and thread count, so
the same pretrained networks and the same first 20 refinement epochs) with a
higher cap and records, after every refinement epoch, the training-split ACC and
NMI, the fraction of changed assignments, and where the ``tol`` rule stops.
It only describes the trajectory: labels are used for scoring, never to choose
anything.

Writes ``benchmarks/results/dsc_refinement_length.{md,json}``.
"""

from __future__ import annotations

import copy
import os
import platform
import time
from pathlib import Path

import numpy as np
import torch
from skorch.callbacks import Callback
from threadpoolctl import threadpool_limits

from benchmarks import dsc_uci_har as table2
from sktime_har._training._clustering_callbacks import soft_assignments
from sktime_har.clustering import DeepSensoryClustering


class AssignmentRecorder(Callback):
    """Hands ``sink`` the hard assignments before refinement and after each of its epochs.

    The estimator copies its callbacks for every stage, so results leave through
    ``sink`` (a function such as ``list.append``, which a copy shares), not attributes.
    """

    def __init__(self, sink):
        self.sink = sink

    def _record(self, net):
        if net.stage == "refinement":
            q = soft_assignments(net.module_, self.windows_, batch_size=1024)
            self.sink(q.argmax(dim=1).cpu().numpy())

    def on_train_begin(self, net, X=None, y=None, **kwargs):
        self.windows_ = X["windows"] if isinstance(X, dict) else X
        self._record(net)

    def on_epoch_end(self, net, **kwargs):
        self._record(net)


def trajectory(seed, cfg, epochs, X_train, y_train, X_test, y_test, device) -> dict:
    shared = {**cfg["shared"], "max_refine_epochs": epochs}
    params = dict(n_clusters=table2.N_CLUSTERS, device=str(device), random_state=seed,
                  **shared, **cfg["dsc"])
    t = time.perf_counter()
    pretrained = DeepSensoryClustering(**params, init="ward", refine=False).fit(X_train)
    pretrain_s = time.perf_counter() - t
    start_acc, start_nmi = table2.scores(y_train, pretrained.labels_)

    # tol=0 runs every epoch; the tol rule is then read off the recorded changes
    dsc = copy.deepcopy(pretrained).set_params(refine=True, warm_start=True, tol=0.0)
    t = time.perf_counter()
    assignments: list[np.ndarray] = []  # [initial, after epoch 1, ...]
    dsc.set_params(callbacks=[AssignmentRecorder(assignments.append)]).fit(X_train)
    refine_s = time.perf_counter() - t

    # changed fraction as the estimator's tol rule sees it: against the assignments
    # before the epoch (the first epoch against the initial nearest-centroid ones)
    per_epoch = []
    for epoch in range(1, len(assignments)):
        labels, before = assignments[epoch], assignments[epoch - 1]
        acc, nmi = table2.scores(y_train, labels)
        per_epoch.append({"epoch": epoch, "acc": round(acc, 4), "nmi": round(nmi, 4),
                          "changed_fraction": round(float(np.mean(labels != before)), 5)})
    tol = cfg["shared"]["tol"]
    stop = next((e["epoch"] for e in per_epoch if e["changed_fraction"] < tol), None)
    test_acc, test_nmi = table2.scores(y_test, dsc.predict(X_test))
    return {
        "seed": seed,
        "pretrain_s": round(pretrain_s, 1),
        "refine_s": round(refine_s, 1),
        "ward_on_embeddings": {"acc": round(start_acc, 4), "nmi": round(start_nmi, 4)},
        "epochs": per_epoch,
        "tol": tol,
        "tol_stop_epoch": stop,
        "final_test": {"epoch": len(per_epoch), "acc": round(test_acc, 4),
                       "nmi": round(test_nmi, 4)},
    }


def write_markdown(path: Path, result: dict) -> None:
    lines = [
        "# Deep Sensory Clustering: refinement length on UCI-HAR",
        "",
        f"Config **{result['config']}** of `dsc_uci_har.py` with the refinement cap raised to "
        f"{result['max_epochs']} epochs (Ward init; `tol` rule read off, not applied). "
        f"Device: {result['device']} ({result['threads']} torch thread(s)); torch "
        f"{result['torch']}. Total wall time {result['total_wall_s'] / 60:.1f} min.",
        "",
        "Training-split ACC / NMI (%) after refinement epochs; epoch 0 is Ward on the "
        "pretrained embeddings. `tol stop` is the first epoch after which fewer than "
        f"{100 * result['runs'][0]['tol']:.1f} % of the assignments changed.",
        "",
    ]
    marks = sorted({m for m in result["report_epochs"] if m <= result["max_epochs"]})
    lines += ["| seed | " + " | ".join(f"epoch {m}" for m in [0, *marks])
              + " | tol stop | test at the last epoch |",
              "|---|" + "---:|" * (len(marks) + 3)]
    for run in result["runs"]:
        by_epoch = {e["epoch"]: e for e in run["epochs"]}
        cells = [f"{100 * run['ward_on_embeddings']['acc']:.2f} / "
                 f"{100 * run['ward_on_embeddings']['nmi']:.2f}"]
        cells += [f"{100 * by_epoch[m]['acc']:.2f} / {100 * by_epoch[m]['nmi']:.2f}"
                  if m in by_epoch else "--" for m in marks]
        stop = run["tol_stop_epoch"]
        cells.append("not reached" if stop is None else
                     f"epoch {stop}: {100 * by_epoch[stop]['acc']:.2f} ACC")
        cells.append(f"{100 * run['final_test']['acc']:.2f} / "
                     f"{100 * run['final_test']['nmi']:.2f}")
        lines.append(f"| {run['seed']} | " + " | ".join(cells) + " |")
    lines += ["", f"Reproduce: `python -m benchmarks.dsc_refinement_length --config "
              f"{result['config']} --seeds {' '.join(str(r['seed']) for r in result['runs'])} "
              f"--epochs {result['max_epochs']}`.", ""]
    path.write_text("\n".join(lines))


def main(argv=None) -> dict:
    args, cfg, threads = table2.study_setup(argv, __doc__.split("\n")[0], [0, 1], 60)
    device = torch.device("cpu")
    start = time.perf_counter()

    X_train, y_train, X_test, y_test = table2.load_standardised(cfg)

    runs = []
    with threadpool_limits(threads):
        for seed in args.seeds:
            run = trajectory(seed, cfg, args.epochs, X_train, y_train, X_test, y_test, device)
            last = run["epochs"][-1]
            print(f"seed {seed}: Ward {run['ward_on_embeddings']['acc']:.4f}, epoch "
                  f"{last['epoch']} ACC {last['acc']:.4f}, tol stop {run['tol_stop_epoch']}, "
                  f"refinement {run['refine_s']:.0f} s", flush=True)
            runs.append(run)

    result = {
        "title": "Deep Sensory Clustering: refinement length on UCI-HAR",
        "config": args.config,
        "max_epochs": args.epochs,
        "report_epochs": [1, 5, 10, 20, 30, 40, 60],
        "device": f"cpu ({platform.machine()}, {os.cpu_count()} cores, shared)",
        "threads": threads,
        "torch": torch.__version__,
        "runs": runs,
        "total_wall_s": round(time.perf_counter() - start, 1),
    }
    table2.save_study(args, "dsc_refinement_length", result, write_markdown, result["total_wall_s"])
    return result


if __name__ == "__main__":
    main()
