"""Bounded memory of ``transform`` / ``predict`` on many windows.

Fits small models once (tiny budgets on a few hundred synthetic windows: the
weights do not matter for memory), pickles them, and then, for each
(estimator, method, n), starts a fresh Python process that loads the pickle,
builds ``n`` synthetic float32 windows in place, runs the method once on a
small slice (to load kernels and allocator pools), then resets the process's
peak-RSS counter (``/proc/self/clear_refs``), runs the method on all ``n``
windows and reads the peak RSS (``VmHWM``, the per-process high-water mark
that ``resource.getrusage(...).ru_maxrss`` reports). ``ru_maxrss`` itself is
recorded too, but in a child started from a large parent it cannot go below
the parent's RSS at fork: Linux carries that peak across ``exec`` in the
process's ``signal->maxrss``, which ``clear_refs`` does not reset, so
``VmHWM`` is the figure used.

- ``delta = peak RSS during the call - RSS just before the call``; the input
  already exists before the call, so it is not in ``delta``.
- ``working = delta - output bytes`` (the returned array is unavoidable).
- ``W1``: the working memory of the same call on one inference batch
  (``n = batch``): ``batch x per-window activation memory`` plus the fixed
  cost of the libraries' kernels and scratch buffers.

Every row runs under two allocator settings. With glibc's default dynamic
mmap threshold, large buffers freed by one batch are kept in the heap and
fragmentation lets the peak creep up over the first batches (it levels off);
with the threshold pinned (``MALLOC_MMAP_THRESHOLD_=131072``) freed buffers go
back to the system and RSS follows live memory. Bounds, fixed per estimator
and independent of n: ``W1 + 16 MiB`` with the pinned threshold (live memory)
and ``2 W1 + 16 MiB`` with the default allocator (live memory plus at most one
retained copy of the batch buffers). The per-window slope of ``working``
(least squares over n) is reported beside the input's bytes per window.

Shapes: UCI-HAR ``ssl`` windows ``(6, 30)`` for DynamicTemperatureSSL
``transform`` and TransformerClassifier ``predict``; UCI-HAR ``dsc`` windows
``(9, 128)`` for DeepSensoryClustering ``predict`` and ``transform``.
Synthetic standard-normal data (memory does not depend on the values).

Writes ``benchmarks/results/transform_memory[_smoke].md`` and ``.json``.
``--config cpu``: n = 10k, 50k, 200k (about 4 minutes on 2 cores);
``--config smoke``: n = 2k, 8k (about 1.5 minutes).

Usage: ``python -m benchmarks.transform_memory --config cpu``
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import pickle
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from benchmarks._common import RESULTS, ROOT

MIB = 2**20
SLACK_MIB = 16
SEED = 0
#: allocator setting -> (extra environment, bound = factor * W1 + slack)
ALLOCATORS = {
    "glibc default": ({}, 2.0),
    "mmap threshold pinned": ({"MALLOC_MMAP_THRESHOLD_": "131072"}, 1.0),
}

CONFIGS = {
    "cpu": dict(ns=(10_000, 50_000, 200_000), fit_windows=512),
    "smoke": dict(ns=(2_000, 8_000), fit_windows=256),
}

SSL_SHAPE, DSC_SHAPE = (6, 30), (9, 128)


# ---------------------------------------------------------------- child side
def _rss_kib(key: str = "VmRSS") -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"{key} not in /proc/self/status")


def _reset_peak() -> bool:
    # "5" resets the peak RSS (VmHWM, the value ru_maxrss reports) to the
    # current RSS (Linux >= 4.0), so the peak after the call is the call's own.
    try:
        with open("/proc/self/clear_refs", "w") as clear_refs:
            clear_refs.write("5")
        return True
    except OSError:
        return False


def _child(model_path: str, method: str, n: int, n_channels: int, n_timesteps: int,
           warmup: int) -> dict:
    import torch

    torch.set_num_threads(1)
    with open(model_path, "rb") as f:
        estimator = pickle.load(f)
    # standard_normal(out=...) fills in place: no temporary the size of the input
    X = np.empty((n, n_channels, n_timesteps), dtype=np.float32)
    np.random.default_rng(SEED).standard_normal(out=X, dtype=np.float32)
    call = getattr(estimator, method)
    call(X[:warmup])  # loads kernels and pools once, as any earlier call would
    gc.collect()

    baseline_kib = _rss_kib()
    anon_before, file_before = _rss_kib("RssAnon"), _rss_kib("RssFile")
    reset = _reset_peak()
    peak_before_kib = _rss_kib("VmHWM")
    start = time.perf_counter()
    out = call(X)
    wall = time.perf_counter() - start
    peak_kib = _rss_kib("VmHWM")
    anon_after, file_after = _rss_kib("RssAnon"), _rss_kib("RssFile")
    return dict(
        n=n,
        baseline_mib=baseline_kib / 1024,
        peak_mib=peak_kib / 1024,
        ru_maxrss_mib=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        peak_reset=reset,
        # without the reset, the high-water mark cannot see a call peak below an earlier one
        peak_capped=(not reset) and peak_before_kib >= peak_kib,
        delta_mib=(peak_kib - baseline_kib) / 1024,
        # where the RSS left after the call lives: heap/anonymous or file-backed (code)
        anon_after_mib=(anon_after - anon_before) / 1024,
        file_after_mib=(file_after - file_before) / 1024,
        input_mib=X.nbytes / MIB,
        output_mib=np.asarray(out).nbytes / MIB,
        output_shape=list(np.shape(out)),
        output_dtype=str(np.asarray(out).dtype),
        wall_s=wall,
    )


# ---------------------------------------------------------------- parent side
def _fit_models(fit_windows: int) -> list[dict]:
    import torch

    from sktime_har.clustering import DeepSensoryClustering
    from sktime_har.datasets import make_activity_windows
    from sktime_har.ssl import ConvAutoencoder, DynamicTemperatureSSL
    from sktime_har.supervised import TransformerClassifier

    torch.set_num_threads(1)
    X_ssl, y_ssl, _ = make_activity_windows(fit_windows, n_channels=6, n_timesteps=30,
                                            random_state=SEED)
    X_dsc, _, _ = make_activity_windows(fit_windows, n_channels=9, n_timesteps=128,
                                        random_state=SEED)
    encoder = dict(conv_channels=(8, 16, 16), n_layers=1, n_heads=2, dim_feedforward=32,
                   pooling="flatten", batch_size=128, max_epochs=1, device="cpu",
                   random_state=SEED)
    dt = DynamicTemperatureSSL(
        autoencoder=ConvAutoencoder(conv_channels=(8, 16), latent_dim=16, max_epochs=1,
                                    batch_size=128, device="cpu", random_state=SEED),
        projection_hidden_dim=16, projection_dim=16, **encoder,
    ).fit(X_ssl)
    tc = TransformerClassifier(head_hidden_features=(16,), optimizer="adam",
                               **encoder).fit(X_ssl, y_ssl)
    dsc = DeepSensoryClustering(
        n_clusters=6, hidden_size=16, num_layers=1, embedding_dim=8, batch_size=256,
        pretrain_epochs=1, max_refine_epochs=1, n_init=2, device="cpu", random_state=SEED,
    ).fit(X_dsc)
    dsc_batch = dsc._inference_batch_size(torch.device("cpu"))
    return [
        dict(estimator="DynamicTemperatureSSL", method="transform", model=dt, shape=SSL_SHAPE,
             batch=dt.batch_size, module=dt.encoder_, fn=dt.encoder_),
        dict(estimator="TransformerClassifier", method="predict", model=tc, shape=SSL_SHAPE,
             batch=tc.batch_size, module=tc.module_, fn=tc.module_),
        dict(estimator="DeepSensoryClustering", method="predict", model=dsc, shape=DSC_SHAPE,
             batch=dsc_batch, module=dsc.module_, fn=dsc.module_.soft_assign),
        dict(estimator="DeepSensoryClustering", method="transform", model=dsc, shape=DSC_SHAPE,
             batch=dsc_batch, module=dsc.module_, fn=dsc.module_.autoencoder.encode),
    ]


def _activation_mib(module, fn, batch: int, shape: tuple[int, int]) -> float:
    """Sum of every submodule's output for one inference batch (an upper-bound guide)."""
    import torch

    total = 0

    def count(_module, _inputs, output):
        nonlocal total
        for t in output if isinstance(output, (tuple, list)) else (output,):
            if isinstance(t, torch.Tensor):
                total += t.numel() * t.element_size()

    hooks = [m.register_forward_hook(count) for m in module.modules()]
    try:
        with torch.no_grad():
            fn(torch.zeros((batch, *shape)))
    finally:
        for hook in hooks:
            hook.remove()
    return total / MIB


