"""The README's results table is the one built from benchmarks/results/*.json."""

from __future__ import annotations

import json

from _scripts import ROOT, load_script


def _readme_results():
    return load_script("benchmarks/readme_results.py")


def test_readme_table_matches_benchmark_json():
    mod = _readme_results()
    table = mod.results_table()
    assert table.count("\n") >= 10  # every benchmark contributed rows
    assert mod.readme_block((ROOT / "README.md").read_text()) == table, (
        "README.md results are stale: run `python -m benchmarks.readme_results --write`")


def test_readme_speed_summary_matches_benchmark_json():
    mod = _readme_results()
    summary = mod.speed_summary()
    assert "reference loop" in summary and "augmentation" in summary
    assert mod.readme_speed_block((ROOT / "README.md").read_text()) == summary, (
        "README.md speed summary is stale: run `python -m benchmarks.readme_results --write`")


def test_throughput_figures_summarise_the_training_rows():
    mod = _readme_results()
    rows = [
        {"task": "simclr", "impl": "library", "peak_share": 0.30},
        {"task": "simclr", "impl": "reference", "peak_share": 0.28},
        {"task": "dsc_pretrain", "impl": "library", "peak_share": 0.45},
        {"task": "dsc_transform", "impl": "library", "peak_share": 0.90},
    ]
    throughput = {
        "ratios": {"simclr": 1.07, "dsc_pretrain": 0.94, "dsc_transform": 2.0,
                   "augmentation": 6.11},
        "fp32_ceilings": {"simclr": 3.6, "dsc_pretrain": 2.3, "dsc_transform": 2.8},
        "rows": rows, "threads": 1,
        "same_results": {"simclr": {"max_rel_diff": 0.0}, "dsc_pretrain": {"max_rel_diff": 2e-5},
                         "_setup": "ignored"},
    }
    memory = {"rows": [{"role": "n", "n": 10, "working_mib": 50.0},
                       {"role": "n", "n": 200, "working_mib": 1.5},
                       {"role": "n", "n": 200, "working_mib": -0.2},
                       {"role": "one batch", "n": 256, "working_mib": 99.0}]}
    fig = mod.throughput_figures(throughput, memory)
    # inference rows stay out of the training figures
    assert fig["train_ratio"] == "0.94-1.07x"
    assert fig["peak_share"] == "28-45 %"
    assert fig["aug_ratio"] == "6.1x"
    assert fig["loss_diff"] == "2.0e-05"
    assert fig["same_losses"] == "per-epoch losses within 2.0e-05 (relative)"
    assert fig["memory_n"] == "200" and fig["memory_range"] == "0.0-1.5 MiB"


def test_dsc_seed_summary_gives_mean_and_range_of_the_named_row():
    mod = _readme_results()

    def run(seed, ward_acc, kmeans_acc):
        rows = [{"method": method, "space": "end-to-end", "split": split, "acc": acc,
                 "nmi": 0.5}
                for method, acc in [("DSC (Ward init)", ward_acc),
                                    ("DSC (k-means init)", kmeans_acc)]
                for split in ("train", "test")]
        paper = {f"{m}|end-to-end": {s: {"acc": 0.7, "nmi": 0.6} for s in ("train", "test")}
                 for m in ("DSC (Ward init)", "DSC (k-means init)")}
        return {"seed": seed, "config": "cpu-long", "rows": rows, "paper": paper}

    runs = [run(0, 0.70, 0.60), run(1, 0.60, 0.80)]
    ward = mod._dsc_seed_summary(runs)
    kmeans = mod._dsc_seed_summary(runs, "DSC (k-means init)", "end-to-end", "k-means init")
    assert "seeds 0, 1" in ward and "(cpu-long)" in ward
    assert "ACC 65.00 (60.00-70.00) / 65.00 (60.00-70.00)" in ward
    assert kmeans.startswith("| k-means init, mean") and "ACC 70.00 (60.00-80.00)" in kmeans


