"""Sphinx configuration of the sktime-har documentation.

Build (from the repository root)::

    make docs
    # or, without running the example gallery (what CI does):
    SKTIME_HAR_DOCS_FAST=1 .venv/bin/sphinx-build -W --keep-going -b html docs docs/_build/html
    # equivalent switch on the command line: -D plot_gallery=0

The build runs with ``-W --keep-going`` so every warning fails it. Nothing is
fetched from the network at build time (intersphinx is off).
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import re
import shutil
import sys
from pathlib import Path

DOCS_DIR = Path(__file__).resolve().parent
REPO_ROOT = DOCS_DIR.parent
sys.path.insert(0, str(DOCS_DIR / "_ext"))
sys.path.insert(0, str(REPO_ROOT))  # the package itself, when not pip-installed

# Examples render their figures off-screen.
os.environ.setdefault("MPLBACKEND", "Agg")

import sktime_har  # noqa: E402

# public subpackages whose ``__all__`` api.rst must list: the library's own list,
# which the tests read too
from sktime_har.utils.discovery import PUBLIC_MODULES  # noqa: E402

# -- Project -----------------------------------------------------------------

project = "sktime-har"
author = "sktime-har developers"
copyright = "sktime-har developers"
version = release = sktime_har.__version__

# -- General -----------------------------------------------------------------

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
    "benchmark_tables",  # docs/_ext/benchmark_tables.py
]

templates_path = ["_templates"]
html_static_path: list[str] = []
exclude_patterns = [
    "_build",
    "Thumbs.db",
    ".DS_Store",
    "auto_examples/*.ipynb",
    "auto_examples/*.py",
    "auto_examples/*.zip",
    "auto_examples/*.md5",
    "auto_examples/*.pickle",
    "sg_execution_times.rst",
]
root_doc = "index"
default_role = "literal"  # `x` renders as code instead of warning about a missing role
nitpicky = False  # unresolved cross-references to numpy/torch/sklearn stay plain text
# No network at build time: objects of other projects are not linked.
# (sphinx.ext.intersphinx is deliberately not in `extensions`.)

# -- autodoc / autosummary / numpydoc ----------------------------------------

autosummary_generate = True  # stubs go to docs/generated/ (git-ignored)
autosummary_imported_members = True
# Members are listed by the autosummary templates (docs/_templates/autosummary);
# automodule in api.rst only shows the module docstring.
autodoc_default_options: dict[str, object] = {}
autodoc_typehints = "none"  # types are written in the numpydoc sections
# An undocumented override shows nothing rather than torch's or sklearn's text.
autodoc_inherit_docstrings = False
numpydoc_show_class_members = False  # the class template lists members itself
numpydoc_class_members_toctree = False
numpydoc_attributes_as_param_list = True
numpydoc_xref_param_type = False
# Docstring rules are enforced by tests/test_docstrings.py, not at build time,
# so a doc build never fails on a style point the tests accept.
numpydoc_validation_checks: set[str] = set()

# -- sphinx-gallery ----------------------------------------------------------

# Fast mode: render the example pages without running them (CI, quick checks).
_FAST = os.environ.get("SKTIME_HAR_DOCS_FAST", "0").strip().lower() in {"1", "true", "yes"}
# `plot_gallery` is sphinx-gallery's own switch; `-D plot_gallery=0` overrides it too.
plot_gallery = "False" if _FAST else "True"

sphinx_gallery_conf = {
    "examples_dirs": str(REPO_ROOT / "examples"),
    "gallery_dirs": "auto_examples",
    # Only scripts named plot_*.py are executed; everything else is shown as code.
    "filename_pattern": re.escape(os.sep) + r"plot_",
    # The demo is the quick-start job (`make demo`, real data, minutes): it is
    # neither executed nor listed in the gallery. Private helpers (_*.py) neither.
    "ignore_pattern": r"(__init__|demo|^_.*)\.py$",
    "download_all_examples": False,
    "remove_config_comments": True,
    "within_subsection_order": "FileNameSortKey",
    "doc_module": ("sktime_har",),
    "backreferences_dir": "generated/backreferences",
    "reference_url": {"sktime_har": None},
    "matplotlib_animations": False,
    "image_scrapers": ("matplotlib",),
    "show_memory": False,
    "min_reported_time": 5,
}

# -- Figures from the benchmark results -------------------------------------

def _benchmark_substitutions() -> str:
    """``|name|`` substitutions for prose pages, computed from benchmarks/results/*.json.

    The performance page quotes the throughput benchmark through these, and the
    DSC guide the DEC pretraining study, so their figures follow a rerun like the
    tables do (the README's speed paragraph is
    built by the same ``throughput_figures``).
    """
    spec = importlib.util.spec_from_file_location(
        "readme_results", REPO_ROOT / "benchmarks" / "readme_results.py")
    readme_results = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(readme_results)
    throughput = readme_results.load_result("throughput")
    dsc = readme_results.load_result("dsc_uci_har")
    values = {"aug_ratio": "several times",
              "bench_summary": "(The throughput benchmark has not been run yet.)",
              "peak_share": "a large share", "dsc_paper_wps": "--", "dsc_paper_h": "--",
              "dsc_config_wps": "--", "dsc_config_min": "--", "dsc_config_model": "--",
              "dsc_config_epochs": "--", "dec_raw_acc": "--", "dec_early_acc": "--",
              "dec_late_acc": "--", "dec_late_postures": "--"}
    if throughput is not None:
        fig = readme_results.throughput_figures(throughput)
        values.update(
            aug_ratio=fig["aug_ratio"], peak_share=fig["peak_share"],
            bench_summary=(
                f"On the benchmark machine ({throughput['device']}, {fig['threads']} torch "
                f"thread(s)) the library trained at {fig['train_ratio']} the reference "
                f"loop's windows per second, with {fig['same_losses']} for the same seed."))
    if dsc is not None:
        tp = dsc["pretraining_throughput"]
        values.update(
            dsc_paper_wps=f"{tp['paper_model_cpu_windows_per_s']:.0f}",
            dsc_paper_h=f"{tp['paper_model_cpu_100_epochs_h']:.1f}",
            dsc_config_wps=f"{tp['config_windows_per_s']:.0f}",
            dsc_config_model=tp["config_model"],
            dsc_config_epochs=str(dsc["hyperparameters"]["shared"]["pretrain_epochs"]),
            dsc_config_min=f"{dsc['dsc_pretrain_s'] / 60:.0f}")
    dec = readme_results.load_result("dec_pretraining_length")
    if dec is not None:
        values.update({f"dec_{k}": v
                       for k, v in readme_results.dec_pretraining_figures(dec).items()})
    return "\n".join(f".. |{k}| replace:: {v}" for k, v in values.items())


rst_epilog = _benchmark_substitutions()

# -- HTML --------------------------------------------------------------------

html_theme = "pydata_sphinx_theme"
html_title = f"sktime-har {release}"
html_theme_options = {
    "navigation_with_keys": False,
    "show_prev_next": True,
    "secondary_sidebar_items": ["page-toc"],
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
}
html_show_sourcelink = False
html_context = {"default_mode": "light"}

# -- API coverage ------------------------------------------------------------

_DIRECTIVE = re.compile(r"^\.\.\s+(\w[\w:-]*::|_|\[|\|)")


def _uncommented_rst(text: str) -> str:
    """Drop RST comment blocks (``..`` not followed by a directive/target)."""
    kept, in_comment = [], False
    for line in text.splitlines():
        stripped = line.strip()
        if in_comment:
            if not stripped or line[:1].isspace():
                continue
            in_comment = False
        if stripped.startswith("..") and not _DIRECTIVE.match(stripped):
            in_comment = True
            continue
        kept.append(line)
    return "\n".join(kept)


def _public_names() -> dict[str, dict[str, object]]:
    """``{public module: {name: object}}`` for the subpackages that exist."""
    names = {}
    for modname in PUBLIC_MODULES:
        try:
            module = importlib.import_module(modname)
        except ModuleNotFoundError as exc:
            if exc.name == modname:  # not written yet
                continue
            raise
        names[modname] = {n: getattr(module, n, None) for n in getattr(module, "__all__", [])}
    return names


def _home(obj, fallback: str) -> str:
    """The public subpackage an object is defined in (its documentation home)."""
    defined_in = getattr(obj, "__module__", None) or fallback
    homes = [m for m in PUBLIC_MODULES if defined_in == m or defined_in.startswith(m + ".")]
    return max(homes, key=len) if homes else fallback


def check_api_coverage(app) -> None:
    """Warn (and so fail a ``-W`` build) about public names missing from api.rst.

    Only subpackages whose block is enabled in api.rst (their dotted name
    appears outside comments) are checked; the others are listed in the log.
    """
    from sphinx.util import logging

    logger = logging.getLogger("sktime_har.api_coverage")
    api_text = _uncommented_rst((DOCS_DIR / "api.rst").read_text(encoding="utf-8"))
    listed = set(re.findall(r"[A-Za-z_][A-Za-z0-9_.]*", api_text))
    tokens = {t.rsplit(".", 1)[-1] for t in listed} | listed
    enabled = _enabled_modules()
    pending = set()
    for modname, members in _public_names().items():
        missing = []
        for name, obj in members.items():
            home = _home(obj, modname)
            if home not in enabled:
                pending.add(home)
            elif name not in tokens:
                missing.append(name)
        if missing:
            logger.warning(
                "public names of %s missing from docs/api.rst: %s "
                "(add them to its autosummary block)",
                modname,
                ", ".join(missing),
                location="api",
            )
    if pending:
        logger.info(
            "api.rst: subpackages with public names but no enabled block yet: %s",
            ", ".join(sorted(pending)),
        )


def _enabled_modules() -> set[str]:
    """Public subpackages whose block in api.rst is enabled (not commented out)."""
    text = _uncommented_rst((DOCS_DIR / "api.rst").read_text(encoding="utf-8"))
    return {m for m in PUBLIC_MODULES if m in set(re.findall(r"[A-Za-z_][A-Za-z0-9_.]*", text))}


# autosummary scans api.rst with a regex that does not see RST comments, so it
# also writes stubs for the commented-out (not yet enabled) blocks: leave those
# out of the build. Stale stubs of renamed objects are cleared on every build.
shutil.rmtree(DOCS_DIR / "generated", ignore_errors=True)
exclude_patterns += [
    f"generated/{m}.*" for m in PUBLIC_MODULES if m != "sktime_har" and m not in _enabled_modules()
]


_SKLEARN_ROUTING = re.compile(r"^set_\w+_request$")


def _defined_in(obj) -> str:
    obj = getattr(obj, "fget", obj)  # properties
    obj = getattr(obj, "__func__", obj)  # class/static methods
    return getattr(obj, "__module__", None) or ""


def skip_foreign_members(app, what, name, obj, skip, options):
    """Document only members written in sktime_har.

    Class pages list inherited members (``fit`` of a shared base class), but
    not those of scikit-learn, skorch or torch base classes (``get_params``,
    ``set_output``, ``parameters``, the generated ``set_*_request`` ...):
    they are not ours, and their docstrings point at those projects' own
    glossaries, which (without intersphinx) would be unresolved references.
    """
    if what != "class":
        return None
    if _SKLEARN_ROUTING.match(name):
        return True
    module = _defined_in(obj)
    if module and not module.startswith("sktime_har"):
        return True
    return None


def setup(app):
    app.connect("builder-inited", check_api_coverage)
    app.connect("autodoc-skip-member", skip_foreign_members)
