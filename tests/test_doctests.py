"""Run the ``Examples`` sections of every module under ``sktime_har`` as doctests.

Collected here with :class:`doctest.DocTestFinder` rather than with pytest's
``--doctest-modules`` flag, so the plain test command (``make test``,
``pytest``) runs them with no extra option and ``testpaths`` can stay
``["tests"]``. One test per module: a failure names the module, the example
and the expected/actual output. Modules that fail to import fail too. The
``>>>`` examples of the documentation pages (``docs/*.rst``) run as well.
"""

from __future__ import annotations

import doctest
import importlib
import io
import os
import pkgutil
from pathlib import Path

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")  # examples that plot must not open windows

import sktime_har  # noqa: E402

OPTIONFLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
DOCS_DIR = Path(__file__).resolve().parents[1] / "docs"

_WALK_ERRORS: list[str] = []


def _module_names() -> list[str]:
    names = ["sktime_har"]
    for info in pkgutil.walk_packages(
        sktime_har.__path__, "sktime_har.", onerror=_WALK_ERRORS.append
    ):
        names.append(info.name)
    return sorted(names)


MODULES = _module_names()
DOC_PAGES = sorted(
    str(p.relative_to(DOCS_DIR))
    for p in DOCS_DIR.rglob("*.rst")
    if "_build" not in p.parts and "generated" not in p.parts
    and "auto_examples" not in p.parts and ">>>" in p.read_text(encoding="utf-8")
)


def _run(tests: list[doctest.DocTest]) -> tuple[int, int, str]:
    out = io.StringIO()
    runner = doctest.DocTestRunner(optionflags=OPTIONFLAGS)
    for test in tests:
        runner.run(test, out=out.write)
    result = runner.summarize(verbose=False)
    return result.attempted, result.failed, out.getvalue()


@pytest.mark.parametrize("modname", MODULES)
def test_module_doctests(modname):
    module = importlib.import_module(modname)
    # Only docstrings of objects defined in this module (DocTestFinder checks
    # __module__), so a re-export is not run twice.
    tests = doctest.DocTestFinder(exclude_empty=True).find(module, modname)
    _, failed, report = _run(tests)
    assert failed == 0, f"doctest failures in {modname}:\n{report}"


@pytest.mark.parametrize("page", DOC_PAGES)
def test_docs_page_doctests(page):
    path = DOCS_DIR / page
    text = path.read_text(encoding="utf-8")
    test = doctest.DocTestParser().get_doctest(text, {}, page, str(path), 0)
    attempted, failed, report = _run([test])
    assert attempted > 0
    assert failed == 0, f"doctest failures in docs/{page}:\n{report}"


def test_walk_found_the_package():
    """Guard against a silently empty parametrisation, and report walk errors."""
    assert not _WALK_ERRORS, f"packages that failed to import: {_WALK_ERRORS}"
    assert "sktime_har.utils.validation" in MODULES
    assert "sktime_har.metrics._clustering" in MODULES
