"""MiniRocket + ridge under the occlusion protocols of ``benchmarks/explain_uci_har.py``.

Usage::

    OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 NUMBA_NUM_THREADS=1 \\
        python -m benchmarks.peers_explain_uci_har             # cpu config, one thread
    python -m benchmarks.peers_explain_uci_har --config smoke  # checks the plumbing

The peer rows of the inspection benchmark (paper 004), without retraining its
encoders: the same windows (``load_uci_har(protocol="ssl")``, the config's
training and test subsets drawn by ``explain_uci_har.subsample`` with the same
seeds), the same masks and the same scorer:

- Table 2: ``ChannelOcclusion(group="acc" | "gyro", random_state=0)`` as the
  first Pipeline step (``explain_uci_har.with_mask``), so the sensor is replaced
  by N(0, 1) noise in training and test; macro F1 on the test windows;
- Figure 2 / Table 4: ``OcclusionScorer(n_repeats=..., random_state=0).evaluate``
  with k = 0..5 random channels masked at test time on the unmasked model (the
  same masks the library's models get), per-activity recall drops.

Model: sktime's ``MiniRocketMultivariate(random_state=0)`` (via
:class:`_peers.MiniRocketFeatures`), standardised features, scikit-learn
``RidgeClassifierCV`` over ``ALPHAS`` (alpha by leave-one-out on the training
windows: this benchmark has no validation split). Writes
``benchmarks/results/peers_explain_uci_har{,_smoke}.{json,md}``.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
from sklearn.linear_model import RidgeClassifierCV
from sklearn.metrics import f1_score
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from benchmarks import _common, _peers
from benchmarks import explain_uci_har as explain
from benchmarks.peers_ssl_uci_har import ALPHAS
from sktime_har.datasets import load_uci_har
from sktime_har.inspection import OcclusionScorer

SEED = explain.SEED
METHOD = "MiniRocket + ridge (sktime)"


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def make_model() -> Pipeline:
    return Pipeline([("rocket", _peers.MiniRocketFeatures(random_state=SEED)),
                     ("scale", StandardScaler()),
                     ("clf", RidgeClassifierCV(alphas=ALPHAS))])


def run(config: str) -> dict:
    cfg = explain.CONFIGS[config]
    threads = _common.one_thread()
    started = time.perf_counter()
    train = load_uci_har(protocol="ssl", subset="train")
    test = load_uci_har(protocol="ssl", subset="test")
    names = np.asarray(train.target_names)
    tr = explain.subsample(len(train.data), cfg["train_windows"], SEED)
    te = explain.subsample(len(test.data), cfg["test_windows"], SEED + 1)
    X_train, y_train = train.data[tr], names[train.target[tr]]
    X_test, y_test = test.data[te], names[test.target[te]]
    data_s = time.perf_counter() - started
    log(f"data: {len(X_train)} train / {len(X_test)} test windows; {threads} thread")

    table2, model_none = [], None
    for mask in ("none", "acc", "gyro"):
        t = time.perf_counter()
        model = explain.with_mask(make_model(), mask).fit(X_train, y_train)
        f1 = f1_score(y_test, model.predict(X_test), average="macro")
        wall = time.perf_counter() - t
        alpha = float(model.named_steps["clf"].alpha_)
        table2.append({"method": METHOD, "mask": mask, "f1": float(f1), "alpha": alpha,
                       "wall_s": round(wall, 1)})
        if mask == "none":
            model_none = model
        log(f"Table 2 mask={mask:4s} F1={f1:.4f} alpha={alpha:.4g} ({wall:.0f} s)")

    t = time.perf_counter()
    scorer = OcclusionScorer(n_repeats=cfg["repeats"], random_state=SEED)
    report = scorer.evaluate(model_none, X_test, y_test, n_masked=range(0, 6))
    curve_s = time.perf_counter() - t
    log("occlusion " + " ".join(f"k={k}:{v:.3f}" for k, v in
                                zip(report.n_masked, report.mean, strict=True))
        + f" ({curve_s:.0f} s)")
    return {
        "title": "MiniRocket + ridge under occlusion on UCI-HAR (ssl protocol)",
        "config": config, "device": _common.cpu_device(), "threads": threads,
        "versions": _common.versions(),
        "n_windows": {"train": len(X_train), "test": len(X_test)},
        "settings": {"train_windows": cfg["train_windows"], "test_windows": cfg["test_windows"],
                     "repeats": cfg["repeats"], "ridge_alphas": [round(a, 6) for a in ALPHAS],
                     "minirocket_random_state": SEED},
        "wall_s": {"data": round(data_s, 1),
                   "table2_training": round(sum(r["wall_s"] for r in table2), 1),
                   "occlusion_curve": round(curve_s, 1),
                   "total": round(time.perf_counter() - started, 1)},
        "table2": table2,
        "occlusion_curve": {METHOD: report.to_dict()},
    }


def write_markdown(result: dict, path: Path) -> None:
    r = result
    curve = r["occlusion_curve"][METHOD]
    lines = [
        "# MiniRocket + ridge under occlusion on UCI-HAR (beside paper 004)",
        "",
        f"Config **{r['config']}** (the windows of `benchmarks/explain_uci_har.py --config "
        f"{r['config']}`: {r['n_windows']['train']} train / {r['n_windows']['test']} test). "
        f"Device: {r['device']}. Packages: "
        + ", ".join(f"{k} {v}" for k, v in r["versions"].items()) + ". "
        f"Wall time (s): `{json.dumps(r['wall_s'])}`.",
        "",
        "## Table 2: train+test occlusion (macro F1 on test, %)",
        "",
        "| mask | F1 | ridge alpha (LOO on train) | wall (s) |",
        "|---|---:|---:|---:|",
    ]
    for x in r["table2"]:
        lines.append(f"| {x['mask']} | {100 * x['f1']:.2f} | {x['alpha']:.4g} | "
                     f"{x['wall_s']:.0f} |")
    lines += ["", f"## Figure 2: test-time occlusion of k random channels "
              f"({r['settings']['repeats']} seeds; macro F1 %, mean +- 95 % CI half-width)", "",
              "| k | F1 |", "|---|---|"]
    for k, m, c in zip(curve["n_masked"], curve["mean"], curve["ci95"], strict=True):
        lines.append(f"| {k} | {100 * m:.2f} +- {100 * c:.2f} |")
    lines += ["", "## Table 4: per-activity recall drop (points, signed)", "",
              "| activity | 0->1 | 1->2 |", "|---|---:|---:|"]
    for i, a in enumerate(curve["classes"]):
        lines.append(f"| {a} | {100 * curve['recall_drop']['0->1'][i]:.1f} | "
                     f"{100 * curve['recall_drop']['1->2'][i]:.1f} |")
    lines += ["", f"Reproduce: `OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 NUMBA_NUM_THREADS=1 "
              f"python -m benchmarks.peers_explain_uci_har --config {r['config']}`.", ""]
    path.write_text("\n".join(lines))


def main(argv=None) -> dict:
    return _peers.peer_command_line(argv, __doc__.splitlines()[0], "peers_explain_uci_har", run,
                                    write_markdown)


if __name__ == "__main__":
    main()
