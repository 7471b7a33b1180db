"""``derived_columns``: a column that is an affine function of an earlier one
is computed from it on decoding, so the relation holds in every sampled row."""

import pickle

import numpy as np
import pandas as pd
import pytest

from gansynth import TabularGAN
from gansynth.modalities.tabular import TabularEncoder
from gansynth.modalities.tabular.derived import find_affine_relations


def calls_frame(n=600, seed=0) -> pd.DataFrame:
    """Minutes (one decimal) and their charge in cents at a rate whose
    products end in a half cent (ties), a unit conversion with an offset, an
    integer column derived from an integer, and columns that are not."""
    rng = np.random.default_rng(seed)
    minutes = np.round(rng.gamma(9.0, 20.0, n), 1)
    years = rng.integers(18, 90, n)
    return pd.DataFrame(
        {
            "minutes": minutes,
            "plan": rng.choice(["basic", "gold"], n),
            "charge": np.round(0.045 * minutes, 2),
            "hours": minutes / 60.0,  # full precision
            "age": years,
            "born": 2026 - years,
            "noisy": np.round(0.17 * minutes + rng.normal(0, 0.05, n), 2),
            "calls": rng.poisson(4, n),
        }
    )


def test_the_relations_are_found_with_their_source_and_line():
    df = calls_frame()
    enc = TabularEncoder().fit(df)
    found = enc.derived_columns_
    assert sorted(found) == ["born", "charge", "hours"]
    source, slope, _ = found["charge"]
    assert source == "minutes" and slope == pytest.approx(0.045, abs=1e-9)
    assert found["hours"][0] == "minutes"
    assert found["hours"][1] == pytest.approx(1 / 60, rel=1e-12)
    assert found["born"][:2] == ("age", pytest.approx(-1.0))
    # Off the line by more than half a cent, and counts: generated.
    assert "noisy" not in found and "calls" not in found
    # Derived columns take no space in the encoding.
    plain = TabularEncoder(derived_columns=None).fit(df)
    assert plain.derived_columns_ == {}
    assert plain.spec_.dim - enc.spec_.dim == sum(
        b.width for b in plain.spec_.blocks if b.name in found or
        b.name.split(".")[0] in found
    )  # fmt: skip


def test_a_chain_collapses_onto_its_first_column():
    x = np.round(np.linspace(0, 50, 300), 1)
    values = np.column_stack([x, 2 * x, 6 * x + 1])
    relations = find_affine_relations(values, [0.05, 0.05, 0.05])
    assert [(r.target, r.source) for r in relations] == [(1, 0), (2, 0)]


def test_few_values_or_different_missing_rows_are_left_alone():
    rng = np.random.default_rng(1)
    coarse = rng.integers(0, 5, 400).astype(float)  # 5 values: any line fits
    x = np.round(rng.normal(10, 2, 400), 2)
    y = 3 * x
    y_holes = y.copy()
    y_holes[:10] = np.nan
    values = np.column_stack([coarse, 2 * coarse, x, y_holes])
    assert find_affine_relations(values, [0.5, 0.5, 0.005, 0.005]) == []
    # The same missing rows: derived, and missing where its source is.
    x_holes = x.copy()
    x_holes[:10] = np.nan
    df = pd.DataFrame({"x": x_holes, "y": y_holes})
    enc = TabularEncoder().fit(df)
    assert list(enc.derived_columns_) == ["y"]
    back = enc.inverse_transform(enc.transform(df))
    pd.testing.assert_frame_equal(back, df)


def test_decoding_reproduces_the_real_column():
    df = calls_frame()
    enc = TabularEncoder().fit(df)
    back = enc.inverse_transform(enc.transform(df))
    pd.testing.assert_frame_equal(back[["born", "hours"]], df[["born", "hours"]])
    # A charge that the data rounded at a tie may come back a cent apart.
    gap = (back["charge"] - df["charge"]).abs()
    assert gap.max() <= 0.01 + 1e-9 and (gap < 1e-9).mean() > 0.9


