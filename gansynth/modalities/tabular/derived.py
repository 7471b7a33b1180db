"""Continuous columns that follow another column exactly, found in fit.

Tables often hold a column computed from another: a charge that is a rate
times the minutes, a temperature in two units, a price with and without a
fixed tax. A generator learns such a pair as two columns and gets it nearly
right, and "nearly" is what gives synthetic rows away: on the telecom table
``mlc_churn`` (four charge columns, each the minutes times a rate, rounded to
cents) a gradient-boosting detector told 4,000 generated rows from the real
ones at ROC AUC 0.998; on any one (minutes, charge) pair alone at 0.98, and
on the table without the charges at 0.71. So the encoder finds the columns
that are an affine function of an earlier column on every row, up to the
decimals they were written with, leaves them out of what the GAN generates,
and computes them on decoding from the generated column they follow.

The relation must hold on every training row: ``|target - (a * source + b)|``
at most half a unit of the target's last written decimal (1 for integers; a
few float epsilons for a column written in full precision), with the line
that minimises the largest gap (a linear program: least squares misses the
half unit on rows where the rounding was a tie). Both columns need at least
``MIN_DISTINCT`` distinct values (any two columns of two values are affine)
and the same missing rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import linprog

from .columns import ColumnInfo, continuous_values, restore_continuous

__all__ = [
    "AffineRelation",
    "check_derived",
    "derive_columns",
    "find_affine_relations",
    "find_derived",
]

MIN_DISTINCT = 10
# Pairs are screened by their correlation on at most PREFILTER_ROWS rows
# (evenly spaced) before the exact check on every row: an exact affine
# relation has |r| > 0.999 whatever the rounding of columns with 10 values.
MIN_CORRELATION = 0.99
PREFILTER_ROWS = 20_000
SCREEN_CHUNK = 256  # sources whose correlations are computed at once
# Slack on the half unit for the solver's feasibility tolerance, relative.
_SLACK = 1e-6
_FLOAT_TOLERANCE = 1e-9  # full-precision columns: relative to their scale


@dataclass(frozen=True)
class AffineRelation:
    """``target = slope * source + intercept`` (then rounded as the target
    was written); ``target`` and ``source`` are column positions."""

    target: int
    source: int
    slope: float
    intercept: float

    def apply(self, source_values: np.ndarray) -> np.ndarray:
        return self.slope * source_values + self.intercept


def _standardised(values: np.ndarray) -> np.ndarray:
    """Columns centred and scaled over their observed rows, missing as 0."""
    mean = np.nanmean(values, axis=0)
    std = np.nanstd(values, axis=0)
    std[std == 0] = 1.0
    return np.nan_to_num((values - mean) / std)


def _allowed_gap(target: np.ndarray, half_unit: float) -> float:
    """The largest ``|target - line|`` that rounding to the written decimals
    explains (with the solver's slack and float error)."""
    scale = max(1.0, float(np.abs(target).max(initial=0.0)))
    return half_unit * (1 + _SLACK) + _FLOAT_TOLERANCE * scale


def _fit(source: np.ndarray, target: np.ndarray, half_unit: float):
    """``(slope, intercept)`` of a line within ``half_unit`` of every
    ``target``, or ``None``."""
    design = np.column_stack([source, np.ones_like(source)])
    (slope, intercept), *_ = np.linalg.lstsq(design, target, rcond=None)
    gap = np.abs(target - (slope * source + intercept)).max()
    if gap <= _allowed_gap(target, half_unit):
        return float(slope), float(intercept)
    if half_unit == 0 or gap > 4 * half_unit:
        return None
    # Least squares is near: the minimax line, as a linear program in
    # (slope, intercept, gap): minimise gap with |target - line| <= gap.
    ones = np.ones_like(source)
    bounds = np.r_[-target, target]
    rows = np.r_[np.c_[-source, -ones, -ones], np.c_[source, ones, -ones]]
    result = linprog([0, 0, 1], A_ub=rows, b_ub=bounds, bounds=[(None, None)] * 3)
    if not result.success or result.x[2] > half_unit * (1 + _SLACK):
        return None
    return float(result.x[0]), float(result.x[1])


def find_affine_relations(values: np.ndarray, half_units) -> list[AffineRelation]:
    """The columns of ``values`` that an earlier column determines.

    Parameters
    ----------
    values : ndarray of shape (n_rows, n_columns)
        Float values, NaN for missing.
    half_units : sequence of float or None
        Per column: half a unit of its last written decimal (0 for full
        precision), or ``None`` for a column that may be neither source nor
        target.

    Returns
    -------
    relations : list of AffineRelation
        One per determined column; its source is the first column that
        determines it, and is itself generated (a chain collapses onto it).

    Examples
    --------
    >>> import numpy as np
    >>> from gansynth.modalities.tabular.derived import find_affine_relations
    >>> minutes = np.round(np.random.default_rng(0).uniform(0, 300, 500), 1)
    >>> charge = np.round(0.17 * minutes, 2)
    >>> [(r.target, r.source, round(r.slope, 6)) for r in find_affine_relations(
    ...     np.column_stack([minutes, charge]), [0.05, 0.005])]
    [(1, 0, 0.17)]
    """
    n_rows, n_columns = values.shape
    # Pairs are screened on evenly spaced rows (at most PREFILTER_ROWS), and
    # so is the count of distinct values: a column with 10 there has them.
    sample = values[:: max(1, n_rows // PREFILTER_ROWS)]
    candidates = [
        j
        for j in range(n_columns)
        if half_units[j] is not None
        and len(np.unique(sample[:, j][~np.isnan(sample[:, j])])) >= MIN_DISTINCT
    ]
    if len(candidates) < 2:
        return []
    sample = sample[:, candidates]
    screened = _standardised(sample)
    observed = (~np.isnan(sample)).astype(np.float64)
    relations, derived = [], set()
    for first in range(0, len(candidates), SCREEN_CHUNK):
        # Correlations of a chunk of sources with every later column, over the
        # rows where both are observed (for two columns with the same missing
        # rows, their correlation there); chunks bound the memory of a wide
        # table to SCREEN_CHUNK x columns.
        chunk = slice(first, first + SCREEN_CHUNK)
        correlation = np.abs(screened[:, chunk].T @ screened) / np.maximum(
            observed[:, chunk].T @ observed, 1.0
        )
        for row, a in enumerate(range(first, min(first + SCREEN_CHUNK,
                                                 len(candidates)))):  # fmt: skip
            source = candidates[a]
            if source in derived:
                continue
            for b in np.flatnonzero(correlation[row, a + 1 :] >= MIN_CORRELATION):
                target = candidates[a + 1 + b]
                if target in derived:
                    continue
                present = ~np.isnan(values[:, source])
                if not np.array_equal(present, ~np.isnan(values[:, target])):
                    continue
                line = _fit(values[present, source], values[present, target],
                            half_units[target])  # fmt: skip
                if line is not None:
                    relations.append(AffineRelation(target, source, *line))
                    derived.add(target)
    return relations


def _half_unit(info: ColumnInfo) -> float | None:
    """Half a unit of the column's last written decimal; ``None`` for a
    column that is not a continuous number (a derived column was one)."""
    if info.kind not in ("continuous", "derived") or info.is_time:
        return None
    if info.is_integer:
        return 0.5
    return 0.0 if info.decimals is None else 0.5 * 10.0**-info.decimals


def find_derived(frame: pd.DataFrame, infos, keep=()) -> list[AffineRelation]:
    """The relations of :func:`find_affine_relations` among the continuous
    columns of ``frame`` (typed by ``infos``); columns named in ``keep`` are
    neither sources nor targets."""
    half_units = [None if info.name in keep else _half_unit(info) for info in infos]
    usable = [i for i, half in enumerate(half_units) if half is not None]
    if len(usable) < 2:
        return []
    values = np.column_stack(
        [continuous_values(frame.iloc[:, i], infos[i]) for i in usable]
    )
    found = find_affine_relations(values, [half_units[i] for i in usable])
    return [
        AffineRelation(usable[r.target], usable[r.source], r.slope, r.intercept)
        for r in found
    ]


def derive_columns(relations, columns: dict, infos) -> None:
    """Add each relation's target to ``columns`` (decoded Series by
    position), computed from its decoded source: missing where the source
    is, rounded and kept in range as the target was written."""
    for relation in relations:
        source = continuous_values(columns[relation.source], infos[relation.source])
        missing = np.isnan(source)
        info = infos[relation.target]
        values = np.where(missing, info.minimum, relation.apply(source))
        columns[relation.target] = restore_continuous(values, missing, info)


def check_derived(relations, frame: pd.DataFrame, infos) -> None:
    """Raise if a row of ``frame`` breaks a relation found in fit.

    The encoder leaves a derived column out of its encoding, so rows encoded
    later (``warm_start=True`` continues on new rows) would lose that column's
    values without a word if they did not follow the relation too.
    """
    for relation in relations:
        info, source_info = infos[relation.target], infos[relation.source]
        target = continuous_values(frame.iloc[:, relation.target], info)
        source = continuous_values(frame.iloc[:, relation.source], source_info)
        missing = np.isnan(source)
        gap = np.where(missing, 0.0, np.abs(target - relation.apply(source)))
        broken = (np.isnan(target) != missing) | ~(
            gap <= _allowed_gap(target[~missing], _half_unit(info))
        )
        if broken.any():
            row = int(np.flatnonzero(broken)[0])
            raise ValueError(
                f"Column {info.name!r} was found in fit to be computed from "
                f"{source_info.name!r} on every row ({info.name} = "
                f"{relation.slope:.6g} * {source_info.name} + "
                f"{relation.intercept:.6g}, rounded as written) and is not "
                f"generated but computed; {int(broken.sum())} of {len(frame)} "
                f"rows given now break it (the first at position {row}: "
                f"{target[row]!r} against {source_info.name} = {source[row]!r}). "
                "Fit on rows that all follow it, or with derived_columns=None to "
                "generate the column as any other."
            )