def _run_child(model_path: Path, method: str, n: int, shape, warmup: int,
               env_extra: dict) -> dict:
    cmd = [sys.executable, "-m", "benchmarks.transform_memory", "--child", str(model_path),
           method, str(n),
           str(shape[0]), str(shape[1]), str(warmup)]
    env = {k: v for k, v in os.environ.items() if not k.startswith("MALLOC_")}
    env.update(OMP_NUM_THREADS="1", MKL_NUM_THREADS="1", **env_extra)
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False, cwd=ROOT)
    if done.returncode != 0:
        raise RuntimeError(f"child {cmd} failed:\n{done.stderr}")
    row = json.loads(done.stdout.strip().splitlines()[-1])
    row["working_mib"] = row["delta_mib"] - row["output_mib"]
    return row


def _slope_bytes_per_window(rows: list[dict]) -> float:
    n = np.array([r["n"] for r in rows], dtype=float)
    w = np.array([r["working_mib"] for r in rows]) * MIB
    return float(np.polyfit(n, w, 1)[0]) if len(n) > 1 else float("nan")


_PROTOCOL = (
    "One fresh process per row; the model is unpickled, the input built in place, the "
    "method run once on a small slice, the peak-RSS counter reset, then the method run on "
    "all n windows. delta = peak RSS (VmHWM) during the call - RSS before it (the input "
    "exists before the call); working = delta - output bytes; W1 = working on one "
    "inference batch (n = batch). Bound, fixed per estimator: W1 + 16 MiB with glibc's "
    "mmap threshold pinned (RSS follows live memory), 2 W1 + 16 MiB with the default "
    "allocator (which keeps freed batch buffers in a fragmented heap)."
)
_COLUMNS = ("estimator", "method", "window", "batch", "allocator", "n", "input_mib",
            "output_mib", "delta_mib", "working_mib", "bound_mib", "within", "call_s")


