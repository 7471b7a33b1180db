"""Column typing for the tabular encoder: what each column is, and how its
values turn into numbers or category codes and back with their dtype.

The rule for ``kind`` (documented in the user guide):

- a column whose observed values are all equal is ``"constant"``;
- object, string, category, bool and boolean columns are ``"discrete"``, and
  so is any column named in ``discrete_columns``;
- every other column (floats, integers, nullable numbers, datetimes with or
  without a time zone, durations) is ``"continuous"``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from pandas.api import types as ptypes

from .times import is_time_dtype, nanoseconds, restore_times, written_time_unit

__all__ = [
    "ColumnInfo",
    "check_known_columns",
    "describe_column",
    "tag_value",
    "untag_value",
    "written_decimals",
]

# Float columns are rounded on decode to the decimal places their values were
# written with (counts kept as floats, prices in cents). A value between the
# written ones is one that no real row has, and a model trained on synthetic
# rows can learn from it what real rows never show: on the 8x8 digits as a
# table (pixel counts 0-16 as floats), one seed's generator put the class
# into pixels that are 0 in all but a few real rows, as values of 0.01-0.12;
# a gradient-boosting model trained on its rows split on them and scored a
# balanced accuracy of 0.20 on real rows. SDV's rdt rounds floats the same
# way (its learned rounding scheme). Finer than this is left as generated.
MAX_DECIMALS = 6


@dataclass
class ColumnInfo:
    """What the encoder knows of one column."""

    name: Any
    dtype: str
    kind: str  # "continuous", "discrete", "constant" (or "derived": see derived.py)
    has_missing: bool = False
    missing: str = "nan"  # how a missing value is written back: nan, none, na, nat
    categories: list = field(default_factory=list)  # discrete values / the constant
    minimum: float | None = None  # continuous columns: the seen range
    maximum: float | None = None
    # Datetimes and durations: the smallest value (int nanoseconds, UTC)
    # that their float values count from (see times.py; None: from 0).
    time_origin: int | None = None
    decimals: int | None = None  # float columns: the decimal places written
    time_unit: str | None = None  # times: the unit every value is a whole number of
    dtype_categories: list | None = None  # category dtype: all its categories
    ordered: bool = False

    @property
    def pandas_dtype(self):
        """The column's dtype, rebuilt (with its categories and order)."""
        if self.dtype_categories is not None:
            return pd.CategoricalDtype(self.dtype_categories, ordered=self.ordered)
        return pd.api.types.pandas_dtype(self.dtype)

    @property
    def is_datetime(self) -> bool:
        """Datetimes, NumPy-backed or Arrow's timestamps and dates."""
        return ptypes.is_datetime64_any_dtype(pd.api.types.pandas_dtype(self.dtype))

    @property
    def is_time(self) -> bool:
        """Datetimes or durations: continuous columns kept as nanoseconds."""
        return is_time_dtype(pd.api.types.pandas_dtype(self.dtype))

    @property
    def is_integer(self) -> bool:
        return pd.api.types.pandas_dtype(self.dtype).kind in "iu"

    def to_json(self) -> dict:
        data = asdict(self)
        data["name"] = tag_value(self.name)
        data["categories"] = [tag_value(v) for v in self.categories]
        if self.dtype_categories is not None:
            data["dtype_categories"] = [tag_value(v) for v in self.dtype_categories]
        return data

    @classmethod
    def from_json(cls, data) -> ColumnInfo:
        data = dict(data)
        data["name"] = untag_value(data["name"])
        data["categories"] = [untag_value(v) for v in data["categories"]]
        if data["dtype_categories"] is not None:
            data["dtype_categories"] = [
                untag_value(v) for v in data["dtype_categories"]
            ]
        return cls(**data)


def tag_value(value):
    """JSON form of a category value that keeps its Python type."""
    if isinstance(value, bool | np.bool_):
        return {"bool": bool(value)}
    if isinstance(value, int | np.integer):
        return {"int": int(value)}
    if isinstance(value, float | np.floating):
        return {"float": float(value)}
    if isinstance(value, str):
        return {"str": value}
    raise ValueError(
        f"Value {value!r} of type {type(value).__name__} cannot be saved as JSON; "
        "use pickle to persist this model, or convert the column to strings."
    )


def untag_value(data):
    ((kind, value),) = data.items()
    return {"bool": bool, "int": int, "float": float, "str": str}[kind](value)


