"""Build the README's results table and speed summary from ``benchmarks/results/*.json``.

Usage::

    python -m benchmarks.readme_results          # print both blocks
    python -m benchmarks.readme_results --write  # replace them in README.md
    python -m benchmarks.readme_results --peers  # print the peers' rows (README format)
    python -m benchmarks.readme_results --write-docs-tables  # the docs' peer tables

The README's comparison with the classical peers (every library run against
the strongest peer on the same job, with wall times) sits between
``<!-- versus:start -->`` and ``<!-- versus:end -->``.

The table sits between the ``<!-- results:start -->`` and ``<!-- results:end -->``
markers of README.md, the speed and memory summary between ``<!-- speed:start -->``
and ``<!-- speed:end -->``; ``tests/test_readme_results.py`` fails when the README
and the JSON files disagree, so a rerun benchmark cannot leave stale figures behind.
The documentation's performance page takes its figures from
:func:`throughput_figures` too.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from benchmarks._common import ROOT

RESULTS = ROOT / "benchmarks" / "results"
README = ROOT / "README.md"
START, END = "<!-- results:start -->", "<!-- results:end -->"
SPEED_START, SPEED_END = "<!-- speed:start -->", "<!-- speed:end -->"
VERSUS_START, VERSUS_END = "<!-- versus:start -->", "<!-- versus:end -->"


def load_result(name: str) -> dict | None:
    """``benchmarks/results/<name>.json`` as a dict, or None when it has not been produced."""
    path = RESULTS / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else None


def _pct(x: float) -> str:
    return f"{100 * x:.2f}"


def _dsc_line(res: dict, method: str, space: str, label: str) -> str:
    """One row of the DSC benchmark: train / test ACC and NMI beside the paper's."""
    rows = {(r["method"], r["space"], r["split"]): r for r in res["rows"]}
    tr, te = rows[(method, space, "train")], rows[(method, space, "test")]
    paper = res["paper"][f"{method}|{space}"]
    return (
        f"| {label} | UCI-HAR `dsc` train / test ({res['config']}) | ACC {_pct(tr['acc'])} / "
        f"{_pct(te['acc'])}, NMI {_pct(tr['nmi'])} / {_pct(te['nmi'])} | ACC "
        f"{_pct(paper['train']['acc'])} / {_pct(paper['test']['acc'])}, NMI "
        f"{_pct(paper['train']['nmi'])} / {_pct(paper['test']['nmi'])} |"
    )


# README labels of the DSC benchmark's (method, space) rows
_DSC_LABEL = {
    ("k-means", "raw"): "k-means on raw windows",
    ("AC-Ward", "autoencoder"): "Ward on the autoencoder space",
    ("DSC (Ward init)", "end-to-end"): "Deep Sensory Clustering, Ward init",
    ("DSC (k-means init)", "end-to-end"): "Deep Sensory Clustering, k-means init",
}
_WARD_ROWS = [("AC-Ward", "autoencoder"), ("DSC (Ward init)", "end-to-end")]


def _dsc_rows(res: dict) -> list[str]:
    out = [_dsc_line(res, method, space, label)
           for (method, space), label in _DSC_LABEL.items()]
    train = {r["method"]: r for r in res["rows"] if r["split"] == "train"}
    paper = res["paper"]
    out.append(
        f"| DEC / IDEC | UCI-HAR `dsc` train ({res['config']}) | ACC {_pct(train['DEC']['acc'])} / "
        f"{_pct(train['IDEC']['acc'])} | ACC {_pct(paper['DEC|end-to-end']['train']['acc'])} / "
        f"{_pct(paper['IDEC|end-to-end']['train']['acc'])} |"
    )
    return out


def _dsc_seed_summary(runs: list[dict], method: str = "DSC (Ward init)",
                      space: str = "end-to-end", label: str | None = None) -> str:
    """Mean and range of one method's row over the runs of every seed."""
    label = _DSC_LABEL[(method, space)] if label is None else label
    def values(split, metric):
        return [next(r[metric] for r in run["rows"] if (r["method"], r["space"], r["split"])
                     == (method, space, split)) for run in runs]

    def cell(split, metric):
        v = values(split, metric)
        return f"{_pct(sum(v) / len(v))} ({_pct(min(v))}-{_pct(max(v))})"

    seeds = ", ".join(str(run.get("seed", 0)) for run in runs)
    paper = runs[0]["paper"][f"{method}|{space}"]
    return (f"| {label}, mean (range) of seeds {seeds} | UCI-HAR "
            f"`dsc` train / test ({runs[0]['config']}) | ACC {cell('train', 'acc')} / "
            f"{cell('test', 'acc')}, NMI {cell('train', 'nmi')} / {cell('test', 'nmi')} | "
            f"ACC {_pct(paper['train']['acc'])} / {_pct(paper['test']['acc'])}, NMI "
            f"{_pct(paper['train']['nmi'])} / {_pct(paper['test']['nmi'])} |")


def _dsc_long_rows(runs: list[dict]) -> list[str]:
    """The cpu-long study (the paper's 100 pretraining epochs), summarised over its seeds."""
    return [_dsc_seed_summary(runs, method, space)
            for method, space in [*_WARD_ROWS, ("DSC (k-means init)", "end-to-end")]]


def _dsc_seed_rows(res: dict) -> list[str]:
    """Ward on the autoencoder space and DSC (Ward init) of a run with another seed."""
    return [_dsc_line(res, method, space, f"{_DSC_LABEL[(method, space)]}, seed {res['seed']}")
            for method, space in _WARD_ROWS]


_SSL_PAPER = {"SimCLR (cosine)": "91.14", "dynamic temperature": "93.00",
              "supervised transformer": "95.26", "CAE": "80.26", "random encoder": "-"}
_SSL_LABEL = {"SimCLR (cosine)": "SimCLR (cosine)",
              "dynamic temperature": "Dynamic temperature (NDT-Xent)",
              "CAE": "Convolutional autoencoder", "random encoder": "Random frozen encoder"}


