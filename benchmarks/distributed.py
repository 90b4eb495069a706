"""Data-parallel pretraining: 2 processes against 1 at the same global batch, on this CPU.

``python -m benchmarks.distributed`` launches ``torchrun --nproc_per_node=N`` on
this file for N = 1 and 2 (gloo, one torch thread per process); each run
pretrains the same SimCLR encoder on the same synthetic windows with the
same global batch, and rank 0 records the fit's wall time, its peak resident
memory and the per-epoch losses. Results: ``results/distributed.{json,md}``.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from benchmarks._common import RESULTS, ROOT, cpu_device, versions

CONFIG = dict(n_windows=4096, n_channels=6, n_timesteps=64, batch_size=256, max_epochs=3)
ENCODER = dict(conv_channels=(32, 64, 64), n_layers=2, n_heads=4, dim_feedforward=128,
               dropout=0.0, projection_hidden_dim=64, projection_dim=64)


def _fit_in_group(out: Path) -> None:
    import numpy as np
    import torch
    import torch.distributed as dist

    from sktime_har.datasets import make_activity_windows
    from sktime_har.ssl import SimCLREncoder

    torch.set_num_threads(1)
    dist.init_process_group("gloo")
    X, _, _ = make_activity_windows(CONFIG["n_windows"], n_channels=CONFIG["n_channels"],
                                    n_timesteps=CONFIG["n_timesteps"], random_state=0)
    X = X.astype(np.float32)
    encoder = SimCLREncoder(**ENCODER, batch_size=CONFIG["batch_size"],
                            max_epochs=CONFIG["max_epochs"], device="cpu", random_state=0)
    dist.barrier()
    start = time.perf_counter()
    encoder.fit(X)
    dist.barrier()
    wall = time.perf_counter() - start
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if dist.get_rank() == 0:
        out.write_text(json.dumps({
            "processes": dist.get_world_size(), "fit_wall_s": round(wall, 2),
            "peak_rss_mib_rank0": round(peak_mib, 1),
            "train_loss": [round(v, 6) for v in encoder.loss_history_],
        }))
    dist.destroy_process_group()


def _launch(n: int, out: Path) -> dict:
    env = dict(os.environ, OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    subprocess.run([sys.executable, "-m", "torch.distributed.run", f"--nproc_per_node={n}",
                    "--master_addr=127.0.0.1", "--master_port=29561", "-m",
                    "benchmarks.distributed", "--in-group", str(out)],
                   env=env, cwd=ROOT, check=True)
    return json.loads(out.read_text())


def main() -> None:
    rows = [_launch(n, RESULTS / f".distributed_{n}.json") for n in (1, 2)]
    for n in (1, 2):
        (RESULTS / f".distributed_{n}.json").unlink()
    one, two = rows
    gap = max(abs(a - b) for a, b in zip(one["train_loss"], two["train_loss"], strict=True))
    result = {"config": CONFIG, "encoder": ENCODER, "device": cpu_device() + " per process",
              "backend": "gloo", "rows": rows, "max_train_loss_difference": gap,
              "speed_up": round(one["fit_wall_s"] / two["fit_wall_s"], 2),
              "versions": versions()}
    (RESULTS / "distributed.json").write_text(json.dumps(result, indent=2) + "\n")
    lines = [
        "# Data-parallel SimCLR pretraining, 2 processes against 1 (gloo, this CPU)",
        "",
        f"{CONFIG['n_windows']} synthetic windows of {CONFIG['n_channels']} x "
        f"{CONFIG['n_timesteps']}, global batch {CONFIG['batch_size']}, "
        f"{CONFIG['max_epochs']} epochs, one torch thread per process; "
        f"`python -m benchmarks.distributed`.",
        "",
        "| processes | fit wall (s) | peak RSS of rank 0 (MiB) | train loss per epoch |",
        "|---|---|---|---|",
    ]
    for row in rows:
        losses = ", ".join(f"{v:.6f}" for v in row["train_loss"])
        lines.append(f"| {row['processes']} | {row['fit_wall_s']} | "
                     f"{row['peak_rss_mib_rank0']} | {losses} |")
    lines += ["", f"Speed-up {result['speed_up']}x; largest per-epoch loss difference "
              f"{gap:.2e}: the augmentations of each process draw from its own stream, so the "
              "views differ from the one-process run (with fixed augmentations the fits agree "
              "within 1e-5: tests/test_distributed.py)."]
    (RESULTS / "distributed.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--in-group":
        _fit_in_group(Path(sys.argv[2]))
    else:
        main()
