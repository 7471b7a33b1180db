"""Long DataFrames: one row per (id, time step) with static per-id columns go
in and come back with their columns, order, dtypes and times; bad frames are
refused by name."""

import re

import numpy as np
import pandas as pd
import pytest

from gansynth.modalities.sequence import SequenceEncoder
from gansynth.modalities.sequence.static import StaticEncoder

RNG = np.random.default_rng(0)


def _long(n_ids=5, lengths=(4, 6, 3, 5, 4), *, regular=True, shuffle=True):
    rows = []
    for i, t_len in zip(range(n_ids), lengths, strict=True):
        steps = RNG.integers(1, 5, t_len)
        times = np.arange(t_len) * 2 if regular else np.cumsum(steps)
        for t in times:
            rows.append({"site": f"s{i}", "when": int(t), "temp": RNG.normal(20, 3),
                         "count": int(RNG.integers(0, 9)), "kind": "ab"[i % 2],
                         "height": 100 + 10 * i})  # fmt: skip
    frame = pd.DataFrame(rows)
    frame["kind"] = frame["kind"].astype("category")
    if shuffle:  # rows of an id need not be together, nor in time order
        frame = frame.sample(frac=1.0, random_state=0).reset_index(drop=True)
    return frame


def _encoder(**kw):
    kw = {"id_column": "site", "time_column": "when",
          "static_columns": ["kind", "height"], **kw}  # fmt: skip
    return SequenceEncoder(**kw)


def _by_id(frame):
    return frame.sort_values(["site", "when"]).reset_index(drop=True)


@pytest.mark.parametrize("regular", [True, False])
def test_a_long_frame_round_trips_with_its_times_dtypes_and_statics(regular):
    frame = _long(regular=regular)
    enc = _encoder().fit(frame)
    back = enc.inverse_transform(enc.transform(frame))
    assert enc.frame_.learns_gaps is (not regular)
    assert list(back.columns) == list(frame.columns)
    assert back.dtypes.to_dict() == frame.dtypes.to_dict()
    # Ids are new (0, 1, ... as strings here) in the order they first appear.
    firsts = pd.unique(frame["site"])
    original = _by_id(frame).assign(site=lambda f: f.site.map(
        {s: str(i) for i, s in enumerate(firsts)}))  # fmt: skip
    original = _by_id(original)
    restored = _by_id(back)
    for column in ("site", "count", "kind", "height"):
        assert restored[column].tolist() == original[column].tolist(), column
    np.testing.assert_allclose(restored["temp"], original["temp"], rtol=1e-5)
    # Times start at the most common first time and keep the steps.
    starts = original.groupby("site")["when"].transform("min")
    origin = original.groupby("site")["when"].min().mode()[0]
    np.testing.assert_array_equal(restored["when"], original["when"] - starts + origin)


@pytest.mark.parametrize(
    "dtype", ["Int64", "UInt8", "Float64", "int64[pyarrow]", "double[pyarrow]"]
)
def test_nullable_and_arrow_features_without_missing_values_come_back(dtype):
    # NumPy cannot cast to these: samples failed for every such feature that
    # had no missing value in fit.
    frame = _long(shuffle=False)
    frame["count"] = frame["count"].astype(dtype)
    enc = _encoder().fit(frame)
    back = enc.inverse_transform(enc.transform(frame))
    assert back["count"].dtype == frame["count"].dtype
    assert _by_id(back)["count"].tolist() == _by_id(frame)["count"].tolist()


def test_without_a_time_column_the_row_order_is_the_time_order():
    frame = pd.DataFrame({"id": [7, 7, 7, 3, 3], "x": [1.0, 2.0, 3.0, 9.0, 8.0]})
    enc = SequenceEncoder(id_column="id").fit(frame)
    assert [s[:, 0].tolist() for s in enc.check(frame)[0]] == [[1, 2, 3], [9, 8]]
    back = enc.inverse_transform(enc.transform(frame))
    assert back["id"].tolist() == [0, 0, 0, 1, 1]  # integer ids stay integers
    np.testing.assert_allclose(back["x"], frame["x"], rtol=1e-6)


def test_datetimes_and_missing_values_survive():
    frame = _long(shuffle=False)
    frame["when"] = pd.Timestamp("2026-01-01") + pd.to_timedelta(frame["when"], "h")
    frame.loc[[2, 9], "temp"] = np.nan
    enc = _encoder().fit(frame)
    back = enc.inverse_transform(enc.transform(frame))
    assert back["when"].dtype == frame["when"].dtype
    assert back["when"].iloc[1] - back["when"].iloc[0] == pd.Timedelta(hours=2)
    assert back["temp"].isna().sum() == 2


