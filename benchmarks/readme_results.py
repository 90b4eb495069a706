"""Build the README's results table from ``benchmarks/results/*.json``.

Usage::

    python benchmarks/readme_results.py          # print the table
    python benchmarks/readme_results.py --write  # replace it in README.md

The table sits between the ``<!-- results:start -->`` and
``<!-- results:end -->`` markers of README.md; ``tests/test_readme_results.py``
fails when the README and the JSON files disagree, so a rerun benchmark
cannot leave stale figures behind.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
README = ROOT / "README.md"
START, END = "<!-- results:start -->", "<!-- results:end -->"


def _load(name: str) -> dict | None:
    path = RESULTS / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else None


def _pct(x: float) -> str:
    return f"{100 * x:.2f}"


def _dsc_rows(res: dict) -> list[str]:
    def row(method, space, split):
        return next(r for r in res["rows"]
                    if (r["method"], r["space"], r["split"]) == (method, space, split))

    def paper(method, space, split, metric):
        return f"{100 * res['paper'][f'{method}|{space}'][split][metric]:.2f}"

    cfg = res["config"]
    out = []
    for method, space, label in [
        ("k-means", "raw", "k-means on raw windows"),
        ("AC-Ward", "autoencoder", "Ward on the autoencoder space"),
        ("DSC (Ward init)", "end-to-end", "Deep Sensory Clustering, Ward init"),
        ("DSC (k-means init)", "end-to-end", "Deep Sensory Clustering, k-means init"),
    ]:
        tr, te = row(method, space, "train"), row(method, space, "test")
        out.append(
            f"| {label} | UCI-HAR `dsc` train / test ({cfg}) | ACC {_pct(tr['acc'])} / "
            f"{_pct(te['acc'])}, NMI {_pct(tr['nmi'])} / {_pct(te['nmi'])} | ACC "
            f"{paper(method, space, 'train', 'acc')} / {paper(method, space, 'test', 'acc')}, NMI "
            f"{paper(method, space, 'train', 'nmi')} / {paper(method, space, 'test', 'nmi')} |"
        )
    dec, idec = row("DEC", "end-to-end", "train"), row("IDEC", "end-to-end", "train")
    out.append(
        f"| DEC / IDEC | UCI-HAR `dsc` train ({cfg}) | ACC {_pct(dec['acc'])} / "
        f"{_pct(idec['acc'])} | ACC {paper('DEC', 'end-to-end', 'train', 'acc')} / "
        f"{paper('IDEC', 'end-to-end', 'train', 'acc')} |"
    )
    return out


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
        res = _load(name)
        if res is not None:
            lines += build(res)
    return "\n".join(lines)


def readme_block(readme: str) -> str:
    """The text between the results markers of ``readme``."""
    if START not in readme or END not in readme:
        raise ValueError(f"README.md lacks the {START} / {END} markers.")
    return readme.split(START, 1)[1].split(END, 1)[0].strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="replace the table in README.md")
    args = parser.parse_args()
    table = results_table()
    if not args.write:
        print(table)
        return
    text = README.read_text()
    readme_block(text)  # checks the markers
    head, rest = text.split(START, 1)
    README.write_text(f"{head}{START}\n{table}\n{END}{rest.split(END, 1)[1]}")
    print(f"updated {README}")


if __name__ == "__main__":
    main()
