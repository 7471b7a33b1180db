"""One tidy quality report of a synthetic table."""

from __future__ import annotations

import pandas as pd
from sklearn.utils import check_random_state

from ..utils.docstrings import fill_doc
from ._tables import check_tables, random_seed
from .dependence import pairwise_dependence
from .detection import detection_auc
from .fidelity import column_fidelity
from .privacy import distance_to_closest_record
from .utility import utility_scores

__all__ = ["evaluate"]

_COLUMNS = ["group", "metric", "column", "model", "train_on", "value"]

_DEPENDENCE_MEANS = {
    "spearman": "mean_spearman_difference",
    "contingency_tv": "mean_contingency_tv",
    "correlation_ratio": "mean_correlation_ratio_difference",
}


def _row(group, metric, value, column=None, model=None, train_on=None):
    return (group, metric, column, model, train_on, float(value))


def _fidelity_rows(real, synthetic, discrete_columns):
    fidelity = column_fidelity(real, synthetic, discrete_columns=discrete_columns)
    rows = [
        _row("fidelity", "mean_statistic", fidelity["value"].mean()),
        _row(
            "fidelity",
            "mean_missing_rate_difference",
            fidelity["missing_rate_difference"].mean(),
        ),
    ]
    for r in fidelity.itertuples(index=False):
        rows.append(_row("fidelity", r.statistic, r.value, column=r.column))
        rows.append(
            _row(
                "fidelity",
                "missing_rate_difference",
                r.missing_rate_difference,
                column=r.column,
            )
        )
    return rows


def _dependence_rows(real, synthetic, discrete_columns):
    pairs = pairwise_dependence(real, synthetic, discrete_columns=discrete_columns)
    if pairs.empty:
        return []
    rows = [_row("dependence", "mean_difference", pairs["value"].mean())]
    for statistic, values in pairs.groupby("statistic", sort=False)["value"]:
        rows.append(_row("dependence", _DEPENDENCE_MEANS[statistic], values.mean()))
    return rows


@fill_doc
def evaluate(
    real,
    synthetic,
    *,
    target=None,
    holdout=None,
    discrete_columns=None,
    cv=5,
    random_state=None,
):
    """Measure a synthetic table against the real one, in one tidy report.

    The report gathers, by ``group``:

    - ``"fidelity"``: each column's distance (``"ks"`` or ``"tv"``) and
      ``"missing_rate_difference"`` (see :func:`column_fidelity`), and their
      means over the columns (``"mean_statistic"``,
      ``"mean_missing_rate_difference"``); 0 is best;
    - ``"dependence"``: the mean pair error over all pairs of columns
      (``"mean_difference"``) and per kind of pair (see
      :func:`pairwise_dependence`); 0 is best; absent for one column;
    - ``"detection"``: ``"roc_auc"`` of a classifier separating real from
      synthetic rows (see :func:`detection_auc`); **0.5 is best**, near 1
      means trivially detectable;
    - ``"utility"`` (when ``target`` and ``holdout`` are given): scores on the
      real holdout of models trained on synthetic and on real rows (see
      :func:`utility_scores`), with ``model`` and ``train_on`` filled in;
    - ``"privacy"`` (when ``holdout`` is given): ``"dcr_synthetic_median"``,
      ``"dcr_holdout_median"``, ``"dcr_ratio"`` (near 1 is healthy, well below
      1 means copying) and ``"exact_match_share"`` (see
      :func:`distance_to_closest_record`).

    Parameters
    ----------
    real : DataFrame or array-like of shape (n_rows, n_columns)
        The real data the generator was trained on. Arrays get columns named
        ``0 .. n_columns-1``; their numeric columns are continuous unless named
        in ``discrete_columns``.
    %(synthetic)s
    target : column name or None, default=None
        A column to predict for the utility scores; needs ``holdout``.
    holdout : DataFrame, array-like or None, default=None
        Real rows the generator did not train on, with the columns of ``real``.
    %(discrete_columns)s
    cv : int, default=5
        Number of cross-validation folds of the detection classifier.
    random_state : int, RandomState instance or None, default=None
        Seeds the detection sample, folds and classifier, and the utility
        models.

    Returns
    -------
    report : DataFrame
        One row per number, with the columns ``group``, ``metric``,
        ``column`` (per-column fidelity rows), ``model`` and ``train_on``
        (utility rows), the others None, and ``value``.

    Examples
    --------
    >>> from sklearn.datasets import load_wine
    >>> from gansynth.metrics import evaluate
    >>> wine = load_wine(as_frame=True).frame.sample(frac=1, random_state=0)
    >>> real, synthetic, holdout = wine[:60], wine[60:120], wine[120:]
    >>> report = evaluate(real, synthetic, holdout=holdout, cv=3, random_state=0)
    >>> report.groupby("group").size()
    group
    dependence     2
    detection      1
    fidelity      30
    privacy        4
    dtype: int64
    >>> auc = report.query("metric == 'roc_auc'")["value"].item()
    >>> 0.3 < auc < 0.7
    True
    """
    tables = {"real": real, "synthetic": synthetic}
    if holdout is not None:
        tables["holdout"] = holdout
    frames, kinds = check_tables(tables, discrete_columns=discrete_columns)
    if target is not None and holdout is None:
        raise ValueError(
            f"target={target!r} was given without holdout; expected a real "
            "holdout table to test the utility models on; got holdout=None."
        )
    if target is not None and target not in kinds:
        raise ValueError(
            f"target must name a column of real; expected one of {list(kinds)}; "
            f"got {target!r}."
        )
    real, synthetic = frames["real"], frames["synthetic"]
    rng = check_random_state(random_state)
    detection_seed, utility_seed = random_seed(rng), random_seed(rng)

    rows = _fidelity_rows(real, synthetic, discrete_columns)
    rows += _dependence_rows(real, synthetic, discrete_columns)
    auc = detection_auc(
        real,
        synthetic,
        cv=cv,
        discrete_columns=discrete_columns,
        random_state=detection_seed,
    )
    rows.append(_row("detection", "roc_auc", auc))
    if target is not None:
        utility = utility_scores(
            real,
            synthetic,
            frames["holdout"],
            target=target,
            discrete_columns=discrete_columns,
            random_state=utility_seed,
        )
        for r in utility.itertuples(index=False):
            rows.append(
                _row("utility", r.metric, r.value, model=r.model, train_on=r.train_on)
            )
    if holdout is not None:
        dcr = distance_to_closest_record(
            real, synthetic, frames["holdout"], discrete_columns=discrete_columns
        )
        rows += [
            _row("privacy", "dcr_synthetic_median", dcr["synthetic_median"]),
            _row("privacy", "dcr_holdout_median", dcr["holdout_median"]),
            _row("privacy", "dcr_ratio", dcr["ratio"]),
            _row("privacy", "exact_match_share", dcr["exact_match_share"]),
        ]
    # Built column by column: pandas would turn integer column names mixed with
    # None into floats.
    data = {
        name: pd.Series(values, dtype=object)
        for name, values in zip(_COLUMNS, zip(*rows, strict=True), strict=True)
    }
    report = pd.DataFrame(data)
    return report.astype({"group": str, "metric": str, "value": float})