def test_dec_pretraining_figures_split_early_late_and_the_config_run():
    mod = _readme_results()

    def row(embedding, acc, postures=50.0, epochs=None, decay=None):
        extra = {} if epochs is None else {"epochs": epochs, "lr decay epoch": decay}
        return {"embedding": embedding, "ACC": acc, "postures in one cluster": postures,
                **extra}

    result = {"rows": [row("raw windows", 50.0), row("raw windows", 51.24),
                       row("PCA (10 components)", 70.0),
                       row("autoencoder, 5 epochs", 10.0, epochs=5),
                       row("autoencoder, 10 epochs", 55.0, epochs=10),
                       row("autoencoder, 20 epochs", 56.5, epochs=20),
                       row("autoencoder, 40 epochs", 34.0, 99.4, epochs=40),
                       row("autoencoder, 100 epochs", 31.7, 99.0, epochs=100),
                       row("autoencoder, 60 epochs, the config's schedule", 20.0, 80.0,
                           epochs=60, decay=42)]}
    fig = mod.dec_pretraining_figures(result)
    assert fig == {"raw_acc": "50.0-51.2", "early_acc": "55.0-56.5",
                   "late_acc": "31.7-34.0", "late_postures": "99"}


def test_readme_quotes_the_dec_pretraining_figures():
    mod = _readme_results()
    fig = mod.dec_pretraining_figures(mod.load_result("dec_pretraining_length"))
    readme = (ROOT / "README.md").read_text()
    assert (f"{fig['late_postures']} % of the sitting, standing and laying windows" in readme
            and f"{fig['early_acc']} % train ACC after 10-20 epochs and {fig['late_acc']} "
                f"% after 40-100" in readme), "README.md's DEC pretraining sentence is stale"


def test_readme_usage_snippet_is_the_one_timed():
    result = json.loads((ROOT / "benchmarks/results/readme_usage.json").read_text())
    usage = load_script("benchmarks/readme_usage.py")
    assert usage.usage_snippet() == result["snippet"], (
        "README's Usage snippet changed: rerun `python -m benchmarks.readme_usage`")
    readme = (ROOT / "README.md").read_text()
    assert f"in about {result['wall_s'] / 60:.1f} minutes" in readme


def test_readme_quotes_the_default_cost():
    summary = json.loads((ROOT / "benchmarks/results/default_cost.json").read_text())["summary"]
    readme = " ".join((ROOT / "README.md").read_text().split())
    assert f"would take about {summary['dsc_h']:.0f} h" in readme
    assert f"about {summary['dt_fold_h']:.0f} h per fold" in readme


def test_getting_started_shows_the_readme_usage_snippet():
    snippet = load_script("benchmarks/readme_usage.py").usage_snippet()
    docs = (ROOT / "docs/getting_started.rst").read_text()
    assert "\n".join("   " + line if line else "" for line in snippet.splitlines()) in docs


def test_the_readme_training_controls_example_runs(capsys):
    # callbacks, precision, a validation split by groups and a resumable checkpoint in one fit
    import re

    blocks = re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text(), re.S)
    example = next(block for block in blocks if "ResumableCheckpoint" in block)
    exec(compile(example, "README.md", "exec"), {"__name__": "readme_example"})
    out = capsys.readouterr().out
    stage_line = re.search(r"SimCLREncoder pretraining: (\d+) epochs", out)
    summary = re.search(r"(\d+) epochs, best validation loss ([0-9.]+)", out)
    assert stage_line and summary, out
    # early stopping on the subjects held out ended the stage before its 20 epochs
    assert int(stage_line.group(1)) == int(summary.group(1)) < 20


def test_readme_versus_peers_block_matches_benchmark_json():
    mod = _readme_results()
    table = mod.versus_peers_table()
    assert "soft-DTW k-means (tslearn)" in table and "MiniRocket" in table
    assert mod.readme_versus_block((ROOT / "README.md").read_text()) == table, (
        "README.md comparison with the peers is stale: run "
        "`python -m benchmarks.readme_results --write`")
