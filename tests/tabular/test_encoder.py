"""The tabular encoder: every supported dtype survives the round trip."""

import numpy as np
import pandas as pd
import pytest

from gansynth.modalities.tabular import TabularEncoder

N = 400


def every_dtype_frame(n=N, seed=0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    gone = rng.random(n) < 0.2  # where the "with missing" columns are missing
    income = np.where(
        rng.random(n) < 0.5, rng.normal(30_000, 3_000, n), rng.normal(90_000, 8_000, n)
    )
    income[gone] = np.nan
    stamps = pd.Series(pd.date_range("2020-01-01", periods=n, freq="37h"))
    df = pd.DataFrame(
        {
            "income": income,  # float with NaN, bimodal
            "age": rng.integers(18, 90, n),  # int64
            "visits": pd.array(
                np.where(gone, None, rng.integers(0, 40, n)), dtype="Int64"
            ),
            "member": rng.random(n) < 0.3,  # bool
            "verified": pd.array(
                np.where(gone, None, rng.random(n) < 0.6), dtype="boolean"
            ),
            "plan": pd.Categorical(
                rng.choice(["basic", "plus", "pro"], n),
                categories=["pro", "plus", "basic", "unused"],
                ordered=True,
            ),
            "city": np.where(
                gone, None, rng.choice(["Oslo", "Lima", "Pune"], n)
            ).astype(object),
            "note": pd.array(
                np.where(gone, None, rng.choice(["a", "b"], n)), dtype="string"
            ),
            "joined": stamps.where(~gone, pd.NaT),
            "last_seen": stamps.dt.tz_localize("Europe/Paris").where(~gone, pd.NaT),
            "country": "NO",  # constant
            "score32": rng.normal(0, 1, n).astype(np.float32),
        }
    )
    city = np.where(gone, None, rng.choice(["Oslo", "Lima", "Pune"], n))
    df["city"] = pd.Series(city, dtype=object)
    return df


@pytest.fixture(scope="module")
def frame_and_encoder():
    df = every_dtype_frame()
    return df, TabularEncoder().fit(df)


def test_round_trip_keeps_values_and_dtypes(frame_and_encoder):
    df, enc = frame_and_encoder
    back = enc.inverse_transform(enc.transform(df))
    assert list(back.columns) == list(df.columns)
    assert back.dtypes.equals(df.dtypes)
    assert isinstance(back.index, pd.RangeIndex)
    exact = ["age", "visits", "member", "verified", "plan", "city", "note", "country"]
    for col in exact:
        pd.testing.assert_series_equal(back[col], df[col], check_names=True)
    # Continuous columns go through float32: within 1e-6 of the column's spread.
    for col in ("income", "score32"):
        assert (back[col].isna() == df[col].isna()).all()
        tol = 1e-6 * np.nanstd(df[col].to_numpy(dtype=float))
        np.testing.assert_allclose(back[col], df[col], atol=tol * 10, rtol=0)
    for col in ("joined", "last_seen"):
        assert (back[col].isna() == df[col].isna()).all()
        delta = (back[col] - df[col]).abs().max()
        assert delta <= pd.Timedelta(seconds=60), delta
    assert back["plan"].cat.categories.tolist() == ["pro", "plus", "basic", "unused"]
    assert back["plan"].cat.ordered
    assert back["city"].isna().sum() == df["city"].isna().sum()
    assert df["city"].dtype == object  # None marks missing here, and stays None
    assert back["city"][df["city"].isna()].map(lambda v: v is None).all()


def test_spec_blocks(frame_and_encoder):
    _, enc = frame_and_encoder
    blocks = {b.name: (b.kind, b.width) for b in enc.spec_.blocks}
    assert blocks["income"] == ("continuous", 1)
    assert blocks["income.mode"] == ("categorical", 2)  # two income groups
    assert blocks["income.missing"] == ("categorical", 2)
    assert blocks["plan"] == ("categorical", 3)  # observed categories only
    assert blocks["city"] == ("categorical", 4)  # three cities + missing
    assert "country" not in blocks  # constant: no space
    assert blocks["member"] == ("categorical", 2)
    kinds = {c.name: c.kind for c in enc.columns_}
    assert kinds["age"] == "continuous" and kinds["country"] == "constant"


def test_decoding_random_codes_gives_valid_rows(frame_and_encoder):
    df, enc = frame_and_encoder
    Z = np.random.default_rng(0).normal(size=(300, enc.spec_.dim))
    out = enc.inverse_transform(Z)
    assert out.dtypes.equals(df.dtypes) and len(out) == 300
    assert out["age"].between(18, 89).all()
    assert set(out["plan"].dropna()) <= {"basic", "plus", "pro"}
    assert (out["country"] == "NO").all()
    assert out["income"].isna().any() and not out["age"].isna().any()
    # every continuous column stays in the range seen in fit
    for col in ("income", "score32", "joined", "last_seen"):
        observed = out[col].dropna()
        assert observed.between(df[col].min(), df[col].max()).all(), col


def test_state_round_trip(frame_and_encoder):
    df, enc = frame_and_encoder
    arrays, meta = enc.get_state()
    import json

    twin = TabularEncoder.from_state(arrays, json.loads(json.dumps(meta)))
    Z = enc.transform(df)
    np.testing.assert_array_equal(twin.transform(df), Z)
    pd.testing.assert_frame_equal(twin.inverse_transform(Z), enc.inverse_transform(Z))


@pytest.mark.parametrize(
    "columns",
    [
        pd.Index(["x", "y"], name="features"),
        pd.MultiIndex.from_tuples([("g", "x"), ("h", "y")], names=["grp", "var"]),
        pd.Index([("g", "x"), ("h", "y")], tupleize_cols=False),  # tuple labels
    ],
    ids=["named", "multi", "tuples"],
)
def test_the_column_index_comes_back_with_its_names_and_levels(columns):
    # Its name and level names were dropped, and tuple labels came back as
    # a MultiIndex (RandomOverSampler and SMOTE keep them).
    rng = np.random.default_rng(0)
    df = pd.DataFrame(rng.normal(size=(50, 2)), columns=columns)
    enc = TabularEncoder().fit(df)
    back = enc.inverse_transform(enc.transform(df))
    pd.testing.assert_index_equal(back.columns, df.columns)
    if not isinstance(columns, pd.MultiIndex) and columns.name:  # saved too
        import json

        arrays, meta = enc.get_state()
        twin = TabularEncoder.from_state(arrays, json.loads(json.dumps(meta)))
        pd.testing.assert_index_equal(
            twin.inverse_transform(enc.transform(df)).columns, df.columns
        )


def test_numpy_in_numpy_out():
    X = np.random.default_rng(0).normal(size=(200, 3))
    enc = TabularEncoder().fit(X)
    back = enc.inverse_transform(enc.transform(X))
    assert isinstance(back, np.ndarray) and back.dtype == X.dtype
    np.testing.assert_allclose(back, X, atol=1e-5)
    Xi = np.random.default_rng(0).integers(0, 5, size=(100, 2))
    enc = TabularEncoder(discrete_columns=[1]).fit(Xi)
    assert [c.kind for c in enc.columns_] == ["continuous", "discrete"]
    np.testing.assert_array_equal(enc.inverse_transform(enc.transform(Xi)), Xi)


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        (pd.DataFrame(), r"X is empty \(shape \(0, 0\)\)"),
        (
            pd.DataFrame({"a": [np.nan, np.nan], "b": [1, 2]}),
            "Column 'a' has no observed value",
        ),
        (pd.DataFrame([[1, 2]], columns=["a", "a"]), r"duplicate column names \['a'\]"),
        (
            pd.DataFrame({"z": np.array([1 + 1j, 2j])}),
            "Column 'z' holds complex numbers",
        ),
        (
            pd.DataFrame({"o": [[1], [2]]}),
            "Column 'o' holds values that are not hashable",
        ),
        (pd.DataFrame({"x": [1.0, np.inf]}), "Column 'x' contains infinity"),
    ],
)
def test_bad_frames(frame, message):
    with pytest.raises(ValueError, match=message):
        TabularEncoder().fit(frame)


