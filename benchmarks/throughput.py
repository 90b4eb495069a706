"""Training and inference throughput of the library against a reference loop.

Usage::

    flock /work/helper_notes/cpu.lock python -m benchmarks.throughput --config cpu
                                                   # ~11 min on 2 shared cores, 1 torch thread
    python -m benchmarks.throughput --config gpu    # the papers' model sizes, on a CUDA device
    python -m benchmarks.throughput --config smoke  # < 1 min; checks the plumbing only

One run, one machine, one thread setting. For every task it measures windows per
second of the library and of ``benchmarks/reference_loop.py`` (the papers'
public-code style: per-sample ``Dataset`` with numpy augmentations, default
``DataLoader`` collation, plain python loop) training the **same torch
modules with the same losses, optimisers, batch sizes and model sizes**:

- ``dsc_pretrain``: Deep Sensory Clustering stage I (BiGRU multi-task
  autoencoder, Adam);
- ``dsc_refine``: stage II (clustering layer, ``gamma * KL(P||Q)`` plus the
  reconstruction loss), the target ``P`` recomputed over all training windows
  once per epoch (inside the timed epoch for both implementations);
- ``dt_autoencoder`` and ``dt_contrastive``: DynamicTemperatureSSL's denoising
  conv autoencoder and its NDT-Xent stage (transformer encoder + projection
  head, LARS); ``dt_pretraining`` combines both at the config's epoch budget
  (derived, see below);
- ``simclr`` (NT-Xent) and ``vicreg`` (VICReg loss), LARS;
- ``dsc_transform``, ``dsc_predict``, ``ssl_transform``: inference over the
  whole training split;
- ``augmentation``: one random view of every window, the library's batched
  ``Augmenter`` (``"uci_har"`` preset, on the training device) against the
  reference's per-window numpy functions.

How the library is timed: the SSL rows call the public estimators
(``SimCLREncoder(...).fit``, ``VICRegEncoder``, ``DynamicTemperatureSSL``
with a ``ConvAutoencoder``) with a known number of epochs and read skorch's
per-epoch ``dur`` from ``history_`` (the one-off instance-feature pass of
DynamicTemperatureSSL is timed separately and amortised into
``dt_pretraining``). ``DeepSensoryClustering`` does not expose its stage
histories, and its ``fit`` adds the k-means/Ward centroid initialisation,
which is no per-window training cost, so the DSC rows build the skorch nets
its ``fit`` builds (``AutoencoderNet``, ``ClusteringNet`` with the same
arguments) and time every epoch with an epoch-end callback that runs after
the target refresh. The reference is timed the same way, per epoch. The
first epoch is a warm-up; training windows/s = windows per epoch / the
fastest timed epoch (``windows_per_s_mean``: over all timed epochs).
Inference and augmentation rows: the best of ``repeats`` passes after a
warm-up call; the library through the public ``transform``/``predict``, the
reference through a ``DataLoader`` with the training batch size. On a shared
machine other processes slow some epochs down, so the whole set of rows is
run ``rounds`` times, library and reference interleaved, and each row keeps
its best round (every round's figure is in ``runs``).

Memory: every row runs in its own python subprocess (``cpu`` and ``gpu``
configs; ``smoke`` runs in-process). On CPU ``peak_mb`` is the process's
peak resident set (``VmHWM``, reset at the start of the row through
``/proc/self/clear_refs``, else ``ru_maxrss``) and ``base_mb`` the resident
set at the start of the row (interpreter, torch, the data); on CUDA
``peak_mb`` is ``torch.cuda.max_memory_allocated`` during the row.

Compute share: the run measures the machine's float32 matmul peak (best of
several large ``torch.matmul``) and counts each task's FLOPs per window with
``torch.utils.flop_counter.FlopCounterMode`` (forward + backward of one
training batch divided by its windows; refinement adds the refresh's encoder
forward; inference the forward only). ``peak_share`` = windows/s x FLOPs per
window / matmul peak.

Same results: the public estimators and the reference loop are run with the
same seeds, augmentations disabled (identity) and dropout 0, and the
reference replays the library's use of torch's global RNG (initialisation
order, one ``torch.randperm`` per epoch for the batch order), so both see the
same initial weights and the same batches; the per-epoch mean losses are
compared with a relative tolerance.

Writes ``benchmarks/results/throughput.{md,json}`` (other configs
``throughput_<config>.{md,json}``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import torch
from threadpoolctl import threadpool_limits

from benchmarks._common import RESULTS, ROOT

SEED = 0
N_CLUSTERS = 6

CPU_ENCODER = dict(conv_channels=(16, 32, 64), kernel_size=3, n_layers=2, n_heads=4,
                   dim_feedforward=128, dropout=0.1, pooling="flatten")
PAPER_ENCODER = dict(conv_channels=(32, 64, 128), kernel_size=3, n_layers=8, n_heads=8,
                     dim_feedforward=256, dropout=0.1, pooling="flatten")

CONFIGS = {
    "cpu": {
        "description": "the cpu-config model sizes of dsc_uci_har.py (BiGRU 2x64, embedding "
                       "64, batch 256, Adam 1e-3) and ssl_uci_har.py / explain_uci_har.py "
                       "(conv 16-32-64 + 2 attention layers x 4 heads, feed-forward 128, "
                       "projection 256-256, batch 128, LARS 1e-3; conv autoencoder 16-32-64, "
                       "256 features, batch 128, Adam 1e-3)",
        "threads": 1,
        "subprocess": True,
        "dsc_model": dict(hidden_size=64, num_layers=2, embedding_dim=64),
        "dsc_batch": 256, "dsc_lr": 1e-3, "gamma": 0.1,
        "encoder": CPU_ENCODER, "ssl_batch": 128, "ssl_lr": 1e-3,
        "ae": dict(latent_dim=256, noise_std=0.5), "ae_batch": 128, "ae_lr": 1e-3,
        "dt_epoch_budget": (10, 15),  # (autoencoder, contrastive) epochs, ssl_uci_har cpu
        "train_windows": {"dsc": 1536, "ssl": 1920},
        "epochs": 4,  # the first is a warm-up
        "rounds": 3,
        "inference_windows": None,  # the whole training split
        "repeats": 3,
        "matmul_n": 1024,
        "same": {"windows": 512, "epochs": 3, "rtol": 1e-4},
    },
    "gpu": {
        "description": "the papers' model sizes (DSC: BiGRU 2x256, embedding 64, batch 256, "
                       "Adam 1e-3; SSL: conv 32-64-128 + 8 attention layers x 8 heads, "
                       "feed-forward 256, projection 256-256, batch 128, LARS 1e-4; conv "
                       "autoencoder 32-64-128, 256 features)",
        "threads": None,
        "subprocess": True,
        "dsc_model": dict(hidden_size=256, num_layers=2, embedding_dim=64),
        "dsc_batch": 256, "dsc_lr": 1e-3, "gamma": 0.1,
        "encoder": PAPER_ENCODER, "ssl_batch": 128, "ssl_lr": 1e-4,
        "ae": dict(latent_dim=256, noise_std=0.5), "ae_batch": 128, "ae_lr": 1e-3,
        "dt_epoch_budget": (50, 200),  # paper 001
        "train_windows": {"dsc": None, "ssl": None},
        "epochs": 3,
        "rounds": 2,
        "inference_windows": None,
        "repeats": 3,
        "matmul_n": 8192,
        "same": {"windows": 1024, "epochs": 3, "rtol": 1e-3},
    },
    "smoke": {
        "description": "smoke test of the script (tiny models; not a result)",
        "threads": 1,
        "subprocess": False,
        "dsc_model": dict(hidden_size=8, num_layers=1, embedding_dim=8),
        "dsc_batch": 64, "dsc_lr": 1e-3, "gamma": 0.1,
        "encoder": dict(conv_channels=(4, 8, 8), kernel_size=3, n_layers=1, n_heads=1,
                        dim_feedforward=16, dropout=0.1, pooling="flatten"),
        "ssl_batch": 32, "ssl_lr": 1e-3,
        "ae": dict(latent_dim=16, noise_std=0.5), "ae_batch": 32, "ae_lr": 1e-3,
        "dt_epoch_budget": (1, 1),
        "train_windows": {"dsc": 256, "ssl": 256},
        "epochs": 2,
        "rounds": 1,
        "inference_windows": 512,
        "repeats": 1,
        "matmul_n": 512,
        "same": {"windows": 128, "epochs": 2, "rtol": 1e-4},
    },
}

TRAINING_TASKS = ("dsc_pretrain", "dsc_refine", "dt_autoencoder", "dt_contrastive",
                  "dt_pretraining", "simclr", "vicreg")
INFERENCE_TASKS = ("dsc_transform", "dsc_predict", "ssl_transform")
# one measurement unit (one subprocess) per entry; "dt" yields both DT stages
UNITS = ("dsc_pretrain", "dsc_refine", "dt", "simclr", "vicreg", "dsc_transform",
         "dsc_predict", "ssl_transform", "augmentation")
TARGETS = {"training": 3.0, "augmentation": 10.0}


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


# ------------------------------------------------------------------------ data
def load_data(cfg: dict) -> dict[str, np.ndarray]:
    """Standardised UCI-HAR "dsc" windows and z-scored "ssl" windows (training splits)."""
    from sktime_har.datasets import load_uci_har
    from sktime_har.preprocessing import ChannelStandardScaler

    X_dsc, _ = load_uci_har(protocol="dsc", subset="train", return_X_y=True)
    X_dsc = ChannelStandardScaler().fit_transform(X_dsc).astype(np.float32)
    X_ssl, _ = load_uci_har(protocol="ssl", subset="train", return_X_y=True)
    X_ssl = np.asarray(X_ssl, dtype=np.float32)
    data = {"dsc_all": X_dsc, "ssl_all": X_ssl}
    rng = np.random.default_rng(SEED)
    for name, X in (("dsc", X_dsc), ("ssl", X_ssl)):
        n = cfg["train_windows"][name]
        idx = np.arange(len(X)) if n is None else np.sort(rng.choice(len(X), n, replace=False))
        data[name] = np.ascontiguousarray(X[idx])
    n_inf = cfg["inference_windows"]
    for name in ("dsc_all", "ssl_all"):
        if n_inf is not None:
            data[name] = np.ascontiguousarray(data[name][:n_inf])
    return data


# ---------------------------------------------------------------- measurement
def _status_kb(field: str) -> int | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return None


class MemoryProbe:
    """Peak memory of one row: CUDA allocator peak, or the process's peak RSS."""

    def __init__(self, device: torch.device):
        self.device = device

    def start(self) -> None:
        if self.device.type == "cuda":
            torch.cuda.synchronize(self.device)
            torch.cuda.reset_peak_memory_stats(self.device)
            self.base_mb = torch.cuda.memory_allocated(self.device) / 2**20
            self.method = "torch.cuda.max_memory_allocated"
            return
        self.base_mb = (_status_kb("VmRSS") or 0) / 1024
        try:
            Path("/proc/self/clear_refs").write_text("5")  # reset VmHWM to the current RSS
            self.method = "VmHWM (reset per row)"
        except OSError:
            self.method = "ru_maxrss (whole process)"

    def stop(self) -> dict:
        if self.device.type == "cuda":
            torch.cuda.synchronize(self.device)
            peak = torch.cuda.max_memory_allocated(self.device) / 2**20
        elif self.method.startswith("VmHWM"):
            peak = (_status_kb("VmHWM") or 0) / 1024
        else:
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        return {"peak_mb": round(peak, 1), "base_mb": round(self.base_mb, 1)}