def dtype_name(dtype) -> str:
    """The name of ``dtype`` that ``ColumnInfo.dtype`` holds: one that
    :func:`pandas.api.types.pandas_dtype` reads back as ``dtype``.

    ``str`` names both storages of ``pd.StringDtype`` ``"string"``, and
    Arrow's string type ``"string[pyarrow]"``, which pandas reads as
    ``pd.StringDtype("pyarrow")``.

    Examples
    --------
    >>> import pandas as pd
    >>> from gansynth.modalities.tabular.columns import dtype_name
    >>> dtype_name(pd.StringDtype("pyarrow")), dtype_name(pd.Int64Dtype())
    ('string[pyarrow]', 'Int64')
    """
    if isinstance(dtype, pd.StringDtype) and dtype.na_value is pd.NA:
        return f"string[{dtype.storage}]"
    if isinstance(dtype, pd.ArrowDtype) and str(dtype.pyarrow_dtype) == "string":
        return "utf8[pyarrow]"  # pyarrow's other name of its string type
    return str(dtype)


def _missing_marker(series: pd.Series) -> str:
    if ptypes.is_datetime64_any_dtype(series.dtype) or series.dtype.kind == "m":
        return "nat"
    if isinstance(series.dtype, pd.api.extensions.ExtensionDtype) and not isinstance(
        series.dtype, pd.CategoricalDtype
    ):
        return "na" if series.dtype.na_value is pd.NA else "nan"
    if ptypes.is_object_dtype(series.dtype):
        first = series[series.isna()].iloc[0]
        if first is None:
            return "none"
        if first is pd.NA:
            return "na"
    return "nan"


def _sorted_values(values) -> list:
    try:
        return sorted(values)
    except TypeError:  # mixed types: keep the order of appearance
        return list(values)


def describe_column(series: pd.Series, *, discrete: bool = False) -> ColumnInfo:
    """Type one column (see the module docstring for the rule).

    Raises
    ------
    ValueError
        For a column with no observed value, complex numbers, or values that
        are not hashable.
    """
    name, dtype = series.name, series.dtype
    if ptypes.is_complex_dtype(dtype):
        raise ValueError(
            f"Column {name!r} holds complex numbers, which are not supported."
        )
    if isinstance(dtype, pd.SparseDtype):
        raise ValueError(
            f"Column {name!r} is sparse ({dtype}); a dense column is expected. "
            f"Densify it first: X[{name!r}] = X[{name!r}].sparse.to_dense()."
        )
    missing = series.isna()
    if missing.all():
        raise ValueError(
            f"Column {name!r} has no observed value (every entry is missing); "
            "drop it before fitting."
        )
    observed = series[~missing]
    info = ColumnInfo(name=name, dtype=dtype_name(dtype), kind="continuous")
    if isinstance(dtype, pd.CategoricalDtype):
        info.dtype_categories = [_plain(c) for c in dtype.categories]
        info.ordered = bool(dtype.ordered)
    info.has_missing = bool(missing.any())
    if info.has_missing:
        info.missing = _missing_marker(series)
    is_discrete_dtype = (
        ptypes.is_object_dtype(dtype)
        or ptypes.is_string_dtype(dtype)
        or isinstance(dtype, pd.CategoricalDtype)
        or ptypes.is_bool_dtype(dtype)
    )
    if is_discrete_dtype or discrete:
        try:
            values = pd.unique(
                observed.astype(object) if not is_discrete_dtype else observed
            )
        except TypeError as exc:
            raise ValueError(
                f"Column {name!r} holds values that are not hashable "
                f"({type(observed.iloc[0]).__name__}); convert them first."
            ) from exc
        if isinstance(dtype, pd.CategoricalDtype):
            seen = set(values)
            values = [c for c in dtype.categories if c in seen]
        else:
            values = _sorted_values([_plain(v) for v in values])
        info.kind = "constant" if len(values) == 1 else "discrete"
        info.categories = [_plain(v) for v in values]
        return info
    if not (ptypes.is_numeric_dtype(dtype) or is_time_dtype(dtype)):
        raise ValueError(
            f"Column {name!r} has unsupported dtype {dtype}; supported are numbers, "
            "booleans, strings, categories, datetimes and durations."
        )
    _check_exact_in_float64(name, observed)
    if info.is_time:
        info.time_origin = int(nanoseconds(observed).min())
    numeric = continuous_values(series, info)
    finite = numeric[~np.isnan(numeric)]
    if not np.isfinite(finite).all():
        raise ValueError(f"Column {name!r} contains infinity, which is not supported.")
    if finite.min() == finite.max():
        info.kind = "constant"
        info.categories = [_plain(observed.iloc[0])] if not info.is_time else []
        info.minimum = info.maximum = float(finite[0])
        return info
    info.minimum, info.maximum = float(finite.min()), float(finite.max())
    if info.is_time:
        info.time_unit = written_time_unit(observed)
    if ptypes.is_float_dtype(dtype):
        resolution = np.finfo(getattr(dtype, "numpy_dtype", dtype)).eps
        info.decimals = written_decimals(finite, resolution)
    return info


# The largest magnitude up to which float64 holds every integer exactly.
FLOAT64_EXACT = 2**53


