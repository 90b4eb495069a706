"""Dynamic temperature pretrained on every UCI-HAR training window, against MiniRocket.

Usage::

    python -m benchmarks.ssl_all_windows            # ~45 min on one CPU thread
    python -m benchmarks.ssl_all_windows --unlabelled  # also the unlabelled stretches, ~45 min
    python -m benchmarks.ssl_all_windows --smoke    # a minute; checks the plumbing only

A lever for the few-label comparison with MiniRocket: ``ssl_uci_har.py``'s cpu
config pretrains on a random 6,000 of the 18,015 training windows for 15
epochs. This run keeps that config's encoder, learning rate and autoencoder and
changes only the data and the budget, both fixed before the run: all 18,015
training windows, ``--epochs`` (40) contrastive epochs. Nothing is chosen on
the validation or test subjects. It reports linear evaluation with all labels
and the semi-supervised curve on exactly the draws of ``ssl_uci_har.py``
(``semi_supervised_evaluation(..., random_state=0)``), so the curve pairs with
the committed MiniRocket + logistic regression curve of
``peers_ssl_uci_har.json``, and the paired difference per k is written next
to it.

``--unlabelled`` adds what self-supervision is for and the labelled layout
leaves out: the windows of the training subjects' recordings outside the
six activities (unlabelled stretches and postural transitions,
``load_uci_har_raw``), windowed, resampled and standardised exactly as the
``ssl`` layout (50-sample windows, 25-sample step, 30 samples, the labelled
training windows' channel statistics). Evaluation uses the labelled windows
only, as without the flag.

``--select-epochs 40 70 100`` trains for the largest of those epochs, keeps
the encoder's weights after each listed epoch, and scores the linear head and
the paper's MLP head on the **validation subjects** for each; the
(epoch, head) with the best validation F1 is the one reported on the test
subjects, and its features give the semi-supervised curve. The validation
table is written beside it.

Writes ``benchmarks/results/ssl_all_windows.{md,json}`` (with ``--unlabelled``,
``ssl_all_windows_unlabelled``; with ``--select-epochs``, ``_selected`` is
appended). ``--lr-schedule cosine`` anneals the contrastive stage's learning
rate to zero over the epochs (``_cosine`` is appended). ``--augmentations
scaling permutation`` replaces the views' augmentations (the names are appended).
``--encoder wide`` pretrains the paper's widths (conv 32-64-128, 8 heads,
feed-forward 256) at the cpu encoder's two layers (``_wide`` is appended).

``--tune-heads`` (with ``--select-epochs``) also chooses the linear head's
inverse L2 strength ``C`` on the validation subjects, as the MiniRocket peer's
ridge ``alpha`` is: with all labels the candidates join the (epoch, head)
choice; for the semi-supervised curve each ``k`` gets the ``C`` with the best
mean validation F1 over the very draws the test curve uses (``_tuned`` is
appended). ``--save-model PATH`` writes the fitted estimator with its kept
weights, to score other heads later without pretraining again.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
import warnings
from pathlib import Path

import numpy as np
import torch
from sklearn.exceptions import ConvergenceWarning
from threadpoolctl import threadpool_limits

from benchmarks._common import (
    LR_SCHEDULES,
    RESULTS,
    lr_schedule,
    save_fitted,
    tuned_semi_supervised,
    weight_snapshots,
)
from benchmarks.ssl_uci_har import PAPER_ENCODER
from sktime_har.datasets import load_uci_har
from sktime_har.evaluation import linear_evaluation, make_head, semi_supervised_evaluation
from sktime_har.ssl import ConvAutoencoder, DynamicTemperatureSSL

SEED = 0
# ssl_uci_har.py's cpu config: encoder, lr, autoencoder, evaluation settings
ENCODER = dict(conv_channels=(16, 32, 64), kernel_size=3, n_layers=2, n_heads=4,
               dim_feedforward=128, dropout=0.1, pooling="flatten")
#: --encoder: the cpu encoder; the paper's widths at the cpu encoder's two layers; the paper's
#: eight layers (a GPU job)
ENCODERS = {"cpu": ENCODER, "wide": {**PAPER_ENCODER, "n_layers": ENCODER["n_layers"]},
            "paper": PAPER_ENCODER}


def encoder_text(name: str) -> str:
    """``"Encoder"``, or ``"Encoder `wide` (conv 32-64-128, 2 layers, 8 heads, ...)"``."""
    if name == "cpu":
        return "Encoder"
    enc = ENCODERS[name]
    return (f"Encoder `{name}` (conv {'-'.join(map(str, enc['conv_channels']))}, "
            f"{enc['n_layers']} layers, {enc['n_heads']} heads, feed-forward "
            f"{enc['dim_feedforward']})")


LR, AE_EPOCHS, AE_LATENT, LR_MAX_ITER, REPEATS = 1e-3, 10, 256, 200, 10
K_VALUES = (1, 2, 5, 10, 25, 50, 100)
PEER = "MiniRocket + logistic regression (sktime)"
PEER_RIDGE = "MiniRocket + ridge (sktime)"
PAPER_F1 = 93.00  # paper 001, Tables I/II (DT)
#: --tune-heads: the linear head's C candidates (1 is the untuned head)
LINEAR_CS = (0.001, 0.01, 0.1, 1.0)


def peer_curve(method: str = PEER) -> dict[int, float]:
    rows = json.loads((RESULTS / "peers_ssl_uci_har.json").read_text())["rows"]
    return {r["k"]: r["f1"] for r in rows if r["method"] == method
            and r["protocol"] == "semi-supervised"}


def stronger_peer_curve() -> dict[int, float]:
    """Per k, the better of MiniRocket's two heads (picked on test: in the peer's favour)."""
    lr, ridge = peer_curve(PEER), peer_curve(PEER_RIDGE)
    return {k: max(lr[k], ridge.get(k, lr[k])) for k in lr}


def linear_f1(name: str, method: str) -> float:
    rows = json.loads((RESULTS / name).read_text())["rows"]
    return next(r["f1"] for r in rows if r["method"] == method and r["protocol"] == "linear")


def unlabelled_training_windows(train_subjects) -> np.ndarray:
    """``ssl``-layout windows of the training subjects' stretches outside the six activities."""
    from numpy.lib.stride_tricks import sliding_window_view

    from sktime_har.datasets import load_uci_har_raw
    from sktime_har.datasets._uci_har import _SSL, _segment_window_starts
    from sktime_har.preprocessing import ChannelStandardScaler, resample_windows

    def windows(keep_activity: bool) -> np.ndarray:
        out = []
        for rec in load_uci_har_raw().recordings:
            if rec.subject not in train_subjects:
                continue
            activity = (rec.labels >= 1) & (rec.labels <= 6)
            # runs of one activity label, or maximal runs of everything else
            runs = np.where(activity, rec.labels, 0) if keep_activity else activity.astype(int)
            keep = set(range(1, 7)) if keep_activity else {0}
            starts, _ = _segment_window_starts(runs, keep, _SSL["window"], _SSL["step"])
            out.append(sliding_window_view(rec.signals, _SSL["window"], axis=0)[starts])
        return resample_windows(np.concatenate(out).astype(np.float32), _SSL["n_timesteps"])

    # the statistics load_uci_har standardises the ssl layout with
    scaler = ChannelStandardScaler().fit(windows(keep_activity=True))
    return scaler.transform(windows(keep_activity=False))