def epoch_rate(durations, windows_per_epoch: int) -> dict:
    """Windows/s of the fastest epoch after the first (warm-up), and over all timed epochs.

    The fastest epoch is the least disturbed by other processes on a shared
    machine (as ``timeit`` takes the best of its repeats).
    """
    timed = [float(d) for d in list(durations)[1:]] or [float(d) for d in durations]
    return {"windows_per_s": round(windows_per_epoch / min(timed), 1),
            "windows_per_s_mean": round(windows_per_epoch * len(timed) / sum(timed), 1),
            "windows": windows_per_epoch * len(timed), "seconds": round(sum(timed), 2),
            "epochs_timed": len(timed)}


def timed_passes(fn, repeats: int, device: torch.device) -> float:
    """Best wall time of ``repeats`` calls of ``fn``."""
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        if device.type == "cuda":
            torch.cuda.synchronize(device)
        times.append(time.perf_counter() - t)
    return float(min(times))


def _epoch_clock(device: torch.device):
    from skorch.callbacks import Callback

    class EpochClock(Callback):
        """Per-epoch wall time, read after every other epoch-end callback (P refresh)."""

        def initialize(self):
            self.durations = []
            return self

        def on_epoch_begin(self, net, **kwargs):
            self._t = time.perf_counter()

        def on_epoch_end(self, net, **kwargs):
            if device.type == "cuda":
                torch.cuda.synchronize(device)
            self.durations.append(time.perf_counter() - self._t)

    return EpochClock()


