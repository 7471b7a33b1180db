"""Per-column fidelity: how far each synthetic marginal is from the real one."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy import stats

from ..utils.docstrings import fill_doc
from ._tables import check_tables, to_numbers

__all__ = ["column_fidelity"]


def _empty_pair(n_real: int, n_synthetic: int) -> float | None:
    """The distance when a side has no observed value (else ``None``)."""
    if n_real == 0 and n_synthetic == 0:
        return 0.0
    if n_real == 0 or n_synthetic == 0:
        return 1.0
    return None


def ks_statistic(real: np.ndarray, synthetic: np.ndarray) -> float:
    """Two-sample Kolmogorov-Smirnov statistic of the observed (non-NaN) values."""
    real = real[~np.isnan(real)]
    synthetic = synthetic[~np.isnan(synthetic)]
    empty = _empty_pair(len(real), len(synthetic))
    if empty is not None:
        return empty
    return float(stats.ks_2samp(real, synthetic).statistic)


def total_variation(real, synthetic) -> float:
    """Total variation distance between the frequencies of observed values.

    ``real`` and ``synthetic`` are Series (one discrete column) or DataFrames
    (the joint values of several columns); rows with a missing value are left
    out. The distance is half the L1 distance between the two normalised
    frequency tables, so it lies in [0, 1].
    """
    with warnings.catch_warnings():
        # pandas 2.x warns that the counts' object index will no longer be
        # inferred (intervals, periods); only its values are used, to align.
        warnings.filterwarnings(
            "ignore", "The behavior of value_counts with object-dtype", FutureWarning
        )
        p = real.astype(object).value_counts(normalize=True, dropna=True)
        q = synthetic.astype(object).value_counts(normalize=True, dropna=True)
    empty = _empty_pair(len(p), len(q))
    if empty is not None:
        return empty
    return float(p.sub(q, fill_value=0.0).abs().sum() / 2.0)


@fill_doc
def column_fidelity(real, synthetic, *, discrete_columns=None):
    """Compare each column's distribution in real and synthetic data.

    Continuous columns (numbers, datetimes, timedeltas) are compared with the
    two-sample Kolmogorov-Smirnov statistic (:func:`scipy.stats.ks_2samp`):
    the largest gap between the two empirical distribution functions.
    Discrete columns (object, string, category, bool and boolean columns, and
    any column in ``discrete_columns``) are compared with the total variation
    distance between their category frequencies: half the sum of the absolute
    differences of the category shares. Both lie in [0, 1]; 0 means the same
    distribution.

    Missing values are measured on their own: each statistic compares the
    observed values only, and ``missing_rate_difference`` is the absolute
    difference between the shares of missing values. When one table has no
    observed value in a column and the other has some, the statistic is 1;
    when neither has, it is 0.

    Parameters
    ----------
    real : DataFrame or array-like of shape (n_rows, n_columns)
        The real data. Arrays get columns named ``0 .. n_columns-1``.
    %(synthetic)s
    discrete_columns : list or None, default=None
        Columns to compare as categories whatever their dtype (for example
        integer codes).

    Returns
    -------
    result : DataFrame
        One row per column of ``real``, with the columns ``column``, ``kind``
        (``"continuous"`` or ``"discrete"``), ``statistic`` (``"ks"`` or
        ``"tv"``), ``value`` and ``missing_rate_difference``.

    Examples
    --------
    >>> import pandas as pd
    >>> from gansynth.metrics import column_fidelity
    >>> real = pd.DataFrame({"x": [1.0, 2.0, 3.0, None], "c": ["a", "a", "b", "b"]})
    >>> synthetic = pd.DataFrame({"x": [7.0, 8.0, 9.0, 10.0], "c": list("aaab")})
    >>> column_fidelity(real, synthetic)
      column        kind statistic  value  missing_rate_difference
    0      x  continuous        ks   1.00                     0.25
    1      c    discrete        tv   0.25                     0.00
    """
    frames, kinds = check_tables(
        {"real": real, "synthetic": synthetic}, discrete_columns=discrete_columns
    )
    real, synthetic = frames["real"], frames["synthetic"]
    rows = []
    for column, kind in kinds.items():
        r, s = real[column], synthetic[column]
        if kind == "continuous":
            statistic = "ks"
            value = ks_statistic(to_numbers(r), to_numbers(s))
        else:
            statistic = "tv"
            value = total_variation(r, s)
        missing = abs(float(r.isna().mean()) - float(s.isna().mean()))
        rows.append((column, kind, statistic, value, missing))
    return pd.DataFrame(
        rows,
        columns=["column", "kind", "statistic", "value", "missing_rate_difference"],
    )