def heads(tune: bool) -> dict:
    """The heads fitted on frozen features: ``"linear"`` (C = 1), the paper's ``"mlp"``;
    with ``tune`` also ``"linear C=<c>"`` for the other ``LINEAR_CS``."""
    out = {"linear": make_head("linear", SEED, max_iter=LR_MAX_ITER)}
    if tune:
        out.update({f"linear C={c:g}": make_head("linear", SEED, max_iter=LR_MAX_ITER, C=c)
                    for c in LINEAR_CS if c != 1.0})
    # the paper's prediction MLP on the frozen features (256-128, dropout 0.2)
    out["mlp"] = make_head("mlp", SEED, device="cpu")
    return out


def head_scores(candidates: dict, F_fit, y_fit, F_eval, y_eval) -> dict[str, float]:
    """Macro F1 of each head of ``candidates`` fitted on ``F_fit`` and scored on ``F_eval``."""
    return {name: float(linear_evaluation(None, F_fit, y_fit, F_eval, y_eval, head=head)["f1"])
            for name, head in candidates.items()}


def tuned_linear_curve(F_tr, y_tr, F_va, y_va, F_te, y_te, **draws) -> list[dict]:
    """The semi-supervised curve with the linear head's C chosen per k on the validation subjects
    (``_common.tuned_semi_supervised``: the same draws for validation and test)."""
    return tuned_semi_supervised(
        lambda c: make_head("linear", max_iter=LR_MAX_ITER, C=c), LINEAR_CS,
        F_tr, y_tr, F_va, y_va, F_te, y_te, name="C", **draws)