def _ssl_rows(res: dict) -> list[str]:
    f1 = {(r["method"], r["protocol"]): r["f1"] for r in res["rows"] if r["k"] is None}
    cfg = res["config"]
    out = []
    for method, label in _SSL_LABEL.items():
        out.append(
            f"| {label}, MLP head (linear) | UCI-HAR `ssl` test subjects ({cfg}) | macro F1 "
            f"{_pct(f1[(method, 'mlp')])} ({_pct(f1[(method, 'linear')])}) | "
            f"{_SSL_PAPER[method]} |"
        )
    out.append(
        f"| Supervised transformer | UCI-HAR `ssl` test subjects ({cfg}) | macro F1 "
        f"{_pct(f1[('supervised transformer', 'mlp')])} | "
        f"{_SSL_PAPER['supervised transformer']} |"
    )
    return out


def _explain_rows(res: dict) -> list[str]:
    cfg = res["config"]
    f1 = {(r["method"], r["mask"]): r for r in res["table2"]}
    out = []
    for method in ("Supervised", "SimCLR", "VICReg"):
        cells = [f1[(method, m)] for m in ("none", "acc", "gyro")]
        ours = " / ".join(_pct(c["f1"]) for c in cells)
        paper = " / ".join(f"{c['paper']:.2f}" for c in cells)
        out.append(f"| {method}, trained with none / acc / gyro masked | UCI-HAR `ssl` test "
                   f"({cfg}) | macro F1 {ours} | {paper} |")
    curves = res["occlusion_curve"]
    k2 = " / ".join(_pct(curves[m]["mean"][2]) for m in ("Supervised", "SimCLR", "VICReg"))
    out.append(f"| 2 random channels occluded at test time, Supervised / SimCLR / VICReg | "
               f"UCI-HAR `ssl` test ({cfg}) | macro F1 {k2} | "
               "curve only (Fig. 2 of the inspection paper) |")
    return out


def results_table() -> str:
    """The Markdown table, one block per benchmark that has results."""
    lines = ["| method | data, protocol (config) | ours | paper |", "|---|---|---|---|"]
    for name, build in [("dsc_uci_har", _dsc_rows), ("ssl_uci_har", _ssl_rows),
                        ("explain_uci_har", _explain_rows)]:
        res = load_result(name)
        if res is not None:
            lines += build(res)
        if name == "dsc_uci_har":  # the same benchmark run with other seeds
            seeds = [load_result(path.stem)
                     for path in sorted(RESULTS.glob("dsc_uci_har_seed*.json"))]
            for other in seeds:
                lines += _dsc_seed_rows(other)
            if res is not None and seeds:
                lines.append(_dsc_seed_summary([res, *seeds]))
            long_runs = sorted((load_result(path.stem)
                                for path in RESULTS.glob("dsc_uci_har_cpu-long*.json")),
                               key=lambda run: run["seed"])
            if long_runs:
                lines += _dsc_long_rows(long_runs)
            full = load_result("dsc_uci_har_full")
            if full is not None:
                lines += _dsc_full_rows(full)
            consensus = load_result("dsc_consensus_cpu-long")
            if consensus is not None:
                lines.append(_consensus_row(consensus))
    return "\n".join(lines)


def _dsc_full_rows(res: dict) -> list[str]:
    """The paper's settings (``--config full``), one seed."""
    return [_dsc_line(res, method, space, f"{_DSC_LABEL[(method, space)]}, paper's settings, "
                                          f"seed {res['seed']}")
            for method, space in [("AC-Ward", "autoencoder"), ("DSC (Ward init)", "end-to-end")]]


def _consensus_row(res: dict) -> str:
    """ConsensusClustering of several DSC seeds (``benchmarks/dsc_consensus.py``)."""
    rows = {r["split"]: r for r in res["rows"] if r["method"].startswith("ConsensusClustering")}
    tr, te, paper = rows["train"], rows["test"], res["paper"]
    seeds = ", ".join(map(str, res["member_seeds"]))
    return (f"| ConsensusClustering of Deep Sensory Clustering (Ward init), seeds {seeds} | "
            f"UCI-HAR `dsc` train / test ({res['config']}, {res['threads']} thread) | ACC "
            f"{_pct(tr['acc'])} / {_pct(te['acc'])}, NMI {_pct(tr['nmi'])} / {_pct(te['nmi'])} | "
            f"{_paper_acc_nmi(paper)} (one seed) |")


# ---------------------------------------------------------------- peers
# The classical peers (benchmarks/peers_*.py), measured with their own packages on
# the same splits. Kept out of results_table() so the README block only changes
# when its maintainer adds peers_table() to it.
PEER_RESULTS = ("peers_dsc_uci_har", "peers_ssl_uci_har", "peers_ssl_uci_har_tuned",
                "peers_explain_uci_har")
#: the peers' semi-supervised curves: fixed heads, and heads tuned per k on validation subjects
PEER_SSL_CURVES = ("peers_ssl_uci_har", "peers_ssl_uci_har_tuned")
DOCS_TABLES = {"peers_comparison": "peers_comparison_rows",
               "time_to_quality": "time_to_quality_rows",
               "versus_peers": "versus_peers_rows"}


def _peer_ssl_curve_results() -> list[dict]:
    """The committed results files of ``PEER_SSL_CURVES``, in that order."""
    return [r for r in map(load_result, PEER_SSL_CURVES) if r is not None]


def _mean_range(values, scale: float = 100.0, digits: int = 2) -> str:
    values = [scale * v for v in values]
    mean = sum(values) / len(values)
    if min(values) == max(values):
        return f"{mean:.{digits}f}"
    return f"{mean:.{digits}f} ({min(values):.{digits}f}-{max(values):.{digits}f})"


def _seed_values(runs: list[dict], method: str, space: str, split: str, metric: str) -> list:
    return [r[metric] for run in runs for r in run["rows"]
            if (r["method"], r["space"], r["split"]) == (method, space, split)]


