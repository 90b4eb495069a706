"""Data-parallel training in a 2-process gloo group equals the 1-process fit.

One ``torchrun --nproc_per_node=2`` run (as a user launches a script) fits every
case of ``_distributed_cases.py`` in both processes; this process fits the
same cases alone. Per-epoch losses, outputs and final parameters must agree
within 1e-5 (relative, or absolute for values below 1), and both processes must
end with identical weights. Two controls, the same fits with the gather or the
shared batch norm removed, must break that tolerance: it would catch either bug.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import _distributed_cases as cases  # noqa: E402

CONTROLS = {"simclr_no_gather": "simclr", "transformer_local_batch_norm": "transformer"}
TOLERANCE = 1e-5
EXTRA_CASES = ["simclr_resumed", "rows_read", "refusal"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def two_process_records(tmp_path_factory):
    out = tmp_path_factory.mktemp("ddp")
    env = dict(os.environ, OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    command = [sys.executable, "-m", "torch.distributed.run", "--nproc_per_node=2",
               "--master_addr=127.0.0.1", f"--master_port={_free_port()}",
               str(HERE / "_distributed_cases.py"), str(out), *cases.CASES, *CONTROLS,
               *EXTRA_CASES]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return {case: [dict(np.load(out / f"{case}.rank{rank}.npz")) for rank in (0, 1)]
            for case in [*cases.CASES, *CONTROLS, *EXTRA_CASES]}


@pytest.fixture(scope="module")
def one_process_records():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # as in the group: the same float32 kernels
    try:
        return {case: cases.fit_record(case) for case in cases.CASES}
    finally:
        torch.set_num_threads(threads)


def _comparable(name: str, value: np.ndarray, case: str) -> np.ndarray:
    # Parameters the loss is invariant to get float noise for gradients, which LARS and
    # Adam turn into full-size steps, in one process as in two: the attention key bias
    # (softmax ignores a shift of all scores) and the last bias of VICReg's expander
    # (invariance, variance and covariance ignore a shift of the embeddings).
    if name.endswith("self_attn.in_proj_bias"):
        return value.reshape(3, -1)[[0, 2]]
    if case == "vicreg" and name == "param.head.layers.2.bias":
        return value[:0]
    return value


def _worst_difference(reference: dict, record: dict, case: str) -> float:
    worst = 0.0
    for name, expected in reference.items():
        expected, got = _comparable(name, expected, case), _comparable(name, record[name], case)
        if expected.dtype.kind not in "fc":
            worst = max(worst, 0.0 if np.array_equal(expected, got) else np.inf)
        elif expected.size:
            scale = np.maximum(np.abs(expected), 1.0)
            worst = max(worst, float(np.max(np.abs(got - expected) / scale)))
    return worst


@pytest.mark.parametrize("case", list(cases.CASES))
def test_two_processes_train_the_one_process_model(case, two_process_records,
                                                   one_process_records):
    rank0, rank1 = two_process_records[case]
    assert _worst_difference(one_process_records[case], rank0, case) <= TOLERANCE
    for name in rank0:
        np.testing.assert_array_equal(rank0[name], rank1[name], err_msg=name)


def test_a_fit_resumed_from_a_checkpoint_in_the_group_equals_an_uninterrupted_one(
        two_process_records, one_process_records):
    # SimCLR stopped after 2 of 3 epochs and resumed: rank 0 wrote the checkpoint
    rank0, rank1 = two_process_records["simclr_resumed"]
    assert _worst_difference(one_process_records["simclr"], rank0, "simclr") <= TOLERANCE
    for name in rank0:
        np.testing.assert_array_equal(rank0[name], rank1[name], err_msg=name)


@pytest.mark.parametrize("control, case", list(CONTROLS.items()))
def test_the_tolerance_catches_a_missing_gather_or_local_batch_norm(
        control, case, two_process_records, one_process_records):
    rank0, rank1 = two_process_records[control]
    assert _worst_difference(one_process_records[case], rank0, case) > 100 * TOLERANCE
    assert any(not np.array_equal(rank0[name], rank1[name]) for name in rank0)


def test_each_process_reads_only_its_share_of_windows_in_files(two_process_records):
    # validation, training batches, DSC's whole-dataset passes and transform
    # all split the rows: the two processes together read what one process reads
    one = int(cases.rows_read_record()["rows_read"])
    rank0, rank1 = (int(r["rows_read"]) for r in two_process_records["rows_read"])
    assert rank0 + rank1 == one
    assert max(rank0, rank1) <= 0.55 * one
    np.testing.assert_array_equal(*(r["labels"] for r in two_process_records["rows_read"]))


def test_a_nan_in_one_share_is_refused_by_every_process(two_process_records):
    # rank 0 never reads the last row, yet must refuse too (else the group hangs)
    for record in two_process_records["refusal"]:
        assert bool(record["refused"]), "the NaN in rank 1's share was not refused"
        assert "NaN or infinity" in str(record["message"])


def test_batch_norms_are_swapped_back_with_their_state():
    from sktime_har._training._distributed import (
        CrossProcessBatchNorm,
        plain_batch_norms,
        share_batch_norms,
    )

    module = torch.nn.Sequential(torch.nn.Conv1d(2, 3, 1), torch.nn.BatchNorm1d(3))
    share_batch_norms(module)
    assert isinstance(module[1], CrossProcessBatchNorm)
    module[1].running_mean.fill_(0.5)
    plain_batch_norms(module)
    assert type(module[1]) is torch.nn.BatchNorm1d
    assert torch.all(module[1].running_mean == 0.5)
