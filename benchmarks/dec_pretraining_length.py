"""How the DEC / IDEC autoencoder's embedding clusters as its pretraining runs longer.

Usage::

    python -m benchmarks.dec_pretraining_length                 # seeds 0-2, up to 100 epochs
    python -m benchmarks.dec_pretraining_length --config smoke  # plumbing only

In ``dsc_uci_har.py`` the DEC and IDEC rows start from k-means on the
embedding of a fully connected autoencoder pretrained on the flattened
windows (the ``cpu`` config: d-250-250-1000-10, Adam 1e-3, 60 epochs). Those
rows sit well below the paper's DEC / IDEC figures (about 35 % against 50 %
ACC). This study pretrains the same autoencoder (``DEC(refine=False)``) for
1 to 100 epochs at a constant learning rate, and once with the ``cpu``
config's own schedule, and scores k-means on the training embeddings. It also
reports k-means on the flattened windows and on their first
``embedding_dim`` principal components, and how many of the three postures'
windows (sitting, standing, laying) share a single cluster. Labels only score;
nothing is chosen by them, and the benchmark's config is unchanged.

Writes ``benchmarks/results/dec_pretraining_length.{md,json}``.
"""

from __future__ import annotations

import os
import platform
import time
from pathlib import Path

import numpy as np
import torch
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from threadpoolctl import threadpool_limits

from benchmarks import dsc_uci_har as table2
from sktime_har.clustering import DEC

EPOCH_MARKS = (1, 2, 5, 10, 20, 40, 60, 100)
# sitting, standing, laying in load_uci_har's 0-based targets
POSTURES = (3, 4, 5)


def postures_in_one_cluster(y_true, labels, postures=POSTURES) -> float:
    """Largest share of the posture windows that one cluster holds.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True activity of each window.
    labels : array-like of shape (n_samples,)
        Cluster of each window.
    postures : tuple of int, default=(3, 4, 5)
        Targets of the static activities (sitting, standing, laying).

    Returns
    -------
    share : float
        ``1.0`` when every posture window lands in the same cluster; at most
        about ``1/3`` when the three postures get clusters of their own.

    Examples
    --------
    >>> postures_in_one_cluster([3, 4, 5, 0], [1, 1, 2, 0])
    0.6666666666666666
    """
    y_true, labels = np.asarray(y_true), np.asarray(labels)
    static = np.isin(y_true, postures)
    if not static.any():
        raise ValueError(f"no window has a posture target {postures}.")
    _, counts = np.unique(labels[static], return_counts=True)
    return float(counts.max() / static.sum())


def clustering_row(name, seed, y, labels, **extra) -> dict:
    """One result row, in % (the column names are the docs table's headers)."""
    acc, nmi = table2.scores(y, labels)
    return {"embedding": name, "seed": seed, "ACC": round(100 * acc, 2),
            "NMI": round(100 * nmi, 2),
            "postures in one cluster": round(100 * postures_in_one_cluster(y, labels), 1),
            **extra}


def seed_rows(seed, cfg, marks, X_train, y_train) -> list[dict]:
    """k-means on the raw windows, on PCA, and on the autoencoder after each epoch count."""
    flat = X_train.reshape(len(X_train), -1)
    dense, shared = cfg["dense"], cfg["shared"]

    def kmeans(Z):
        return KMeans(table2.N_CLUSTERS, n_init=20, random_state=seed).fit_predict(Z)

    rows = [clustering_row("raw windows", seed, y_train, kmeans(flat)),
            clustering_row(f"PCA ({dense['embedding_dim']} components)", seed, y_train,
                           kmeans(PCA(dense["embedding_dim"], random_state=seed)
                                  .fit_transform(flat)))]
    schedules = [(epochs, None) for epochs in marks]
    schedules.append((shared["pretrain_epochs"], shared["lr_decay_epoch"]))
    for i, (epochs, decay) in enumerate(schedules):
        t = time.perf_counter()
        # DEC(refine=False).labels_ is k-means (n_init=20, seeded) on the embeddings
        ae = DEC(n_clusters=table2.N_CLUSTERS, device="cpu", random_state=seed,
                 hidden_sizes=dense["hidden_sizes"], embedding_dim=dense["embedding_dim"],
                 lr=shared["lr"], batch_size=shared["batch_size"], pretrain_epochs=epochs,
                 lr_decay_epoch=decay, init="kmeans", refine=False).fit(X_train)
        name = f"autoencoder, {epochs} epoch{'s' if epochs > 1 else ''}"
        if i == len(schedules) - 1:
            name += ", the config's schedule" + (f" (lr x0.1 after {decay})" if decay else "")
        rows.append(clustering_row(name, seed, y_train, ae.labels_, **{
            "epochs": epochs, "lr decay epoch": decay,
            "final loss": round(ae.pretrain_loss_history_[-1], 4),
            "pretrain s": round(time.perf_counter() - t, 1)}))
    return rows


