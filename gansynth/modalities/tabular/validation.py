"""Input checks for tables: DataFrames keep their dtypes, arrays go through
scikit-learn's checks."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.utils.validation import validate_data

__all__ = ["validate_table"]


def validate_table(estimator, X, *, reset):
    """Check a table for ``estimator``: a DataFrame keeps its dtypes (pandas
    holds them), an array goes through scikit-learn's checks; with ``reset``
    the columns are remembered (``n_features_in_``, ``feature_names_in_``),
    without it they must match those remembered."""
    if not isinstance(X, pd.DataFrame):
        _refuse_mixed_lists(X)
        # Arrays: scikit-learn's checks (sparse, complex, 1-D, empty, inf).
        return validate_data(
            estimator, X, reset=reset, dtype=None, ensure_all_finite="allow-nan"
        )
    names = list(X.columns)
    if reset:
        estimator.n_features_in_ = len(names)
        if all(isinstance(c, str) for c in names):
            estimator.feature_names_in_ = np.asarray(names, dtype=object)
        elif hasattr(estimator, "feature_names_in_"):
            del estimator.feature_names_in_
        return X
    if len(names) != estimator.n_features_in_:
        raise ValueError(
            f"X has {len(names)} features, but {type(estimator).__name__} is "
            f"expecting {estimator.n_features_in_} features as input."
        )
    seen = getattr(estimator, "feature_names_in_", None)
    if seen is not None and list(seen) != names:
        raise ValueError(
            f"The columns of X differ from those seen in fit; expected "
            f"{list(seen)}, got {names}."
        )
    return X


def _refuse_mixed_lists(X) -> None:
    """A list whose rows mix strings with numbers would become an array of
    strings (NumPy's one dtype): its numbers would be learned as categories
    and written back as strings. Refused by name rather than coerced."""
    if not isinstance(X, list | tuple):
        return
    try:
        dtype = np.asarray(X).dtype
    except ValueError:  # ragged: scikit-learn's checks name it
        return
    if dtype.kind not in "US":
        return
    kinds = {
        type(value).__name__
        for row in X
        for value in (row if isinstance(row, list | tuple | np.ndarray) else [row])
        if not isinstance(value, str | bytes)
    }
    if kinds:
        raise ValueError(
            f"X is a list whose rows mix strings with values of type "
            f"{sorted(kinds)}; as an array every value would become a string. "
            "Pass a DataFrame (a dtype per column), or an array of one dtype."
        )
