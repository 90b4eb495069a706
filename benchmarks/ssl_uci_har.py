"""Contrastive SSL on UCI-HAR (paper 001): SimCLR, dynamic temperature, baselines.

Usage::

    python -m benchmarks.ssl_uci_har --config full   # paper settings, for a GPU
    python -m benchmarks.ssl_uci_har --config cpu    # CPU budget (<= 35 min on 2 cores)
    python -m benchmarks.ssl_uci_har --config smoke  # seconds, checks the plumbing

Data: ``load_uci_har(protocol="ssl")`` (6 channels, 1 s windows at 30 Hz, 50 %
overlap, z-scored; test subjects 2, 3, 11, 14, 26, 30, validation 4, 10, 21,
24, 28, training the other 19). Pretraining uses training windows only (a
random subset of them in the cpu/smoke configs); the validation split is not
used (no model selection is done). Protocols:

- ``linear``: frozen encoder, multinomial logistic regression on standardised
  features (all training labels; lbfgs capped at ``lr_max_iter`` iterations),
  macro F1 on the test split;
- ``mlp``: frozen encoder, the paper's MLP head (256-128, dropout 0.2, Adam);
  for the supervised transformer: its own end-to-end prediction (Table II "ST");
- ``semi-supervised``: k in 1, 2, 5, 10, 25, 50, 100 labelled training windows
  per class, repeated draws, mean macro F1 with a Student-t 95 % interval
  (half-width); frozen encoders get the linear head, the supervised
  transformer is trained end to end on each draw;
- ``subject-cv``: GroupKFold over all 30 subjects, pretraining and head refitted
  on the training folds (Table III).

Writes ``benchmarks/results/ssl_uci_har{,_<config>}.md/.json/.png`` (the cpu
config writes the unsuffixed files).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import platform
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import torch
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning
from sklearn.pipeline import Pipeline
from threadpoolctl import threadpool_limits

from benchmarks._common import RESULTS
from sktime_har.datasets import load_uci_har
from sktime_har.evaluation import (
    MLPHeadClassifier,
    linear_evaluation,
    make_head,
    random_encoder,
    semi_supervised_evaluation,
    subject_cross_validation,
)
from sktime_har.ssl import ConvAutoencoder, DynamicTemperatureSSL, SimCLREncoder
from sktime_har.supervised import TransformerClassifier
from sktime_har.utils._torch import resolve_device

SEED = 0

PAPER_ENCODER = dict(conv_channels=(32, 64, 128), kernel_size=3, n_layers=8, n_heads=8,
                     dim_feedforward=256, dropout=0.1, pooling="flatten")
CONFIGS = {
    # paper settings (Section IV-B): for a GPU
    "full": dict(encoder=PAPER_ENCODER, pretrain_windows=None, epochs=200, lr=1e-4,
                 ae_epochs=50, ae_latent=256, sup_epochs=200, sup_lr=1e-4,
                 mlp_epochs=50, mlp_lr=1e-4, k_values=(1, 2, 5, 10, 25, 50, 100),
                 repeats=10, sup_repeats=10, sup_semi_epochs=200, sup_semi_min_steps=0,
                 cv_folds=5, cv_windows=None, cv_epochs=200, lr_max_iter=1000, threads=None),
    # CPU budget: smaller encoder, pretraining subset, few epochs, 10x the paper's lr
    # (LARS moves each tensor by lr * its norm per step, so 1e-4 barely moves it in
    # a few hundred steps)
    "cpu": dict(encoder=dict(conv_channels=(16, 32, 64), kernel_size=3, n_layers=2, n_heads=4,
                             dim_feedforward=128, dropout=0.1, pooling="flatten"),
                pretrain_windows=6000, epochs=15, lr=1e-3, ae_epochs=10, ae_latent=256,
                sup_epochs=15, sup_lr=1e-3, mlp_epochs=10, mlp_lr=1e-3,
                k_values=(1, 2, 5, 10, 25, 50, 100), repeats=10, sup_repeats=3,
                sup_semi_epochs=15, sup_semi_min_steps=150, cv_folds=5, cv_windows=2500,
                cv_epochs=4, lr_max_iter=200, threads=1),
    "smoke": dict(encoder=dict(conv_channels=(4, 8, 8), kernel_size=3, n_layers=1, n_heads=1,
                               dim_feedforward=16, dropout=0.1, pooling="flatten"),
                  pretrain_windows=300, epochs=1, lr=1e-3, ae_epochs=1, ae_latent=16,
                  sup_epochs=1, sup_lr=1e-3, mlp_epochs=1, mlp_lr=1e-3, k_values=(1, 5),
                  repeats=2, sup_repeats=2, sup_semi_epochs=1, sup_semi_min_steps=2, cv_folds=2,
                  cv_windows=300, cv_epochs=1, lr_max_iter=50, threads=1),
}

# paper 001, UCI-HAR column (macro F1 in %); Fig. 6 gives the semi-supervised curve
# only as a plot
PAPER = {
    ("supervised transformer", "mlp"): (95.26, "Table II (ST)"),
    ("CAE", "mlp"): (80.26, "Table II (CAE [6])"),
    ("SimCLR (cosine)", "mlp"): (91.14, "Table II (CSSHAR)"),
    ("SimCLR (angular)", "mlp"): (92.4, "Table I (AS)"),
    ("dynamic temperature", "mlp"): (93.00, "Tables I/II (DT)"),
    ("SimCLR (cosine)", "subject-cv"): (89.67, "Table III (CSSHAR)"),
    ("dynamic temperature", "subject-cv"): (90.21, "Table III (DT)"),
}


def subset(X, y, n, seed):
    if n is None or n >= len(X):
        return X, y
    idx = np.sort(np.random.default_rng(seed).choice(len(X), size=n, replace=False))
    return X[idx], y[idx]


def ssl_estimators(cfg, device, epochs=None):
    shared = dict(**cfg["encoder"], lr=cfg["lr"], max_epochs=epochs or cfg["epochs"],
                  device=device, random_state=SEED)
    ae = ConvAutoencoder(conv_channels=cfg["encoder"]["conv_channels"], latent_dim=cfg["ae_latent"],
                         max_epochs=cfg["ae_epochs"], device=device, random_state=SEED)
    return {
        "SimCLR (cosine)": SimCLREncoder(similarity="cosine", **shared),
        "SimCLR (angular)": SimCLREncoder(similarity="angular", **shared),
        "dynamic temperature": DynamicTemperatureSSL(autoencoder=ae, **shared),
    }


def mlp_head(cfg, device):
    return MLPHeadClassifier(lr=cfg["mlp_lr"], max_epochs=cfg["mlp_epochs"], min_steps=0,
                             device=device, random_state=SEED)


def row(method, protocol, k, f1, ci95, wall_s):
    return {"method": method, "protocol": protocol, "k": k, "f1": float(f1),
            "ci95": None if ci95 is None or np.isnan(ci95) else float(ci95),
            "wall_s": round(float(wall_s), 2)}


def log(msg):
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def run(config: str) -> dict:
    cfg = CONFIGS[config]
    if cfg["threads"]:
        torch.set_num_threads(cfg["threads"])
    device = str(resolve_device("auto"))
    start_all = time.perf_counter()
    X_tr, y_tr, g_tr = load_uci_har(protocol="ssl", subset="train", return_X_y=True,
                                    return_groups=True)
    X_va, y_va, g_va = load_uci_har(protocol="ssl", subset="val", return_X_y=True,
                                    return_groups=True)
    X_te, y_te, g_te = load_uci_har(protocol="ssl", subset="test", return_X_y=True,
                                    return_groups=True)
    X_pre, y_pre = subset(X_tr, y_tr, cfg["pretrain_windows"], SEED)
    log(f"data: train {X_tr.shape}, test {X_te.shape}, pretraining on {len(X_pre)} windows")
    rows, pretraining, fitted = [], {}, {}

    # ---- pretraining (and the supervised transformer)
    for name, est in ssl_estimators(cfg, device).items():
        t0 = time.perf_counter()
        est.fit(X_pre)
        wall = time.perf_counter() - t0
        info = {"wall_s": round(wall, 1), "epochs": est.max_epochs, "n_windows": len(X_pre)}
        if name == "dynamic temperature":
            ae_hist = est.autoencoder_.history_
            ae_wall = float(sum(e["dur"] for e in ae_hist))
            info["autoencoder_wall_s"] = round(ae_wall, 1)
            wall -= ae_wall
        info["windows_per_s"] = round(len(X_pre) * est.max_epochs / wall, 1)
        info["final_loss"] = float(est.loss_history_[-1])
        pretraining[name] = info
        fitted[name] = est
        log(f"pretrained {name}: {info}")
    fitted["CAE"] = fitted["dynamic temperature"].autoencoder_
    pretraining["CAE"] = {"wall_s": pretraining["dynamic temperature"]["autoencoder_wall_s"],
                          "epochs": cfg["ae_epochs"], "n_windows": len(X_pre)}
    pretraining["CAE"]["windows_per_s"] = round(
        len(X_pre) * cfg["ae_epochs"] / max(pretraining["CAE"]["wall_s"], 0.1), 1)
    fitted["random encoder"] = random_encoder(fitted["SimCLR (cosine)"]).fit(X_pre)

    sup = TransformerClassifier(**cfg["encoder"], lr=cfg["sup_lr"], max_epochs=cfg["sup_epochs"],
                                device=device, random_state=SEED)
    X_sup, y_sup = X_pre, y_pre  # same windows as pretraining, with their labels
    t0 = time.perf_counter()
    sup.fit(X_sup, y_sup)
    wall = time.perf_counter() - t0
    pretraining["supervised transformer"] = {
        "wall_s": round(wall, 1), "epochs": cfg["sup_epochs"], "n_windows": len(X_sup),
        "windows_per_s": round(len(X_sup) * cfg["sup_epochs"] / wall, 1)}
    from sklearn.metrics import f1_score

    f1 = f1_score(y_te, sup.predict(X_te), average="macro")
    rows.append(row("supervised transformer", "mlp", None, f1, None, wall))
    log(f"supervised transformer: F1 {f1:.4f} ({wall:.0f} s)")

    # ---- linear and MLP evaluation of frozen encoders (all training labels)
    features = {}
    for name in ["SimCLR (cosine)", "SimCLR (angular)", "dynamic temperature", "random encoder",
                 "CAE"]:
        t0 = time.perf_counter()
        F_tr, F_te = fitted[name].transform(X_tr), fitted[name].transform(X_te)
        feat_wall = time.perf_counter() - t0
        features[name] = (F_tr, F_te)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            lin = linear_evaluation(
                None, F_tr, y_tr, F_te, y_te,
                head=make_head("linear", SEED, max_iter=cfg["lr_max_iter"]))
        rows.append(row(name, "linear", None, lin["f1"], None, lin["wall_s"] + feat_wall))
        mlp = linear_evaluation(None, F_tr, y_tr, F_te, y_te, head=mlp_head(cfg, device))
        rows.append(row(name, "mlp", None, mlp["f1"], None, mlp["wall_s"] + feat_wall))
        log(f"{name}: linear F1 {lin['f1']:.4f}, mlp F1 {mlp['f1']:.4f}")

    # ---- semi-supervised curve
    curves = {}
    for name in ["dynamic temperature", "SimCLR (cosine)", "random encoder"]:
        F_tr, F_te = features[name]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            curve = semi_supervised_evaluation(
                make_head("linear", max_iter=cfg["lr_max_iter"]), F_tr, y_tr, F_te, y_te,
                k_values=cfg["k_values"], n_repeats=cfg["repeats"], random_state=SEED)
        curves[name] = curve
        rows += [row(name, "semi-supervised", r["k"], r["f1"], r["ci95"], r["wall_s"])
                 for r in curve]
        log(f"semi-supervised {name}: " + ", ".join(f"k={r['k']}: {r['f1']:.3f}" for r in curve))
    # end to end on each draw; tiny labelled sets get more epochs so that every k
    # trains for at least sup_semi_min_steps optimiser steps
    curve = []
    n_classes = len(np.unique(y_tr))
    for k in cfg["k_values"]:
        batches = -(-k * n_classes // sup.batch_size)
        epochs = max(cfg["sup_semi_epochs"], -(-cfg["sup_semi_min_steps"] // batches))
        curve += semi_supervised_evaluation(
            clone(sup).set_params(max_epochs=epochs), X_tr, y_tr, X_te, y_te, k_values=(k,),
            n_repeats=cfg["sup_repeats"], random_state=SEED + k)
    curves["supervised transformer"] = curve
    rows += [row("supervised transformer", "semi-supervised", r["k"], r["f1"], r["ci95"],
                 r["wall_s"]) for r in curve]
    log("semi-supervised supervised transformer: "
        + ", ".join(f"k={r['k']}: {r['f1']:.3f}" for r in curve))

    # ---- subject-wise cross-validation over all 30 subjects (Table III)
    X_all = np.concatenate([X_tr, X_va, X_te])
    y_all = np.concatenate([y_tr, y_va, y_te])
    g_all = np.concatenate([g_tr, g_va, g_te])
    idx = np.arange(len(X_all))
    if cfg["cv_windows"] is not None:
        idx = np.sort(np.random.default_rng(SEED).choice(len(X_all), cfg["cv_windows"],
                                                         replace=False))
    cv_estimators = ssl_estimators(cfg, device, epochs=cfg["cv_epochs"])
    for name in ["dynamic temperature", "SimCLR (cosine)"]:
        head = make_head("linear", SEED, max_iter=cfg["lr_max_iter"])
        pipe = Pipeline([("ssl", cv_estimators[name]), ("head", head)])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            res = subject_cross_validation(pipe, X_all[idx], y_all[idx], g_all[idx],
                                           n_splits=cfg["cv_folds"])
        rows.append(row(name, "subject-cv", None, res["f1"], res["ci95"], res["wall_s"]))
        log(f"subject-cv {name}: {res['f1']:.4f} +- {res['ci95']:.4f} ({res['wall_s']:.0f} s)")

    return {
        "config": config,
        "device": device,
        "device_name": (torch.cuda.get_device_name() if device.startswith("cuda")
                        else f"CPU ({platform.processor() or platform.machine()}), "
                             f"{torch.get_num_threads()} torch thread(s)"),
        "torch": torch.__version__,
        "python": sys.version.split()[0],
        "settings": {k: (list(v) if isinstance(v, tuple) else v) for k, v in cfg.items()},
        "n_windows": {"train": len(X_tr), "val": len(X_va), "test": len(X_te),
                      "pretraining": len(X_pre), "subject_cv": int(len(idx))},
        "pretraining": pretraining,
        "total_wall_s": round(time.perf_counter() - start_all, 1),
        "rows": rows,
        "semi_supervised_curves": curves,
    }


def paper_figure(method, protocol):
    fig = PAPER.get((method, protocol))
    return f"{fig[0]:.2f} ({fig[1]})" if fig else ""


def write_markdown(result: dict, path: Path, png_name: str) -> None:
    r = result
    lines = [
        f"# Contrastive SSL on UCI-HAR (paper 001), config `{r['config']}`",
        "",
        f"Device: {r['device_name']} (`{r['device']}`), torch {r['torch']}, python "
        f"{r['python']}. Total wall time {r['total_wall_s'] / 60:.1f} min.",
        "",
        f"Windows: train {r['n_windows']['train']}, val {r['n_windows']['val']} (unused), "
        f"test {r['n_windows']['test']}; pretraining on {r['n_windows']['pretraining']} training "
        f"windows; subject-wise CV on {r['n_windows']['subject_cv']} windows of all 30 subjects.",
        "",
        "Settings: `" + json.dumps(r["settings"]) + "`",
        "",
        "F1 is macro F1 on the test subjects (2, 3, 11, 14, 26, 30) in %. `linear`: logistic "
        "regression on standardised frozen features; `mlp`: the paper's MLP head on frozen "
        "features (supervised transformer: its own end-to-end head). Paper figures are from "
        "Tables I-III of paper 001 (UCI-HAR column) and were obtained with the full settings "
        "on a GPU; they belong beside the `mlp` rows (the paper's fine-tuning head).",
        "",
        "## Representation learning (all training labels)",
        "",
        "| method | protocol | F1 (%) | paper F1 (%) | wall (s) |",
        "|---|---|---|---|---|",
    ]
    for x in r["rows"]:
        if x["protocol"] in ("linear", "mlp"):
            lines.append(f"| {x['method']} | {x['protocol']} | {100 * x['f1']:.2f} | "
                         f"{paper_figure(x['method'], x['protocol'])} | {x['wall_s']:.0f} |")
    lines += ["", "## Subject-wise cross-validation (Table III)", "",
              "| method | folds | F1 (%) mean +- 95 % CI (t) | paper F1 (%) | wall (s) |",
              "|---|---|---|---|---|"]
    for x in r["rows"]:
        if x["protocol"] == "subject-cv":
            ci = "" if x["ci95"] is None else f" +- {100 * x['ci95']:.2f}"
            lines.append(f"| {x['method']} | {r['settings']['cv_folds']} | {100 * x['f1']:.2f}{ci}"
                         f" | {paper_figure(x['method'], 'subject-cv')} | {x['wall_s']:.0f} |")
    lines += ["", "## Semi-supervised (k labelled training windows per class)", "",
              "Mean macro F1 (%) +- half-width of the Student-t 95 % interval over repeated "
              "draws. Frozen encoders: logistic-regression head; supervised transformer: "
              "trained end to end on each draw. Paper: Fig. 6 (plot only, no numbers in the "
              "text; DT above CSSHAR and ST, by >= 10 points at k = 100 on UCI-HAR).", "",
              f"![semi-supervised curve]({png_name})", ""]
    ks = r["settings"]["k_values"]
    lines.append("| method | " + " | ".join(f"k={k}" for k in ks) + " |")
    lines.append("|---" * (len(ks) + 1) + "|")
    for name, curve in r["semi_supervised_curves"].items():
        cells = [f"{100 * c['f1']:.1f} +- {100 * c['ci95']:.1f}" if c["ci95"] == c["ci95"]
                 else f"{100 * c['f1']:.1f}" for c in curve]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += ["", "## Pretraining", "", "| method | windows | epochs | wall (s) | windows/s |",
              "|---|---|---|---|---|"]
    for name, p in r["pretraining"].items():
        lines.append(f"| {name} | {p['n_windows']} | {p['epochs']} | {p['wall_s']} | "
                     f"{p['windows_per_s']} |")
    lines += ["", "Windows/s counts windows per second of training (each contrastive window "
              "gives two views); dynamic temperature excludes its autoencoder (row CAE)."]
    path.write_text("\n".join(lines) + "\n")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", choices=sorted(CONFIGS), default="cpu")
    args = parser.parse_args(argv)
    threads = CONFIGS[args.config]["threads"]
    # one BLAS/torch thread on a shared CPU: oversubscribed threads run several times slower
    with threadpool_limits(threads) if threads else contextlib.nullcontext():
        result = run(args.config)
    RESULTS.mkdir(parents=True, exist_ok=True)
    stem = "ssl_uci_har" if args.config == "cpu" else f"ssl_uci_har_{args.config}"
    curves = result["semi_supervised_curves"]
    result["semi_supervised_curves"] = {
        m: [{k: v for k, v in c.items() if k != "wall_s"} for c in curve]
        for m, curve in curves.items()}
    (RESULTS / f"{stem}.json").write_text(json.dumps(result, indent=1))
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from sktime_har.plotting import plot_semi_supervised

    ax = plot_semi_supervised(result["semi_supervised_curves"],
                              title=f"UCI-HAR semi-supervised ({args.config} config)")
    ax.figure.tight_layout()
    ax.figure.savefig(RESULTS / f"{stem}.png", dpi=120)
    plt.close(ax.figure)
    write_markdown(result, RESULTS / f"{stem}.md", f"{stem}.png")
    log(f"wrote {RESULTS / stem}.md/.json/.png")


if __name__ == "__main__":
    main()