def _acc_nmi(runs, method, space) -> str:
    """``ACC train / test, NMI train / test``, each the mean (range) over the runs' rows."""
    def cell(split, metric):
        return _mean_range(_seed_values(runs, method, space, split, metric))
    return (f"ACC {cell('train', 'acc')} / {cell('test', 'acc')}, "
            f"NMI {cell('train', 'nmi')} / {cell('test', 'nmi')}")


def _curve_text(curve: list[dict]) -> str:
    return " / ".join(f"{100 * c['f1']:.1f}" for c in curve)


def _dsc_library_runs() -> list[dict]:
    runs = [load_result("dsc_uci_har"),
            *(load_result(p.stem) for p in sorted(RESULTS.glob("dsc_uci_har_seed*.json")))]
    return [r for r in runs if r is not None]


def _peer_dsc_methods(res: dict) -> list[tuple[str, str]]:
    return list(dict.fromkeys((r["method"], r["space"]) for r in res["rows"]))


def _peer_package(res: dict, method: str) -> str:
    for package in ("tslearn", "sktime"):
        if f"({package})" in method:
            return f"{package} {res['versions'][package]}"
    return f"scikit-learn {res['versions']['scikit-learn']}"


def peer_rows() -> list[str]:
    """README-format rows (``| method | data, protocol (config) | ours | paper |``) of the peers."""
    out = []
    dsc = load_result("peers_dsc_uci_har")
    if dsc is not None:
        seeds = ", ".join(map(str, dsc["seeds"]))
        for method, space in _peer_dsc_methods(dsc):
            out.append(f"| {method} [{_peer_package(dsc, method)}], mean (range) of seeds "
                       f"{seeds} | UCI-HAR `dsc` train / test ({dsc['config']}, 1 thread) | "
                       f"{_acc_nmi([dsc], method, space)} | - |")
    ssl = load_result("peers_ssl_uci_har")
    if ssl is not None:
        cfg, sk = ssl["config"], ssl["versions"]["sktime"]
        for r in ssl["rows"]:
            if r["protocol"] == "linear":
                how = (f"alpha {r['alpha']:.4g} on the validation subjects" if "alpha" in r
                       else "the library's linear head")
                out.append(f"| {r['method']} [sktime {sk}], all labels, {how} | UCI-HAR `ssl` "
                           f"test subjects ({cfg}, 1 thread) | macro F1 {_pct(r['f1'])} | - |")
    for res in _peer_ssl_curve_results():
        ks = "/".join(map(str, res["settings"]["k_values"]))
        for name, curve in res["semi_supervised_curves"].items():
            out.append(f"| {name} [sktime {res['versions']['sktime']}], k = {ks} labelled "
                       f"windows per class ({res['settings']['repeats']} draws, the library's "
                       f"draws) | UCI-HAR `ssl` test subjects ({res['config']}, 1 thread) | "
                       f"macro F1 {_curve_text(curve)} | - |")
    explain = load_result("peers_explain_uci_har")
    if explain is not None:
        cfg = explain["config"]
        for method, curve in explain["occlusion_curve"].items():
            f1 = {r["mask"]: r["f1"] for r in explain["table2"] if r["method"] == method}
            out.append(f"| {method}, trained with none / acc / gyro masked | UCI-HAR `ssl` "
                       f"test ({cfg}, 1 thread) | macro F1 "
                       f"{' / '.join(_pct(f1[m]) for m in ('none', 'acc', 'gyro'))} | - |")
            out.append(f"| 2 random channels occluded at test time, {method} | UCI-HAR `ssl` "
                       f"test ({cfg}, 1 thread) | macro F1 {_pct(curve['mean'][2])} | - |")
    return out


def peers_table() -> str:
    """The peers' rows under the README table's header (empty without peer results)."""
    rows = peer_rows()
    if not rows:
        return ""
    return "\n".join(["| method | data, protocol (config) | ours | paper |",
                      "|---|---|---|---|", *rows])


def _paper_acc_nmi(paper: dict) -> str:
    return (f"ACC {_pct(paper['train']['acc'])} / {_pct(paper['test']['acc'])}, NMI "
            f"{_pct(paper['train']['nmi'])} / {_pct(paper['test']['nmi'])}")


