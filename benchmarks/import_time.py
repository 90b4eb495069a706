"""What ``import sktime_har`` costs and which packages the time goes to.

Usage::

    python -m benchmarks.import_time            # 5 fresh interpreters, ~30 s

Each run starts a fresh interpreter with ``python -X importtime -c "import
sktime_har"`` and reads its per-module table: the total, the cumulative time
of each heavy dependency where it is first imported (``torch``, ``sklearn``,
``pandas``, which scikit-learn pulls in, ``skorch``, ``numpy``), and the
library's own share, the self time of every ``sktime_har`` module. Rows keep
the median over the runs.

Writes ``benchmarks/results/import_time.{md,json}``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
from pathlib import Path

from benchmarks._common import RESULTS

PACKAGES = ("torch", "sklearn", "pandas", "skorch", "numpy", "scipy")
LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)")


def one_run() -> dict[str, float]:
    """Seconds per share for one fresh interpreter."""
    err = subprocess.run([sys.executable, "-X", "importtime", "-c", "import sktime_har"],
                         capture_output=True, text=True, check=True).stderr
    rows = [(int(m[1]), int(m[2]), len(m[3]), m[4]) for m in map(LINE.match, err.splitlines())
            if m]
    shares = {"total": sum(cum for _, cum, depth, _ in rows if depth == 1) / 1e6}
    for package in PACKAGES:
        # the first (outermost) import of a package carries its whole cost
        shares[package] = max((cum for _, cum, _, name in rows if name == package),
                              default=0) / 1e6
    shares["sktime_har own modules"] = sum(
        self_us for self_us, _, _, name in rows if name.split(".")[0] == "sktime_har") / 1e6
    return shares


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    load = os.getloadavg()[0]
    runs = [one_run() for _ in range(args.runs)]
    median = {k: round(statistics.median(r[k] for r in runs), 3) for k in runs[0]}
    result = {"device": f"cpu ({platform.machine()}, {os.cpu_count()} cores, shared)",
              "python": platform.python_version(), "load_average_start": round(load, 2),
              "runs": runs, "median_s": median}
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "import_time.json").write_text(json.dumps(result, indent=2) + "\n")
    lines = ["# `import sktime_har`", "",
             f"{result['device']}, python {result['python']}, load average "
             f"{result['load_average_start']} at start; median of {args.runs} fresh "
             "interpreters (`python -X importtime`).", "",
             "| share | seconds |", "|---|---|"]
    # pandas is imported from inside sklearn (sklearn.utils.fixes), so its time is part of sklearn's
    label = {"pandas": "pandas (imported by sklearn; part of its time)"}
    lines += [f"| {label.get(k, k)} | {v:.2f} |" for k, v in median.items()]
    own = median["sktime_har own modules"]
    heavy = median["torch"] + median["sklearn"]
    lines += ["", f"The library's own modules take {own:.2f} s of {median['total']:.2f} s; "
              f"torch and scikit-learn (with the pandas it imports) take {heavy:.2f} s, and "
              "both are needed by every estimator, so importing parts of the library lazily "
              "would not shorten the import noticeably.", "",
              "Reproduce: `python -m benchmarks.import_time`.", ""]
    (args.out / "import_time.md").write_text("\n".join(lines))
    print("\n".join(lines))
    return result


if __name__ == "__main__":
    main()