def _markdown(report: dict) -> str:
    lines = [
        f"# {report['title']}",
        "",
        f"Config `{report['config']}`, device {report['device']}, torch {report['torch']}, "
        f"{report['threads']} thread, wall time {report['wall_time_s']:.0f} s. "
        "Synthetic float32 windows.",
        "",
        report["description"],
        "",
        "| " + " | ".join(c.replace("_mib", " MiB").replace("_s", " s") for c in _COLUMNS)
        + " |",
        "|" + "---|" * len(_COLUMNS),
    ]
    for r in report["rows"]:
        cells = []
        for c in _COLUMNS:
            v = r[c]
            if c == "n":
                v = f"{v:,}" + (" (W1)" if r["role"] == "one batch" else "")
            elif c == "within":
                v = "yes" if v else "NO"
            elif isinstance(v, float):
                v = f"{v:.1f}"
            cells.append(str(v))
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", *(f"- {note}" for note in report["notes"])]
    return "\n".join(lines) + "\n"


def _measure(path: Path, spec: dict, ns, allocator: str) -> tuple[list[dict], str]:
    env_extra, factor = ALLOCATORS[allocator]
    batch, shape, method = int(spec["batch"]), spec["shape"], spec["method"]
    warmup = min(2 * batch, 256)
    one_batch = _run_child(path, method, batch, shape, warmup, env_extra)
    bound = factor * max(one_batch["working_mib"], 0.0) + SLACK_MIB
    measured = []
    for n in ns:
        row = _run_child(path, method, n, shape, warmup, env_extra)
        measured.append(row)
        print(f"{spec['estimator']}.{method} [{allocator}] n={n}: delta {row['delta_mib']:.1f} "
              f"MiB, output {row['output_mib']:.1f} MiB, working {row['working_mib']:.1f} MiB "
              f"(bound {bound:.1f})", flush=True)
    rows = []
    for role, r in [("one batch", one_batch)] + [("n", r) for r in measured]:
        rows.append(dict(
            estimator=spec["estimator"], method=method, window=str(tuple(shape)), batch=batch,
            allocator=allocator, role=role, n=r["n"], input_mib=r["input_mib"],
            output_mib=r["output_mib"], delta_mib=r["delta_mib"], working_mib=r["working_mib"],
            bound_mib=bound, within=bool(r["working_mib"] <= bound and not r["peak_capped"]),
            call_s=r["wall_s"], baseline_mib=r["baseline_mib"], ru_maxrss_mib=r["ru_maxrss_mib"],
            anon_after_mib=r["anon_after_mib"], file_after_mib=r["file_after_mib"],
        ))
    bounded = all(r["within"] for r in rows[1:])
    last = measured[-1]
    note = (
        f"{spec['estimator']}.{method}, {allocator}: W1 {one_batch['working_mib']:.1f} MiB "
        f"(module outputs of one batch {spec['activation_mib']:.1f} MiB), bound "
        f"{bound:.1f} MiB, working at n = {last['n']:,}: {last['working_mib']:.1f} MiB, "
        f"slope {_slope_bytes_per_window(measured):.1f} bytes/window (input "
        f"{int(np.prod(shape)) * 4}, output {last['output_mib'] * MIB / last['n']:.0f} "
        f"bytes/window): {'bounded' if bounded else 'NOT bounded'}."
    )
    return rows, note