def peers_comparison_rows() -> list[dict]:
    """Rows of the docs' comparison table: library, peers and papers' figures side by side."""
    rows = []
    lib_runs = _dsc_library_runs()
    if lib_runs:
        seeds = ", ".join(str(r["seed"]) for r in lib_runs)
        for key, paper in lib_runs[0]["paper"].items():
            method, space = key.split("|")
            rows.append({"benchmark": "dsc: ACC train / test, NMI train / test",
                         "method": f"{method} ({space})", "by": "library",
                         "ours": f"{_acc_nmi(lib_runs, method, space)} (seeds {seeds}, "
                                 f"{lib_runs[0]['config']}, {lib_runs[0]['threads']} threads)",
                         "paper": _paper_acc_nmi(paper)})
    full = load_result("dsc_uci_har_full")
    if full is not None:
        rows.append({"benchmark": "dsc: ACC train / test, NMI train / test",
                     "method": "DSC (Ward init) (end-to-end), paper's settings", "by": "library",
                     "ours": f"{_acc_nmi([full], 'DSC (Ward init)', 'end-to-end')} (seed "
                             f"{full['seed']}, full, {full['threads']} thread)",
                     "paper": _paper_acc_nmi(full["paper"]["DSC (Ward init)|end-to-end"])})
    consensus = load_result("dsc_consensus_cpu-long")
    if consensus is not None:
        rows.append({"benchmark": "dsc: ACC train / test, NMI train / test",
                     "method": "ConsensusClustering of DSC (Ward init) seeds", "by": "library",
                     "ours": _consensus_row(consensus).split(" | ")[2]
                             + f" (seeds {', '.join(map(str, consensus['member_seeds']))} "
                               f"together, {consensus['config']}, {consensus['threads']} thread)",
                     "paper": "-"})
    dsc = load_result("peers_dsc_uci_har")
    if dsc is not None:
        for method, space in _peer_dsc_methods(dsc):
            rows.append({"benchmark": "dsc: ACC train / test, NMI train / test",
                         "method": f"{method} ({space})",
                         "by": f"peer, {_peer_package(dsc, method)}",
                         "ours": f"{_acc_nmi([dsc], method, space)} (seeds "
                                 f"{', '.join(map(str, dsc['seeds']))}, 1 thread)",
                         "paper": "-"})
    lib = load_result("ssl_uci_har")
    if lib is not None:
        f1 = {(r["method"], r["protocol"]): r["f1"] for r in lib["rows"] if r["k"] is None}
        for method in _SSL_PAPER:
            if method == "supervised transformer":
                ours = f"{_pct(f1[(method, 'mlp')])} (own head)"
            else:
                ours = f"{_pct(f1[(method, 'linear')])} ({_pct(f1[(method, 'mlp')])})"
            rows.append({"benchmark": "ssl: macro F1, linear head (MLP head)",
                         "method": method, "by": "library",
                         "ours": f"{ours} ({lib['config']})", "paper": _SSL_PAPER[method]})
    ssl = load_result("peers_ssl_uci_har")
    if ssl is not None:
        for r in ssl["rows"]:
            if r["protocol"] == "linear":
                rows.append({"benchmark": "ssl: macro F1, linear head (MLP head)",
                             "method": r["method"], "by": f"peer, sktime "
                                                          f"{ssl['versions']['sktime']}",
                             "ours": f"{_pct(r['f1'])} ({ssl['config']}, 1 thread)",
                             "paper": "-"})
    ks = None
    if lib is not None:
        ks = "/".join(map(str, lib["settings"]["k_values"]))
        for name, curve in lib["semi_supervised_curves"].items():
            rows.append({"benchmark": f"ssl semi-supervised: macro F1 at k = {ks}",
                         "method": name, "by": "library",
                         "ours": f"{_curve_text(curve)} ({len(curve[0]['scores'])} draws)",
                         "paper": "plot only (Fig. 6)"})
    for res in _peer_ssl_curve_results():
        ks = "/".join(map(str, res["settings"]["k_values"]))
        for name, curve in res["semi_supervised_curves"].items():
            rows.append({"benchmark": f"ssl semi-supervised: macro F1 at k = {ks}",
                         "method": name, "by": f"peer, sktime {res['versions']['sktime']}",
                         "ours": f"{_curve_text(curve)} ({len(curve[0]['scores'])} draws, "
                                 "the library's draws)",
                         "paper": "-"})
    for name, by in [("explain_uci_har", "library"), ("peers_explain_uci_har", "peer")]:
        res = load_result(name)
        if res is None:
            continue
        for method, curve in res["occlusion_curve"].items():
            f1 = {r["mask"]: r for r in res["table2"] if r["method"] == method}
            paper = (" / ".join(f"{f1[m]['paper']:.2f}" for m in ("none", "acc", "gyro"))
                     if "paper" in f1["none"] else "-")
            who = by if by == "library" else f"peer, sktime {res['versions']['sktime']}"
            rows.append({"benchmark": "occlusion: macro F1 trained with none / acc / gyro "
                                      "masked; k = 1..5 channels masked at test time",
                         "method": method, "by": who,
                         "ours": f"{' / '.join(_pct(f1[m]['f1']) for m in ('none', 'acc', 'gyro'))}"
                                 f"; k = 1..5: "
                                 f"{' / '.join(f'{100 * v:.1f}' for v in curve['mean'][1:])} "
                                 f"({res['config']})",
                         "paper": paper + ("; curve plot only (Fig. 2)" if by == "library"
                                           else "")})
    return rows


def _acc_figure(runs, method, space) -> str:
    """Mean train / test ACC over the runs, one decimal."""
    means = [_seed_values(runs, method, space, split, "acc") for split in ("train", "test")]
    return "ACC " + " / ".join(f"{100 * sum(v) / len(v):.1f}" for v in means) + \
        " (train / test)"


def _minutes(seconds: float) -> float:
    return round(seconds / 60, 2)