def library_cpu_curve() -> dict[int, float]:
    rows = json.loads((RESULTS / "ssl_uci_har.json").read_text())["rows"]
    return {r["k"]: r["f1"] for r in rows if r["method"] == "dynamic temperature"
            and r["protocol"] == "semi-supervised"}


def selection_lines(result: dict) -> list[str]:
    """The validation table and the chosen (epoch, head), or nothing without a selection."""
    chosen = result["selected"]
    if chosen is None:
        return []
    names = list(dict.fromkeys(r["head"] for r in result["validation"]))
    lines = ["Chosen on the validation subjects (macro F1 %; the test subjects are not looked "
             "at until the choice is made):", "",
             "| epoch | " + " | ".join(n.replace("mlp", "MLP") + " head" for n in names) + " |",
             "|---|" + "---|" * len(names)]
    for epoch in sorted({r["epoch"] for r in result["validation"]}):
        f1 = {r["head"]: r["val_f1"] for r in result["validation"] if r["epoch"] == epoch}
        lines.append(f"| {epoch} | " + " | ".join(f"{100 * f1[n]:.2f}" for n in names) + " |")
    lines += ["", f"Chosen: epoch {chosen['epoch']}, {chosen['head']} head; its test macro F1 "
              f"**{100 * chosen['test_f1']:.2f}** (target {PAPER_F1:.2f}). The test figures "
              "above and the curve below use that epoch's encoder.", ""]
    return lines


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, default=40)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--smoke", action="store_true")
    parser.add_argument("--unlabelled", action="store_true",
                        help="also pretrain on the training subjects' unlabelled stretches")
    parser.add_argument("--select-epochs", type=int, nargs="+", default=None,
                        help="keep the weights after these epochs and pick (epoch, head) on "
                             "the validation subjects; trains for the largest")
    parser.add_argument("--lr-schedule", choices=LR_SCHEDULES, default="constant",
                        help="cosine: anneal the learning rate to zero over the epochs")
    parser.add_argument("--augmentations", nargs="+", default=None,
                        help="the views' Augmenter names instead of the estimator's default "
                             "(jitter scaling permutation)")
    parser.add_argument("--encoder", choices=sorted(ENCODERS), default="cpu",
                        help="wide: the paper's widths at two layers; paper: its eight layers")
    parser.add_argument("--tune-heads", action="store_true",
                        help="also choose the linear head's C on the validation subjects "
                             "(needs --select-epochs)")
    parser.add_argument("--save-model", type=Path, default=None,
                        help="torch.save the fitted estimator and its kept weights here")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    if args.tune_heads and not args.select_epochs:
        parser.error("--tune-heads chooses on the validation subjects: give --select-epochs")
    torch.set_num_threads(args.threads)
    start = time.perf_counter()
    X_tr, y_tr, g_tr = load_uci_har(protocol="ssl", subset="train", return_X_y=True,
                                    return_groups=True)
    X_te, y_te = load_uci_har(protocol="ssl", subset="test", return_X_y=True)
    X_va, y_va = load_uci_har(protocol="ssl", subset="val", return_X_y=True)
    X_extra = (unlabelled_training_windows(set(g_tr.tolist())) if args.unlabelled
               else X_tr[:0])
    epochs, ae_epochs, k_values, repeats = args.epochs, AE_EPOCHS, K_VALUES, REPEATS
    select = sorted(set(args.select_epochs)) if args.select_epochs else None
    if args.smoke:
        X_tr, y_tr, X_te, y_te = X_tr[::30], y_tr[::30], X_te[::10], y_te[::10]
        X_va, y_va, X_extra = X_va[::10], y_va[::10], X_extra[::30]
        epochs, ae_epochs, k_values, repeats = 1, 1, (1, 5), 2
        select = [1, 2] if select else None
    epochs = select[-1] if select else epochs
    X_pretrain = np.concatenate([X_tr, X_extra]) if len(X_extra) else X_tr
    print(f"pretraining on {len(X_pretrain)} windows ({len(X_extra)} unlabelled) for {epochs} "
          "epochs", flush=True)
    with threadpool_limits(args.threads):
        encoder = ENCODERS[args.encoder]
        ae = ConvAutoencoder(conv_channels=encoder["conv_channels"], latent_dim=AE_LATENT,
                             max_epochs=ae_epochs, device="cpu", random_state=SEED)
        snapshot_callbacks, snapshots = weight_snapshots(select) if select else ([], {})
        ssl = DynamicTemperatureSSL(
            autoencoder=ae, **encoder, lr=LR, max_epochs=epochs, device="cpu",
            random_state=SEED, verbose=1,
            **({} if args.augmentations is None else {"augmentations": tuple(args.augmentations)}),
            callbacks=[*lr_schedule(args.lr_schedule, epochs), *snapshot_callbacks])
        t = time.perf_counter()
        ssl.fit(X_pretrain)
        pretrain_s = time.perf_counter() - t
        if args.save_model is not None:
            save_fitted(args.save_model, ssl, snapshots, encoder=args.encoder,
                        augmentations=list(ssl.augmentations), lr_schedule=args.lr_schedule,
                        unlabelled=args.unlabelled, smoke=args.smoke)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            validation, chosen, candidates = [], None, heads(args.tune_heads)
            for epoch in select or ():
                ssl.module_.load_state_dict(snapshots[epoch])
                F_tr = ssl.transform(X_tr)
                scores = head_scores(candidates, F_tr, y_tr, ssl.transform(X_va), y_va)
                validation += [{"epoch": epoch, "head": h, "val_f1": f} for h, f in scores.items()]
                print(f"epoch {epoch}: validation F1 {scores}", flush=True)
            if select:
                chosen = max(validation, key=lambda r: r["val_f1"])
                ssl.module_.load_state_dict(snapshots[chosen["epoch"]])
            F_tr, F_te = ssl.transform(X_tr), ssl.transform(X_te)
            # the untuned heads for comparison with earlier runs, and the chosen one
            scored = {"linear", "mlp"} | ({chosen["head"]} if chosen else set())
            test = head_scores({n: h for n, h in candidates.items() if n in scored},
                               F_tr, y_tr, F_te, y_te)
            lin, mlp = {"f1": test["linear"]}, {"f1": test["mlp"]}
            draws = dict(k_values=k_values, n_repeats=repeats, random_state=SEED)
            curve = (tuned_linear_curve(F_tr, y_tr, ssl.transform(X_va), y_va, F_te, y_te,
                                           **draws) if args.tune_heads else
                     semi_supervised_evaluation(make_head("linear", max_iter=LR_MAX_ITER),
                                                F_tr, y_tr, F_te, y_te, **draws))
    peer, strong, cpu = peer_curve(), stronger_peer_curve(), library_cpu_curve()
    result = {
        "device": f"cpu ({platform.machine()}, {os.cpu_count()} cores, shared)",
        "threads": args.threads, "torch": torch.__version__, "smoke": args.smoke,
        "settings": {"encoder": {**encoder, "conv_channels": list(encoder["conv_channels"])},
                     "encoder_name": args.encoder,
                     "lr": LR, "epochs": epochs, "autoencoder_epochs": ae_epochs,
                     "pretrain_windows": len(X_pretrain),
                     "unlabelled_windows": len(X_extra), "draw_seed": SEED, "repeats": repeats,
                     "lr_schedule": args.lr_schedule,
                     "augmentations": list(ssl.augmentations),
                     "tuned_heads": list(LINEAR_CS) if args.tune_heads else None},
        "pretrain_wall_s": round(pretrain_s, 1),
        "final_loss": float(ssl.loss_history_[-1]),
        "linear_f1": float(lin["f1"]),
        "mlp_f1": float(mlp["f1"]),
        "validation": validation,
        "selected": None if chosen is None else {
            **chosen, "test_f1": test[chosen["head"]]},
        "semi_supervised": [
            {"k": c["k"], "f1": float(c["f1"]), "ci95": float(c["ci95"]),
             "scores": [float(v) for v in c["scores"]],
             "peer_f1": peer.get(c["k"]), "cpu_config_f1": cpu.get(c["k"]),
             "minus_peer": None if c["k"] not in peer else float(c["f1"] - peer[c["k"]]),
             "stronger_peer_f1": strong.get(c["k"]),
             "minus_stronger_peer": (None if c["k"] not in strong
                                     else float(c["f1"] - strong[c["k"]])),
             **({"C": c["C"], "val_f1": float(c["val_f1"])} if "C" in c else {})}
            for c in curve],
        "total_wall_s": round(time.perf_counter() - start, 1),
    }
    stem = ("ssl_all_windows" + ("_unlabelled" if args.unlabelled else "")
            + ("_selected" if select else "")
            + ("" if args.lr_schedule == "constant" else f"_{args.lr_schedule}")
            + "".join(f"_{name}" for name in args.augmentations or ())
            + ("" if args.encoder == "cpu" else f"_{args.encoder}")
            + ("_tuned" if args.tune_heads else "")
            + ("_smoke" if args.smoke else ""))
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"{stem}.json").write_text(json.dumps(result, indent=2) + "\n")
    lines = [
        "# Dynamic temperature on every training window"
        + (" and the unlabelled stretches" if args.unlabelled else ""),
        "",
        f"{result['device']}, {args.threads} torch thread(s); pretraining on "
        f"{len(X_pretrain):,} windows ({len(X_extra):,} of them from the training subjects' "
        f"unlabelled stretches and transitions) for {epochs} epochs took {pretrain_s / 60:.1f} min "
        f"(total {result['total_wall_s'] / 60:.1f} min). "
        + encoder_text(args.encoder) + ", lr and autoencoder as "
        "`ssl_uci_har.py --config cpu` (6,000 windows, 15 epochs there); learning rate "
        f"{args.lr_schedule}; views augmented with {', '.join(ssl.augmentations)}.",
        "",
        f"Linear evaluation, all labels: macro F1 **{100 * lin['f1']:.2f}** (cpu config "
        f"{100 * linear_f1('ssl_uci_har.json', 'dynamic temperature'):.2f}; MiniRocket + ridge "
        f"{100 * linear_f1('peers_ssl_uci_har.json', 'MiniRocket + ridge (sktime)'):.2f}; "
        f"paper {PAPER_F1:.2f} with its MLP head). The paper's MLP head (256-128, dropout "
        f"0.2, Adam 1e-4, 50 epochs) on the same frozen features: **{100 * mlp['f1']:.2f}**.",
        "",
        *selection_lines(result),
        "Semi-supervised, the same draws as the library's benchmark and the peer (macro F1 %"
        + ("; the linear head's C chosen per k on the validation subjects, same draws"
           if args.tune_heads else "") + "):",
        "",
        "| k | this run |" + (" C |" if args.tune_heads else "") + " cpu config | "
        "MiniRocket + LR | this run - MiniRocket + LR | MiniRocket, stronger head | "
        "this run - stronger |",
        "|---|---|" + ("---|" if args.tune_heads else "") + "---|---|---|---|---|",
    ]
    for c in result["semi_supervised"]:
        def pct(v):
            return "-" if v is None else f"{100 * v:.1f}"

        def diff(v):
            return "-" if v is None else f"{100 * v:+.1f}"
        lines.append(f"| {c['k']} | {pct(c['f1'])} +- {100 * c['ci95']:.1f} | "
                     + (f"{c['C']:g} | " if args.tune_heads else "")
                     + f"{pct(c['cpu_config_f1'])} | {pct(c['peer_f1'])} | "
                     f"{diff(c['minus_peer'])} | {pct(c['stronger_peer_f1'])} | "
                     f"{diff(c['minus_stronger_peer'])} |")
    flags = (" --unlabelled" if args.unlabelled else "") + (
        " --select-epochs " + " ".join(map(str, select)) if select else "") + (
        f" --lr-schedule {args.lr_schedule}" if args.lr_schedule != "constant" else "") + (
        " --augmentations " + " ".join(args.augmentations) if args.augmentations else "") + (
        f" --encoder {args.encoder}" if args.encoder != "cpu" else "") + (
        " --tune-heads" if args.tune_heads else "")
    lines += ["", f"Reproduce: `python -m benchmarks.ssl_all_windows{flags}`.", ""]
    (args.out / f"{stem}.md").write_text("\n".join(lines))
    print("\n".join(lines))
    return result


if __name__ == "__main__":
    main()
