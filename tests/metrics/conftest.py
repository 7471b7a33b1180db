"""Small real tables for the metric tests (scikit-learn's bundled data sets)."""

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_breast_cancer, load_wine


def _shuffled(loader):
    frame = loader(as_frame=True).frame
    return frame.sample(frac=1, random_state=0).reset_index(drop=True)


@pytest.fixture(scope="module")
def cancer():
    """Breast cancer (569 rows, 30 features and a 0/1 target), shuffled."""
    return _shuffled(load_breast_cancer)


@pytest.fixture(scope="module")
def wine():
    """Wine (178 rows, 13 features), target as strings, shuffled."""
    frame = _shuffled(load_wine)
    frame["target"] = frame["target"].map({0: "a", 1: "b", 2: "c"}).astype(object)
    return frame


@pytest.fixture(scope="module")
def mixed():
    """Every kind of column, with missing values."""
    rng = np.random.default_rng(0)
    n = 240
    frame = pd.DataFrame(
        {
            "x": rng.normal(size=n),
            "count": pd.array(rng.integers(0, 5, n), dtype="Int64"),
            "colour": pd.Categorical(rng.choice(["red", "green", "blue"], n)),
            "name": rng.choice(["ann", "bob"], n).astype(object),
            "flag": pd.array(rng.random(n) > 0.5, dtype="boolean"),
            "when": pd.Timestamp("2020-01-01", tz="UTC")
            + pd.to_timedelta(rng.integers(0, 900, n), unit="D"),
        }
    )
    frame.loc[::7, "x"] = np.nan
    frame.loc[::11, "name"] = None
    frame.loc[::13, "flag"] = pd.NA
    frame.loc[::17, "count"] = pd.NA
    return frame


@pytest.fixture(scope="module")
def cancer_halves(cancer):
    """Two disjoint real halves of the breast cancer table."""
    half = len(cancer) // 2
    return cancer.iloc[:half], cancer.iloc[half:].reset_index(drop=True)


@pytest.fixture(scope="module")
def cancer_shuffled(cancer_halves):
    """The second half with each column permuted on its own: every marginal
    is kept, every dependence between columns is destroyed."""
    rng = np.random.default_rng(0)
    other = cancer_halves[1]
    return pd.DataFrame({c: rng.permutation(other[c].to_numpy()) for c in other})