def test_unknown_discrete_column_and_value():
    df = pd.DataFrame({"a": ["x", "y", "x"], "b": [1.0, 2.0, 3.0]})
    with pytest.raises(ValueError, match=r"discrete_columns names \['c'\]"):
        TabularEncoder(discrete_columns=["c"]).fit(df)
    enc = TabularEncoder().fit(df)
    with pytest.raises(
        ValueError,
        match=r"Unknown value 'q' in column 'a'; values seen in fit: \['x', 'y'\]",
    ):
        enc.transform(pd.DataFrame({"a": ["q"], "b": [1.0]}))


@pytest.mark.parametrize("width", range(1, 10))
def test_the_fast_row_argmax_is_numpys(width):
    # Narrow blocks take a column-by-column path; ties and NaNs must land
    # where np.argmax puts them (the first maximum, the first NaN).
    from gansynth.modalities.tabular.one_hot import row_argmax

    rng = np.random.default_rng(width)
    block = rng.integers(0, 3, size=(5000, width)).astype(np.float32)
    block[rng.random(block.shape) < 0.02] = np.nan
    wide = np.hstack([block, block])[:, :width]  # a strided view, as decoded
    np.testing.assert_array_equal(row_argmax(wide), wide.argmax(axis=1))


def test_blocks_are_read_as_argmax_whether_one_hot_or_not():
    # Exact one-hots are read by one matrix product; anything else must fall
    # back to the argmax, including rows whose mean position is a whole
    # number ([0.5, 0, 0.5]), negative scores and NaNs.
    from gansynth.modalities.tabular.one_hot import block_codes, one_hot

    rng = np.random.default_rng(0)
    n, widths = 2000, (2, 3, 8, 51)
    codes = [rng.integers(0, w, n) for w in widths]
    blocks = [rng.uniform(-1, 1, (n, 1)).astype(np.float32)]  # a scalar
    spans, start = [], 1
    for w, c in zip(widths, codes, strict=True):
        blocks.append(one_hot(c, w))
        spans.append((start, w))
        start += w
    Z = np.hstack(blocks)
    read = block_codes(Z, spans)
    for (start, _), c in zip(spans, codes, strict=True):
        np.testing.assert_array_equal(read[start], c)

    # Blocks start at columns 1 (width 2), 3 (3), 6 (8) and 14 (51). Each
    # trap alone in a copy: one row of a block that is not a one-hot.
    traps = [
        (3, 6, [0.5, 0.0, 0.5]),  # total 1, whole mean position 1, not one-hot
        (3, 6, [2.0, 1.0, 0.0]),  # total 3: mean position 1 and "no variance"
        # Total 1, mean position 1 and no variance, through negative values.
        (6, 14, [1.0, -2.0, 3.0, -1.0, 0.0, 0.0, 0.0, 0.0]),
        (14, 65, rng.dirichlet(np.ones(51))),  # a probability row
        (1, 3, [np.nan, 1.0]),
    ]
    for first, last, row in traps:
        M = Z.copy()
        M[5, first:last] = row
        read = block_codes(M, spans)
        for start, w in spans:
            np.testing.assert_array_equal(
                read[start], M[:, start : start + w].argmax(axis=1)
            )
    scores = np.exp(rng.normal(size=Z.shape)).astype(np.float32)
    read = block_codes(scores, spans)
    for start, w in spans:
        np.testing.assert_array_equal(
            read[start], scores[:, start : start + w].argmax(1)
        )


