"""The ensemble benchmark scores a fixed family of candidates and refuses mixed runs."""

from __future__ import annotations

import pytest
import torch
from _scripts import load_script


def _ensemble():
    return load_script("benchmarks/supervised_ensemble.py")


def test_candidates_are_per_epoch_and_per_tail_over_every_seed():
    cands = _ensemble().candidates([3, 7], [10, 20, 30])
    assert cands == {
        "epoch 10": [(3, 10), (7, 10)],
        "epoch 20": [(3, 20), (7, 20)],
        "epoch 30": [(3, 30), (7, 30)],
        "epochs >= 10": [(3, 10), (3, 20), (3, 30), (7, 10), (7, 20), (7, 30)],
        "epochs >= 20": [(3, 20), (3, 30), (7, 20), (7, 30)],
    }


def _save(path, seed, augmentations, epochs=(1, 2)):
    torch.save({"model": None, "snapshots": dict.fromkeys(epochs, {}), "seed": seed,
                "augmentations": augmentations, "lr_schedule": "constant", "smoke": True},
               path / f"seed{seed}.pt")


def test_runs_load_by_seed(tmp_path):
    for seed in (5, 0):
        _save(tmp_path, seed, ["scaling"])
    assert [r["seed"] for r in _ensemble().load_runs(tmp_path)] == [0, 5]


def test_empty_directory_is_refused(tmp_path):
    with pytest.raises(ValueError, match="No seed<k>.pt files"):
        _ensemble().load_runs(tmp_path)


@pytest.mark.parametrize("other", [{"augmentations": []}, {"epochs": (1, 3)}])
def test_runs_with_different_flags_are_refused(tmp_path, other):
    _save(tmp_path, 0, ["scaling"])
    _save(tmp_path, 1, other.get("augmentations", ["scaling"]), other.get("epochs", (1, 2)))
    with pytest.raises(ValueError, match="different flags"):
        _ensemble().load_runs(tmp_path)