@pytest.mark.parametrize("regular", [True, False])
@pytest.mark.parametrize(
    "start",
    [
        pd.Timestamp("2026-01-01 00:00:00.123456789"),
        pd.Timestamp("2026-01-01", tz="Europe/Paris"),
        1_767_225_600_123_456_789,  # int64 nanoseconds
        pd.Timedelta(seconds=3, nanoseconds=7),  # time since a start
    ],
    ids=["datetime", "tz-datetime", "int64-ns", "duration"],
)
def test_times_of_today_keep_every_nanosecond(regular, start):
    # 10 ms steps near 2026 in nanoseconds: float64 steps by 256 ns there, so
    # times held as floats came back 9.999872 ms apart and off their start.
    frame = _long(regular=regular, shuffle=False)
    step = 1_000_000 if isinstance(start, int) else pd.Timedelta(milliseconds=1)
    frame["when"] = start + frame["when"] * 10 * step
    enc = _encoder().fit(frame)
    back = enc.inverse_transform(enc.transform(frame))
    assert back["when"].dtype == frame["when"].dtype
    original = _by_id(frame.assign(site=frame.site.str[1:]))
    start = original.groupby("site")["when"].transform("min")
    origin = original.groupby("site")["when"].min().mode()[0]
    expected = (original["when"] - start + origin).tolist()
    assert _by_id(back)["when"].tolist() == expected


def test_state_round_trip_keeps_the_layout_and_the_statics():
    frame = _long(regular=False)
    enc = _encoder().fit(frame)
    arrays, meta = enc.get_state()
    again = SequenceEncoder.from_state(arrays, meta)
    encoded = enc.transform(frame)
    np.testing.assert_array_equal(again.transform(frame), encoded)
    pd.testing.assert_frame_equal(
        again.inverse_transform(encoded), enc.inverse_transform(encoded)
    )


def test_static_encoder_round_trips_numbers_categories_and_booleans():
    rows = pd.DataFrame({"sex": pd.Categorical(["f", "m", "f", None]),
                         "age": [30, 51, 42, 77], "smoker": [True, False, False, True],
                         "site": ["a"] * 4})  # fmt: skip
    enc = StaticEncoder(list(rows.columns)).fit(rows)
    assert [b[1:] for b in enc.blocks_] == [("categorical", 3), ("continuous", 1),
                                             ("categorical", 2)]  # fmt: skip
    pd.testing.assert_frame_equal(enc.inverse_transform(enc.transform(rows)), rows)


@pytest.mark.parametrize(
    "values",
    [
        ["a", None, "a", None],
        [5.0, np.nan, 5.0, 5.0],
        pd.array([7, None, None, 7], "Int64"),
    ],
)
def test_a_static_column_of_one_value_keeps_its_missing_values(values):
    # One value and missing ones are two states, learned as a category block
    # (they were refused as a constant column holding "other values").
    rows = pd.DataFrame({"site": values})
    enc = StaticEncoder(["site"]).fit(rows)
    assert [b[1:] for b in enc.blocks_] == [("categorical", 2)]
    pd.testing.assert_frame_equal(enc.inverse_transform(enc.transform(rows)), rows)


def test_a_static_datetime_of_one_value_with_missing_ones_is_refused():
    rows = pd.DataFrame({"since": pd.to_datetime(["2020-01-01", None, "2020-01-01"])})
    with pytest.raises(
        ValueError, match="'since' holds numbers or datetimes with miss"
    ):
        StaticEncoder(["since"]).fit(rows)


@pytest.mark.parametrize(
    ("change", "kw", "match"),
    [
        (lambda f: f, {"id_column": None}, "needs id_column"),
        (lambda f: f, {"time_column": "hour"}, "time_column names ['hour']"),
        (lambda f: f, {"static_columns": ["age"]}, "static_columns names ['age']"),
        (lambda f: f[(f.site != "s0") | (f.when == 0)], {}, "have a single row"),
        (
            lambda f: f.assign(height=np.arange(len(f))),
            {},
            "static_columns ['height'] change within an id",
        ),
        (lambda f: f.assign(note="x"), {}, "Feature column 'note'"),
        (lambda f: pd.concat([f, f.iloc[:1]]), {}, "two rows at the same time"),
        (lambda f: f.assign(when=f.when.astype(str)), {}, "datetimes or durations"),
        (lambda f: f.assign(temp=np.inf), {}, "infinite values"),
        (lambda f: f.assign(site=None), {}, "id column 'site' .* missing values"),
    ],
)
def test_bad_frames_are_refused_by_name(change, kw, match):
    frame = change(_long(shuffle=False))
    with pytest.raises(ValueError, match=re.escape(match) if "[" in match else match):
        _encoder(**kw).fit(frame)


def test_transform_refuses_other_features_and_other_forms():
    frame = _long()
    enc = _encoder().fit(frame)
    with pytest.raises(ValueError, match=re.escape("has the features ['temp']")):
        enc.transform(frame.drop(columns="count"))
    with pytest.raises(ValueError, match="must be a long DataFrame like"):
        enc.transform([np.zeros((3, 2))])
    with pytest.raises(ValueError, match="are for a long DataFrame X; got list"):
        _encoder().fit([np.zeros((3, 2))])