# ------------------------------------------------------------- model builders
def _encoder_kwargs(cfg: dict, **overrides) -> dict:
    kwargs = dict(cfg["encoder"])
    kwargs["conv_channels"] = tuple(kwargs["conv_channels"])
    kwargs.update(overrides)
    return kwargs


def _ssl_module(cfg: dict, C: int, T: int, **overrides):
    from sktime_har.nn import EncoderWithHead, ProjectionHead, TransformerEncoder

    encoder = TransformerEncoder(C, T, **_encoder_kwargs(cfg, **overrides))
    return EncoderWithHead(encoder, ProjectionHead(encoder.out_features, 256, 256))


def _conv_ae(cfg: dict, C: int, T: int, noise_std: float):
    from sktime_har.nn import DenoisingConvAutoencoder

    return DenoisingConvAutoencoder(C, T, conv_channels=tuple(cfg["encoder"]["conv_channels"]),
                                    kernel_size=cfg["encoder"]["kernel_size"],
                                    latent_dim=cfg["ae"]["latent_dim"], noise_std=noise_std)


def _clustering_model(cfg: dict, X: np.ndarray, device: torch.device, encode):
    """A DeepClusteringModel with k-means centroids on its (random) embeddings."""
    from sklearn.cluster import KMeans

    from sktime_har.nn import DeepClusteringModel, RecurrentAutoencoder

    torch.manual_seed(SEED)
    ae = RecurrentAutoencoder(X.shape[1], X.shape[2], **cfg["dsc_model"])
    model = DeepClusteringModel(ae, N_CLUSTERS).to(device)
    Z = encode(model, X)
    km = KMeans(N_CLUSTERS, n_init=1, random_state=SEED).fit(Z)
    model.clustering.set_centroids(km.cluster_centers_.astype(np.float32))
    return model


def _ssl_estimator(name: str, cfg: dict, device: torch.device, epochs: int, **overrides):
    from sktime_har.ssl import ConvAutoencoder, DynamicTemperatureSSL, SimCLREncoder, VICRegEncoder

    common = dict(**_encoder_kwargs(cfg, **overrides.pop("encoder", {})), lr=cfg["ssl_lr"],
                  batch_size=cfg["ssl_batch"], max_epochs=epochs, device=str(device),
                  random_state=SEED, **overrides.pop("ssl", {}))
    if name == "simclr":
        return SimCLREncoder(**common)
    if name == "vicreg":
        return VICRegEncoder(**common)
    ae = ConvAutoencoder(conv_channels=tuple(cfg["encoder"]["conv_channels"]),
                         kernel_size=cfg["encoder"]["kernel_size"], lr=cfg["ae_lr"],
                         batch_size=cfg["ae_batch"], max_epochs=epochs, device=str(device),
                         random_state=SEED + 1, **{**cfg["ae"], **overrides.pop("ae", {})})
    return DynamicTemperatureSSL(autoencoder=ae, **common)


def _ssl_loss(name: str):
    from sktime_har.nn.losses import NDTXentLoss, NTXentLoss, VICRegLoss

    if name == "simclr":
        return NTXentLoss(temperature=0.1, similarity="cosine")
    if name == "vicreg":
        return VICRegLoss(10.0, 10.0, 5.0, convention="reference")
    return NDTXentLoss(temperature=0.1, positive_temperature="views")