def time_to_quality_rows() -> list[dict]:
    """Wall minutes on the benchmark CPU from (standardised) windows to each row's figure.

    Library rows count their training (pretraining included) and the evaluation
    that produces the figure; peer rows their feature extraction, fit and
    prediction. Data loading is left out of every row (the same loader for all).
    """
    rows = []
    lib_runs = _dsc_library_runs()
    for method, space in [("k-means", "raw"), ("AC-Ward", "autoencoder"), ("DEC", "end-to-end"),
                          ("IDEC", "end-to-end"), ("DSC (k-means init)", "end-to-end"),
                          ("DSC (Ward init)", "end-to-end")]:
        if not lib_runs:
            break
        wall = [a + b for a, b in zip(_seed_values(lib_runs, method, space, "train", "wall_s"),
                                      _seed_values(lib_runs, method, space, "test", "wall_s"),
                                      strict=True)]
        rows.append({"benchmark": "dsc", "method": f"{method} ({space})", "by": "library",
                     "figure": _acc_figure(lib_runs, method, space),
                     "wall (min)": _minutes(sum(wall) / len(wall)),
                     "threads": lib_runs[0]["threads"]})
    # the paper-settings run was resumed across processes: it has no end-to-end wall time
    consensus = load_result("dsc_consensus_cpu-long")
    if consensus is not None:
        rows_by_split = {r["split"]: r for r in consensus["rows"]
                         if r["method"].startswith("ConsensusClustering")}
        rows.append({"benchmark": "dsc", "by": "library",
                     "method": f"ConsensusClustering of {len(consensus['member_seeds'])} DSC "
                               f"(Ward init) seeds ({consensus['config']})",
                     "figure": f"ACC {100 * rows_by_split['train']['acc']:.1f} / "
                               f"{100 * rows_by_split['test']['acc']:.1f} (train / test)",
                     "wall (min)": _minutes(rows_by_split["train"]["wall_s"]
                                            + rows_by_split["test"]["wall_s"]),
                     "threads": consensus["threads"]})
    dsc = load_result("peers_dsc_uci_har")
    if dsc is not None:
        for method, space in _peer_dsc_methods(dsc):
            wall = [a + b for a, b in zip(_seed_values([dsc], method, space, "train", "wall_s"),
                                          _seed_values([dsc], method, space, "test", "wall_s"),
                                          strict=True)]
            rows.append({"benchmark": "dsc", "method": f"{method} ({space})", "by": "peer",
                         "figure": _acc_figure([dsc], method, space),
                         "wall (min)": _minutes(sum(wall) / len(wall)), "threads": dsc["threads"]})
    lib = load_result("ssl_uci_har")
    if lib is not None:
        threads = lib["settings"].get("threads")
        by_key = {(r["method"], r["protocol"]): r for r in lib["rows"] if r["k"] is None}
        for method in ("SimCLR (cosine)", "dynamic temperature", "CAE", "random encoder"):
            pre = lib["pretraining"].get(method, {}).get("wall_s", 0.0)  # random encoder: none
            for protocol, head in (("linear", "linear head"), ("mlp", "MLP head")):
                r = by_key[(method, protocol)]
                rows.append({"benchmark": "ssl", "method": f"{method}, {head}", "by": "library",
                             "figure": f"macro F1 {100 * r['f1']:.1f}",
                             "wall (min)": _minutes(pre + r["wall_s"]), "threads": threads})
        r = by_key[("supervised transformer", "mlp")]
        rows.append({"benchmark": "ssl", "method": "supervised transformer", "by": "library",
                     "figure": f"macro F1 {100 * r['f1']:.1f}",
                     "wall (min)": _minutes(r["wall_s"]), "threads": threads})
    ssl = load_result("peers_ssl_uci_har")
    if ssl is not None:
        for r in ssl["rows"]:
            if r["protocol"] == "linear":
                rows.append({"benchmark": "ssl", "method": r["method"], "by": "peer",
                             "figure": f"macro F1 {100 * r['f1']:.1f}",
                             "wall (min)": _minutes(r["wall_s"]), "threads": ssl["threads"]})
    for name, by in [("explain_uci_har", "library"), ("peers_explain_uci_har", "peer")]:
        res = load_result(name)
        if res is None:
            continue
        for r in res["table2"]:
            if r["mask"] == "none":
                rows.append({"benchmark": f"occlusion ({res['config']} subsets)",
                             "method": r["method"], "by": by,
                             "figure": f"macro F1 {100 * r['f1']:.1f}",
                             "wall (min)": _minutes(r["wall_s"]), "threads": res["threads"]})
    return rows


# ------------------------------------------------------- versus the peers
# One row per library run and job, against the strongest peer on that job (per
# metric, per k), with the wall minutes of both. Every library run is listed, so
# no row is picked on test figures.
VERSUS_COLUMNS = ("job", "sktime-har run", "figure", "wall min", "strongest peer",
                  "peer figure", "peer wall min", "paper", "sktime-har - peer")
FEW_LABEL_KS = (1, 2, 5, 10, 25)
_HEAD = {"linear": "linear head", "mlp": "MLP head"}


def _head_text(head: str) -> str:
    """``"linear head"``, ``"MLP head"``, or ``"linear head, C 0.01"`` for a tuned head."""
    return _HEAD.get(head) or head.replace("linear C=", "linear head, C ")


def _points(ours: float, peer: float) -> str:
    return f"{100 * (ours - peer):+.2f}"


def _minutes_cell(seconds: float) -> str:
    return f"{seconds / 60:.1f}" if seconds >= 3 else "<0.1"


def _versus_row(*cells: str) -> dict[str, str]:
    return dict(zip(VERSUS_COLUMNS, cells, strict=True))


def _clustering_versus_rows() -> list[dict]:
    peers = load_result("peers_dsc_uci_har")
    if peers is None:
        return []
    train = [r for r in peers["summary"] if r["split"] == "train"]
    best = {m: max(train, key=lambda r, m=m: r[m]) for m in ("acc", "nmi")}
    peer_cell = (f"ACC: {best['acc']['method']}; NMI: {best['nmi']['method']}"
                 if best["acc"] is not best["nmi"] else best["acc"]["method"])
    peer_cell += f" (mean of seeds {', '.join(map(str, peers['seeds']))})"
    peer_fig = f"{_pct(best['acc']['acc'])} / {_pct(best['nmi']['nmi'])}"
    peer_min = " / ".join(dict.fromkeys(_minutes_cell(best[m]["wall_s"]) for m in best))
    job = "cluster `dsc` training windows (ACC / NMI, no labels used)"

    def row(label, acc, nmi, wall_s, paper):
        return _versus_row(job, label, f"{_pct(acc)} / {_pct(nmi)}", _minutes_cell(wall_s),
                           peer_cell, peer_fig, peer_min,
                           f"{_pct(paper['acc'])} / {_pct(paper['nmi'])}",
                           f"{_points(acc, best['acc']['acc'])} / "
                           f"{_points(nmi, best['nmi']['nmi'])}")

    out = []
    long_runs = sorted((load_result(p.stem) for p in RESULTS.glob("dsc_uci_har_cpu-long*.json")),
                       key=lambda run: run["seed"])
    full = load_result("dsc_uci_har_full")
    for runs in (_dsc_library_runs(), long_runs, [full] if full else []):
        if not runs:
            continue
        seeds = ", ".join(str(run["seed"]) for run in runs)
        which = f"mean of seeds {seeds}" if len(runs) > 1 else f"seed {seeds}"
        # a run resumed across processes records only its last process's wall time;
        # its DSC pretraining is then counted as epochs x the median epoch
        resumed = [st["epochs"] * st["median_epoch_s"] for st in runs[0].get("checkpoint_stages",
                   ()) if (st["model"], st["stage"]) == ("dsc", "pretraining")]
        if resumed:
            which += ", resumed: pretraining timed by its median epoch"
        threads = runs[0]["threads"]
        for method in ("DSC (Ward init)", "DSC (k-means init)"):
            values = {m: _seed_values(runs, method, "end-to-end", "train", m)
                      for m in ("acc", "nmi", "wall_s")}
            mean = {m: sum(v) / len(v) for m, v in values.items()}
            out.append(row(f"Deep Sensory Clustering, {method[5:-1]} ({runs[0]['config']}, "
                           f"{which}, {threads} thread{'s' * (threads > 1)})", mean["acc"],
                           mean["nmi"], mean["wall_s"] + sum(resumed),
                           runs[0]["paper"][f"{method}|end-to-end"]["train"]))
    consensus = load_result("dsc_consensus_cpu-long")
    if consensus is not None:
        tr = next(r for r in consensus["rows"] if r["split"] == "train"
                  and r["method"].startswith("ConsensusClustering"))
        seeds = ", ".join(map(str, consensus["member_seeds"]))
        out.append(row(f"ConsensusClustering of DSC, Ward init, seeds {seeds} (one clustering; "
                       f"{consensus['config']}, {consensus['threads']} thread)",
                       tr["acc"], tr["nmi"], tr["wall_s"], consensus["paper"]["train"]))
    return out


