"""The all-windows SSL benchmark's head tuning: chosen on validation subjects, same draws."""

from __future__ import annotations

import numpy as np
from _scripts import load_script

from sktime_har.evaluation import make_head, semi_supervised_evaluation


def _script():
    return load_script("benchmarks/ssl_all_windows.py")


def test_heads_add_the_smaller_cs_only_when_tuned():
    script = _script()
    assert list(script.heads(tune=False)) == ["linear", "mlp"]
    tuned = script.heads(tune=True)
    assert list(tuned) == ["linear", "linear C=0.001", "linear C=0.01", "linear C=0.1", "mlp"]
    assert tuned["linear C=0.01"][-1].C == 0.01 and tuned["linear"][-1].C == 1.0


def test_tuned_curve_takes_each_ks_best_validation_c_and_scores_the_same_draws():
    script = _script()
    rng = np.random.default_rng(0)

    def split(n):
        y = rng.integers(0, 3, n)
        F = rng.normal(size=(n, 12))
        F[:, :2] += y[:, None]  # two informative features among noise
        return F, y

    (F_tr, y_tr), (F_va, y_va), (F_te, y_te) = split(150), split(60), split(60)
    draws = dict(k_values=(1, 5), n_repeats=3, random_state=0)
    rows = script.tuned_linear_curve(F_tr, y_tr, F_va, y_va, F_te, y_te, **draws)
    assert [r["k"] for r in rows] == [1, 5]

    def curve(c, F_eval, y_eval):
        head = make_head("linear", max_iter=script.LR_MAX_ITER, C=c)
        return {r["k"]: r for r in semi_supervised_evaluation(head, F_tr, y_tr, F_eval, y_eval,
                                                               **draws)}

    validation = {c: curve(c, F_va, y_va) for c in script.LINEAR_CS}
    for row in rows:
        val_f1 = {c: validation[c][row["k"]]["f1"] for c in script.LINEAR_CS}
        assert row["C"] == max(script.LINEAR_CS, key=val_f1.get)
        assert row["val_f1"] == val_f1[row["C"]]
        assert row["scores"] == curve(row["C"], F_te, y_te)[row["k"]]["scores"]
    # the choice matters on these features: the candidates do not all tie on validation
    assert len({round(validation[c][5]["f1"], 6) for c in script.LINEAR_CS}) > 1


def test_save_fitted_keeps_the_snapshots_and_leaves_the_model_untouched(tmp_path):
    import torch

    from sktime_har.datasets import make_activity_windows
    from sktime_har.ssl import SimCLREncoder

    common = load_script("benchmarks/_common.py")
    callbacks, snapshots = common.weight_snapshots([1, 2])
    X, _, _ = make_activity_windows(32, n_timesteps=16, random_state=0)
    model = SimCLREncoder(conv_channels=(4, 8), n_layers=1, n_heads=1, max_epochs=2,
                          batch_size=16, device="cpu", random_state=0, callbacks=callbacks)
    model.fit(X)
    common.save_fitted(tmp_path / "run" / "model.pt", model, snapshots, encoder="cpu")
    assert model.callbacks is callbacks  # the caller's estimator keeps its callbacks
    saved = torch.load(tmp_path / "run" / "model.pt", weights_only=False)
    assert saved["encoder"] == "cpu" and sorted(saved["snapshots"]) == [1, 2]
    np.testing.assert_allclose(saved["model"].transform(X), model.transform(X))
    saved["model"].module_.load_state_dict(saved["snapshots"][1])
    assert not np.allclose(saved["model"].transform(X), model.transform(X))


def test_paired_rows_difference_each_draw_and_refuse_unpaired_curves():
    import pytest

    paired = load_script("benchmarks/paired_few_labels.py")
    library = [{"k": 1, "scores": [0.6, 0.7, 0.8]}, {"k": 5, "scores": [0.9, 0.9, 0.9]}]
    peer = [{"k": 1, "scores": [0.5, 0.8, 0.6]}, {"k": 2, "scores": [0.1, 0.1, 0.1]}]
    (row,) = paired.paired_rows(library, peer)  # k = 1 only: the k both curves have
    assert row["k"] == 1 and row["n"] == 3 and row["library_wins"] == 2
    np.testing.assert_allclose(row["mean_diff"], np.mean([0.1, -0.1, 0.2]))
    assert row["ci95"] > 0
    with pytest.raises(ValueError, match="not paired"):
        paired.paired_rows(library, [{"k": 1, "scores": [0.5, 0.8]}])
