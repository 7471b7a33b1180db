"""Datetime and duration columns of tables, as numbers and back.

Both are continuous columns whose values the encoder sees as float64
nanoseconds (datetimes in UTC) counted from the column's smallest value,
kept as an int (``ColumnInfo.time_origin``): float64 holds today's
nanoseconds since 1970 only in steps of 256, so counted from 1970 a constant
time came back 21 ns off. Samples are rounded to the coarsest unit
(:data:`TIME_UNITS`) that every value seen was a whole number of, datetimes
on their own time zone's clock (dates stay dates in Paris), as floats are
rounded to their written decimals.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["TIME_UNITS", "is_time_dtype", "nanoseconds", "restore_times",
           "written_time_unit"]  # fmt: skip

# Units of wall-clock time, coarsest first, in nanoseconds.
TIME_UNITS = {"D": 86_400 * 10**9, "h": 3_600 * 10**9, "min": 60 * 10**9,
              "s": 10**9, "ms": 10**6, "us": 10**3}  # fmt: skip


def is_time_dtype(dtype) -> bool:
    """Datetimes (NumPy-backed, with a time zone, Arrow's timestamps and
    dates) and durations (timedelta64, Arrow's durations)."""
    return getattr(dtype, "kind", None) in ("M", "m") or (
        pd.api.types.is_datetime64_any_dtype(dtype)
    )


def _numpy_time(dtype):
    """pandas' NumPy-backed dtype for a datetime or duration ``dtype``:
    itself, or for Arrow's types the one of their unit and time zone (dates
    in seconds: casts to dates drop the time of day)."""
    if not isinstance(dtype, pd.ArrowDtype):
        return dtype
    unit = getattr(dtype.pyarrow_dtype, "unit", "s")
    if dtype.kind == "m":
        return np.dtype(f"timedelta64[{unit}]")
    tz = getattr(dtype.pyarrow_dtype, "tz", None)
    return pd.DatetimeTZDtype(unit, tz) if tz else np.dtype(f"datetime64[{unit}]")


def _is_duration(dtype) -> bool:
    return getattr(dtype, "kind", None) == "m"


def _wall_clock(series: pd.Series) -> pd.Series:
    """Datetimes as NumPy-backed nanoseconds of their own time zone's clock."""
    series = series.astype(_numpy_time(series.dtype))
    if series.dt.tz is not None:
        series = series.dt.tz_localize(None)
    return series.astype("datetime64[ns]")


def nanoseconds(series: pd.Series) -> np.ndarray:
    """int64 nanoseconds: durations, or datetimes since 1970 in UTC; a
    missing value is int64's least."""
    series = series.astype(_numpy_time(series.dtype))
    if _is_duration(series.dtype):
        return series.astype("timedelta64[ns]").to_numpy().view("int64")
    naive = series.dt.tz_convert(None) if series.dt.tz is not None else series
    return naive.astype("datetime64[ns]").to_numpy().view("int64")


def _coarsest_unit(ns: np.ndarray) -> str | None:
    return next((unit for unit, size in TIME_UNITS.items() if not (ns % size).any()),
                None)  # fmt: skip


def written_time_unit(observed: pd.Series) -> str | None:
    """The coarsest unit of :data:`TIME_UNITS` that every value of
    ``observed`` (no missing ones) is a whole number of, datetimes on their
    own clock (dates: ``"D"``); ``None`` when only nanoseconds are.

    Examples
    --------
    >>> import pandas as pd
    >>> from gansynth.modalities.tabular.times import written_time_unit
    >>> written_time_unit(pd.Series(pd.date_range("2024-03-30", periods=3,
    ...                                            tz="Europe/Paris")))
    'D'
    >>> written_time_unit(pd.Series(pd.to_timedelta([120, 300], unit="s")))
    'min'
    """
    if _is_duration(observed.dtype):
        return _coarsest_unit(nanoseconds(observed))
    return _coarsest_unit(_wall_clock(observed).to_numpy().view("int64"))


def _round_wall_clock(out: pd.Series, bounds: pd.Series, unit, tz) -> pd.Series:
    """Naive UTC datetimes ``out`` rounded to ``unit`` on the column's own
    clock, within ``bounds`` (the range seen in fit, naive UTC); back in UTC,
    naive."""
    if tz is not None:
        out = out.dt.tz_localize("UTC").dt.tz_convert(tz)
        bounds = bounds.dt.tz_localize("UTC").dt.tz_convert(tz)
    # The bounds of spans over 104 days were kept as float64 nanoseconds, a
    # few off: rounded, they are the seen times again.
    low, high = _wall_clock(bounds).dt.round(unit)
    clock = _wall_clock(out).dt.round(unit).clip(low, high)
    if tz is None:
        return clock
    # A rounded time that the clock skips (a daylight-saving change at
    # midnight) moves forward; one that it shows twice takes the first.
    aware = clock.dt.tz_localize(tz, ambiguous=True, nonexistent="shift_forward")
    return aware.dt.tz_convert("UTC").dt.tz_localize(None)


def restore_times(values: np.ndarray, missing: np.ndarray, info) -> pd.Series:
    """Float nanoseconds after ``info.time_origin`` (already clipped to the
    range seen) back into a Series of the column's datetime or duration
    dtype, rounded to ``info.time_unit``."""
    dtype = info.pandas_dtype
    own = _numpy_time(dtype)
    origin = info.time_origin or 0  # None: since 1970 (files of 0.x)

    def as_series(ns):
        return pd.Series(np.asarray(ns, dtype="int64") + origin).astype(
            "timedelta64[ns]" if _is_duration(dtype) else "datetime64[ns]"
        )

    out = as_series(np.rint(np.nan_to_num(values)))
    tz = getattr(own, "tz", None)
    if info.time_unit is not None:
        bounds = as_series(np.rint([info.minimum, info.maximum]))
        if _is_duration(dtype):
            low, high = bounds.dt.round(info.time_unit)
            out = out.dt.round(info.time_unit).clip(low, high)
        else:
            out = _round_wall_clock(out, bounds, info.time_unit, tz)
    if tz is not None:
        out = out.dt.tz_localize("UTC").dt.tz_convert(tz)
    # Through pandas' own dtype of the unit: Arrow refuses casts that drop
    # digits, where NumPy truncates.
    out = out.astype(own).astype(dtype)
    out[missing] = pd.NaT
    return out
