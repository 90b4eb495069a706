"""Private memory of ``fit`` and ``transform`` on windows in a file, against the same in memory.

Usage::

    python -m benchmarks.out_of_core                 # 0.5, 1 and 2 GiB of windows
    python -m benchmarks.out_of_core --config smoke  # 64 and 128 MiB, plumbing only

For each size, a ``.npy`` file of standard-normal float32 windows of UCI-HAR's
``dsc`` shape ``(9, 128)`` is written to ``--tmp`` (deleted afterwards). A
fresh Python process then opens it either as a read-only ``numpy.memmap``
(``np.load(mmap_mode="r")``, the out-of-core path) or loads it into memory
(``np.load``), and runs ``ConvAutoencoder(...).fit`` for one epoch, then
``transform``. A thread samples the process's private resident memory
(``RssAnon`` in ``/proc/self/status``: anonymous pages, so the memmap's pages,
which the kernel can drop and reread, do not count) every 5 ms; the peak of
each call minus the private memory just before it is reported. The model is
small on purpose (a conv autoencoder of widths 8, latent 16, batches of 512):
the figure of interest is what grows with the file, not the model. A warm-up fit
and transform on 2,048 windows in memory run first, so the one-off start-up
costs (kernels, skorch, allocator pools) are not in the figures. The children run
with ``MALLOC_MMAP_THRESHOLD_=131072``, so glibc hands freed batch buffers back
and private memory follows live memory.

Bound stated for the memmap path: the peak private memory of ``fit`` and of
``transform`` stays under 64 MiB plus the returned features (``transform``'s
output, 64 bytes a window, is unavoidable), whatever the file size. Writes
``benchmarks/results/out_of_core[_smoke].{md,json}``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np

from benchmarks import _common
from benchmarks._common import RESULTS, ROOT

SHAPE = (9, 128)
BOUND_MIB = 64
CONFIGS = {"cpu": (0.5, 1.0, 2.0), "smoke": (1 / 16, 1 / 8)}
MODEL = dict(conv_channels=(8, 8, 8), kernel_size=3, latent_dim=16, batch_size=512,
             max_epochs=1, device="cpu", random_state=0)
MIB = 2**20
DESCRIPTION = (
    "ConvAutoencoder (widths 8, latent 16, batches of 512, one epoch) on float32 windows of "
    "shape (9, 128) read from a .npy file as a read-only numpy.memmap or loaded into memory; "
    "private memory (RssAnon) is sampled every 5 ms after a warm-up fit, and each call's "
    "figure is its peak minus the private memory before it. The memmap path holds no copy of "
    "the file; its peaks stay flat as the file grows.")


def _private_mib() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("RssAnon:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no RssAnon in /proc/self/status")


class PeakSampler:
    """Samples private memory in a thread while the block runs; ``peak`` in MiB."""

    def __enter__(self):
        self.before, self.peak, self._stop = _private_mib(), 0.0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, _private_mib())
            time.sleep(0.005)

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, _private_mib())


def child(path: str, mode: str) -> dict:
    """One measurement in a fresh process: open the windows, fit, transform."""
    _common.one_thread()
    from sktime_har.ssl import ConvAutoencoder

    # load kernels, skorch and allocator pools on a small in-memory slice first, so the
    # peaks below are what the file's size adds, not one-off start-up costs
    warm = np.array(np.load(path, mmap_mode="r")[:2048])
    ConvAutoencoder(**MODEL).fit(warm).transform(warm)
    del warm
    start = _private_mib()
    t = time.perf_counter()
    X = np.load(path, mmap_mode="r") if mode == "memmap" else np.load(path)
    open_s = time.perf_counter() - t
    opened = _private_mib()
    with PeakSampler() as fit_memory:
        t = time.perf_counter()
        est = ConvAutoencoder(**MODEL).fit(X)
        fit_s = time.perf_counter() - t
    with PeakSampler() as transform_memory:
        t = time.perf_counter()
        features = est.transform(X)
        transform_s = time.perf_counter() - t
    return {
        "mode": mode, "n_windows": len(X), "file_mib": round(X.nbytes / MIB, 1),
        "open_private_mib": round(opened - start, 1), "open_s": round(open_s, 2),
        "fit_peak_mib": round(fit_memory.peak - fit_memory.before, 1), "fit_s": round(fit_s, 1),
        "transform_peak_mib": round(transform_memory.peak - transform_memory.before, 1),
        "transform_output_mib": round(features.nbytes / MIB, 1),
        "transform_s": round(transform_s, 1),
    }


def write_windows(path: Path, gib: float) -> None:
    n = int(gib * 2**30 // (4 * np.prod(SHAPE)))
    out = np.lib.format.open_memmap(path, mode="w+", dtype=np.float32, shape=(n, *SHAPE))
    rng = np.random.default_rng(0)
    for start in range(0, n, 8192):
        stop = min(n, start + 8192)
        out[start:stop] = rng.standard_normal((stop - start, *SHAPE), dtype=np.float32)
    out.flush()
    del out


def run_child(path: Path, mode: str) -> dict:
    cmd = [sys.executable, "-m", "benchmarks.out_of_core", "--child", str(path), mode]
    # glibc returns freed large buffers to the system, so private memory follows live
    # memory instead of the allocator's retained heap (as in transform_memory.py)
    env = {**os.environ, "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
           "MALLOC_MMAP_THRESHOLD_": "131072"}
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{cmd} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def write_markdown(path: Path, result: dict) -> None:
    lines = [
        "# Out-of-core: private memory of fit and transform on windows in a file",
        "",
        f"`ConvAutoencoder({', '.join(f'{k}={v!r}' for k, v in MODEL.items())})` on "
        f"standard-normal float32 windows of shape {SHAPE}, one torch thread, "
        f"{result['device']}; torch {result['versions']['torch']}. Private memory is "
        "`RssAnon` sampled every 5 ms (memmap pages are file-backed and not counted); "
        "each figure is the call's peak minus the private memory just before it. "
        f"Command: `python -m benchmarks.out_of_core --config {result['config']}` "
        f"({result['total_wall_s'] / 60:.1f} min).",
        "",
        "| file | windows | path | opening (MiB) | fit peak (MiB) | fit (s) | transform peak "
        "(MiB) | of which output (MiB) | transform (s) |",
        "|---:|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in result["rows"]:
        lines.append(
            f"| {row['file_mib']:.0f} MiB | {row['n_windows']:,} | {row['mode']} | "
            f"{row['open_private_mib']:.0f} | {row['fit_peak_mib']:.0f} | {row['fit_s']:.0f} | "
            f"{row['transform_peak_mib']:.0f} | {row['transform_output_mib']:.0f} | "
            f"{row['transform_s']:.0f} |")
    lines += ["", f"Bound for the memmap path: fit peak <= {BOUND_MIB} MiB and transform peak "
              f"<= {BOUND_MIB} MiB + output, at every size: "
              f"**{'met' if result['bound_met'] else 'not met'}**.", ""]
    path.write_text("\n".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", choices=sorted(CONFIGS), default="cpu")
    parser.add_argument("--tmp", default="/tmp/sktime_har_out_of_core")
    parser.add_argument("--child", nargs=2, metavar=("PATH", "MODE"))
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(*args.child)))
        return
    t0 = time.perf_counter()
    tmp = Path(args.tmp)
    tmp.mkdir(parents=True, exist_ok=True)
    rows = []
    for gib in CONFIGS[args.config]:
        path = tmp / f"windows_{gib:g}GiB.npy"
        write_windows(path, gib)
        try:
            for mode in ("memmap", "in_memory"):
                rows.append(run_child(path, mode))
                print(rows[-1], flush=True)
        finally:
            path.unlink()
    memmap_rows = [r for r in rows if r["mode"] == "memmap"]
    result = {
        "title": "Out-of-core: private memory of fit and transform on windows in a file",
        "description": DESCRIPTION,
        "config": args.config, "device": _common.cpu_device(), "versions": _common.versions(),
        "model": MODEL, "shape": SHAPE, "bound_mib": BOUND_MIB, "rows": rows,
        "bound_met": all(r["fit_peak_mib"] <= BOUND_MIB
                         and r["transform_peak_mib"] <= BOUND_MIB + r["transform_output_mib"]
                         for r in memmap_rows),
        "total_wall_s": round(time.perf_counter() - t0, 1),
    }
    suffix = "" if args.config == "cpu" else f"_{args.config}"
    (RESULTS / f"out_of_core{suffix}.json").write_text(json.dumps(result, indent=1) + "\n")
    write_markdown(RESULTS / f"out_of_core{suffix}.md", result)
    print(f"wrote {RESULTS}/out_of_core{suffix}.{{md,json}}; bound met: {result['bound_met']}")


if __name__ == "__main__":
    main()