def test_floats_come_back_with_the_decimals_they_were_written_with():
    # Values between the written ones are values no real row has (a model
    # trained on synthetic digits split on pixels of 0.01-0.12 that real
    # rows never have): decoded floats are rounded like the data.
    rng = np.random.default_rng(0)
    n = 400
    df = pd.DataFrame(
        {
            "pixel": rng.integers(0, 17, n).astype(np.float64),  # counts as floats
            "price": np.round(rng.gamma(2.0, 20.0, n), 2),
            "measure": rng.normal(0, 1, n),  # full precision: left as generated
            "share": pd.array(np.round(rng.random(n), 1), dtype="Float64"),
        }
    )
    df.loc[::7, "pixel"] = np.nan
    enc = TabularEncoder().fit(df)
    decimals = {c.name: c.decimals for c in enc.columns_}
    assert decimals == {"pixel": 0, "price": 2, "measure": None, "share": 1}
    out = enc.inverse_transform(rng.normal(size=(500, enc.spec_.dim)))
    assert out.dtypes.equals(df.dtypes)
    pixel = out["pixel"].dropna()
    assert out["pixel"].isna().any() and (pixel == np.round(pixel)).all()
    price = out["price"].to_numpy()
    np.testing.assert_allclose(price, np.round(price, 2), rtol=0, atol=1e-9)
    assert (np.round(price, 1) != price).any()  # cents, not coarser
    share = out["share"].to_numpy(dtype=float)
    np.testing.assert_allclose(share, np.round(share, 1), rtol=0, atol=1e-12)
    measure = out["measure"].to_numpy()
    assert (np.abs(np.round(measure, 6) - measure) > 1e-12).any()


def test_a_state_saved_before_decimals_decodes_floats_unrounded():
    import dataclasses

    df = pd.DataFrame({"pixel": np.arange(40, dtype=np.float64) % 17})
    enc = TabularEncoder().fit(df)
    arrays, meta = enc.get_state()
    for column in meta["columns"]:
        del column["decimals"]  # as written before the field existed
    old = TabularEncoder.from_state(arrays, meta)
    assert old.columns_[0] == dataclasses.replace(enc.columns_[0], decimals=None)
    Z = np.random.default_rng(1).normal(size=(200, enc.spec_.dim))
    values = old.inverse_transform(Z)["pixel"]
    assert (values != np.round(values)).any()
    np.testing.assert_array_equal(enc.inverse_transform(Z)["pixel"], np.round(values))


@pytest.mark.parametrize("width", [20, 150])
def test_decoded_frames_take_new_columns_without_a_fragmentation_warning(width):
    # Narrow frames are decoded a block per column (no consolidation copy);
    # wide ones consolidated, or pandas warns on every inserted column.
    import warnings

    rng = np.random.default_rng(0)
    df = pd.DataFrame(rng.normal(size=(200, width)).round(2),
                      columns=[f"c{i}" for i in range(width)])  # fmt: skip
    enc = TabularEncoder(derived_columns=None).fit(df)
    out = enc.inverse_transform(enc.transform(df))
    with warnings.catch_warnings():
        warnings.simplefilter("error", pd.errors.PerformanceWarning)
        out["sum"] = out.sum(axis=1)
        out.insert(0, "first", 1.0)
    assert out.shape == (200, width + 2)