def _runs(prefix: str) -> list[dict]:
    """Every committed (non-smoke) results file of one benchmark script, by file name."""
    paths = sorted(RESULTS.glob(f"{prefix}*.json"))
    return [load_result(p.stem) for p in paths if not p.stem.endswith("_smoke")]


def _run_budget(res: dict) -> str:
    """``"40 epochs"``, or the epoch chosen on the validation subjects, and the lr schedule."""
    st = res["settings"]
    if st.get("select_epochs") or res.get("selected"):  # supervised / ssl scripts
        chosen = res.get("chosen_epoch") or res["selected"]["epoch"]
        text = f"epoch {chosen} of {st['epochs']} chosen on validation subjects"
    else:
        text = f"{st['epochs']} epochs"
    schedule = st.get("lr_schedule", "constant")
    text = text if schedule == "constant" else f"{text}, {schedule} lr"
    from sktime_har.ssl import DynamicTemperatureSSL

    # the self-supervised encoders' default views go unnamed
    if st.get("augmentations") and st["augmentations"] != list(
            DynamicTemperatureSSL().augmentations):
        text += ", augmentations " + " + ".join(st["augmentations"])
    if st.get("encoder_name", "cpu") != "cpu":
        text += f", {st['encoder_name']} encoder"
    return text


def _ssl_run_data(res: dict) -> str:
    st = res["settings"]
    if st.get("unlabelled_windows"):
        return f"{st['pretrain_windows']:,} windows with the unlabelled"
    return f"all {st['pretrain_windows']:,} windows"


def _all_label_runs() -> list[tuple[str, str, float, float]]:
    """(job, run, test macro F1, wall s) of every all-labels library run."""
    out = []
    lib = load_result("ssl_uci_har")
    if lib is not None:
        f1 = {(r["method"], r["protocol"]): r for r in lib["rows"] if r["k"] is None}
        pre = lib["pretraining"]
        n = lib["settings"]["pretrain_windows"]
        out.append(("supervised", f"supervised transformer ({lib['config']}: {n:,} windows, "
                    f"{lib['settings']['sup_epochs']} epochs)",
                    f1[("supervised transformer", "mlp")]["f1"],
                    pre["supervised transformer"]["wall_s"]))
        for head in ("linear", "mlp"):
            r = f1[("dynamic temperature", head)]
            out.append(("frozen", f"dynamic temperature, {_HEAD[head]} ({lib['config']}: {n:,} "
                        f"windows, {lib['settings']['epochs']} epochs)", r["f1"],
                        pre["dynamic temperature"]["wall_s"] + r["wall_s"]))
    for res in _runs("supervised_all_windows"):
        st = res["settings"]
        seeds = st.get("seeds", [0])
        how = f"{len(seeds)} seeds, soft-voting ensemble" if len(seeds) > 1 else "one seed"
        out.append(("supervised", f"supervised transformer (all {st['train_windows']:,} "
                    f"windows, {how}, {_run_budget(res)})", res["test_f1"],
                    res["train_wall_s"]))
    for res in _runs("supervised_ensemble"):
        st = res["settings"]
        augmented = st["augmentations"]
        encoder = st.get("encoder", "cpu")
        out.append(("supervised", "supervised transformer"
                    + ("" if encoder == "cpu" else f", {encoder} encoder")
                    + f" (all {st['train_windows']:,} "
                    f"windows, soft-voting ensemble of {len(st['seeds'])} seeds x "
                    f"{res['chosen']} of {st['kept_epochs'][-1]}, chosen on validation subjects"
                    + (", augmentations " + " + ".join(augmented) if augmented else "") + ")",
                    res["test_f1"], res["train_wall_s"]))
    for res in _runs("ssl_all_windows"):
        what = _ssl_run_data(res)
        chosen = res.get("selected")
        if chosen:
            out.append(("frozen", f"dynamic temperature, {_head_text(chosen['head'])} ({what}, "
                        f"{_run_budget(res)}, head chosen on validation subjects)",
                        chosen["test_f1"], res["total_wall_s"]))
            continue
        for head in ("linear", "mlp"):
            if f"{head}_f1" in res:
                out.append(("frozen", f"dynamic temperature, {_HEAD[head]} ({what}, "
                            f"{_run_budget(res)})", res[f"{head}_f1"], res["total_wall_s"]))
    return out


def _classification_versus_rows() -> list[dict]:
    peers = load_result("peers_ssl_uci_har")
    if peers is None:
        return []
    linear = [r for r in peers["rows"] if r["protocol"] == "linear"]
    best = max(linear, key=lambda r: r["f1"])
    jobs = {"supervised": ("classify `ssl` test subjects, all labels (macro F1)", "95.26"),
            "frozen": ("classify `ssl` test subjects, all labels, frozen self-supervised "
                       "features (macro F1)", "93.00")}
    return [_versus_row(jobs[job][0], run, _pct(f1), _minutes_cell(wall), best["method"],
                        _pct(best["f1"]), _minutes_cell(best["wall_s"]), jobs[job][1],
                        _points(f1, best["f1"]))
            for job, run, f1, wall in _all_label_runs()]


