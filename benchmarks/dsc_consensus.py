"""A consensus of several DSC seeds on UCI-HAR (``ConsensusClustering``), against each seed.

Usage::

    python -m benchmarks.dsc_consensus --config cpu-long --members 3   # ~1.5 h, 1 thread
    python -m benchmarks.dsc_consensus --config smoke --members 2     # plumbing only

Deep Sensory Clustering (Ward init, refined) is fitted with seeds
``seed .. seed + members - 1`` by ``ConsensusClustering``; its consensus (Ward
on the members' co-association) needs no labels, so no seed is picked. Rows:
each member's train / test ACC and NMI, their mean, and the consensus;
beside them the soft-DTW k-means peer (mean of seeds 0-2 from
``peers_dsc_uci_har.json``). Split rules as in ``dsc_uci_har``: train =
``fit_predict`` on the training windows, test = ``predict`` on the held-out
subjects. Writes ``benchmarks/results/dsc_consensus_<config>.{md,json}``.
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
from threadpoolctl import threadpool_limits

from benchmarks._common import RESULTS
from benchmarks.dsc_uci_har import CONFIGS, N_CLUSTERS, PAPER, load_standardised, scores
from sktime_har.clustering import ConsensusClustering, DeepSensoryClustering

PEER = "soft-DTW k-means (tslearn)"


def peer_means(path: Path) -> dict:
    """The soft-DTW k-means peer's train / test means over its seeds (empty if not run)."""
    if not path.exists():
        return {}
    summary = json.loads(path.read_text())["summary"]
    return {r["split"]: {"acc": r["acc"], "nmi": r["nmi"], "seeds": r["seeds"]}
            for r in summary if r["method"] == PEER}


def row(name, split, y_true, y_pred, wall_s, seed=None) -> dict:
    acc, nmi = scores(y_true, y_pred)
    out = {"method": name, "split": split, "acc": round(acc, 4), "nmi": round(nmi, 4),
           "wall_s": round(float(wall_s), 1)}
    if seed is not None:
        out["seed"] = seed
    print(f"  {name:<28s} {split:<5s} ACC {acc:.4f}  NMI {nmi:.4f}  {wall_s:8.1f} s", flush=True)
    return out