def main(config: str) -> dict:
    import torch

    settings = CONFIGS[config]
    t0 = time.perf_counter()
    rows, notes = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for spec in _fit_models(settings["fit_windows"]):
            path = Path(tmp) / f"{spec['estimator']}.pkl"
            with open(path, "wb") as f:
                pickle.dump(spec["model"], f)
            spec["activation_mib"] = _activation_mib(spec["module"], spec["fn"],
                                                     int(spec["batch"]), spec["shape"])
            for allocator in ALLOCATORS:
                new_rows, note = _measure(path, spec, settings["ns"], allocator)
                rows += new_rows
                notes.append(note)
    report = dict(
        title="Bounded memory of transform / predict",
        description=_PROTOCOL,
        config=config, device="cpu", torch=torch.__version__, platform=platform.platform(),
        threads=1, slack_mib=SLACK_MIB, wall_time_s=time.perf_counter() - t0,
        command=f"python -m benchmarks.transform_memory --config {config}",
        rows=rows, notes=notes,
    )
    RESULTS.mkdir(exist_ok=True)
    stem = "transform_memory" if config == "cpu" else f"transform_memory_{config}"
    (RESULTS / f"{stem}.json").write_text(json.dumps(report, indent=2) + "\n")
    (RESULTS / f"{stem}.md").write_text(_markdown(report))
    print(_markdown(report))
    return report


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        path, method, n, c, t, warmup = sys.argv[2:8]
        print(json.dumps(_child(path, method, int(n), int(c), int(t), int(warmup))))
        sys.exit(0)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", choices=sorted(CONFIGS), default="cpu")
    main(parser.parse_args().config)