def _few_label_runs() -> list[tuple[str, dict[int, float], float]]:
    """(run, {k: macro F1}, wall s) of every dynamic-temperature semi-supervised curve."""
    out = []
    lib = load_result("ssl_uci_har")
    if lib is not None:
        curve = lib["semi_supervised_curves"]["dynamic temperature"]
        out.append((f"dynamic temperature ({lib['config']}: "
                    f"{lib['settings']['pretrain_windows']:,} windows, "
                    f"{lib['settings']['epochs']} epochs)", {c["k"]: c["f1"] for c in curve},
                    lib["pretraining"]["dynamic temperature"]["wall_s"]))
    for res in _runs("ssl_all_windows"):
        tuned = (", the linear head's C chosen per k on validation subjects"
                 if res["settings"].get("tuned_heads") else "")
        out.append((f"dynamic temperature ({_ssl_run_data(res)}, {_run_budget(res)}{tuned})",
                    {c["k"]: c["f1"] for c in res["semi_supervised"]}, res["total_wall_s"]))
    return out


def _few_label_versus_rows() -> list[dict]:
    results = _peer_ssl_curve_results()
    if not results:
        return []
    curves, source = {}, {}  # source: the index in results of each curve's file
    for i, res in enumerate(results):
        for name, curve in res["semi_supervised_curves"].items():
            curves[name], source[name] = {c["k"]: c["f1"] for c in curve}, i
    # the stronger peer at each k, picked on the test subjects: in the peers' favour
    best = {k: max(curves, key=lambda name, k=k: curves[name][k]) for k in FEW_LABEL_KS}
    peer_names = " or ".join(dict.fromkeys(best.values()))
    used = [results[i] for i in sorted({source[name] for name in best.values()})]
    peer_wall = sum(res["feature_wall_s"] + sum(
        r["wall_s"] for r in res["rows"] if r["protocol"] == "semi-supervised"
        and r["method"] in best.values() and r["k"] in FEW_LABEL_KS) for res in used)
    peer_fig = " / ".join(f"{100 * curves[best[k]][k]:.1f}" for k in FEW_LABEL_KS)
    ks = "/".join(map(str, FEW_LABEL_KS))
    job = (f"classify `ssl` test subjects with k = {ks} labels per class "
           f"({results[0]['settings']['repeats']} paired draws, macro F1)")
    return [_versus_row(job, run, " / ".join(f"{100 * f1[k]:.1f}" for k in FEW_LABEL_KS),
                        _minutes_cell(wall), f"{peer_names} (the stronger at each k)", peer_fig,
                        _minutes_cell(peer_wall), "plot only",
                        " / ".join(f"{100 * (f1[k] - curves[best[k]][k]):+.1f}"
                                   for k in FEW_LABEL_KS))
            for run, f1, wall in _few_label_runs()]


def versus_peers_rows() -> list[dict]:
    """Every library run against the strongest classical peer on the same job."""
    return [*_clustering_versus_rows(), *_classification_versus_rows(),
            *_few_label_versus_rows()]


def versus_peers_table() -> str:
    """:func:`versus_peers_rows` as the README's Markdown table (empty without peers)."""
    rows = versus_peers_rows()
    if not rows:
        return ""
    header = ["job", "sktime-har run", "figure", "wall min", "strongest peer", "figure",
              "wall min", "paper", "sktime-har - peer"]
    lines = ["| " + " | ".join(header) + " |", "|---|---|---|---:|---|---|---:|---|---|"]
    return "\n".join(lines + ["| " + " | ".join(row[c] for c in VERSUS_COLUMNS) + " |"
                               for row in rows])


def docs_table(name: str) -> dict:
    """The results-file shape the docs' ``benchmark-table`` directive renders, for ``name``."""
    if name == "peers_comparison":
        return {"title": "Peers beside the library and the papers (UCI-HAR)",
                "description": "Built by ``benchmarks/readme_results.py --write-docs-tables`` "
                               "from the benchmark and peer results files; peers measured with "
                               "their own packages on the same splits. The papers report no "
                               "figure for the peers.",
                "sources": ["dsc_uci_har*.json", *(f"{p}.json" for p in PEER_RESULTS),
                            "ssl_uci_har.json", "explain_uci_har.json"],
                "rows": peers_comparison_rows()}
    if name == "time_to_quality":
        return {"title": "Time to quality on the benchmark CPU (UCI-HAR)",
                "description": "Wall minutes from the (standardised) windows to each row's "
                               "figure on the shared 2-core benchmark CPU: training, "
                               "pretraining included, plus the evaluation that gives the "
                               "figure; data loading left out. Library rows ran with the "
                               "thread count shown, the peers with one thread. Built by "
                               "``benchmarks/readme_results.py --write-docs-tables``.",
                "rows": time_to_quality_rows()}
    if name == "versus_peers":
        return {"title": "Every library run against the strongest peer (UCI-HAR)",
                "description": "The README's comparison: each library run on a job beside the "
                               "strongest classical peer on that job (per metric for "
                               "clustering, per k for few labels), wall minutes on the shared "
                               "2-core benchmark CPU from the windows to the figure, figures "
                               "in %, the last column in points. Built by "
                               "``benchmarks/readme_results.py --write-docs-tables``.",
                "rows": versus_peers_rows()}
    raise ValueError(f"unknown docs table {name!r}; known: {sorted(DOCS_TABLES)}")


def write_docs_tables() -> list[Path]:
    """Write ``benchmarks/results/<name>.json`` for every docs table."""
    paths = []
    for name in DOCS_TABLES:
        path = RESULTS / f"{name}.json"
        path.write_text(json.dumps(docs_table(name), indent=1) + "\n")
        paths.append(path)
    return paths


