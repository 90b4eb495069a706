"""The peer benchmarks' helpers and the row builders that feed the README and the docs.

Fast: synthetic inputs or the committed results files; no benchmark is run.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from _scripts import ROOT, load_script


@pytest.fixture
def bench_path(monkeypatch):
    # the peer scripts import their siblings as top-level modules
    monkeypatch.syspath_prepend(str(ROOT / "benchmarks"))


def test_summary_statistics_are_the_seven_per_channel_statistics(bench_path):
    peers = load_script("benchmarks/_peers.py")
    ramp = np.arange(5.0)  # 0 1 2 3 4
    X = np.stack([np.stack([ramp, 2 * ramp, -ramp])] * 2)  # (2, 3, 5)
    F = peers.summary_statistics(X)
    assert F.shape == (2, 7 * 3)
    by_stat = F[0].reshape(7, 3)  # grouped by statistic, then channel
    expected = {"mean": [2, 4, -2], "std": np.sqrt(2) * np.array([1, 2, 1]),
                "min": [0, 0, -4], "max": [4, 8, 0], "median": [2, 4, -2],
                "iqr": [2, 4, 2], "mean_abs_diff": [1, 2, 1]}
    for i, name in enumerate(peers.STATISTICS):
        np.testing.assert_allclose(by_stat[i], expected[name], err_msg=name)
    with pytest.raises(ValueError, match="shape"):
        peers.summary_statistics(X[0])


def test_semi_supervised_heads_draw_the_librarys_subsets(bench_path):
    """No top-level random_state: semi_supervised_evaluation then draws as for the library."""
    from sklearn.base import BaseEstimator, ClassifierMixin
    from sklearn.utils import check_random_state

    from sktime_har.evaluation import make_head, semi_supervised_evaluation
    from sktime_har.model_selection import sample_per_class

    ssl_peers = load_script("benchmarks/peers_ssl_uci_har.py")
    heads = ssl_peers.semi_supervised_heads(lr_max_iter=50)
    assert set(heads) == {ssl_peers.RIDGE, ssl_peers.LOGISTIC}
    library_head = make_head("linear", max_iter=50)
    assert "random_state" not in library_head.get_params()
    for head in heads.values():
        assert "random_state" not in head.get_params()

    class Recorder(ClassifierMixin, BaseEstimator):
        seen: list = []

        def fit(self, X, y):
            Recorder.seen.append(X[:, 0].tolist())
            self.classes_ = np.unique(y)
            return self

        def predict(self, X):
            return np.full(len(X), self.classes_[0])

    X = np.arange(60.0)[:, None]
    y = np.repeat(np.arange(3), 20)
    semi_supervised_evaluation(Recorder(), X, y, X, y, k_values=(1, 2), n_repeats=3,
                               random_state=0)
    drawn = list(Recorder.seen)
    # the same draws follow from the same seed for any estimator without random_state
    rng = check_random_state(0)
    expected = [X[sample_per_class(y, k, random_state=rng.randint(2**31 - 1)), 0].tolist()
                for k in (1, 2) for _ in range(3)]
    assert drawn == expected


def test_paired_differences_match_draw_by_draw(bench_path):
    ssl_peers = load_script("benchmarks/peers_ssl_uci_har.py")
    curve = [{"k": 1, "scores": [0.6, 0.7, 0.8]}, {"k": 2, "scores": [0.9, 0.9, 0.9]}]
    library = {"SimCLR (cosine)": [{"k": 1, "scores": [0.5, 0.8, 0.6]},
                                   {"k": 2, "scores": [0.9, 0.9]}]}  # k=2: other repeats
    out = ssl_peers.paired_differences(curve, library)
    assert list(out) == ["SimCLR (cosine)"]
    (row,) = out["SimCLR (cosine)"]
    assert row["k"] == 1 and row["n"] == 3 and row["peer_wins"] == 2
    assert row["mean_diff"] == pytest.approx(0.2 / 3)


def test_ridge_alpha_is_chosen_on_validation_only(bench_path):
    ssl_peers = load_script("benchmarks/peers_ssl_uci_har.py")
    rng = np.random.default_rng(0)
    F = rng.normal(size=(90, 4))
    y = (F[:, 0] > 0).astype(int)
    res = ssl_peers.ridge_on_validation(F[:60], y[:60], F[60:75], y[60:75], F[75:], y[75:])
    assert res["alpha"] in ssl_peers.ALPHAS
    assert len(res["validation_f1"]) == len(ssl_peers.ALPHAS)
    best = max(res["validation_f1"].values())
    assert res["validation_f1"][f"{res['alpha']:.4g}"] == best


def _fake_results(tmp_path):
    dsc = {"config": "cpu", "seeds": [0, 1], "threads": 1,
           "versions": {"tslearn": "0.10.0", "sktime": "1.2.0", "scikit-learn": "1.9.1"},
           "rows": [{"method": m, "space": sp, "split": split, "seed": seed, "acc": acc,
                     "nmi": 0.5, "wall_s": w}
                    for m, sp, acc, w in [("soft-DTW k-means (tslearn)", "raw", 0.7, 300.0),
                                          ("k-means on summary statistics", "63 statistics",
                                           0.6, 1.0)]
                    for seed in (0, 1) for split in ("train", "test")]}
    dsc["rows"][0]["acc"] = 0.8  # soft-DTW, seed 0, train
    ssl = {"config": "cpu", "threads": 1, "versions": {"sktime": "1.2.0"},
           "settings": {"k_values": [1, 5], "repeats": 2},
           "rows": [{"method": "MiniRocket + ridge (sktime)", "protocol": "linear", "k": None,
                     "f1": 0.95, "ci95": None, "wall_s": 120.0, "alpha": 100.0}],
           "semi_supervised_curves": {"MiniRocket + ridge (sktime)": [
               {"k": 1, "f1": 0.5, "ci95": 0.1, "scores": [0.4, 0.6]},
               {"k": 5, "f1": 0.75, "ci95": 0.1, "scores": [0.7, 0.8]}]}}
    explain = {"config": "cpu", "threads": 1, "versions": {"sktime": "1.2.0"},
               "table2": [{"method": "MiniRocket + ridge (sktime)", "mask": m, "f1": f,
                           "wall_s": 10.0} for m, f in [("none", 0.9), ("acc", 0.5),
                                                       ("gyro", 0.8)]],
               "occlusion_curve": {"MiniRocket + ridge (sktime)": {
                   "mean": [0.9, 0.7, 0.5, 0.3, 0.2, 0.1]}}}
    for name, data in [("peers_dsc_uci_har", dsc), ("peers_ssl_uci_har", ssl),
                       ("peers_explain_uci_har", explain)]:
        (tmp_path / f"{name}.json").write_text(json.dumps(data))


def test_peer_rows_from_synthetic_results(tmp_path, monkeypatch):
    mod = load_script("benchmarks/readme_results.py")
    _fake_results(tmp_path)
    monkeypatch.setattr(mod, "RESULTS", tmp_path)
    rows = mod.peer_rows()
    assert rows[0] == ("| soft-DTW k-means (tslearn) [tslearn 0.10.0], mean (range) of seeds "
                       "0, 1 | UCI-HAR `dsc` train / test (cpu, 1 thread) | ACC 75.00 "
                       "(70.00-80.00) / 70.00, NMI 50.00 / 50.00 | - |")
    assert "[scikit-learn 1.9.1]" in rows[1]
    assert "macro F1 95.00" in rows[2] and "alpha 100 on the validation subjects" in rows[2]
    assert "k = 1/5 labelled" in rows[3] and "macro F1 50.0 / 75.0" in rows[3]
    assert "macro F1 90.00 / 50.00 / 80.00" in rows[4]
    assert rows[5].startswith("| 2 random channels") and "macro F1 50.00" in rows[5]
    header = mod.peers_table().splitlines()[0]
    assert header == "| method | data, protocol (config) | ours | paper |"

    ttq = [r for r in mod.time_to_quality_rows() if r["by"] == "peer"]
    softdtw = next(r for r in ttq if r["method"].startswith("soft-DTW"))
    assert softdtw["wall (min)"] == 10.0  # train + test, mean over the seeds
    assert softdtw["figure"] == "ACC 75.0 / 70.0 (train / test)"


def test_committed_docs_tables_are_built_from_the_results():
    mod = load_script("benchmarks/readme_results.py")
    for name in mod.DOCS_TABLES:
        path = mod.RESULTS / f"{name}.json"
        if not path.exists():
            pytest.skip(f"{path.name} not written yet")
        assert json.loads(path.read_text()) == mod.docs_table(name), (
            f"{path.name} is stale: run `python -m benchmarks.readme_results "
            "--write-docs-tables`")


def test_minirocket_features_wrap_sktime_for_pipelines(bench_path):
    pytest.importorskip("sktime")
    from sklearn.base import clone

    peers = load_script("benchmarks/_peers.py")
    X = np.random.default_rng(0).normal(size=(6, 2, 20))
    est = clone(peers.MiniRocketFeatures(num_kernels=84, random_state=0))
    F = est.fit(X).transform(X)
    assert isinstance(F, np.ndarray) and F.dtype == np.float64 and F.shape[0] == 6
    np.testing.assert_array_equal(F, peers.MiniRocketFeatures(num_kernels=84, random_state=0)
                                  .fit_transform(X))


def test_versus_rows_compare_every_run_with_the_strongest_peer(tmp_path, monkeypatch):
    mod = load_script("benchmarks/readme_results.py")
    ks = (1, 2, 5, 10, 25)

    def curve(values):
        return [{"k": k, "f1": f} for k, f in zip(ks, values, strict=True)]

    results = {
        # P is the better peer in ACC, Q in NMI
        "peers_dsc_uci_har": {"seeds": [0, 1], "summary": [
            {"method": "P", "split": "train", "acc": 0.7, "nmi": 0.6, "wall_s": 1.0},
            {"method": "Q", "split": "train", "acc": 0.6, "nmi": 0.8, "wall_s": 600.0},
            {"method": "P", "split": "test", "acc": 0.9, "nmi": 0.9, "wall_s": 1.0}]},
        "dsc_consensus_cpu-long": {
            "member_seeds": [0, 1], "config": "cpu", "threads": 1,
            "rows": [{"method": "ConsensusClustering of 2", "split": "train", "acc": 0.75,
                      "nmi": 0.7, "wall_s": 1200.0}],
            "paper": {"train": {"acc": 0.7879, "nmi": 0.7643}}},
        # B is the better all-labels peer; A wins at k = 1, 5, 25 and B at k = 2, 10
        "peers_ssl_uci_har": {
            "settings": {"repeats": 10}, "feature_wall_s": 60.0,
            "rows": [{"method": "A", "protocol": "linear", "k": None, "f1": 0.90, "wall_s": 60.0},
                     {"method": "B", "protocol": "linear", "k": None, "f1": 0.95,
                      "wall_s": 120.0},
                     *({"method": m, "protocol": "semi-supervised", "k": k, "f1": 0.0,
                        "wall_s": 6.0} for m in "AB" for k in ks)],
            "semi_supervised_curves": {"A": curve([0.5, 0.6, 0.7, 0.8, 0.9]),
                                       "B": curve([0.4, 0.7, 0.6, 0.85, 0.88])}},
        # the heads tuned on validation: C wins at k = 2 only
        "peers_ssl_uci_har_tuned": {
            "settings": {"repeats": 10}, "feature_wall_s": 30.0,
            "rows": [{"method": "C", "protocol": "semi-supervised", "k": k, "f1": 0.0,
                      "wall_s": 6.0} for k in ks],
            "semi_supervised_curves": {"C": curve([0.3, 0.75, 0.5, 0.5, 0.5])}},
        "ssl_all_windows": {"settings": {"pretrain_windows": 100, "epochs": 10},
                            "total_wall_s": 600.0, "linear_f1": 0.93, "mlp_f1": 0.96,
                            "semi_supervised": curve([0.6, 0.6, 0.6, 0.9, 0.9])},
    }
    for name, data in results.items():
        (tmp_path / f"{name}.json").write_text(json.dumps(data))
    monkeypatch.setattr(mod, "RESULTS", tmp_path)

    rows = mod.versus_peers_rows()
    assert [r["sktime-har run"].split(" (")[0] for r in rows] == [
        "ConsensusClustering of DSC, Ward init, seeds 0, 1", "dynamic temperature, linear head",
        "dynamic temperature, MLP head", "dynamic temperature"]
    cluster, linear, mlp, few = rows
    assert cluster["strongest peer"] == "ACC: P; NMI: Q (mean of seeds 0, 1)"
    assert cluster["peer figure"] == "70.00 / 80.00"
    assert cluster["peer wall min"] == "<0.1 / 10.0"
    assert cluster["sktime-har - peer"] == "+5.00 / -10.00"
    assert cluster["wall min"] == "20.0" and cluster["paper"] == "78.79 / 76.43"
    assert linear["strongest peer"] == "B" and linear["peer figure"] == "95.00"
    assert linear["sktime-har - peer"] == "-2.00" and mlp["sktime-har - peer"] == "+1.00"
    assert few["strongest peer"] == "A or C or B (the stronger at each k)"
    assert few["peer figure"] == "50.0 / 75.0 / 70.0 / 85.0 / 90.0"
    assert few["sktime-har - peer"] == "+10.0 / -15.0 / -10.0 / +5.0 / +0.0"
    # each file's features + its semi-supervised rows: (60 + 10 x 6) + (30 + 5 x 6) s
    assert few["peer wall min"] == "3.0"
    table = mod.versus_peers_table().splitlines()
    assert len(table) == 2 + len(rows) and table[2].count(" | ") == len(mod.VERSUS_COLUMNS) - 1


def test_tuned_peer_heads_keep_the_draws_and_set_their_parameter(bench_path):
    tuned = load_script("benchmarks/peers_ssl_tuned_heads.py")
    heads = tuned.tuned_heads(lr_max_iter=50)
    assert set(heads) == {tuned.LOGISTIC, tuned.RIDGE}
    for make, grid, param in heads.values():
        head = make(grid[0])
        # a top-level random_state would draw other labelled subsets than the library's
        assert "random_state" not in head.get_params()
        assert head[-1].get_params()[param] == grid[0]
