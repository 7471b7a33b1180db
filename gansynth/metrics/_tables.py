"""Checking and typing the tables that every tabular metric compares.

Each metric takes a reference table (``real``) and one or more tables to
compare with it. They are checked here once, in one way:

- a DataFrame is used as given; a 2-D array becomes a DataFrame with columns
  named ``0 .. d-1``; anything else (1-D input, a Series, sparse data, an
  empty table) is refused with a message naming the argument;
- every table must hold the columns of the reference (the order may differ:
  it is taken from the reference);
- each column gets a kind, by the tabular encoder's rule (less its constant
  kind): object, string, category, bool and boolean columns are
  ``"discrete"``, and so is any column named in ``discrete_columns``; numbers,
  datetimes and timedeltas are ``"continuous"``. A column must be of the same
  kind in every table.
"""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd
from pandas.api import types as ptypes
from scipy import sparse
from sklearn.utils import check_random_state

__all__ = [
    "check_cv",
    "check_tables",
    "discrete_codes",
    "random_seed",
    "to_numbers",
]


def _as_frame(table, name: str) -> pd.DataFrame:
    if isinstance(table, pd.Series):
        raise ValueError(
            f"{name} must be a 2-D table (DataFrame or array); got a Series. "
            "Use series.to_frame() for a table of one column."
        )
    if sparse.issparse(table):
        raise TypeError(
            f"{name} must be a dense table; got a sparse {type(table).__name__}. "
            "Convert it with .toarray()."
        )
    if isinstance(table, pd.DataFrame):
        frame = table
    else:
        array = np.asarray(table)
        if array.ndim != 2:
            raise ValueError(
                f"{name} must be a 2-D table (DataFrame or array of shape "
                f"(n_rows, n_columns)); got an array of shape {array.shape}."
            )
        if np.iscomplexobj(array):
            raise ValueError(f"{name} holds complex numbers; expected real numbers.")
        frame = pd.DataFrame(array).infer_objects()
    if frame.shape[0] == 0 or frame.shape[1] == 0:
        raise ValueError(
            f"{name} is empty; expected at least one row and one column; "
            f"got shape {frame.shape}."
        )
    if frame.columns.has_duplicates:
        dup = list(frame.columns[frame.columns.duplicated()].unique())
        raise ValueError(f"{name} has duplicated column names: {dup}.")
    return frame


def _dtype_kind(dtype) -> str:
    """``"discrete"``, ``"continuous"``, ``"datetime"`` or ``"timedelta"``."""
    if isinstance(dtype, pd.CategoricalDtype) or ptypes.is_bool_dtype(dtype):
        return "discrete"
    if ptypes.is_object_dtype(dtype) or ptypes.is_string_dtype(dtype):
        return "discrete"
    if ptypes.is_datetime64_any_dtype(dtype):
        return "datetime"
    if ptypes.is_timedelta64_dtype(dtype):
        return "timedelta"
    if ptypes.is_complex_dtype(dtype):
        return "complex"
    if ptypes.is_numeric_dtype(dtype):
        return "continuous"
    return "discrete"


def _check_discrete_columns(discrete_columns, columns) -> set:
    if discrete_columns is None:
        return set()
    if isinstance(discrete_columns, str):
        raise ValueError(
            "discrete_columns must be a list of column names; got the string "
            f"{discrete_columns!r}. Write [{discrete_columns!r}] for one column."
        )
    names = list(discrete_columns)
    unknown = [c for c in names if c not in columns]
    if unknown:
        raise ValueError(
            f"discrete_columns names columns that are not in real: {unknown}; "
            f"expected names among {list(columns)}."
        )
    return set(names)


