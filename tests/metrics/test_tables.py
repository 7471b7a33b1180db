"""Bad input is refused with a message naming the argument."""

import numpy as np
import pandas as pd
import pytest
from scipy import sparse

from gansynth.metrics import (
    column_fidelity,
    detection_auc,
    distance_to_closest_record,
    pairwise_dependence,
)

REAL = pd.DataFrame({"x": [1.0, 2.0, 3.0], "c": ["a", "b", "a"]})


def test_mismatched_columns_name_the_missing_and_extra_ones():
    synthetic = pd.DataFrame({"x": [1.0], "d": ["a"]})
    with pytest.raises(ValueError, match=r"synthetic must have the columns of real"):
        column_fidelity(REAL, synthetic)
    with pytest.raises(ValueError, match=r"lacks \['c'\] and has unexpected \['d'\]"):
        pairwise_dependence(REAL, synthetic)


def test_holdout_columns_are_checked_too():
    with pytest.raises(ValueError, match="holdout must have the columns of real"):
        distance_to_closest_record(REAL, REAL, REAL[["x"]])


def test_column_order_of_synthetic_does_not_matter():
    result = column_fidelity(REAL, REAL[["c", "x"]])
    assert list(result["column"]) == ["x", "c"]
    assert result["value"].tolist() == [0.0, 0.0]


@pytest.mark.parametrize(
    ("real", "message"),
    [
        (pd.DataFrame({"x": []}), r"real is empty; .* got shape \(0, 1\)"),
        (pd.DataFrame(index=[0, 1]), r"real is empty; .* got shape \(2, 0\)"),
        (np.array([1.0, 2.0]), r"real must be a 2-D table .* got an array of shape"),
        (pd.Series([1.0, 2.0]), "got a Series"),
        (pd.DataFrame([[1, 2]], columns=["a", "a"]), "duplicated column names"),
        (np.array([[1 + 1j]]), "complex"),
    ],
)
def test_bad_tables_are_refused(real, message):
    with pytest.raises(ValueError, match=message):
        column_fidelity(real, real)


def test_empty_synthetic_is_named():
    with pytest.raises(ValueError, match="synthetic is empty"):
        column_fidelity(REAL, REAL.iloc[:0])


def test_sparse_input_is_refused():
    with pytest.raises(TypeError, match="dense"):
        column_fidelity(sparse.csr_matrix(np.eye(3)), np.eye(3))


def test_unknown_discrete_columns_are_named():
    with pytest.raises(ValueError, match=r"discrete_columns .* \['z'\]"):
        column_fidelity(REAL, REAL, discrete_columns=["z"])
    with pytest.raises(ValueError, match=r"Write \['x'\]"):
        column_fidelity(REAL, REAL, discrete_columns="x")


def test_incompatible_dtypes_are_refused_unless_listed_as_discrete():
    synthetic = REAL.assign(x=["1.0", "2.0", "3.0"])
    with pytest.raises(ValueError, match="Column 'x' has incompatible dtypes"):
        column_fidelity(REAL, synthetic)
    result = column_fidelity(REAL, synthetic, discrete_columns=["x"])
    assert result.loc[0, "statistic"] == "tv"
    # 1.0 and "1.0" are different values: disjoint supports.
    assert result.loc[0, "value"] == pytest.approx(1.0)


def test_datetimes_and_numbers_are_not_compared():
    real = pd.DataFrame({"t": pd.date_range("2020-01-01", periods=3)})
    with pytest.raises(ValueError, match="incompatible dtypes"):
        column_fidelity(real, pd.DataFrame({"t": [1.0, 2.0, 3.0]}))


def test_arrays_get_integer_column_names():
    X = np.arange(12.0).reshape(4, 3)
    result = column_fidelity(X, X, discrete_columns=[2])
    assert result["column"].tolist() == [0, 1, 2]
    assert result["kind"].tolist() == ["continuous", "continuous", "discrete"]


def test_an_array_against_a_named_frame_is_a_column_mismatch():
    with pytest.raises(ValueError, match="synthetic must have the columns of real"):
        detection_auc(REAL, np.zeros((3, 2)))