# ------------------------------------------------------------------- the rows
def run_unit(unit: str, impl: str, cfg: dict, data: dict, device: torch.device) -> list[dict]:
    """Measure one unit for one implementation; returns its rows (without FLOPs)."""
    import reference_loop as ref

    epochs, repeats = cfg["epochs"], cfg["repeats"]
    probe = MemoryProbe(device)
    rows = []

    def row(task, **fields):
        rows.append({"task": task, "impl": impl, **fields})

    if unit in ("dsc_pretrain", "dsc_refine"):
        X = data["dsc"]
        B = cfg["dsc_batch"]
        if unit == "dsc_pretrain":
            from sktime_har.nn import RecurrentAutoencoder

            torch.manual_seed(SEED)
            ae = RecurrentAutoencoder(X.shape[1], X.shape[2], **cfg["dsc_model"]).to(device)
            probe.start()
            if impl == "library":
                from sktime_har._training._autoencoder_net import AutoencoderNet

                clock = _epoch_clock(device)
                # as BaseDeepClustering._pretrain builds it
                net = AutoencoderNet(ae, optimizer=torch.optim.Adam, lr=cfg["dsc_lr"],
                                     batch_size=B, max_epochs=epochs,
                                     callbacks=[("clock", clock)], device=device, verbose=0,
                                     stage="pretraining")
                net.fit(torch.from_numpy(X).to(device), None)
                durations = clock.durations
            else:
                times = ref.EpochTimes()
                times.start()
                ref.train_autoencoder(ae, X, epochs=epochs, batch_size=B, lr=cfg["dsc_lr"],
                                      on_epoch=times)
                durations = times.durations
            row(unit, **epoch_rate(durations, len(X)), **probe.stop())
        else:
            if impl == "library":
                from sktime_har._training._clustering_callbacks import StopOnStableAssignments
                from sktime_har._training._clustering_net import ClusteringNet
                from sktime_har._training._inference import eval_apply

                model = _clustering_model(cfg, X, device, lambda m, X: eval_apply(
                    m, X, batch_size=max(1024, B), fn=m.autoencoder.encode))
                probe.start()
                clock = _epoch_clock(device)
                # as BaseDeepClustering._refine builds it; tol=0 never stops early
                net = ClusteringNet(model, optimizer=torch.optim.Adam, lr=cfg["dsc_lr"],
                                    batch_size=B, max_epochs=epochs, gamma=cfg["gamma"],
                                    reconstruction=True, inference_batch_size=max(1024, B),
                                    callbacks=[("stable_assignments", StopOnStableAssignments(0.0)),
                                               ("clock", clock)],
                                    device=device, verbose=0, stage="refinement")
                net.fit(torch.from_numpy(X).to(device), torch.arange(len(X), device=device))
                durations = clock.durations
            else:
                model = _clustering_model(cfg, X, device, lambda m, X: ref.infer(
                    m.autoencoder.encode, m, X, B))
                probe.start()
                times = ref.EpochTimes()
                times.start()
                ref.train_clustering(model, X, epochs=epochs, batch_size=B, lr=cfg["dsc_lr"],
                                     gamma=cfg["gamma"], on_epoch=times)
                durations = times.durations
            row(unit, **epoch_rate(durations, len(X)), **probe.stop(),
                note="P refreshed over all windows once per epoch (timed)")
        return rows

    if unit in ("dt", "simclr", "vicreg"):
        X = data["ssl"]
        B = cfg["ssl_batch"]
        per_epoch = (len(X) // B) * B  # incomplete last batches are dropped
        probe.start()
        if impl == "library":
            est = _ssl_estimator(unit, cfg, device, epochs)
            est.fit(X)
            mem = probe.stop()
            if unit == "dt":
                t = time.perf_counter()
                est.autoencoder_.transform(X)  # the one-off instance-feature pass of fit
                feature_s = time.perf_counter() - t
                row("dt_autoencoder", **epoch_rate(est.autoencoder_.history_[:, "dur"],
                                                   len(X)), **mem)
                row("dt_contrastive", **epoch_rate(est.history_[:, "dur"], per_epoch), **mem,
                    instance_feature_s=round(feature_s, 3),
                    note="instance features computed once per fit (not in the epochs)")
            else:
                row(unit, **epoch_rate(est.history_[:, "dur"], per_epoch), **mem)
            return rows
        from sktime_har.nn import LARS

        if unit == "dt":
            torch.manual_seed(SEED + 1)
            ae = _conv_ae(cfg, X.shape[1], X.shape[2], noise_std=0.0).to(device)
            times = ref.EpochTimes()
            times.start()
            ref.train_denoising_autoencoder(ae, X, epochs=epochs, batch_size=cfg["ae_batch"],
                                            lr=cfg["ae_lr"], noise_std=cfg["ae"]["noise_std"],
                                            seed=SEED, on_epoch=times)
            ae_rate = epoch_rate(times.durations, len(X))
        torch.manual_seed(SEED)
        model = _ssl_module(cfg, X.shape[1], X.shape[2]).to(device)
        times = ref.EpochTimes()
        times.start()
        ref.train_contrastive(model, _ssl_loss(unit), X, epochs=epochs, batch_size=B,
                              optimizer=LARS, lr=cfg["ssl_lr"],
                              augment=ref.NumpyAugment(seed=SEED),
                              instance_encoder=ae if unit == "dt" else None, on_epoch=times)
        mem = probe.stop()
        if unit == "dt":
            row("dt_autoencoder", **ae_rate, **mem, note="noise added per sample in numpy")
            row("dt_contrastive", **epoch_rate(times.durations, per_epoch), **mem,
                note="instance features of every batch from the frozen autoencoder")
        else:
            row(unit, **epoch_rate(times.durations, per_epoch), **mem)
        return rows

    if unit in ("dsc_transform", "dsc_predict"):
        X = data["dsc_all"]
        B = cfg["dsc_batch"]
        if impl == "library":
            from sktime_har.clustering import DeepSensoryClustering

            est = DeepSensoryClustering(N_CLUSTERS, **cfg["dsc_model"], pretrain_epochs=0,
                                        refine=False, init="kmeans", n_init=1,
                                        device=str(device), random_state=SEED).fit(X[:512])
            fn = est.transform if unit == "dsc_transform" else est.predict
            note = ("library: public transform/predict (batches of "
                    f"{est._inference_batch_size(torch.device(device))})")
        else:
            from sktime_har.nn import DeepClusteringModel, RecurrentAutoencoder

            torch.manual_seed(SEED)
            model = DeepClusteringModel(RecurrentAutoencoder(X.shape[1], X.shape[2],
                                                             **cfg["dsc_model"]),
                                        N_CLUSTERS).to(device)
            if unit == "dsc_transform":
                def fn(X):
                    return ref.infer(model.autoencoder.encode, model, X, B)
            else:
                def fn(X):
                    return ref.infer(model.soft_assign, model, X, B).argmax(axis=1)
            note = f"DataLoader, batches of {B}"
        fn(X[:B])  # warm-up
        probe.start()
        seconds = timed_passes(lambda: fn(X), repeats, device)
        row(unit, windows_per_s=round(len(X) / seconds, 1), windows=len(X),
            seconds=round(seconds, 3), **probe.stop(), note=note)
        return rows

    if unit == "ssl_transform":
        X = data["ssl_all"]
        B = cfg["ssl_batch"]
        if impl == "library":
            est = _ssl_estimator("simclr", cfg, device, 0).fit(X[:256])
            fn = est.transform
        else:
            torch.manual_seed(SEED)
            encoder = _ssl_module(cfg, X.shape[1], X.shape[2]).to(device).encoder

            def fn(X):
                return ref.infer(encoder, encoder, X, B)
        fn(X[:B])
        probe.start()
        seconds = timed_passes(lambda: fn(X), repeats, device)
        row(unit, windows_per_s=round(len(X) / seconds, 1), windows=len(X),
            seconds=round(seconds, 3), **probe.stop(), note=f"batches of {B}")
        return rows

    if unit == "augmentation":
        X = data["ssl_all"]
        B = cfg["ssl_batch"]
        if impl == "library":
            from sktime_har.augment import Augmenter

            aug = Augmenter.from_preset("uci_har").to(device)
            X_t = torch.from_numpy(X).to(device)

            def fn():
                for s in range(0, len(X_t), B):
                    aug(X_t[s : s + B])
            note = f"Augmenter on in-memory batches of {B} (one view)"
        else:
            augment = ref.NumpyAugment(seed=SEED)

            def fn():
                for x in X:
                    augment(x)
            note = "per-window numpy (one view)"
        fn()
        probe.start()
        seconds = timed_passes(fn, repeats, device)
        row(unit, windows_per_s=round(len(X) / seconds, 1), windows=len(X),
            seconds=round(seconds, 3), **probe.stop(), note=note)
        return rows

    raise ValueError(f"unknown unit {unit!r}")


# ---------------------------------------------------------------- same results
def _compare(lib, ref, rtol) -> dict:
    lib, ref = np.asarray(lib, float), np.asarray(ref, float)
    rel = np.abs(lib - ref) / np.maximum(np.abs(ref), 1e-12)
    return {"library": [round(v, 7) for v in lib.tolist()],
            "reference": [round(v, 7) for v in ref.tolist()],
            "max_rel_diff": float(rel.max()) if len(rel) else 0.0, "rtol": rtol,
            "match": bool(len(lib) == len(ref) and (rel <= rtol).all())}


def same_results(cfg: dict, data: dict, device: torch.device) -> dict:
    """Per-epoch losses of the public estimators and the reference, same seeds and batches."""
    import reference_loop as ref
    from sklearn.cluster import KMeans
    from sklearn.utils import check_random_state

    from sktime_har.clustering import DeepSensoryClustering
    from sktime_har.nn import LARS, DeepClusteringModel, RecurrentAutoencoder
    from sktime_har.utils._torch import seed_from

    s = cfg["same"]
    n, E, rtol = s["windows"], s["epochs"], s["rtol"]
    out = {}

    # --- DSC: both stages through the public estimator
    X = data["dsc"][:n]
    B = cfg["dsc_batch"]
    dsc = DeepSensoryClustering(N_CLUSTERS, **cfg["dsc_model"], lr=cfg["dsc_lr"],
                                lr_decay_epoch=None, batch_size=B, pretrain_epochs=E,
                                max_refine_epochs=E, tol=0.0, gamma=cfg["gamma"],
                                init="kmeans", n_init=4, device=str(device),
                                random_state=SEED).fit(X)
    torch_seed, cluster_seed = (int(v) for v in
                                check_random_state(SEED).randint(0, 2**31 - 1, size=2))
    torch.manual_seed(torch_seed)  # DeepSensoryClustering.fit seeds torch with this
    ae = RecurrentAutoencoder(X.shape[1], X.shape[2], **cfg["dsc_model"]).to(device)
    pre = ref.train_autoencoder(ae, X, epochs=E, batch_size=B, lr=cfg["dsc_lr"],
                                replay_global_rng=True)
    model = DeepClusteringModel(ae, N_CLUSTERS).to(device)
    Z = ref.infer(ae.encode, model, X, B)
    km = KMeans(N_CLUSTERS, n_init=4, random_state=cluster_seed).fit(Z)
    model.clustering.set_centroids(km.cluster_centers_.astype(np.float32))
    refine, labels = ref.train_clustering(model, X, epochs=E, batch_size=B, lr=cfg["dsc_lr"],
                                          gamma=cfg["gamma"], replay_global_rng=True)
    out["dsc_pretrain"] = _compare(dsc.pretrain_loss_history_, pre, rtol)
    out["dsc_refine"] = _compare(dsc.refine_loss_history_, refine, rtol)
    out["dsc_refine"]["label_agreement"] = float(np.mean(dsc.labels_ == labels))

    # --- SSL: identity augmentations, dropout 0, no autoencoder input noise
    X = data["ssl"][:n]
    B = cfg["ssl_batch"]
    no_random = dict(encoder=dict(dropout=0.0), ssl=dict(augmentations=()),
                     ae=dict(noise_std=0.0))
    for name in ("dt", "simclr", "vicreg"):
        est = _ssl_estimator(name, cfg, device, E, **{k: dict(v) for k, v in
                                                      no_random.items()}).fit(X)
        instance_encoder = None
        if name == "dt":
            torch.manual_seed(seed_from(SEED + 1))  # ConvAutoencoder.fit's seed
            instance_encoder = _conv_ae(cfg, X.shape[1], X.shape[2], 0.0).to(device)
            ae_losses = ref.train_denoising_autoencoder(
                instance_encoder, X, epochs=E, batch_size=cfg["ae_batch"], lr=cfg["ae_lr"],
                noise_std=0.0, replay_global_rng=True)
            out["dt_autoencoder"] = _compare(est.autoencoder_.loss_history_, ae_losses, rtol)
        torch.manual_seed(seed_from(SEED))  # BaseSSLEncoder.fit's seed
        module = _ssl_module(cfg, X.shape[1], X.shape[2], dropout=0.0).to(device)
        losses = ref.train_contrastive(module, _ssl_loss(name), X, epochs=E, batch_size=B,
                                       optimizer=LARS, lr=cfg["ssl_lr"],
                                       augment=ref.NumpyAugment(()),
                                       instance_encoder=instance_encoder,
                                       replay_global_rng=True)
        out["dt_contrastive" if name == "dt" else name] = _compare(est.loss_history_, losses,
                                                                   rtol)
    out["_setup"] = (f"{n} windows, {E} epochs per stage, seed {SEED}; public estimators "
                     "(DeepSensoryClustering with tol=0, DynamicTemperatureSSL with "
                     "ConvAutoencoder(noise_std=0), SimCLREncoder, VICRegEncoder with "
                     "augmentations=() and dropout=0) against reference_loop.py replaying "
                     "their torch RNG use (same initial weights, one torch.randperm per "
                     "epoch for the batch order, same k-means seed)")
    return out


# ------------------------------------------------------------- FLOPs and peak
def matmul_peak_gflops(n: int, device: torch.device, repeats: int = 10) -> float:
    """Best float32 ``torch.matmul`` rate on an ``n x n`` product."""
    a = torch.randn(n, n, device=device)
    b = torch.randn(n, n, device=device)
    for _ in range(2):
        a @ b
    best = timed_passes(lambda: a @ b, 1, device)
    for _ in range(repeats - 1):
        best = min(best, timed_passes(lambda: a @ b, 1, device))
    return 2 * n**3 / best / 1e9


def flops_per_window(cfg: dict, device: torch.device, shapes: dict) -> dict[str, float]:
    """FLOPs per window of each task (FlopCounterMode on one batch of the config's size)."""
    from torch.utils.flop_counter import FlopCounterMode

    from sktime_har.nn import DeepClusteringModel, RecurrentAutoencoder
    from sktime_har.nn.losses import cluster_hardening_loss, multitask_reconstruction_loss

    def count(fn, per):
        with FlopCounterMode(display=False) as fc:
            fn()
        return fc.get_total_flops() / per

    torch.manual_seed(SEED)
    out = {}
    C, T = shapes["dsc"]
    B = cfg["dsc_batch"]
    x = torch.randn(B, C, T, device=device)
    model = DeepClusteringModel(RecurrentAutoencoder(C, T, **cfg["dsc_model"]),
                                N_CLUSTERS).to(device)
    ae = model.autoencoder

    def pretrain():
        _, *pred = ae(x)
        multitask_reconstruction_loss(pred, ae.targets(x)).backward()

    def refine():
        q, _, *pred = model(x)
        p = torch.softmax(torch.randn_like(q), dim=1)
        (cfg["gamma"] * cluster_hardening_loss(q, p)
         + multitask_reconstruction_loss(pred, ae.targets(x))).backward()

    with torch.no_grad():
        out["dsc_transform"] = count(lambda: ae.encode(x), B)
        out["dsc_predict"] = count(lambda: model.soft_assign(x), B)
    out["dsc_pretrain"] = count(pretrain, B)
    out["dsc_refine"] = count(refine, B) + out["dsc_predict"]  # + the per-epoch refresh

    C, T = shapes["ssl"]
    B = cfg["ssl_batch"]
    x = torch.randn(B, C, T, device=device)
    conv_ae = _conv_ae(cfg, C, T, 0.0).to(device)
    out["dt_autoencoder"] = count(
        lambda: torch.nn.functional.mse_loss(conv_ae(x), x).backward(), B)
    module = _ssl_module(cfg, C, T).to(device)
    with torch.no_grad():
        out["ssl_transform"] = count(lambda: module.encoder(x), B)
        h = conv_ae.encode(x)
    for name, task in (("dt", "dt_contrastive"), ("simclr", "simclr"), ("vicreg", "vicreg")):
        loss = _ssl_loss(name)

        def step(loss=loss, name=name):
            z1, z2 = module(torch.cat([x, x])).chunk(2)
            (loss(z1, z2, h) if name == "dt" else loss(z1, z2)).backward()
        out[task] = count(step, B)
    return out


# ---------------------------------------------------------------- orchestration
def _run_child(args, unit: str, impl: str, data_path: Path) -> list[dict] | dict:
    cmd = [sys.executable, "-m", "benchmarks.throughput", "--config", args.config,
           "--device", args.device, "--row", f"{unit}:{impl}", "--data", str(data_path)]
    if args.threads is not None:
        cmd += ["--threads", str(args.threads)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=ROOT)
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith("ROW "):
            return json.loads(line[4:])
    raise RuntimeError(f"row {unit}:{impl} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}")


def _child_main(args, cfg: dict, device: torch.device) -> None:
    data = dict(np.load(args.data))
    unit, impl = args.row.split(":")
    with threadpool_limits(torch.get_num_threads()):
        if unit == "same":
            result = same_results(cfg, data, device)
        else:
            result = run_unit(unit, impl, cfg, data, device)
    print("ROW " + json.dumps(result), flush=True)


def merge_rounds(rows: list[dict]) -> list[dict]:
    """One row per (task, impl): the best round, with every round's windows/s in ``runs``."""
    merged = {}
    for r in rows:
        key = (r["task"], r["impl"])
        best = merged.get(key)
        runs = ([] if best is None else best["runs"]) + [r["windows_per_s"]]
        if best is None or r["windows_per_s"] > best["windows_per_s"]:
            best = dict(r, peak_mb=max(r["peak_mb"], best["peak_mb"]) if best else r["peak_mb"])
        else:
            best["peak_mb"] = max(best["peak_mb"], r["peak_mb"])
        best["runs"] = runs
        merged[key] = best
    return list(merged.values())


def _dt_pretraining(rows: list[dict], cfg: dict, flops: dict) -> list[dict]:
    """Both DT stages at the config's epoch budget: windows/s per contrastive epoch."""
    ae_epochs, c_epochs = cfg["dt_epoch_budget"]
    a = ae_epochs / c_epochs
    out = []
    for impl in ("library", "reference"):
        r_ae = next(r for r in rows if r["task"] == "dt_autoencoder" and r["impl"] == impl)
        r_c = next(r for r in rows if r["task"] == "dt_contrastive" and r["impl"] == impl)
        extra = 0.0
        if "instance_feature_s" in r_c:  # the library's one-off pass, amortised over the fit
            extra = r_c["instance_feature_s"] / (r_ae["windows"] / r_ae["epochs_timed"])
            extra /= c_epochs
        s_per_window = a / r_ae["windows_per_s"] + 1 / r_c["windows_per_s"] + extra
        out.append({"task": "dt_pretraining", "impl": impl,
                    "windows_per_s": round(1 / s_per_window, 1),
                    "peak_mb": max(r_ae["peak_mb"], r_c["peak_mb"]),
                    "base_mb": r_c["base_mb"],
                    "note": f"derived: {ae_epochs} autoencoder epochs per {c_epochs} "
                            "contrastive epochs; windows/s per contrastive epoch"})
    flops["dt_pretraining"] = a * flops["dt_autoencoder"] + flops["dt_contrastive"]
    return out


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--config", choices=sorted(CONFIGS), default="cpu")
    parser.add_argument("--device", default="auto")
    parser.add_argument("--threads", type=int, default=None,
                        help="torch threads (default: the config's)")
    parser.add_argument("--only", default=None,
                        help="comma-separated units to run (default: all), e.g. simclr,dt")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--row", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--data", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    cfg = CONFIGS[args.config]
    threads = args.threads if args.threads is not None else cfg["threads"]
    if threads is not None:
        torch.set_num_threads(threads)
    from sktime_har.utils._torch import resolve_device

    device = resolve_device(args.device)
    if args.row is not None:
        _child_main(args, cfg, device)
        return {}

    start = time.perf_counter()
    load_start = os.getloadavg()
    threads = torch.get_num_threads()
    units = UNITS if args.only is None else tuple(u for u in UNITS if u in args.only.split(","))
    data = load_data(cfg)
    log(f"config {args.config}, device {device}, {threads} torch thread(s); data: dsc "
        f"{data['dsc'].shape} (all {data['dsc_all'].shape}), ssl {data['ssl'].shape} "
        f"(all {data['ssl_all'].shape}); load average {load_start}")

    with threadpool_limits(threads):
        peaks = [matmul_peak_gflops(cfg["matmul_n"], device)]
        log(f"float32 matmul peak {peaks[0]:.1f} GFLOP/s ({cfg['matmul_n']}^2)")
        flops = flops_per_window(cfg, device, {k: data[k].shape[1:] for k in ("dsc", "ssl")})

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        data_path = Path(tmp) / "data.npz"
        if cfg["subprocess"]:
            np.savez(data_path, **data)
        # rounds interleave the implementations, so slow spells of a shared machine
        # hit both; each row keeps its best round
        jobs = [(u, i) for _ in range(cfg["rounds"]) for u in units
                for i in ("library", "reference")]
        if args.only is None or "same" in args.only.split(","):
            jobs.append(("same", "both"))
        same = None
        for unit, impl in jobs:
            t = time.perf_counter()
            if cfg["subprocess"]:
                result = _run_child(args, unit, impl, data_path)
            else:
                with threadpool_limits(threads):
                    result = (same_results(cfg, data, device) if unit == "same"
                              else run_unit(unit, impl, cfg, data, device))
            if unit == "same":
                same = result
                log("same results: " + ", ".join(
                    f"{k} {'match' if v['match'] else 'DIFFER'} "
                    f"(max rel diff {v['max_rel_diff']:.1e})"
                    for k, v in same.items() if not k.startswith("_")))
                continue
            for r in result:
                log(f"{r['task']:<15s} {impl:<9s} {r['windows_per_s']:10.1f} windows/s  "
                    f"peak {r['peak_mb']:.0f} MB  ({time.perf_counter() - t:.0f} s)")
            rows.extend(result)

    rows = merge_rounds(rows)
    with threadpool_limits(threads):  # again at the end: the best of both is the peak
        peaks.append(matmul_peak_gflops(cfg["matmul_n"], device))
    peak = max(peaks)
    log(f"float32 matmul peak {peaks[1]:.1f} GFLOP/s at the end; using {peak:.1f}")
    if any(r["task"] == "dt_contrastive" for r in rows):
        rows.extend(_dt_pretraining(rows, cfg, flops))
    for r in rows:
        if r["task"] in flops:
            r["gflops_per_window"] = round(flops[r["task"]] / 1e9, 5)
            r["peak_share"] = round(r["windows_per_s"] * flops[r["task"]] / (peak * 1e9), 4)
    ratios = {}
    for task in (*TRAINING_TASKS, *INFERENCE_TASKS, "augmentation"):
        pair = {r["impl"]: r["windows_per_s"] for r in rows if r["task"] == task}
        if len(pair) == 2:
            ratios[task] = round(pair["library"] / pair["reference"], 2)
    # the most any fp32 implementation could gain over the reference: everything at matmul peak
    ceilings = {r["task"]: round(1 / r["peak_share"], 2) for r in rows
                if r["impl"] == "reference" and r.get("peak_share")}
    targets = []
    for task in TRAINING_TASKS:
        if task not in ratios:
            continue
        detail = f"{ratios[task]:.2f}x"
        if task in ceilings:
            detail += (f"; the reference runs at {100 / ceilings[task]:.0f} % of the matmul "
                       f"peak, so any fp32 implementation gains at most {ceilings[task]:.1f}x")
        targets.append({"name": f"{task}: library/reference >= {TARGETS['training']:g}x",
                        "met": ratios[task] >= TARGETS["training"], "detail": detail})
    if "augmentation" in ratios:
        targets.append({"name": f"augmentation: library/reference >= "
                                f"{TARGETS['augmentation']:g}x",
                        "met": ratios["augmentation"] >= TARGETS["augmentation"],
                        "detail": f"{ratios['augmentation']:.2f}x"})
    if same is not None:
        targets.append({"name": "same per-epoch losses (relative tolerance)",
                        "met": all(v["match"] for k, v in same.items()
                                   if not k.startswith("_")),
                        "detail": ", ".join(f"{k} {v['max_rel_diff']:.1e}"
                                            for k, v in same.items() if not k.startswith("_"))})

    result = {
        "config": args.config,
        "config_description": cfg["description"],
        "device": (str(device) if device.type != "cpu"
                   else f"cpu ({platform.machine()}, {os.cpu_count()} cores, shared)"),
        "device_name": (torch.cuda.get_device_name(device) if device.type == "cuda"
                        else platform.processor() or platform.machine()),
        "torch": torch.__version__,
        "python": platform.python_version(),
        "threads": threads,
        "load_average": {"start": [round(v, 2) for v in load_start],
                         "end": [round(v, 2) for v in os.getloadavg()]},
        "memory_method": ("torch.cuda.max_memory_allocated per row" if device.type == "cuda"
                          else "peak RSS (VmHWM reset per row) of one subprocess per row"
                          if cfg["subprocess"] else "peak RSS (VmHWM reset per row), "
                          "in-process"),
        "matmul_peak_gflops": round(peak, 1),
        "matmul_peak_runs_gflops": [round(v, 1) for v in peaks],
        "sizes": {"dsc_model": cfg["dsc_model"], "dsc_batch": cfg["dsc_batch"],
                  "encoder": {**cfg["encoder"],
                              "conv_channels": list(cfg["encoder"]["conv_channels"])},
                  "ssl_batch": cfg["ssl_batch"], "ae": cfg["ae"], "ae_batch": cfg["ae_batch"],
                  "train_windows": {k: len(data[k]) for k in ("dsc", "ssl")},
                  "inference_windows": {k: len(data[k + "_all"]) for k in ("dsc", "ssl")},
                  "epochs": cfg["epochs"], "timed_epochs": cfg["epochs"] - 1,
                  "dt_epoch_budget": list(cfg["dt_epoch_budget"])},
        "rows": rows,
        "ratios": ratios,
        "fp32_ceilings": ceilings,
        "same_results": same,
        "targets": targets,
        "total_wall_s": round(time.perf_counter() - start, 1),
    }
    args.out.mkdir(parents=True, exist_ok=True)
    stem = "throughput" if args.config == "cpu" else f"throughput_{args.config}"
    (args.out / f"{stem}.json").write_text(json.dumps(result, indent=2) + "\n")
    write_markdown(args.out / f"{stem}.md", result)
    for t in targets:
        print(f"target {t['name']}: {'met' if t['met'] else 'NOT met'} ({t['detail']})")
    log(f"total {result['total_wall_s'] / 60:.1f} min; wrote {args.out / stem}.{{md,json}}")
    return result


TASK_LABELS = {
    "dsc_pretrain": "DSC autoencoder pretraining",
    "dsc_refine": "DSC clustering refinement",
    "dt_autoencoder": "DynamicTemperatureSSL: conv autoencoder",
    "dt_contrastive": "DynamicTemperatureSSL: NDT-Xent",
    "dt_pretraining": "DynamicTemperatureSSL: both stages",
    "simclr": "SimCLR (NT-Xent)",
    "vicreg": "VICReg",
    "dsc_transform": "DSC `transform`",
    "dsc_predict": "DSC `predict`",
    "ssl_transform": "SSL encoder `transform`",
    "augmentation": "augmentation (one view)",
}


def write_markdown(path: Path, result: dict) -> None:
    cfg = result["config"]
    sizes = result["sizes"]
    lines = [
        "# Throughput: the library against a reference loop",
        "",
        f"Config **{cfg}** ({result['config_description']}). Device: {result['device']} "
        f"({result['device_name']}), {result['threads']} torch thread(s); torch "
        f"{result['torch']}, python {result['python']}. Load average at start / end: "
        f"{result['load_average']['start'][0]} / {result['load_average']['end'][0]}. "
        f"Total wall time {result['total_wall_s'] / 60:.1f} min.",
        "",
        f"Data: UCI-HAR training split, `load_uci_har(protocol=\"dsc\")` (9 x 128, "
        f"channels standardised) for DSC and `protocol=\"ssl\"` (6 x 30, z-scored) for "
        f"the SSL methods. Training rows use {sizes['train_windows']['dsc']} / "
        f"{sizes['train_windows']['ssl']} windows (dsc / ssl) for {sizes['epochs']} epochs, "
        f"the first a warm-up, the other {sizes['timed_epochs']} timed; inference and "
        f"augmentation rows pass over {sizes['inference_windows']['dsc']} / "
        f"{sizes['inference_windows']['ssl']} windows.",
        "",
        "Reference: `benchmarks/reference_loop.py`, the papers' public-code style "
        "(per-sample `Dataset`, numpy augmentations per window, default `DataLoader` "
        "collation, plain loop), training the same `sktime_har.nn` modules with the same "
        "losses, optimisers and batch sizes. Library: the public estimators (SSL rows) "
        "or the skorch nets `DeepSensoryClustering.fit` builds (DSC rows), see the "
        "script's docstring.",
        "",
        f"Float32 matmul peak of this machine, measured in the run: "
        f"**{result['matmul_peak_gflops']:.1f} GFLOP/s**. GFLOP/window counts forward + "
        "backward of one training batch (FlopCounterMode; refinement adds the refresh's "
        "encoder forward); share = windows/s x FLOP/window / matmul peak. Memory: "
        f"{result['memory_method']}; `peak MB` is the row's peak, `base MB` the "
        "process before the row (interpreter, torch, data).",
        "",
        "| task | impl | windows/s | library / reference | peak MB | base MB | "
        "GFLOP/window | share of matmul peak | note |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in result["rows"]:
        ratio = result["ratios"].get(r["task"]) if r["impl"] == "library" else None
        ratio_text = "" if ratio is None else f"**{ratio:.2f}x**"
        gflops = f"{r['gflops_per_window']:.4f}" if "gflops_per_window" in r else ""
        share = f"{100 * r['peak_share']:.1f} %" if "peak_share" in r else ""
        lines.append(
            f"| {TASK_LABELS.get(r['task'], r['task'])} | {r['impl']} | "
            f"{r['windows_per_s']:,.0f} | {ratio_text} | {r['peak_mb']:.0f} | "
            f"{r['base_mb']:.0f} | {gflops} | {share} | {r.get('note', '')} |"
        )
    lines += ["", "## Targets", ""]
    lines += [f"- {t['name']}: {'met' if t['met'] else 'NOT met'} ({t['detail']})"
              for t in result["targets"]]
    same = result["same_results"]
    if same:
        lines += [
            "",
            "## Same results",
            "",
            same["_setup"] + ". Per-epoch mean training losses:",
            "",
            "| stage | library | reference | max relative difference | within rtol |",
            "|---|---|---|---:|---|",
        ]
        for key, v in same.items():
            if key.startswith("_"):
                continue
            fmt = ", ".join(f"{x:.6g}" for x in v["library"])
            fmt_ref = ", ".join(f"{x:.6g}" for x in v["reference"])
            extra = (f" (final labels agree on {100 * v['label_agreement']:.1f} %)"
                     if "label_agreement" in v else "")
            lines.append(f"| {TASK_LABELS.get(key, key)} | {fmt} | {fmt_ref} | "
                         f"{v['max_rel_diff']:.1e} | {'yes' if v['match'] else 'NO'} "
                         f"(rtol {v['rtol']:g}){extra} |")
    lines += ["", f"Reproduce: `python -m benchmarks.throughput --config {cfg}`.", ""]
    path.write_text("\n".join(lines))


if __name__ == "__main__":
    sys.exit(0 if main() is not None else 1)