def test_sampled_rows_keep_the_relation_exactly():
    df = calls_frame()
    gan = TabularGAN(epochs=5, batch_size=100, random_state=0).fit(df)
    rows = gan.sample(500, random_state=0)
    # Within half a cent of rate x minutes (at a tie either cent is right).
    assert (rows["charge"] - 0.045 * rows["minutes"]).abs().max() <= 0.005 + 1e-9
    np.testing.assert_array_equal(rows["born"], 2026 - rows["age"])
    np.testing.assert_allclose(rows["hours"], rows["minutes"] / 60, rtol=1e-9)
    # Generated instead, the relation is only approximated.
    plain = TabularGAN(epochs=5, batch_size=100, derived_columns=None,
                       random_state=0).fit(df).sample(500, random_state=0)  # fmt: skip
    off = (plain["charge"] - 0.045 * plain["minutes"]).abs() > 0.005 + 1e-9
    assert off.mean() > 0.5


def test_the_relations_survive_save_load_and_pickle(tmp_path):
    df = calls_frame(300)
    gan = TabularGAN(epochs=2, batch_size=100, random_state=0).fit(df)
    gan.save(tmp_path / "model")
    loaded = TabularGAN.load(tmp_path / "model")
    again = pickle.loads(pickle.dumps(gan))
    assert loaded.encoder_.derived_columns_ == gan.encoder_.derived_columns_
    expected = gan.sample(50, random_state=3)
    pd.testing.assert_frame_equal(loaded.sample(50, random_state=3), expected)
    pd.testing.assert_frame_equal(again.sample(50, random_state=3), expected)


def test_new_rows_that_break_a_relation_are_refused_not_dropped():
    df = calls_frame(300)
    enc = TabularEncoder().fit(df)
    # New rows that follow every relation (another draw) are encoded.
    assert enc.transform(calls_frame(200, seed=1)).shape == (200, enc.spec_.dim)
    # A charge a cent off on one row would be lost in the encoding: refused.
    broken = calls_frame(200, seed=1)
    broken.loc[7, "charge"] += 0.01
    with pytest.raises(ValueError, match=r"'charge' was found in fit to be computed "
                       r"from 'minutes'.*1 of 200 rows.*position 7"):  # fmt: skip
        enc.transform(broken)
    missing = calls_frame(200, seed=1)
    missing.loc[3, "hours"] = np.nan  # missing where its source is not
    with pytest.raises(ValueError, match=r"'hours'.*position 3"):
        enc.transform(missing)
    # warm_start continues on new rows through the same check.
    gan = TabularGAN(epochs=1, batch_size=100, warm_start=True, random_state=0)
    gan.fit(df).fit(calls_frame(200, seed=1))
    with pytest.raises(ValueError, match="derived_columns=None"):
        gan.fit(broken)


def test_encoders_saved_before_derived_columns_derive_nothing():
    df = calls_frame(300)[["minutes", "calls"]]
    arrays, meta = TabularEncoder().fit(df).get_state()
    meta = {k: v for k, v in meta.items() if k != "derived"}
    meta["params"] = {k: v for k, v in meta["params"].items() if k != "derived_columns"}
    old = TabularEncoder.from_state(arrays, meta)
    assert old.derived_columns is None and old.derived_columns_ == {}


def test_bad_derived_columns_are_refused():
    with pytest.raises(ValueError, match="derived_columns"):
        TabularGAN(derived_columns="all", epochs=1).fit(calls_frame(50))
    with pytest.raises(ValueError, match="derived_columns must be 'auto' or None"):
        TabularEncoder(derived_columns="all").fit(calls_frame(50))


def test_arrays_name_their_derived_columns_by_position():
    rng = np.random.default_rng(2)
    beach = np.round(rng.uniform(1, 300, 400), 2)
    X = np.column_stack([beach, rng.normal(size=400), beach])  # equal columns
    enc = TabularEncoder().fit(X)
    assert list(enc.derived_columns_) == [2]
    source, slope, intercept = enc.derived_columns_[2]
    assert source == 0 and slope == pytest.approx(1.0) and abs(intercept) < 1e-9
    back = enc.inverse_transform(enc.transform(X))
    # The cents come back exact, and the copy with them (the full-precision
    # column passes through float32).
    np.testing.assert_array_equal(back[:, [0, 2]], X[:, [0, 2]])


def test_conditions_on_discrete_columns_still_hold():
    df = calls_frame(400)
    gan = TabularGAN(epochs=2, batch_size=100, random_state=0).fit(df)
    rows = gan.sample(60, conditions={"plan": "gold"}, random_state=0)
    assert rows["plan"].eq("gold").all()
    np.testing.assert_array_equal(rows["born"], 2026 - rows["age"])
