"""Render ``benchmarks/results/*.json`` as tables at documentation build time.

Two directives:

``.. benchmark-table:: ../benchmarks/results/NAME.json``
    One results file. When the file does not exist yet, a note says so and
    how to produce it (``:command:`` option) instead of failing the build.

``.. benchmark-tables:: ../benchmarks/results``
    Every ``*.json`` in the folder that no ``benchmark-table`` directive of the
    same page has rendered already, in file-name order; a note when there is
    none.

Paths are relative to the documentation source folder. The expected JSON
shape (every key optional; unknown keys are shown as metadata)::

    {
      "title": "Deep Sensory Clustering on UCI-HAR (dsc protocol)",
      "description": "One paragraph of reStructuredText.",
      "protocol": "dsc", "config": "cpu-budget", "device": "cpu (2 cores)",
      "wall_time_s": 512.3, "command": "python -m benchmarks.run_dsc --budget cpu",
      "rows": [{"method": "k-means (raw)", "split": "train", "ACC": 50.1, "NMI": 43.0}],
      "paper": [{"method": "k-means (raw)", "split": "train", "ACC": 48.25, "NMI": 44.28}]
    }

``paper`` rows are matched to ``rows`` on their shared text-valued columns
(``method``, ``split``, ...) and their numbers are shown beside ours as
``ACC (paper)``; paper rows that match nothing are listed in their own table.
``paper`` may also be a mapping ``{row label: {metric: value}}``, or
``{"method|space": {split: {metric: value}}}`` whose key parts name the
measured rows' text columns in order. A file that
is neither of these shapes is shown as a flattened key/value table. A file
that is not valid JSON is a build warning (so a ``-W`` build fails).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.statemachine import StringList
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import nested_parse_with_titles

logger = logging.getLogger(__name__)

#: Keys with a special meaning; every other top-level scalar is metadata.
_STRUCTURAL = {"title", "description", "rows", "paper", "notes"}
_RST_SPECIAL = str.maketrans({c: "\\" + c for c in "\\*`|_[]<>"})


def _escape(text: str) -> str:
    return str(text).translate(_RST_SPECIAL)


def _fmt(value) -> str:
    """Compact, readable cell text."""
    if value is None:
        return "--"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        if abs(value) >= 1000:
            return f"{value:.0f}"
        text = f"{value:.4g}"
        return text if any(c in text for c in ".en") else text + ".0"
    if isinstance(value, (list, tuple)):
        return ", ".join(_fmt(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True)
    return str(value)


#: Nested settings longer than this (as JSON) are left to the results file itself.
_MAX_META_CHARS = 1000


def _meta_cell(value, stem: str) -> str:
    """A setting's cell; long nested data (curves, per-fold scores) points to the file."""
    if isinstance(value, (dict, list)) and len(json.dumps(value)) > _MAX_META_CHARS:
        return f"nested data, see {stem}.json"
    return _fmt(value)


def _list_table(header: list[str], rows: list[list[str]], caption: str = "") -> list[str]:
    lines = [f".. list-table:: {_escape(caption)}".rstrip(), "   :header-rows: 1", ""]
    for row in [header, *rows]:
        cells = [_escape(c) if c != "" else " " for c in row]
        lines.append(f"   * - {cells[0]}")
        lines.extend(f"     - {c}" for c in cells[1:])
    lines.append("")
    return lines


def _columns(rows: list[dict]) -> list[str]:
    cols: list[str] = []
    for row in rows:
        for key in row:
            if key not in cols:
                cols.append(key)
    return cols


def _text_columns(rows: list[dict]) -> list[str]:
    """Columns that hold text in every measured row (the row's identity)."""
    return [c for c in _columns(rows) if all(isinstance(r.get(c), str) for r in rows)]


def _paper_rows(paper, rows: list[dict]) -> list[dict]:
    """Paper figures as rows shaped like ours.

    A two-level mapping ``{"method|space": {"train": {"acc": ...}}}`` becomes one
    row per inner key; the outer key's ``|``-separated parts and the inner key fill
    the text columns of the measured rows, in their order, so the figures can be
    matched beside ours.
    """
    if isinstance(paper, list):
        return [r for r in paper if isinstance(r, dict)]
    if not isinstance(paper, dict):
        return []
    if not all(isinstance(v, dict) for v in paper.values()):
        return [dict(paper)]
    nested = all(isinstance(m, dict) for v in paper.values() for m in v.values())
    if not nested:
        return [{"method": k, **v} for k, v in paper.items()]
    text_cols = _text_columns(rows)
    out = []
    for label, by_split in paper.items():
        for split, metrics in by_split.items():
            keys, parts = text_cols, [*str(label).split("|"), str(split)]
            if len(parts) != len(text_cols):
                keys, parts = ["method", "split"], [str(label), str(split)]
            out.append({**dict(zip(keys, parts, strict=True)), **metrics})
    return out


def _merge_paper(rows: list[dict], paper: list[dict]) -> tuple[list[dict], list[dict]]:
    """Put each paper row's numbers beside the row of ours it matches."""
    merged = [dict(r) for r in rows]
    unmatched = []
    for prow in paper:
        keys = [k for k, v in prow.items() if isinstance(v, str)]
        hits = [
            m for m in merged
            if keys and all(k in m and str(m[k]) == prow[k] for k in keys)
        ]
        if not hits:
            unmatched.append(prow)
            continue
        for m in hits:
            for k, v in prow.items():
                if k not in keys:
                    m[f"{k} (paper)"] = v
    return merged, unmatched


