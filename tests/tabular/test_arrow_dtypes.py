"""Columns backed by Arrow, and pandas' other array types: a table goes in and
the same table, columns and dtypes, comes out of sample, save/load and pickle."""

import pickle

import numpy as np
import pandas as pd
import pytest

from gansynth import TabularGAN

pa = pytest.importorskip("pyarrow")

TINY = dict(epochs=2, generator_dims=(16,), discriminator_dims=(16,), random_state=0)
N = 200


def _table(column):
    return pd.DataFrame({"a": np.random.default_rng(0).normal(size=N), "c": column})


def _hours(**kwargs):
    return pd.Series(pd.date_range("2020-01-01", periods=N, freq="h", **kwargs))


def _assert_round_trips(X, tmp_path):
    """Sampled dtypes equal X's; save/load and pickle sample the same frame."""
    gan = TabularGAN(**TINY).fit(X)
    expected = gan.sample(50, random_state=3)
    assert expected.dtypes.equals(X.dtypes), expected.dtypes
    path = tmp_path / "model.safetensors"
    gan.save(path)
    loaded = TabularGAN.load(path)
    pd.testing.assert_frame_equal(loaded.sample(50, random_state=3), expected)
    unpickled = pickle.loads(pickle.dumps(gan))
    pd.testing.assert_frame_equal(unpickled.sample(50, random_state=3), expected)
    return expected


@pytest.mark.parametrize(
    "column",
    [
        _hours(tz="UTC").astype("timestamp[us, tz=UTC][pyarrow]"),
        _hours(tz="Europe/Paris").astype("timestamp[ms, tz=Europe/Paris][pyarrow]"),
        _hours().astype("timestamp[us][pyarrow]"),
        _hours().astype("date32[pyarrow]"),
    ],
    ids=["timestamp-us-utc", "timestamp-ms-paris", "timestamp-us", "date32"],
)
def test_arrow_datetimes_keep_their_dtype(column, tmp_path):
    # sample crashed with "Unsupported cast from double to timestamp".
    X = _table(column)
    sample = _assert_round_trips(X, tmp_path)
    assert sample["c"].between(column.min(), column.max()).all()


def test_arrow_timestamps_with_missing_values():
    column = _hours(tz="UTC").astype("timestamp[us, tz=UTC][pyarrow]")
    column[::4] = None
    sample = TabularGAN(**TINY).fit(_table(column)).sample(200)
    assert sample["c"].dtype == column.dtype
    assert sample["c"].isna().any() and sample["c"].notna().any()


@pytest.mark.parametrize(
    "dtype",
    [pd.StringDtype("pyarrow"), pd.ArrowDtype(pa.string()), pd.StringDtype("python")],
    ids=["string-pyarrow", "arrow-string", "string-python"],
)
def test_string_columns_keep_their_storage(dtype, tmp_path):
    # Both Arrow-backed kinds came back as StringDtype("python").
    values = np.random.default_rng(1).choice(["p", "q", "r"], N).astype(object)
    values[::7] = None
    X = _table(pd.array(values, dtype=dtype))
    sample = _assert_round_trips(X, tmp_path)
    assert set(sample["c"].dropna()) <= {"p", "q", "r"}


def test_sparse_column_is_refused_with_its_name():
    # np.finfo failed with "data type <class 'numpy.object_'> not inexact".
    values = np.where(np.arange(N) % 5 == 0, np.linspace(1, 2, N), 0.0)
    X = _table(pd.arrays.SparseArray(values))
    with pytest.raises(ValueError, match=r"(?s)'c'.*Sparse\[float64.*to_dense"):
        TabularGAN(**TINY).fit(X)