def write_markdown(path: Path, result: dict) -> None:
    lines = [
        f"# {result['title']}",
        "",
        f"{result['description']} Device: {result['device']} ({result['threads']} torch "
        f"thread(s)); torch {result['torch']}. Total wall time "
        f"{result['total_wall_s'] / 60:.1f} min.",
        "",
        "Training-split k-means (20 inits) ACC / NMI (%), and the largest share of the "
        "sitting, standing and laying windows in one cluster (100 % = the three postures "
        "merged).",
        "",
        "| embedding | seed | ACC | NMI | postures in one cluster | final loss |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for row in result["rows"]:
        loss = f"{row['final loss']:.3f}" if "final loss" in row else "--"
        lines.append(f"| {row['embedding']} | {row['seed']} | {row['ACC']:.2f} | "
                     f"{row['NMI']:.2f} | {row['postures in one cluster']:.1f} | {loss} |")
    paper = result["paper"]
    lines += ["", f"Paper (Table 2, UCI HAR train): DEC {paper['DEC']['ACC']:.2f} %, "
              f"IDEC {paper['IDEC']['ACC']:.2f} % ACC.", "",
              f"Reproduce: `{result['command']}`.", ""]
    path.write_text("\n".join(lines))


def main(argv=None) -> dict:
    args, cfg, threads = table2.study_setup(argv, __doc__.split("\n")[0], [0, 1, 2], 100)
    marks = sorted({m for m in EPOCH_MARKS if m <= args.epochs} | {args.epochs})
    start = time.perf_counter()
    X_train, y_train, _, _ = table2.load_standardised(cfg)

    rows = []
    with threadpool_limits(threads):
        for seed in args.seeds:
            rows += seed_rows(seed, cfg, marks, X_train, y_train)
            print(f"seed {seed}: " + "; ".join(f"{r['embedding']} {r['ACC']:.2f}"
                                               for r in rows if r["seed"] == seed), flush=True)

    dense = cfg["dense"]
    result = {
        "title": "DEC / IDEC autoencoder: k-means on its embedding by pretraining length",
        "description": (
            f"The dense autoencoder of the DEC and IDEC rows of `dsc_uci_har.py` (config "
            f"**{args.config}**: d-{'-'.join(map(str, dense['hidden_sizes']))}-"
            f"{dense['embedding_dim']}, Adam lr {cfg['shared']['lr']}, batch "
            f"{cfg['shared']['batch_size']}) pretrained on the {len(X_train)} UCI-HAR `dsc` "
            f"training windows (flattened, channels standardised) for each number of epochs "
            f"at a constant learning rate, and once with the config's own schedule."),
        "config": args.config,
        "max_epochs": args.epochs,
        "device": f"cpu ({platform.machine()}, {os.cpu_count()} cores, shared)",
        "threads": threads,
        "torch": torch.__version__,
        "command": (f"python -m benchmarks.dec_pretraining_length --config {args.config} "
                    f"--seeds {' '.join(map(str, args.seeds))} --epochs {args.epochs}"),
        "rows": rows,
        # Table 2, UCI HAR train split, in %
        "paper": {name: {"ACC": round(100 * table2.PAPER[(name, "end-to-end")]["train"][0], 2)}
                  for name in ("DEC", "IDEC")},
        "total_wall_s": round(time.perf_counter() - start, 1),
    }
    table2.save_study(args, "dec_pretraining_length", result, write_markdown,
                      result["total_wall_s"])
    return result


if __name__ == "__main__":
    main()
