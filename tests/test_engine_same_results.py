"""Every torch estimator trains exactly as recorded before the training engine was unified.

``tests/data/engine_reference.json`` holds per-epoch losses, validation
losses, labels and output summaries of each estimator's tiny fit (with and
without a validation split), recorded by ``tests/_engine_reference.py`` from
the code before the refactor. The tolerance only absorbs float32 kernel
differences between CPUs; any change of seeding, batching, loss or schedule
moves these figures by far more. Every stage trains a few epochs only (dynamic
temperature's inner autoencoder included): after its default 50 epochs the
kernel differences between two CPUs had grown into a 1% change of the losses.
"""

import json

import numpy as np
import pytest
from _engine_reference import REFERENCE, VARIANTS, fingerprint
from _torch_estimators import TORCH_ESTIMATORS

_EXPECTED = json.loads(REFERENCE.read_text())
_CASES = [(cls, variant) for cls in TORCH_ESTIMATORS for variant in VARIANTS]


def _assert_same(actual, expected, path):
    if isinstance(expected, dict):
        assert set(expected) <= set(actual), path  # attributes added since may be extra
        for key in expected:
            _assert_same(actual[key], expected[key], f"{path}.{key}")
    elif isinstance(expected, list) and expected and isinstance(expected[0], str):
        assert actual == expected, path
    else:
        np.testing.assert_allclose(np.asarray(actual, dtype=float),
                                   np.asarray(expected, dtype=float),
                                   rtol=1e-4, atol=1e-5, err_msg=path)


def test_every_torch_estimator_has_a_reference():
    assert {key for key in _EXPECTED} == {f"{c.__name__}/{v}" for c, v in _CASES}


@pytest.mark.parametrize(("cls", "variant"), _CASES,
                         ids=[f"{c.__name__}-{v}" for c, v in _CASES])
def test_training_matches_the_recorded_reference(cls, variant):
    _assert_same(fingerprint(cls, variant), _EXPECTED[f"{cls.__name__}/{variant}"],
                 f"{cls.__name__}/{variant}")
