"""The docs extension that renders benchmarks/results/*.json puts paper figures beside ours.

Sphinx comes with the `dev` extra (numpydoc needs it).
"""

from __future__ import annotations

from _scripts import load_script


def _extension():
    return load_script("docs/_ext/benchmark_tables.py")


ROWS = [
    {"method": "k-means", "space": "raw", "split": "train", "acc": 0.51, "nmi": 0.43},
    {"method": "k-means", "space": "raw", "split": "test", "acc": 0.49, "nmi": 0.42,
     "note": "text in some rows only"},
    {"method": "DEC", "space": "end-to-end", "split": "train", "acc": 0.39, "nmi": 0.47},
]


def test_nested_paper_mapping_is_matched_beside_our_rows():
    ext = _extension()
    paper = {"k-means|raw": {"train": {"acc": 0.4825, "nmi": 0.4428},
                             "test": {"acc": 0.4214, "nmi": 0.4228}},
             "AC-Ward|raw": {"train": {"acc": 0.4226, "nmi": 0.4107}}}
    merged, unmatched = ext._merge_paper(ROWS, ext._paper_rows(paper, ROWS))
    assert merged[0]["acc (paper)"] == 0.4825 and merged[0]["nmi (paper)"] == 0.4428
    assert merged[1]["acc (paper)"] == 0.4214
    assert "acc (paper)" not in merged[2]  # the paper has no DEC row here
    assert unmatched == [{"method": "AC-Ward", "space": "raw", "split": "train",
                          "acc": 0.4226, "nmi": 0.4107}]


def test_flat_paper_shapes_are_unchanged():
    ext = _extension()
    assert ext._paper_rows({"k-means": {"ACC": 48.25}}, ROWS) == [
        {"method": "k-means", "ACC": 48.25}]
    assert ext._paper_rows([{"method": "a", "ACC": 1.0}, "junk"], ROWS) == [
        {"method": "a", "ACC": 1.0}]
    assert ext._paper_rows(None, ROWS) == []


def test_long_nested_settings_point_to_the_results_file():
    ext = _extension()
    curve = {"SimCLR": [{"k": k, "scores": [0.5] * 20} for k in range(20)]}
    text = "\n".join(ext.render_results({"seed": 0, "curves": curve, "sizes": {"n": 3}}, "ssl"))
    assert "nested data, see ssl.json" in text
    assert '{"n": 3}' in text  # short mappings are still shown inline
