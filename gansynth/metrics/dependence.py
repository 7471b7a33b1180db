"""Pairwise dependence: does synthetic data keep how columns move together?"""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd

from ..utils.docstrings import fill_doc
from ._tables import check_tables, discrete_codes, to_numbers

__all__ = ["pairwise_dependence"]

_COLUMNS = ["column_a", "column_b", "kind", "statistic", "real", "synthetic", "value"]


def _spearman(numbers: dict) -> pd.DataFrame:
    """Spearman matrix, each pair on its rows observed in both columns.

    An undefined correlation (a constant column, fewer than two shared rows)
    counts as 0: such a column carries no dependence to keep.
    """
    return pd.DataFrame(numbers).corr(method="spearman").fillna(0.0)


def _correlation_ratio(values: np.ndarray, codes: np.ndarray) -> float:
    """Correlation ratio (eta) of a continuous column on a discrete one.

    The share of the continuous column's variance explained by the discrete
    column's groups, square-rooted: 0 when every group has the same mean, 1
    when each group is constant. Rows with a missing value in either column are
    left out; no variance at all gives 0.
    """
    keep = ~np.isnan(values) & (codes >= 0)
    values, codes = values[keep], codes[keep]
    if len(values) < 2:
        return 0.0
    centred = values - values.mean()
    total = float(centred @ centred)
    if total <= 0.0:
        return 0.0
    counts = np.bincount(codes)
    sums = np.bincount(codes, weights=centred)
    present = counts > 0
    between = float((sums[present] ** 2 / counts[present]).sum())
    return float(np.sqrt(min(between / total, 1.0)))


def _contingency_tv(real_a, real_b, syn_a, syn_b, n_b: int) -> float:
    """Total variation between the normalised joint tables of two columns."""

    def shares(a, b):
        keep = (a >= 0) & (b >= 0)
        joint = a[keep] * n_b + b[keep]
        return pd.Series(joint).value_counts(normalize=True)

    p, q = shares(real_a, real_b), shares(syn_a, syn_b)
    if len(p) == 0 or len(q) == 0:
        return float(len(p) != len(q))
    return float(p.sub(q, fill_value=0.0).abs().sum() / 2.0)


@fill_doc
def pairwise_dependence(real, synthetic, *, discrete_columns=None):
    """Compare the dependence of every pair of columns in real and synthetic data.

    Each pair gets one statistic, by the kinds of its two columns:

    - two continuous columns (numbers, datetimes): ``"spearman"``, the absolute
      difference between the real and the synthetic Spearman rank correlation.
      Spearman rather than Pearson because it measures any monotone relation,
      not only a linear one, is unchanged by monotone transforms of a column,
      and is not dominated by a few extreme values, which generators often
      produce;
    - two discrete columns: ``"contingency_tv"``, the total variation distance
      between the normalised contingency tables (the joint category shares) of
      the pair; it also sees differences in the two marginals;
    - one of each: ``"correlation_ratio"``, the absolute difference between the
      real and the synthetic correlation ratio (eta: the share of the
      continuous column's variance explained by the discrete column's groups,
      square-rooted).

    0 is best. Contingency and correlation-ratio values lie in [0, 1]; a
    Spearman difference lies in [0, 2] (2 when one table reverses a perfect
    relation of the other). Each pair is measured on the
    rows where both of its columns are observed. The mean of ``value`` is a
    one-number summary (:func:`evaluate` reports it, overall and per kind).

    Parameters
    ----------
    real : DataFrame or array-like of shape (n_rows, n_columns)
        The real data. Arrays get columns named ``0 .. n_columns-1``.
    %(synthetic)s
    %(discrete_columns)s

    Returns
    -------
    result : DataFrame
        One row per pair of columns (in the order of ``real``), with the
        columns ``column_a``, ``column_b``, ``kind`` (``"continuous"``,
        ``"discrete"`` or ``"mixed"``), ``statistic``, ``real`` and
        ``synthetic`` (the two correlations; NaN for contingency tables) and
        ``value``. Empty for a table of one column.

    Examples
    --------
    >>> import pandas as pd
    >>> from gansynth.metrics import pairwise_dependence
    >>> real = pd.DataFrame({"x": [1, 2, 3, 4], "y": [1, 2, 3, 4]})
    >>> synthetic = pd.DataFrame({"x": [1, 2, 3, 4], "y": [4, 3, 2, 1]})
    >>> pairwise_dependence(real, synthetic)
      column_a column_b        kind statistic  real  synthetic  value
    0        x        y  continuous  spearman   1.0       -1.0    2.0
    """
    frames, kinds = check_tables(
        {"real": real, "synthetic": synthetic}, discrete_columns=discrete_columns
    )
    real, synthetic = frames["real"], frames["synthetic"]
    continuous = [c for c, k in kinds.items() if k == "continuous"]
    numbers = {
        side: {c: to_numbers(frame[c]) for c in continuous}
        for side, frame in (("real", real), ("synthetic", synthetic))
    }
    codes, n_codes = {"real": {}, "synthetic": {}}, {}
    for column in (c for c, k in kinds.items() if k == "discrete"):
        (codes["real"][column], codes["synthetic"][column]), n_codes[column] = (
            discrete_codes([real[column], synthetic[column]])
        )
    rho = {side: _spearman(numbers[side]) for side in numbers} if continuous else {}

    rows = []
    for a, b in combinations(kinds, 2):
        kind_a, kind_b = kinds[a], kinds[b]
        if kind_a == kind_b == "continuous":
            r, s = rho["real"].loc[a, b], rho["synthetic"].loc[a, b]
            rows.append((a, b, "continuous", "spearman", r, s, abs(r - s)))
        elif kind_a == kind_b == "discrete":
            value = _contingency_tv(
                codes["real"][a],
                codes["real"][b],
                codes["synthetic"][a],
                codes["synthetic"][b],
                n_codes[b],
            )
            rows.append((a, b, "discrete", "contingency_tv", np.nan, np.nan, value))
        else:
            num, cat = (a, b) if kind_a == "continuous" else (b, a)
            r, s = (
                _correlation_ratio(numbers[side][num], codes[side][cat])
                for side in ("real", "synthetic")
            )
            rows.append((a, b, "mixed", "correlation_ratio", r, s, abs(r - s)))
    result = pd.DataFrame(rows, columns=_COLUMNS)
    return result.astype({c: float for c in ("real", "synthetic", "value")})