def check_tables(tables, *, discrete_columns=None):
    """Check tables against the first one and type their columns.

    Parameters
    ----------
    tables : dict
        ``{argument name: table}``; the first entry is the reference.
    discrete_columns : list or None
        Columns to treat as discrete whatever their dtype.

    Returns
    -------
    frames : dict
        ``{argument name: DataFrame}`` with the reference's column order.
    kinds : dict
        ``{column: "continuous" or "discrete"}`` in column order.
    """
    names = list(tables)
    frames = {name: _as_frame(tables[name], name) for name in names}
    reference = frames[names[0]]
    columns = list(reference.columns)
    for name in names[1:]:
        frame = frames[name]
        missing = [c for c in columns if c not in frame.columns]
        extra = [c for c in frame.columns if c not in reference.columns]
        if missing or extra:
            raise ValueError(
                f"{name} must have the columns of {names[0]}; {name} lacks "
                f"{missing} and has unexpected {extra}. Expected {columns}; "
                f"got {list(frame.columns)}."
            )
        frames[name] = frame[columns]
    forced = _check_discrete_columns(discrete_columns, columns)
    kinds = {}
    for column in columns:
        if column in forced:
            kinds[column] = "discrete"
            continue
        seen = {name: _dtype_kind(frames[name][column].dtype) for name in names}
        if "complex" in seen.values():
            raise ValueError(
                f"Column {column!r} holds complex numbers; expected real numbers, "
                "datetimes or discrete values."
            )
        if len(set(seen.values())) > 1:
            dtypes = {name: str(frames[name][column].dtype) for name in names}
            raise ValueError(
                f"Column {column!r} has incompatible dtypes across tables; expected "
                f"the same kind of values in each; got {dtypes}. Convert the column, "
                "or list it in discrete_columns to compare its values as categories."
            )
        kind = seen[names[0]]
        kinds[column] = "discrete" if kind == "discrete" else "continuous"
    return frames, kinds


def to_numbers(series: pd.Series) -> np.ndarray:
    """A continuous column as float64, missing values as NaN.

    Datetimes (time zones converted to UTC) and timedeltas become nanoseconds.
    """
    if ptypes.is_datetime64_any_dtype(series.dtype):
        if getattr(series.dtype, "tz", None) is not None:
            series = series.dt.tz_convert("UTC").dt.tz_localize(None)
        values = series.to_numpy(dtype="datetime64[ns]")
        out = values.astype(np.int64).astype(np.float64)
        out[np.isnat(values)] = np.nan
        return out
    if ptypes.is_timedelta64_dtype(series.dtype):
        values = series.to_numpy(dtype="timedelta64[ns]")
        out = values.astype(np.int64).astype(np.float64)
        out[np.isnat(values)] = np.nan
        return out
    return series.to_numpy(dtype=np.float64, na_value=np.nan)


def discrete_codes(series_list):
    """Codes of discrete columns over the union of their observed values.

    Returns one int64 array per series (``-1`` marks a missing value) and the
    number of distinct observed values.
    """
    observed = pd.concat(
        [pd.Series(s.dropna().to_numpy(dtype=object)) for s in series_list],
        ignore_index=True,
    )
    uniques = pd.Index(observed.unique())
    codes = []
    for s in series_list:
        values = s.to_numpy(dtype=object)
        code = uniques.get_indexer(values).astype(np.int64)
        code[s.isna().to_numpy()] = -1
        codes.append(code)
    return codes, len(uniques)


def check_cv(cv, n_per_class: int) -> int:
    """Validate a number of cross-validation folds."""
    if isinstance(cv, bool) or not isinstance(cv, numbers.Integral) or cv < 2:
        raise ValueError(f"cv must be an int in the range [2, inf); got {cv!r}.")
    if n_per_class < cv:
        raise ValueError(
            f"Too few rows for cv={cv}; expected at least {cv} rows in real and "
            f"in synthetic; got {n_per_class} in the smaller table."
        )
    return int(cv)


def random_seed(random_state) -> int:
    """One integer seed drawn from ``random_state`` (for scikit-learn objects)."""
    return int(check_random_state(random_state).randint(np.iinfo(np.int32).max))
