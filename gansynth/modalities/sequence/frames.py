"""Long DataFrames of sequences: one row per (id, time step), with optional
static per-id columns, to a list of (T_i, F) arrays plus a static frame, and
back.

Rows are grouped by ``id_column`` in the order the ids first appear and
sorted by ``time_column`` within each id (the row order when there is no
time column). Time steps may be regular or not: when every id advances by
the same step, generated sequences advance by it too; otherwise the gap to
the previous step is learned as one more feature (0 at the first step) and
generated times are its running sum. Either way a generated sequence starts
at the most common first time of the training ids: absolute start times are
not modelled.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd
from pandas.api import types as ptypes

from ..tabular.columns import tag_value, untag_value
from ..tabular.times import nanoseconds

__all__ = ["FrameLayout", "build_long_frame", "split_long_frame"]


def tag_optional(value):
    """:func:`tag_value`, with ``None`` kept as ``None``."""
    return None if value is None else tag_value(value)


def untag_optional(data):
    return None if data is None else untag_value(data)


@dataclass
class FrameLayout:
    """What it takes to write sampled sequences back as a long frame."""

    columns: list  # every column, in the order of the training frame
    id_column: object
    id_kind: str  # "integer" or "string"
    time_column: object | None
    time_dtype: str | None
    feature_columns: list
    feature_dtypes: list
    static_columns: list
    # The most common first time; an int for integer and datetime times (in
    # nanoseconds since the epoch), as float64 cannot hold today's times to
    # the nanosecond (its steps are 256 ns near 2026: 10 ms came back as
    # 9.999872 ms).
    origin: float | int = 0.0
    step: float | None = None  # the regular step, or None when gaps are learned
    min_gap: float | None = None  # the smallest gap seen: learned gaps keep to it

    @property
    def learns_gaps(self) -> bool:
        return self.time_column is not None and self.step is None

    def to_json(self) -> dict:
        data = asdict(self)
        for key in ("columns", "feature_columns", "static_columns"):
            data[key] = [tag_value(c) for c in data[key]]
        data["id_column"] = tag_value(self.id_column)
        data["time_column"] = tag_optional(self.time_column)
        return data

    @classmethod
    def from_json(cls, data) -> FrameLayout:
        data = dict(data)
        for key in ("columns", "feature_columns", "static_columns"):
            data[key] = [untag_value(c) for c in data[key]]
        data["id_column"] = untag_value(data["id_column"])
        data["time_column"] = untag_optional(data["time_column"])
        return cls(**data)


def _times(series: pd.Series, name) -> np.ndarray:
    """Times as float64, or as exact int64 (signed integers; datetimes and
    durations in nanoseconds), so that their differences are exact."""
    if series.isna().any():
        raise ValueError(f"The time column {name!r} has missing values.")
    if ptypes.is_datetime64_any_dtype(series.dtype) or series.dtype.kind == "m":
        return nanoseconds(series)
    if ptypes.is_signed_integer_dtype(series.dtype):
        return series.to_numpy(dtype=np.int64)
    if ptypes.is_numeric_dtype(series.dtype) and not ptypes.is_bool_dtype(series):
        return series.to_numpy(dtype=np.float64)
    raise ValueError(
        f"The time column {name!r} must hold numbers, datetimes or durations; "
        f"got dtype {series.dtype}."
    )


def _check_columns(frame, id_column, time_column, static_columns, name):
    named = {"id_column": [id_column], "static_columns": list(static_columns)}
    if time_column is not None:
        named["time_column"] = [time_column]
    for argument, columns in named.items():
        absent = [c for c in columns if c not in frame.columns]
        if absent:
            raise ValueError(
                f"{argument} names {absent}, which {name} does not have; its "
                f"columns are {list(frame.columns)}."
            )
    taken = [id_column, *([time_column] if time_column is not None else [])]
    both = [c for c in taken if c in static_columns]
    if both:
        raise ValueError(
            f"static_columns names {both}, which is the id_column or the "
            "time_column; a static column is an attribute of each id, besides "
            "them."
        )
    features = [c for c in frame.columns if c not in taken and c not in static_columns]
    if not features:
        raise ValueError(
            f"{name} has no feature column besides id_column, time_column and "
            "static_columns."
        )
    for c in features:
        dtype = frame[c].dtype
        if not ptypes.is_numeric_dtype(dtype) or ptypes.is_bool_dtype(dtype):
            raise ValueError(
                f"Feature column {c!r} of {name} has dtype {dtype}; features that "
                "change over time must be numbers. Name per-id columns in "
                "static_columns."
            )
    return features


def split_long_frame(frame: pd.DataFrame, id_column, time_column=None,
                     static_columns=(), *, name="X"):  # fmt: skip
    """``(sequences, static, times, features)`` of a long frame.

    ``sequences`` is a list of (T_i, F) float64 arrays, ``static`` a frame of
    one row per id (``None`` without static columns), ``times`` a list of the
    times of every id (int64 for signed integers and datetimes, in
    nanoseconds, float64 otherwise; ``None`` without a time column) and
    ``features`` the feature columns.
    """
    if id_column is None:
        raise ValueError(
            f"{name} is a DataFrame: a long frame of one row per (id, time step) "
            "needs id_column (and usually time_column)."
        )
    static_columns = list(static_columns or ())
    features = _check_columns(frame, id_column, time_column, static_columns, name)
    if frame[id_column].isna().any():
        raise ValueError(f"The id column {id_column!r} of {name} has missing values.")
    codes, uniques = pd.factorize(frame[id_column])  # first-appearance order
    sizes = np.bincount(codes)
    if (sizes < 2).any():
        lonely = uniques[sizes < 2][:5].tolist()
        raise ValueError(
            f"Ids {lonely} of {name} have a single row; a sequence needs at least "
            "two time steps."
        )
    if static_columns:
        varying = frame.groupby(codes)[static_columns].nunique(dropna=False).max()
        varying = varying[varying > 1].index.tolist()
        if varying:
            raise ValueError(
                f"static_columns {varying} change within an id; a static column "
                "holds one value per id."
            )
    order = np.argsort(codes, kind="stable")
    positions = np.split(order, np.cumsum(sizes)[:-1])
    values_all = frame[features].to_numpy(dtype=np.float64, na_value=np.nan)
    if np.isinf(values_all).any():
        raise ValueError(
            f"{name} has infinite values in its features; only NaN (missing) is "
            "allowed."
        )
    all_times = None if time_column is None else _times(frame[time_column], time_column)
    sequences, times = [], [] if time_column is not None else None
    for key, rows in zip(uniques, positions, strict=True):
        if all_times is not None:
            t = all_times[rows]
            by_time = np.argsort(t, kind="stable")
            rows, t = rows[by_time], t[by_time]
            if (np.diff(t) == 0).any():
                raise ValueError(
                    f"Id {key!r} of {name} has two rows at the same time in "
                    f"{time_column!r}."
                )
            times.append(t)
        sequences.append(values_all[rows])
    static = None
    if static_columns:
        firsts = [rows[0] for rows in positions]
        static = frame.iloc[firsts][static_columns].reset_index(drop=True)
    return sequences, static, times, features


def frame_layout(frame, id_column, time_column, static_columns, features, times):
    """The :class:`FrameLayout` of a training frame."""
    ids = frame[id_column]
    id_kind = "integer" if ptypes.is_integer_dtype(ids.dtype) else "string"
    layout = FrameLayout(
        columns=list(frame.columns), id_column=id_column, id_kind=id_kind,
        time_column=time_column,
        time_dtype=None if time_column is None else str(frame[time_column].dtype),
        feature_columns=list(features),
        feature_dtypes=[str(frame[c].dtype) for c in features],
        static_columns=list(static_columns or ()),
    )  # fmt: skip
    if times is not None:
        starts = pd.Series([t[0] for t in times])
        layout.origin = starts.mode().iloc[0].item()  # a Python int or float
        gaps = np.concatenate([np.diff(t) for t in times])
        layout.step = float(gaps[0]) if np.all(gaps == gaps[0]) else None
        layout.min_gap = float(gaps.min()) if gaps.size else None
    return layout


def with_gaps(sequences, times):
    """Each sequence with its time gaps appended as the last feature."""
    return [
        np.column_stack([s, np.diff(t, prepend=t[0])])
        for s, t in zip(sequences, times, strict=True)
    ]


def build_long_frame(sequences, static, layout: FrameLayout) -> pd.DataFrame:
    """Sampled (T_i, F) arrays (with the gap feature last when it is
    learned) and their static rows as a long frame of ``layout``."""
    lengths = [len(s) for s in sequences]
    ids = np.repeat(np.arange(len(sequences)), lengths)
    values = np.concatenate(sequences) if sequences else np.zeros((0, 0))
    data = {layout.id_column: ids if layout.id_kind == "integer" else ids.astype(str)}
    if layout.time_column is not None:
        if layout.learns_gaps:
            gaps = values[:, -1].copy()
            values = values[:, :-1]
            starts = np.cumsum([0, *lengths[:-1]])
            if pd.api.types.pandas_dtype(layout.time_dtype).kind in "iu":
                gaps = np.rint(gaps)  # whole steps, so that times stay apart
            # Time moves on by at least the smallest gap seen in fit (whose
            # frames had no two rows of an id at the same time).
            gaps = np.maximum(gaps, layout.min_gap or 0.0)
            gaps[starts] = 0.0
            pieces = zip(starts, lengths, strict=True)
            elapsed = np.concatenate([np.cumsum(gaps[a : a + n]) for a, n in pieces])
        else:
            elapsed = np.concatenate([np.arange(n) * layout.step for n in lengths])
        data[layout.time_column] = _restore_times(layout.origin, elapsed, layout)
    for j, (column, dtype) in enumerate(
        zip(layout.feature_columns, layout.feature_dtypes, strict=True)
    ):
        data[column] = _restore_feature(values[:, j], dtype)
    out = pd.DataFrame(data)
    if static is not None:
        repeated = static.iloc[np.repeat(np.arange(len(static)), lengths)]
        for column in layout.static_columns:
            out[column] = repeated[column].to_numpy()
            out[column] = out[column].astype(static[column].dtype)
    return out[layout.columns]


def _restore_times(origin, elapsed, layout):
    dtype = pd.api.types.pandas_dtype(layout.time_dtype)
    if dtype.kind in "iuMm":  # whole steps added to the int origin (older
        # files hold a float origin)
        values = np.int64(round(origin)) + np.rint(elapsed).astype("int64")
    else:
        values = origin + elapsed
    if dtype.kind == "m":
        return pd.Series(values).astype("timedelta64[ns]").astype(dtype).to_numpy()
    if dtype.kind == "M":
        out = pd.Series(values).astype("datetime64[ns]")
        if getattr(dtype, "tz", None) is not None:
            out = out.dt.tz_localize("UTC").dt.tz_convert(dtype.tz)
        return out.astype(dtype).to_numpy()
    return pd.Series(values).astype(dtype).to_numpy()


def _restore_feature(values, dtype):
    dtype = pd.api.types.pandas_dtype(dtype)
    if dtype.kind in "iu":
        values = np.rint(values)
    # Nullable and Arrow dtypes first (NaN becomes <NA>): NumPy cannot cast
    # to them, missing values or not.
    if getattr(dtype, "na_value", None) is pd.NA:
        return pd.array(np.where(np.isnan(values), None, values), dtype=dtype)
    if dtype.kind in "iu" and not np.isnan(values).any():
        return values.astype(dtype)
    return values.astype(dtype if dtype.kind == "f" else np.float64)
