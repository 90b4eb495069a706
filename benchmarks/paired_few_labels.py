"""Paired few-label comparison of a saved dynamic-temperature run with every MiniRocket head.

Usage::

    python -m benchmarks.paired_few_labels --model dt_wide.pt \\
        --result ssl_all_windows_selected_wide_tuned        # a few minutes, one thread

Takes a run saved by ``ssl_all_windows --save-model`` and its committed
results file, loads the chosen epoch's weights, scores the semi-supervised
curve again exactly as the run did (the same heads, the same draws), checks it
reproduces the committed curve, and writes per k the mean paired difference
(library - peer) of the per-draw macro F1 against every peer curve of
``peers_ssl_uci_har.json`` and ``peers_ssl_uci_har_tuned.json`` (the same
draws), its Student-t 95 % interval and the draws the library wins. Writes
``benchmarks/results/paired_<result>.{json,md}``.
"""

from __future__ import annotations

import argparse
import json
import time
import warnings
from pathlib import Path

import numpy as np
import torch
from sklearn.exceptions import ConvergenceWarning
from threadpoolctl import threadpool_limits

from benchmarks import _common
from benchmarks._common import RESULTS
from benchmarks.ssl_all_windows import LR_MAX_ITER, tuned_linear_curve
from sktime_har.datasets import load_uci_har
from sktime_har.evaluation import make_head, mean_confidence_interval, semi_supervised_evaluation

PEER_FILES = ("peers_ssl_uci_har", "peers_ssl_uci_har_tuned")
#: the largest difference from the committed curve still counted as the same curve
REPRODUCE_ATOL = 1e-6


def paired_rows(library: list[dict], peer: list[dict]) -> list[dict]:
    """Per k shared by both curves: mean of (library - peer) per draw, t interval, wins."""
    other = {c["k"]: c["scores"] for c in peer}
    rows = []
    for c in library:
        if c["k"] not in other:
            continue
        if len(other[c["k"]]) != len(c["scores"]):
            raise ValueError(f"k={c['k']}: {len(c['scores'])} library draws but "
                             f"{len(other[c['k']])} peer draws; the curves are not paired")
        diff = np.asarray(c["scores"]) - np.asarray(other[c["k"]])
        mean, half = mean_confidence_interval(diff)
        rows.append({"k": c["k"], "mean_diff": float(mean), "ci95": float(half),
                     "library_wins": int((diff > 0).sum()), "n": len(diff)})
    return rows


def rescore(model_path: Path, result: dict) -> list[dict]:
    """The run's semi-supervised curve, scored again from its saved weights."""
    saved = torch.load(model_path, weights_only=False)
    st = result["settings"]
    if saved["encoder"] != st["encoder_name"] or saved["augmentations"] != st["augmentations"]:
        raise ValueError(f"{model_path} ({saved['encoder']} encoder, views "
                         f"{saved['augmentations']}) is not the run of the results file "
                         f"({st['encoder_name']}, {st['augmentations']})")
    model = saved["model"]
    model.module_.load_state_dict(saved["snapshots"][result["selected"]["epoch"]])
    data = {name: load_uci_har(protocol="ssl", subset=name, return_X_y=True)
            for name in ("train", "val", "test")}
    F = {name: model.transform(X) for name, (X, _) in data.items()}
    y = {name: np.asarray(labels) for name, (_, labels) in data.items()}
    draws = dict(k_values=[c["k"] for c in result["semi_supervised"]],
                 n_repeats=st["repeats"], random_state=st["draw_seed"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        if st.get("tuned_heads"):
            return tuned_linear_curve(F["train"], y["train"], F["val"], y["val"], F["test"],
                                      y["test"], **draws)
        return semi_supervised_evaluation(make_head("linear", max_iter=LR_MAX_ITER),
                                          F["train"], y["train"], F["test"], y["test"],
                                          **draws)


def write_markdown(out: dict, path: Path) -> None:
    ks = [c["k"] for c in out["library"]]
    lines = [f"# Paired few-label comparison: `{out['result']}` against MiniRocket", "",
             f"{out['device']}, {out['wall_s'] / 60:.1f} min. The run's curve "
             f"scored again from its saved weights (epoch {out['epoch']}): largest difference "
             f"from the committed curve {out['max_abs_diff']:.1e}. Per k: mean of (library - "
             "peer) macro F1 over the same draws, points, +- Student-t 95 % half-width; in "
             "brackets the draws the library wins.", "",
             *_common.k_table_header(["peer"], ks)]
    for peer, rows in out["paired"].items():
        by_k = {r["k"]: r for r in rows}
        lines.append(f"| {peer} | " + " | ".join(
            f"{100 * by_k[k]['mean_diff']:+.1f} +- {100 * by_k[k]['ci95']:.1f} "
            f"({by_k[k]['library_wins']}/{by_k[k]['n']})" if k in by_k else "-"
            for k in ks) + " |")
    lines += ["", f"Reproduce: `python -m benchmarks.paired_few_labels --model MODEL.pt "
              f"--result {out['result']}`.", ""]
    path.write_text("\n".join(lines))


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, required=True,
                        help="the file ssl_all_windows --save-model wrote")
    parser.add_argument("--result", required=True,
                        help="its results file's stem in benchmarks/results")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    start = time.perf_counter()
    result = json.loads((RESULTS / f"{args.result}.json").read_text())
    with threadpool_limits(1):
        curve = rescore(args.model, result)
    max_diff = max(abs(c["f1"] - r["f1"]) for c, r in zip(curve, result["semi_supervised"],
                                                          strict=True))
    if max_diff > REPRODUCE_ATOL:
        raise RuntimeError(f"the saved run does not reproduce {args.result}: its curve differs "
                           f"by up to {max_diff:.2e}")
    library = [{"k": c["k"], "f1": float(c["f1"]), "scores": [float(s) for s in c["scores"]]}
               for c in curve]
    paired = {}
    for name in PEER_FILES:
        path = RESULTS / f"{name}.json"
        if path.exists():
            for peer, peer_curve in json.loads(path.read_text())[
                    "semi_supervised_curves"].items():
                paired[peer] = paired_rows(library, peer_curve)
    out = {"result": args.result, "epoch": result["selected"]["epoch"],
           "draw_seed": result["settings"]["draw_seed"],
           "device": _common.cpu_device(), "max_abs_diff": float(max_diff),
           "wall_s": round(time.perf_counter() - start, 1), "library": library,
           "paired": paired}
    args.out.mkdir(parents=True, exist_ok=True)
    stem = f"paired_{args.result}"
    (args.out / f"{stem}.json").write_text(json.dumps(out, indent=1) + "\n")
    write_markdown(out, args.out / f"{stem}.md")
    print((args.out / f"{stem}.md").read_text())
    return out


if __name__ == "__main__":
    main()
