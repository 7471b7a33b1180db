"""Values at the edges of what a table holds: integers past float64's exact
range, column names that print alike, and pandas' missing-value scalars as
conditions."""

import numpy as np
import pandas as pd
import pytest

from gansynth import TabularGAN

TINY = dict(epochs=2, generator_dims=(16,), discriminator_dims=(16,), random_state=0)
N = 200


@pytest.mark.parametrize(
    "ids",
    [
        (2**62 + np.arange(N)).astype("int64"),
        (-(2**62) - np.arange(N)).astype("int64"),
        (np.uint64(2**63) + np.arange(N, dtype="uint64")),
        pd.array(2**62 + np.arange(N), dtype="Int64"),
        pd.array(np.uint64(2**63) + np.arange(N, dtype="uint64"), dtype="UInt64"),
    ],
    ids=["int64", "int64-negative", "uint64", "Int64", "UInt64"],
)
def test_integers_beyond_float64_precision_are_refused(ids):
    # In float64 these ids collapse to a few values: the column came out
    # "constant", or sampled ids outside the seen range.
    X = pd.DataFrame({"a": np.random.default_rng(0).normal(size=N), "id": ids})
    with pytest.raises(ValueError, match=r"(?s)'id'.*2\*\*53.*strings"):
        TabularGAN(**TINY).fit(X)


def test_integers_up_to_2_to_the_53_still_fit():
    ids = (2**53 - np.arange(N)).astype("int64")
    X = pd.DataFrame({"a": np.random.default_rng(0).normal(size=N), "id": ids})
    sample = TabularGAN(**TINY).fit(X).sample(50)
    assert sample["id"].between(ids.min(), ids.max()).all()


def _int_and_str_names():
    rng = np.random.default_rng(0)
    return pd.DataFrame(
        {
            0: rng.normal(size=N),
            1: rng.choice(["x", "y"], N),
            "1": rng.choice(["p", "q"], N),
        }
    )


def _check_conditions_by_exact_name(gan):
    s = gan.sample(20, conditions={"1": "p"}, random_state=0)
    assert (s["1"] == "p").all()
    s = gan.sample(20, conditions={1: "y"}, random_state=0)
    assert (s[1] == "y").all()
    s = gan.sample(20, conditions={1: "x", "1": "q"}, random_state=0)
    assert (s[1] == "x").all() and (s["1"] == "q").all()


def test_conditions_match_the_column_name_with_its_type(tmp_path):
    gan = TabularGAN(**TINY).fit(_int_and_str_names())
    _check_conditions_by_exact_name(gan)
    path = tmp_path / "model.safetensors"
    gan.save(path)
    _check_conditions_by_exact_name(TabularGAN.load(path))


@pytest.fixture(scope="module")
def with_missing():
    rng = np.random.default_rng(0)
    X = pd.DataFrame(
        {
            "a": rng.normal(size=N),
            "b": pd.array(
                np.where(rng.random(N) < 0.2, None, rng.random(N) < 0.5),
                dtype="boolean",
            ),
            "s": np.where(rng.random(N) < 0.2, None, rng.choice(["m", "n"], N)),
            "full": rng.choice(["u", "v"], N),
        }
    )
    return TabularGAN(**TINY).fit(X)


@pytest.mark.parametrize("value", [pd.NA, pd.NaT, None, np.nan])
@pytest.mark.parametrize("column", ["b", "s"])
def test_missing_scalars_condition_on_missing(with_missing, column, value):
    s = with_missing.sample(20, conditions={column: value}, random_state=0)
    assert s[column].isna().all()


def test_missing_condition_on_a_column_without_missing_names_it(with_missing):
    with pytest.raises(ValueError, match="Unknown condition value <NA> for column"):
        with_missing.sample(5, conditions={"full": pd.NA})


@pytest.mark.parametrize(
    "rows", [[[1, "a"], [2, "b"]] * 10, ([0.5, "x"], [1.5, "y"]) * 10]
)
def test_a_list_mixing_numbers_and_strings_is_refused_not_coerced(rows):
    # As an array every value would be a string: the numbers came back as
    # the strings "1", "2" (a category each).
    with pytest.raises(ValueError, match=r"mix strings with values of type \['"):
        TabularGAN(**TINY).fit(rows)


def test_lists_of_one_kind_still_fit_and_keep_it():
    strings = TabularGAN(**TINY).fit([["a", "b"], ["c", "d"]] * 10).sample(5)
    numbers = TabularGAN(**TINY).fit([[1, 2.5], [3, 4.0]] * 10).sample(5)
    rows = TabularGAN(**TINY).fit([np.array(["a", "b"]), np.array(["c", "d"])] * 10)
    assert strings.dtype.kind == "U" and numbers.dtype == np.float64
    assert rows.sample(5).dtype.kind == "U"
