import numpy as np
import pytest

from sktime_har.utils import check_windows


def test_accepts_3d_and_casts_to_float32_c_order():
    X = np.asfortranarray(np.arange(24, dtype=np.float64).reshape(2, 3, 4))
    out = check_windows(X)
    assert out.dtype == np.float32 and out.flags.c_contiguous
    np.testing.assert_array_equal(out, X.astype(np.float32))


def test_2d_is_one_channel():
    assert check_windows(np.ones((5, 7), dtype=int)).shape == (5, 1, 7)


def test_accepts_nested_lists():
    assert check_windows([[[1, 2, 3]], [[4, 5, 6]]]).shape == (2, 1, 3)


@pytest.mark.parametrize(
    "X, match",
    [
        (np.zeros(5), "1D array.*Reshape your data"),
        (np.zeros((3, 0)), "0 feature"),
        (np.zeros((2, 2), dtype=complex), "Complex data not supported"),
        (np.zeros((2, 3, 4, 5)), "4D array"),
        (np.zeros((0, 3, 4)), "at least 1 sample"),
        (np.zeros((2, 0, 4)), "at least one channel"),
        (np.array([[1.0, np.nan]]), "NaN or infinity"),
        (np.array([[1.0, np.inf]]), "NaN or infinity"),
        (np.array([[1e300, 1.0]]), "NaN or infinity"),
        ([[[1, 2, 3]], [[4, 5]]], "ragged"),
    ],
)
def test_rejects_bad_shapes_and_values(X, match):
    with pytest.raises(ValueError, match=match):
        check_windows(X)


def test_error_names_expected_shape():
    with pytest.raises(ValueError, match=r"\(n_samples, n_channels, n_timesteps\)"):
        check_windows(np.zeros((2, 3, 4, 5)))


@pytest.mark.parametrize("X", [np.array([["a", "b"]]), "abc", 3.0])
def test_rejects_non_numeric(X):
    with pytest.raises(TypeError):
        check_windows(X)


def test_object_array_of_strings_is_value_error():
    with pytest.raises(ValueError, match="non-numeric"):
        check_windows(np.array([[1, "x"]], dtype=object))


def test_object_array_of_dicts_is_type_error():
    with pytest.raises(TypeError, match="non-numeric"):
        check_windows(np.array([[1, {"a": 1}]], dtype=object))


def test_sparse_input_is_refused():
    import scipy.sparse

    with pytest.raises(TypeError, match="Sparse input is not supported"):
        check_windows(scipy.sparse.csr_array(np.eye(3)))


def test_min_timesteps_channels_and_length():
    X = np.zeros((2, 3, 4))
    with pytest.raises(ValueError, match="at least 8 timesteps"):
        check_windows(X, min_timesteps=8)
    with pytest.raises(ValueError, match="fitted on 6"):
        check_windows(X, n_channels=6)
    with pytest.raises(ValueError, match="X has 12 features, but Model is expecting 15"):
        check_windows(X, n_timesteps=5, owner="Model")
    with pytest.raises(ValueError, match="at least 3 sample"):
        check_windows(X, min_samples=3)
