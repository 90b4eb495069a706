"""The layer rules of CONTRIBUTING.md, checked on the source (imports inside functions count).

- ``nn/`` and ``augment/`` are torch only: no scikit-learn, no skorch;
- ``_training/`` builds on ``nn/`` and never imports the estimator packages;
- no subpackage imports another subpackage's private module (``sktime_har.x._y``):
  it imports the public name from ``sktime_har.x``. The shared internals in
  ``sktime_har._training`` and ``sktime_har.utils._*`` are the exception.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "sktime_har"
TORCH_ONLY = {"nn", "augment"}
ESTIMATOR_PACKAGES = {"clustering", "ssl", "supervised", "inspection", "evaluation", "plotting"}
SHARED_INTERNALS = {"_training", "utils"}


def _imports(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
        elif isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
    return names


def _violations(path: Path, package: Path = PACKAGE) -> list[str]:
    relative = path.relative_to(package.parent).with_suffix("")
    parts = relative.parts
    subpackage = parts[1] if len(parts) > 2 else ""
    found = []
    for name in _imports(path):
        target = name.split(".")
        if subpackage in TORCH_ONLY and target[0] in {"sklearn", "skorch"}:
            found.append(f"{name} (nn/ and augment/ are torch only)")
        if target[0] != "sktime_har" or len(target) < 2:
            continue
        if subpackage == "_training" and target[1] in ESTIMATOR_PACKAGES:
            found.append(f"{name} (_training must not import the estimator packages)")
        private = any(part.startswith("_") for part in target[2:])
        if private and target[1] != subpackage and target[1] not in SHARED_INTERNALS:
            found.append(f"{name} (another subpackage's private module)")
    return found


SOURCES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_layer_rules(path):
    assert not _violations(path)


def test_the_rules_catch_a_violation(tmp_path):
    fake = tmp_path / "sktime_har" / "nn" / "bad.py"
    fake.parent.mkdir(parents=True)
    fake.write_text("def f():\n    from sklearn.base import clone\n"
                    "from sktime_har.ssl._simclr import SimCLREncoder\n")
    assert len(_violations(fake, tmp_path / "sktime_har")) == 2
