"""The README's results table is the one built from benchmarks/results/*.json."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _readme_results():
    spec = importlib.util.spec_from_file_location(
        "readme_results", ROOT / "benchmarks" / "readme_results.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_readme_table_matches_benchmark_json():
    mod = _readme_results()
    table = mod.results_table()
    assert table.count("\n") >= 10  # every benchmark contributed rows
    assert mod.readme_block((ROOT / "README.md").read_text()) == table, (
        "README.md results are stale: run `python benchmarks/readme_results.py --write`")
