"""Run the README's Usage snippet as written and record its wall time.

Usage::

    python -m benchmarks.readme_usage   # ~3 min on 2 CPU cores

Reads the first ``python`` code block of README.md's "Usage" section, runs it
in a fresh namespace with torch's default thread count (what a user gets),
and writes its wall time, its printed output and the machine to
``benchmarks/results/readme_usage.{md,json}``. The README quotes the wall
time; ``tests/test_readme_results.py`` checks that quote against the JSON.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import platform
import time
from pathlib import Path

import torch

from benchmarks._common import ROOT

RESULTS = ROOT / "benchmarks" / "results"
RESULT_LINES = ("clustering accuracy", "macro F1")


def usage_snippet(readme: Path = ROOT / "README.md") -> str:
    """The first ```python block after the ``## Usage`` heading."""
    text = readme.read_text()
    section = text[text.index("\n## Usage"):]
    start = section.index("```python\n") + len("```python\n")
    return section[start:section.index("```", start)]


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    code = usage_snippet()
    load = os.getloadavg()[0]
    printed = io.StringIO()
    start = time.perf_counter()
    with contextlib.redirect_stdout(printed):
        exec(compile(code, "README.md (Usage)", "exec"), {"__name__": "__readme__"})
    wall_s = time.perf_counter() - start
    result = {
        "device": f"cpu ({platform.machine()}, {os.cpu_count()} cores, shared)",
        "threads": torch.get_num_threads(), "torch": torch.__version__,
        "python": platform.python_version(), "load_average_start": round(load, 2),
        "wall_s": round(wall_s, 1), "printed": printed.getvalue().strip().splitlines(),
        "snippet": code,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "readme_usage.json").write_text(json.dumps(result, indent=2) + "\n")
    lines = ["# The README's Usage snippet, run as written", "",
             f"{result['device']}, {result['threads']} torch thread(s), torch "
             f"{result['torch']}, load average {result['load_average_start']} at start.", "",
             f"Wall time: **{wall_s / 60:.1f} min** (including the imports).", "",
             "Printed (the result lines; the JSON has the whole output, skorch's epoch "
             "logs included):", "", "```",
             *[line for line in result["printed"] if line.startswith(RESULT_LINES)], "```", "",
             "Reproduce: `python -m benchmarks.readme_usage`.", ""]
    (args.out / "readme_usage.md").write_text("\n".join(lines))
    print("\n".join(lines))
    return result


if __name__ == "__main__":
    main()