def _check_exact_in_float64(name, observed: pd.Series) -> None:
    """Refuse integers that float64, in which continuous columns are encoded,
    would round (ids such as 2**62 + k collapse into a few values)."""
    if not ptypes.is_integer_dtype(observed.dtype):
        return
    low, high = int(observed.min()), int(observed.max())
    if max(-low, high) > FLOAT64_EXACT:
        raise ValueError(
            f"Column {name!r} holds integers beyond 2**53 in magnitude, the largest "
            f"that float64 keeps exactly (values must lie in [-2**53, 2**53]; got "
            f"values from {low} to {high}). If it is an identifier, convert it to "
            "strings or a category, or name it in discrete_columns."
        )


def written_decimals(values: np.ndarray, resolution: float = 2**-52) -> int | None:
    """The fewest decimal places (0 to ``MAX_DECIMALS``) that write every one
    of ``values`` exactly, up to a few units of ``resolution`` (the float
    type's machine epsilon, relative); ``None`` if none does.

    Examples
    --------
    >>> import numpy as np
    >>> from gansynth.modalities.tabular.columns import written_decimals
    >>> written_decimals(np.array([3.0, 16.0])), written_decimals(np.array([0.1, 2.25]))
    (0, 2)
    >>> written_decimals(np.array([1 / 3])) is None
    True
    """
    tolerance = 4 * resolution * np.maximum(1.0, np.abs(values))
    for decimals in range(MAX_DECIMALS + 1):
        if np.all(np.abs(np.round(values, decimals) - values) <= tolerance):
            return decimals
    return None


def check_known_columns(param: str, names, frame: pd.DataFrame) -> None:
    """Refuse column names, given as ``param``, that ``frame`` lacks."""
    unknown = set(names) - set(frame.columns)
    if unknown:
        raise ValueError(
            f"{param} names {sorted(map(str, unknown))}, which are not "
            f"columns of X; columns: {list(frame.columns)[:20]}."
        )


def _plain(value):
    """NumPy scalars to Python scalars, so that categories compare and save."""
    return value.item() if isinstance(value, np.generic) else value


def continuous_values(series: pd.Series, info: ColumnInfo) -> np.ndarray:
    """Float64 values with NaN for missing; datetimes and durations as
    nanoseconds (UTC) after ``info.time_origin``."""
    if info.is_time:
        missing = series.isna().to_numpy()
        ns = nanoseconds(series)
        ns = np.where(missing, 0, ns) - (info.time_origin or 0)
        return np.where(missing, np.nan, ns.astype(np.float64))
    return series.astype("float64").to_numpy(dtype=np.float64, na_value=np.nan)


def discrete_codes(series: pd.Series, info: ColumnInfo) -> np.ndarray:
    """Index of each value in ``info.categories``; missing is the next index."""
    missing = series.isna().to_numpy()
    values = series.to_numpy(dtype=object, na_value=None)
    categories = pd.Index(info.categories, dtype=object)
    codes = categories.get_indexer(values).astype(np.int64)
    unknown = (codes < 0) & ~missing
    if unknown.any():
        shown = info.categories[:10]
        raise ValueError(
            f"Unknown value {_plain(values[unknown][0])!r} in column {info.name!r}; "
            f"values seen in fit: {shown}{' ...' if len(info.categories) > 10 else ''}."
        )
    codes[missing] = len(info.categories)
    return codes


def _missing_value(info: ColumnInfo):
    return {"nan": np.nan, "none": None, "na": pd.NA, "nat": pd.NaT}[info.missing]


def restore_continuous(
    values: np.ndarray, missing: np.ndarray, info: ColumnInfo
) -> pd.Series:
    """Numbers back into a Series of the column's dtype."""
    dtype = info.pandas_dtype
    # Samples stay within the range seen in fit (no negative amounts for a
    # column that never had one); integers are rounded, and floats to the
    # decimal places they were written with (MAX_DECIMALS says why).
    values = np.clip(values, info.minimum, info.maximum)
    if info.is_integer:
        values = np.rint(values)
    elif info.decimals is not None:
        values = np.round(values, info.decimals)
    if info.is_time:
        return restore_times(values, missing, info)
    out = pd.Series(values, dtype="float64")
    if missing.any():  # a masked assignment costs 0.5 ms even when empty
        out[missing] = np.nan  # nullable dtypes turn NaN into <NA> in astype
    return out.astype(dtype)


def restore_discrete(codes: np.ndarray, info: ColumnInfo) -> pd.Series:
    """Category codes back into a Series of the column's dtype."""
    dtype = info.pandas_dtype
    cats = np.empty(len(info.categories) + 1, dtype=object)
    cats[:-1] = info.categories
    cats[-1] = _missing_value(info)
    values = cats[codes]
    if isinstance(dtype, pd.CategoricalDtype):
        return pd.Series(pd.Categorical(values, dtype=dtype))
    if ptypes.is_object_dtype(dtype):
        return pd.Series(values, dtype=object)
    return pd.Series(values).astype(dtype)


def is_missing_code(info: ColumnInfo) -> int:
    return len(info.categories)
