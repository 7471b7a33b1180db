"""Turning checked tables into inputs for scikit-learn models.

The model-based metrics (detection, utility, privacy) encode every table they
compare in one shared way, so that a category means the same thing in each:

- columns are renamed ``"f0", "f1", ...`` (scikit-learn wants string feature
  names, and the user's may be integers or mixed);
- continuous columns become float64 (datetimes and timedeltas as nanoseconds),
  missing values NaN;
- discrete columns become integer codes over the union of the values observed
  in all the tables, ``-1`` for a missing value.

From there, :func:`tree_frame` makes pandas categories for
``HistGradientBoosting*(categorical_features="from_dtype")`` and
:func:`linear_preprocessor` builds the impute / standardise / one-hot step of
linear models and distances.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from ._tables import discrete_codes, to_numbers

__all__ = ["encode_tables", "linear_preprocessor", "tree_frame"]

# HistGradientBoosting's limit on the categories of a native categorical
# feature (its max_bins).
MAX_TREE_CATEGORIES = 255


def encode_tables(frames, kinds, columns=None):
    """Encode ``columns`` (default: all) of several tables the same way.

    Returns the encoded DataFrames and ``{encoded name: n_categories}`` for the
    discrete columns.
    """
    columns = list(kinds) if columns is None else list(columns)
    names = {column: f"f{i}" for i, column in enumerate(columns)}
    encoded = [{} for _ in frames]
    n_categories = {}
    for column in columns:
        name = names[column]
        if kinds[column] == "continuous":
            for out, frame in zip(encoded, frames, strict=True):
                out[name] = to_numbers(frame[column])
        else:
            codes, n = discrete_codes([frame[column] for frame in frames])
            for out, code in zip(encoded, codes, strict=True):
                out[name] = code
            n_categories[name] = n
    result = [
        pd.DataFrame(out, index=pd.RangeIndex(len(frame)), columns=list(names.values()))
        for out, frame in zip(encoded, frames, strict=True)
    ]
    return result, n_categories


def tree_frame(frame: pd.DataFrame, n_categories: dict) -> pd.DataFrame:
    """Discrete codes as pandas categories, for native categorical splits.

    A column with more categories than HistGradientBoosting accepts (or none
    observed) keeps its codes as plain numbers, missing values as NaN.
    """
    out = {}
    for name in frame.columns:
        values = frame[name].to_numpy()
        n = n_categories.get(name)
        if n is None:
            out[name] = values
        elif 0 < n <= MAX_TREE_CATEGORIES:
            out[name] = pd.Categorical.from_codes(values, categories=np.arange(n))
        else:
            out[name] = np.where(values < 0, np.nan, values.astype(np.float64))
    return pd.DataFrame(out, index=frame.index)


def linear_preprocessor(frame: pd.DataFrame, n_categories: dict):
    """Impute and standardise continuous columns; one-hot discrete codes.

    Missing continuous values are imputed with the median and flagged by an
    indicator column; a missing discrete value is a category of its own, and a
    category unseen in fit encodes as all zeros.
    """
    continuous = [c for c in frame.columns if c not in n_categories]
    discrete = [c for c in frame.columns if c in n_categories]
    numeric = make_pipeline(
        SimpleImputer(strategy="median", add_indicator=True, keep_empty_features=True),
        StandardScaler(),
    )
    one_hot = OneHotEncoder(handle_unknown="ignore", sparse_output=False)
    return ColumnTransformer(
        [("continuous", numeric, continuous), ("discrete", one_hot, discrete)],
        sparse_threshold=0.0,
    )