def _flatten(data, prefix: str = "") -> list[tuple[str, object]]:
    if isinstance(data, dict):
        out = []
        for k, v in data.items():
            out.extend(_flatten(v, f"{prefix}.{k}" if prefix else str(k)))
        return out
    if isinstance(data, list) and not all(isinstance(v, (int, float, str)) for v in data):
        out = []
        for i, v in enumerate(data):
            out.extend(_flatten(v, f"{prefix}[{i}]"))
        return out
    return [(prefix or "value", data)]


def render_results(data, stem: str) -> list[str]:
    """reStructuredText lines for one results file (title underline included)."""
    title = data.get("title", stem) if isinstance(data, dict) else stem
    lines = [_escape(title), "~" * max(len(_escape(title)), 4), ""]
    if not isinstance(data, dict):
        flat = _flatten(data)
        return lines + _list_table(["key", "value"], [[k, _fmt(v)] for k, v in flat])

    if data.get("description"):
        lines += [str(data["description"]), ""]
    meta = [(k, v) for k, v in data.items() if k not in _STRUCTURAL]
    if meta:
        lines += _list_table(["setting", "value"], [[k, _meta_cell(v, stem)] for k, v in meta])

    rows = [r for r in data.get("rows", []) if isinstance(r, dict)]
    paper = _paper_rows(data.get("paper"), rows)
    if rows:
        merged, unmatched = _merge_paper(rows, paper)
        lines += _list_table(_columns(merged), [
            [_fmt(r.get(c, "")) if c in r else "" for c in _columns(merged)] for r in merged
        ], caption="Measured (paper figures beside, where reported)")
    else:
        unmatched = paper
    if unmatched:
        cols = _columns(unmatched)
        lines += _list_table(
            cols, [[_fmt(r[c]) if c in r else "" for c in cols] for r in unmatched],
            caption="Paper figures",
        )
    if not rows and not paper and not meta:
        lines += _list_table(["key", "value"], [[k, _fmt(v)] for k, v in _flatten(data)])
    for note in data.get("notes", []) if isinstance(data.get("notes"), list) else []:
        lines += [f"- {_escape(note)}"]
    lines.append("")
    return lines


class _BenchmarkBase(SphinxDirective):
    required_arguments = 1
    final_argument_whitespace = False

    def _resolve(self, arg: str) -> Path:
        return (Path(self.env.srcdir) / arg).resolve()

    def _rendered(self) -> set:
        per_doc = self.env.temp_data.setdefault("benchmark_tables_rendered", {})
        return per_doc.setdefault(self.env.docname, set())

    def _remember_doc(self) -> None:
        docs = getattr(self.env, "benchmark_tables_docs", set())
        docs.add(self.env.docname)
        self.env.benchmark_tables_docs = docs

    def _parse(self, lines: list[str]) -> list[nodes.Node]:
        node = nodes.section()
        node.document = self.state.document
        content = StringList(lines, source=self.get_source_info()[0])
        nested_parse_with_titles(self.state, content, node)
        return node.children

    def _render_file(self, path: Path) -> list[str]:
        self.env.note_dependency(str(path))
        self._rendered().add(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            logger.warning("cannot read benchmark results %s: %s", path, exc,
                           location=self.get_location())
            return []
        return render_results(data, path.stem)


class BenchmarkTable(_BenchmarkBase):
    """One results file, or a note when it does not exist yet."""

    option_spec = {"command": directives.unchanged}

    def run(self):
        self._remember_doc()
        path = self._resolve(self.arguments[0])
        if not path.is_file():
            self._rendered().add(path)
            how = self.options.get("command")
            text = f"No results yet: ``{path.name}`` has not been produced."
            if how:
                text += f" Run ``{how}`` to produce it."
            return self._parse([".. note::", "", f"   {text}", ""])
        return self._parse(self._render_file(path))


class BenchmarkTables(_BenchmarkBase):
    """Every results file of a folder not rendered earlier on the page."""

    option_spec = {"pattern": directives.unchanged}

    def run(self):
        self._remember_doc()
        folder = self._resolve(self.arguments[0])
        pattern = self.options.get("pattern", "*.json")
        files = sorted(folder.glob(pattern)) if folder.is_dir() else []
        files = [f for f in files if f.resolve() not in self._rendered()]
        if not files:
            return self._parse([
                ".. note::", "",
                f"   No benchmark results in ``{_escape(self.arguments[0])}`` yet "
                "(run the scripts in ``benchmarks/``).",
                "",
            ])
        lines: list[str] = []
        for f in files:
            lines += self._render_file(f.resolve())
        return self._parse(lines)


def _always_reread(app, env, added, changed, removed):
    """Pages with these directives depend on a folder's listing: re-read them."""
    return sorted(getattr(env, "benchmark_tables_docs", set()) - set(removed))


def setup(app):
    app.add_directive("benchmark-table", BenchmarkTable)
    app.add_directive("benchmark-tables", BenchmarkTables)
    app.connect("env-get-outdated", _always_reread)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