def write_markdown(path: Path, result: dict) -> None:
    paper = result["paper"]
    lines = [
        "# A consensus of Deep Sensory Clustering seeds on UCI-HAR",
        "",
        f"Config **{result['config']}** ({result['config_description']}); members: DSC (Ward "
        f"init) with seeds {result['member_seeds']}, fitted one after another by "
        f"`ConsensusClustering(n_members={len(result['member_seeds'])})`. Device: "
        f"{result['device']} ({result['threads']} torch thread(s)); torch {result['torch']}, "
        f"python {result['python']}. Total wall time {result['total_wall_s'] / 60:.1f} min.",
        "",
        "Data: `load_uci_har(protocol=\"dsc\")`, "
        f"{result['n_train']} train / {result['n_test']} test windows, channels standardised "
        "with training statistics. Train = `fit_predict` on the training windows; test = "
        "`predict` on the held-out subjects. No labels are used by the consensus (no seed is "
        "picked); ACC (Hungarian) and NMI in %. A member's wall time is its own fit; the "
        "consensus's is every member's fit plus the Ward step.",
        "",
        "| method | split | ACC | NMI | wall s |",
        "|---|---|---:|---:|---:|",
    ]
    for r in result["rows"]:
        lines.append(f"| {r['method']} | {r['split']} | {100 * r['acc']:.2f} | "
                     f"{100 * r['nmi']:.2f} | {r['wall_s']:.1f} |")
    for split in ("train", "test"):
        lines.append(f"| paper (DSC, Ward init) | {split} | {100 * paper[split]['acc']:.2f} | "
                     f"{100 * paper[split]['nmi']:.2f} | |")
    for split, p in result["peer"].items():
        lines.append(f"| {PEER}, mean of seeds {p['seeds']} | {split} | {100 * p['acc']:.2f} | "
                     f"{100 * p['nmi']:.2f} | |")
    lines += ["", "Pairwise agreement of the members' training labels (adjusted Rand index, "
              "label-free):", ""]
    for seed, agreement in zip(result["member_seeds"], result["agreement"], strict=True):
        lines.append(f"- seed {seed}: " + ", ".join(f"{a:.3f}" for a in agreement))
    lines += ["", "## Targets", ""]
    for t in result["targets"]:
        lines.append(f"- {t['name']}: {'met' if t['met'] else 'NOT met'} ({t['detail']})")
    lines += ["", f"Reproduce: `python -m benchmarks.dsc_consensus --config {result['config']} "
              f"--members {len(result['member_seeds'])} --threads {result['threads']}`.", ""]
    path.write_text("\n".join(lines))


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--config", choices=["cpu", "cpu-long", "smoke"], default="cpu-long")
    parser.add_argument("--members", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0, help="the first member's seed")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--verbose", type=int, default=0)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    cfg = CONFIGS[args.config]
    torch.set_num_threads(args.threads)  # seeded results depend on the thread count
    start = time.perf_counter()
    X_train, y_train, X_test, y_test = load_standardised(cfg)
    print(f"UCI-HAR dsc: train {X_train.shape}, test {X_test.shape}; config {args.config}, "
          f"{args.members} members, {args.threads} thread(s)", flush=True)

    member = DeepSensoryClustering(n_clusters=N_CLUSTERS, device="cpu", init="ward",
                                   verbose=args.verbose, **cfg["shared"], **cfg["dsc"])
    consensus = ConsensusClustering(member, n_members=args.members, random_state=args.seed)
    with threadpool_limits(args.threads):
        t = time.perf_counter()
        consensus.fit(X_train)
        fit_s = time.perf_counter() - t
        rows = []
        for m, seed, member_s in zip(consensus.members_, consensus.member_seeds_,
                                     consensus.member_fit_seconds_, strict=True):
            rows.append(row(f"DSC (Ward init), seed {seed}", "train", y_train, m.labels_,
                            member_s, seed))
            t = time.perf_counter()
            rows.append(row(f"DSC (Ward init), seed {seed}", "test", y_test, m.predict(X_test),
                            time.perf_counter() - t, seed))
        for split in ("train", "test"):
            split_rows = [r for r in rows if r["split"] == split]
            rows.append({"method": "DSC (Ward init), mean of the members", "split": split,
                         "acc": round(float(np.mean([r["acc"] for r in split_rows])), 4),
                         "nmi": round(float(np.mean([r["nmi"] for r in split_rows])), 4),
                         "wall_s": round(float(np.mean([r["wall_s"] for r in split_rows])), 1)})
        name = f"ConsensusClustering of {args.members} DSC seeds"
        rows.append(row(name, "train", y_train, consensus.labels_, fit_s))
        t = time.perf_counter()
        rows.append(row(name, "test", y_test, consensus.predict(X_test),
                        time.perf_counter() - t))

    peer = peer_means(RESULTS / "peers_dsc_uci_har.json")
    ours = {r["split"]: r for r in rows if r["method"] == name}
    mean = {r["split"]: r for r in rows if r["method"].endswith("mean of the members")}
    targets = [
        {"name": "consensus train ACC and NMI above the members' mean",
         "met": ours["train"]["acc"] > mean["train"]["acc"]
         and ours["train"]["nmi"] > mean["train"]["nmi"],
         "detail": f"{ours['train']['acc']:.4f} / {ours['train']['nmi']:.4f} vs "
                   f"{mean['train']['acc']:.4f} / {mean['train']['nmi']:.4f}"},
    ]
    if "train" in peer:
        targets.append(
            {"name": f"consensus train ACC and NMI above {PEER} (mean of its seeds)",
             "met": ours["train"]["acc"] > peer["train"]["acc"]
             and ours["train"]["nmi"] > peer["train"]["nmi"],
             "detail": f"{ours['train']['acc']:.4f} / {ours['train']['nmi']:.4f} vs "
                       f"{peer['train']['acc']:.4f} / {peer['train']['nmi']:.4f}"})
    paper = PAPER[("DSC (Ward init)", "end-to-end")]
    result = {
        "config": args.config,
        "config_description": cfg["description"],
        "member_seeds": consensus.member_seeds_,
        "device": f"cpu ({platform.machine()}, {os.cpu_count()} cores, shared)",
        "threads": torch.get_num_threads(),
        "torch": torch.__version__,
        "python": platform.python_version(),
        "n_train": len(X_train),
        "n_test": len(X_test),
        "hyperparameters": {"shared": cfg["shared"], "dsc": cfg["dsc"]},
        "rows": rows,
        "agreement": np.round(consensus.agreement_, 4).tolist(),
        "paper": {split: {"acc": a, "nmi": n} for split, (a, n) in paper.items()},
        "peer": peer,
        "targets": targets,
        "total_wall_s": round(time.perf_counter() - start, 1),
    }
    args.out.mkdir(parents=True, exist_ok=True)
    stem = f"dsc_consensus_{args.config}"
    (args.out / f"{stem}.json").write_text(json.dumps(result, indent=2) + "\n")
    write_markdown(args.out / f"{stem}.md", result)
    for t in targets:
        print(f"target {t['name']}: {'met' if t['met'] else 'NOT met'} ({t['detail']})")
    print(f"total {result['total_wall_s'] / 60:.1f} min; wrote {args.out / stem}.{{md,json}}")
    return result


if __name__ == "__main__":
    main()