def throughput_figures(throughput: dict, memory: dict | None = None) -> dict[str, str]:
    """Figures of ``throughput.json`` (and ``transform_memory.json``) as short texts.

    Keys: ``train_ratio`` (range of library / reference windows per second over the
    training stages), ``peak_share`` (range of the share of the matmul peak over the
    training rows), ``aug_ratio``, ``loss_diff`` (largest relative difference of the
    per-epoch losses) and ``same_losses`` (that as a phrase), ``threads``; with
    ``memory`` also ``memory_n`` and ``memory_range`` (working memory beyond input
    and output at the largest n).
    """
    ratios = throughput["ratios"]
    # the tasks with a FLOP count, less the inference ones
    train_tasks = [t for t in throughput["fp32_ceilings"]
                   if not t.endswith(("transform", "predict"))]
    training = [ratios[t] for t in train_tasks]
    shares = [100 * r["peak_share"] for r in throughput["rows"]
              if r["task"] in train_tasks and r.get("peak_share") is not None]
    diffs = [v["max_rel_diff"] for k, v in throughput["same_results"].items()
             if not k.startswith("_")]
    out = {
        "train_ratio": f"{min(training):.2f}-{max(training):.2f}x",
        "peak_share": f"{min(shares):.0f}-{max(shares):.0f} %",
        "aug_ratio": f"{ratios['augmentation']:.1f}x",
        "loss_diff": f"{max(diffs):.1e}",
        "same_losses": ("bit-identical per-epoch losses" if max(diffs) == 0
                        else f"per-epoch losses within {max(diffs):.1e} (relative)"),
        "threads": str(throughput["threads"]),
    }
    if memory is not None:
        largest = max(r["n"] for r in memory["rows"] if r["role"] == "n")
        working = [r["working_mib"] for r in memory["rows"]
                   if r["role"] == "n" and r["n"] == largest]
        out["memory_n"] = f"{largest:,}"
        out["memory_range"] = f"{max(min(working), 0):.1f}-{max(working):.1f} MiB"
    return out


def dec_pretraining_figures(result: dict) -> dict[str, str]:
    """Figures of ``dec_pretraining_length.json`` as short texts (ACC ranges in %).

    Keys: ``raw_acc`` (k-means on the raw windows), ``early_acc`` (on the
    autoencoder after 10-20 epochs at a constant learning rate), ``late_acc``
    (after 40 epochs or more) and ``late_postures`` (the smallest share of the
    posture windows in one cluster over those late rows).
    """
    def span(values) -> str:
        return f"{min(values):.1f}-{max(values):.1f}"

    constant = [r for r in result["rows"]
                if r.get("epochs") is not None and r["lr decay epoch"] is None]
    late = [r for r in constant if r["epochs"] >= 40]
    return {
        "raw_acc": span([r["ACC"] for r in result["rows"] if r["embedding"] == "raw windows"]),
        "early_acc": span([r["ACC"] for r in constant if 10 <= r["epochs"] <= 20]),
        "late_acc": span([r["ACC"] for r in late]),
        "late_postures": f"{min(r['postures in one cluster'] for r in late):.0f}",
    }


def speed_summary() -> str:
    """The README's speed and memory paragraph, or an empty string without results."""
    throughput = load_result("throughput")
    if throughput is None:
        return ""
    fig = throughput_figures(throughput, load_result("transform_memory"))
    text = (
        "Speed and memory (`benchmarks/results/throughput.md`, `transform_memory.md`; "
        f"{throughput['device']}, {fig['threads']} torch thread(s), "
        f"config `{throughput['config']}`): training runs at {fig['train_ratio']} the "
        "windows/s of a per-sample `DataLoader` reference loop around the same modules "
        f"(both at {fig['peak_share']} of the measured matmul peak, so the model itself "
        f"is the cost) with {fig['same_losses']} for the same seed; batched augmentation is "
        f"{fig['aug_ratio']} the per-window numpy version."
    )
    if "memory_n" in fig:
        text += (f" `transform`/`predict` on {fig['memory_n']} windows use "
                 f"{fig['memory_range']} beyond their input and output (one batch's worth).")
    return text


def _block(readme: str, start: str, end: str) -> str:
    if start not in readme or end not in readme:
        raise ValueError(f"README.md lacks the {start} / {end} markers.")
    return readme.split(start, 1)[1].split(end, 1)[0].strip()


def _replace_block(readme: str, start: str, end: str, content: str) -> str:
    _block(readme, start, end)  # checks the markers
    head, rest = readme.split(start, 1)
    return f"{head}{start}\n{content}\n{end}{rest.split(end, 1)[1]}"


def readme_block(readme: str) -> str:
    """The text between the results markers of ``readme``."""
    return _block(readme, START, END)


def readme_versus_block(readme: str) -> str:
    """The text between the versus-the-peers markers of ``readme``."""
    return _block(readme, VERSUS_START, VERSUS_END)


def readme_speed_block(readme: str) -> str:
    """The text between the speed markers of ``readme``."""
    return _block(readme, SPEED_START, SPEED_END)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="replace the blocks in README.md")
    parser.add_argument("--peers", action="store_true", help="print the peers' README rows")
    parser.add_argument("--write-docs-tables", action="store_true",
                        help="write the docs' comparison and time-to-quality JSON files")
    args = parser.parse_args()
    if args.peers:
        print(peers_table())
        return
    if args.write_docs_tables:
        for path in write_docs_tables():
            print(f"wrote {path}")
        return
    table, speed, versus = results_table(), speed_summary(), versus_peers_table()
    if not args.write:
        print(f"{versus}\n\n{table}\n\n{speed}")
        return
    text = _replace_block(README.read_text(), START, END, table)
    text = _replace_block(text, VERSUS_START, VERSUS_END, versus)
    README.write_text(_replace_block(text, SPEED_START, SPEED_END, speed))
    print(f"updated {README}")


if __name__ == "__main__":
    main()
