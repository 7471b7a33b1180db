"""Datetimes come back in the unit they were written in: dates as dates (on
their own time zone's clock), minutes as whole minutes, as floats keep their
written decimals."""

import pickle

import numpy as np
import pandas as pd
import pytest

from gansynth import TabularGAN

TINY = dict(epochs=2, generator_dims=(16,), discriminator_dims=(16,), random_state=0)


def _days(rng, n, tz=None):
    days = pd.to_datetime("2020-01-01") + pd.to_timedelta(rng.integers(0, 900, n), "D")
    return pd.Series(days).dt.tz_localize(tz) if tz else pd.Series(days)


@pytest.fixture(scope="module")
def fitted():
    rng = np.random.default_rng(0)
    n = 300
    frame = pd.DataFrame({
        "x": rng.normal(size=n),
        "day": _days(rng, n),
        "day_paris": _days(rng, n, "Europe/Paris"),
        "minute": pd.Series(pd.to_datetime("2020-01-01")
                            + pd.to_timedelta(rng.integers(0, 10**6, n), "min")),
        "ns": pd.Series(pd.to_datetime("2020-01-01")
                        + pd.to_timedelta(rng.integers(0, 10**15, n), "ns")),
    })  # fmt: skip
    frame.loc[::7, "day"] = pd.NaT
    return frame, TabularGAN(**TINY).fit(frame)


def test_each_datetime_column_keeps_its_written_unit(fitted):
    frame, gan = fitted
    units = {info.name: info.time_unit for info in gan.encoder_.columns_}
    assert units == {"x": None, "day": "D", "day_paris": "D", "minute": "min",
                     "ns": None}  # fmt: skip
    sampled = gan.sample(2_000, random_state=1)
    assert sampled.dtypes.equals(frame.dtypes)
    for column in ("day", "day_paris"):  # midnight on Paris's clock, too
        days = sampled[column].dropna()
        assert (days == days.dt.normalize()).all(), column
        assert days.min() >= frame[column].min() and days.max() <= frame[column].max()
    assert (sampled["minute"].dt.floor("min") == sampled["minute"]).all()
    # Times written to the nanosecond are not rounded.
    assert (sampled["ns"].dt.nanosecond != 0).mean() > 0.9


def test_the_units_survive_save_load_and_pickle(fitted, tmp_path):
    _, gan = fitted
    expected = gan.sample(200, random_state=2)
    gan.save(tmp_path / "model.safetensors")
    loaded = TabularGAN.load(tmp_path / "model.safetensors")
    pd.testing.assert_frame_equal(loaded.sample(200, random_state=2), expected)
    twin = pickle.loads(pickle.dumps(gan))
    pd.testing.assert_frame_equal(twin.sample(200, random_state=2), expected)


@pytest.mark.parametrize("tz", [None, "Europe/Paris"])
def test_times_of_today_come_back_to_the_nanosecond(tz):
    # float64 steps by 256 ns near 2026: a constant time came back 21 ns off,
    # and the two times of a two-valued column as other times.
    rng = np.random.default_rng(0)
    start = pd.Timestamp("2026-01-01 00:00:00.123456789", tz=tz)
    later = start + pd.Timedelta(milliseconds=10)
    frame = pd.DataFrame({
        "x": rng.normal(size=300),
        "constant": pd.Series([start] * 300),
        "two": pd.Series([start, later] * 150),
        "spread": start + pd.to_timedelta(rng.integers(0, 10**9, 300), "ns"),
    })  # fmt: skip
    frame.loc[::10, "constant"] = pd.NaT
    sampled = TabularGAN(**TINY).fit(frame).sample(500, random_state=1)
    assert sampled.dtypes.equals(frame.dtypes)
    assert set(sampled["constant"].dropna()) == {start}
    assert set(sampled["two"]) == {start, later}
    # Clipped to the range seen, which is exact: some rows sit on its ends.
    low, high = frame["spread"].min(), frame["spread"].max()
    assert sampled["spread"].between(low, high).all()
    assert sampled["spread"].isin([low, high]).any()


def test_durations_keep_their_unit_range_and_missing_values(tmp_path):
    rng = np.random.default_rng(0)
    minutes = pd.to_timedelta(rng.lognormal(3, 1, 300).round(), "min")
    frame = pd.DataFrame({
        "x": rng.normal(size=300),
        "call": pd.Series(minutes),
        "wait": pd.Series(pd.to_timedelta(rng.integers(0, 10**9, 300), "ns")),
        "fixed": pd.Series([pd.Timedelta(days=1, nanoseconds=3)] * 300),
        "arrow": pd.Series(minutes).astype("duration[s][pyarrow]"),
    })  # fmt: skip
    frame.loc[::5, "call"] = pd.NaT
    gan = TabularGAN(**TINY).fit(frame)
    units = {info.name: info.time_unit for info in gan.encoder_.columns_}
    assert units == {"x": None, "call": "min", "wait": None, "fixed": None,
                     "arrow": "min"}  # fmt: skip
    sampled = gan.sample(1_000, random_state=1)
    assert sampled.dtypes.equals(frame.dtypes)
    call = sampled["call"]
    assert 0 < call.isna().mean() < 1  # NaT, as the column wrote them
    assert (call.dropna() == call.dropna().dt.round("min")).all()
    for column in ("call", "wait", "arrow"):
        low, high = frame[column].min(), frame[column].max()
        assert sampled[column].dropna().between(low, high).all(), column
    assert set(sampled["fixed"]) == {pd.Timedelta(days=1, nanoseconds=3)}
    gan.save(tmp_path / "model.safetensors")
    loaded = TabularGAN.load(tmp_path / "model.safetensors")
    pd.testing.assert_frame_equal(loaded.sample(1_000, random_state=1), sampled)
