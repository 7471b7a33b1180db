"""TabularGAN on mixed-type tables: the same table out, and persistence."""

import pickle

import numpy as np
import pandas as pd
import pytest

from gansynth import TabularGAN

from ..conftest import FAST
from .test_encoder import every_dtype_frame


@pytest.fixture(scope="module")
def mixed():
    df = every_dtype_frame(200)
    return df, TabularGAN(random_state=0, **FAST).fit(df)


def test_samples_keep_columns_dtypes_and_missingness(mixed):
    df, gan = mixed
    out = gan.sample(300, random_state=0)
    assert list(out.columns) == list(df.columns)
    assert out.dtypes.equals(df.dtypes)
    assert isinstance(out.index, pd.RangeIndex) and len(out) == 300
    assert out["age"].between(df["age"].min(), df["age"].max()).all()
    assert (out["country"] == "NO").all()
    assert set(out["plan"].dropna()) <= {"basic", "plus", "pro"}
    assert out["plan"].cat.categories.tolist() == ["pro", "plus", "basic", "unused"]
    assert not out["age"].isna().any()  # no missing values where none were seen
    np.testing.assert_array_equal(gan.feature_names_in_, df.columns)


def test_save_load_and_pickle_of_a_mixed_table(tmp_path, mixed):
    _, gan = mixed
    expected = gan.sample(50, random_state=3)
    path = tmp_path / "mixed.safetensors"
    gan.save(path)
    loaded = TabularGAN.load(path)
    pd.testing.assert_frame_equal(loaded.sample(50, random_state=3), expected)
    pd.testing.assert_frame_equal(
        pickle.loads(pickle.dumps(gan)).sample(50, random_state=3), expected
    )


def test_discrete_columns_parameter_and_errors(mixed):
    df, _ = mixed
    gan = TabularGAN(discrete_columns=["age"], random_state=0, **FAST).fit(df)
    kinds = {c.name: c.kind for c in gan.encoder_.columns_}
    assert kinds["age"] == "discrete"
    with pytest.raises(ValueError, match=r"discrete_columns names \['nope'\]"):
        TabularGAN(discrete_columns=["nope"], **FAST).fit(df)
    with pytest.raises(ValueError, match="The columns of X differ from those seen"):
        TabularGAN(warm_start=True, **FAST).fit(df).fit(df[df.columns[::-1]])
