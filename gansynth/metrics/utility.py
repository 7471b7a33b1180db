"""Utility: is a model trained on synthetic data as good on real data?"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.dummy import DummyClassifier
from sklearn.ensemble import (
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
)
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import (
    accuracy_score,
    f1_score,
    mean_absolute_error,
    r2_score,
    roc_auc_score,
)
from sklearn.pipeline import make_pipeline
from sklearn.utils.multiclass import type_of_target

from ..utils.docstrings import fill_doc
from ..utils.user_warnings import warn_at_caller
from ._encoding import encode_tables, linear_preprocessor, tree_frame
from ._tables import check_tables, discrete_codes, random_seed, to_numbers

__all__ = ["utility_scores"]

_TASKS = ("auto", "classification", "regression")


def _check_target(target, kinds) -> None:
    if target is None or target not in kinds:
        raise ValueError(
            f"target must name a column of real; expected one of {list(kinds)}; "
            f"got {target!r}."
        )
    if len(kinds) < 2:
        raise ValueError(
            f"real must hold feature columns besides target {target!r}; "
            f"got only the columns {list(kinds)}."
        )


def _resolve_task(task, target_kind, values) -> str:
    if task not in _TASKS:
        raise ValueError(f"task must be one of {set(_TASKS)}; got {task!r}.")
    if task != "auto":
        return task
    if target_kind == "discrete":
        return "classification"
    observed = values[~np.isnan(values)]
    kind = type_of_target(observed) if len(observed) else "continuous"
    return "classification" if kind in ("binary", "multiclass") else "regression"


def _models(task, seed):
    """``{name: (estimator, input kind)}``; input kind "tree" or "linear"."""
    if task == "classification":
        tree = HistGradientBoostingClassifier(
            categorical_features="from_dtype", random_state=seed
        )
        linear_name, linear = "logistic_regression", LogisticRegression(max_iter=1000)
    else:
        tree = HistGradientBoostingRegressor(
            categorical_features="from_dtype", random_state=seed
        )
        linear_name, linear = "ridge", Ridge()
    return {"hist_gradient_boosting": (tree, "tree"), linear_name: (linear, "linear")}


def _chosen_models(task, seed, names):
    """The models of ``task`` named in ``names`` (all of them for ``None``)."""
    available = _models(task, seed)
    if names is None:
        return available
    listed = not isinstance(names, str) and len(names) > 0
    if not listed or any(n not in available for n in names):
        raise ValueError(
            f"models must be a list of {sorted(available)} for a {task} target. "
            f"Got {names!r} instead."
        )
    return {n: available[n] for n in names}


def _macro_ovr_auc(y_true, proba, classes) -> float:
    """Mean one-vs-rest ROC AUC over the classes present in ``y_true``.

    A class the model never saw scores 0 for every row. With two classes
    present and probabilities that sum to 1 this is the ordinary binary AUC.
    """
    present = np.unique(y_true)
    if len(present) < 2:
        return np.nan
    column = {c: i for i, c in enumerate(classes)}
    aucs = []
    for c in present:
        score = proba[:, column[c]] if c in column else np.zeros(len(y_true))
        aucs.append(roc_auc_score(y_true == c, score))
    return float(np.mean(aucs))


def _classification_scores(model, X, y):
    predicted = model.predict(X)
    proba = model.predict_proba(X)
    return {
        "accuracy": float(accuracy_score(y, predicted)),
        "f1_macro": float(f1_score(y, predicted, average="macro", zero_division=0)),
        "roc_auc": _macro_ovr_auc(y, proba, model.classes_),
    }


def _regression_scores(model, X, y):
    predicted = model.predict(X)
    return {
        "r2": float(r2_score(y, predicted)),
        "mae": float(mean_absolute_error(y, predicted)),
    }


@fill_doc
def utility_scores(
    real,
    synthetic,
    holdout,
    *,
    target,
    task="auto",
    discrete_columns=None,
    models=None,
    train_on=("synthetic", "real"),
    random_state=None,
):
    """Train on synthetic, test on real (TSTR), next to train on real (TRTR).

    Two models predict ``target`` from the other columns: a
    :class:`~sklearn.ensemble.HistGradientBoostingClassifier` (discrete columns
    split on natively, missing values handled by the trees) and a
    :class:`~sklearn.linear_model.LogisticRegression` behind a preprocessing
    pipeline (continuous columns imputed with the median, flagged when missing
    and standardised; discrete columns one-hot encoded, a missing value being a
    category of its own). Each is trained once on ``synthetic`` and once on
    ``real`` (the real training table, the one the generator learned from),
    and both are tested on the real ``holdout``. TSTR close to TRTR means the
    synthetic table is as useful as the real one for this task.

    Classification scores are accuracy, macro F1 and ROC AUC (binary: the AUC
    of the positive class's probability; multiclass: the one-vs-rest AUC
    averaged over the holdout's classes; NaN when the holdout holds one class).
    A training table with a single class gives a model that predicts it (with
    a warning). Regression targets are scored by R^2 and mean absolute error,
    with :class:`~sklearn.ensemble.HistGradientBoostingRegressor` and
    :class:`~sklearn.linear_model.Ridge`. Rows whose target is missing are left
    out of every table.

    Parameters
    ----------
    %(real_training)s
    %(synthetic)s
    holdout : DataFrame or array-like of shape (n_holdout, n_columns)
        Real rows that neither the generator nor the models trained on.
    target : column name
        The column to predict.
    task : {"auto", "classification", "regression"}, default="auto"
        With ``"auto"``, a discrete target, or a numeric one whose values are
        all integers (:func:`~sklearn.utils.multiclass.type_of_target` says
        binary or multiclass), is a classification target; any other numeric
        target is a regression target. Pass ``"regression"`` for counts.
    %(discrete_columns)s
    models : list of str or None, default=None
        The models to train, by the names of the result's ``model`` column;
        ``None`` trains both. ``["hist_gradient_boosting"]`` alone is the
        quick score that :class:`~gansynth.TabularGAN`'s checkpoint selection
        uses.
    train_on : tuple of {"synthetic", "real"}, default=("synthetic", "real")
        The tables the models are trained on; ``("synthetic",)`` leaves out
        the real-data reference (TRTR).
    random_state : int, RandomState instance or None, default=None
        Seeds the gradient-boosting models.

    Returns
    -------
    result : DataFrame
        Tidy scores with the columns ``model`` (``"hist_gradient_boosting"``,
        ``"logistic_regression"`` or ``"ridge"``), ``train_on``
        (``"synthetic"`` or ``"real"``), ``metric`` (``"accuracy"``,
        ``"f1_macro"``, ``"roc_auc"``, or ``"r2"``, ``"mae"``) and ``value``.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from gansynth.metrics import utility_scores
    >>> iris = load_iris(as_frame=True).frame.sample(frac=1, random_state=0)
    >>> train, synthetic, holdout = iris[:50], iris[50:100], iris[100:]
    >>> scores = utility_scores(
    ...     train, synthetic, holdout, target="target", random_state=0
    ... )
    >>> scores[scores.metric == "accuracy"].round(2)
                        model   train_on    metric  value
    0  hist_gradient_boosting  synthetic  accuracy   0.92
    3  hist_gradient_boosting       real  accuracy   0.94
    6     logistic_regression  synthetic  accuracy   0.94
    9     logistic_regression       real  accuracy   0.98
    """
    unknown = sorted(set(train_on) - {"synthetic", "real"})
    if unknown or not train_on or isinstance(train_on, str):
        raise ValueError(
            "train_on must be a tuple of 'synthetic' and/or 'real'. "
            f"Got {train_on!r} instead."
        )
    frames, kinds = check_tables(
        {"real": real, "synthetic": synthetic, "holdout": holdout},
        discrete_columns=discrete_columns,
    )
    _check_target(target, kinds)
    names = ("synthetic", "real", "holdout")
    if kinds[target] == "discrete":
        labels, _ = discrete_codes([frames[n][target] for n in names])
        labels = [np.where(code < 0, np.nan, code) for code in labels]
    else:
        labels = [to_numbers(frames[n][target]) for n in names]
    task = _resolve_task(task, kinds[target], labels[1])
    keep = [~np.isnan(y) for y in labels]
    for name, kept in zip(names, keep, strict=True):
        if not kept.any():
            raise ValueError(
                f"{name} has no row with an observed target {target!r}; expected "
                "at least one."
            )
    features = [c for c in kinds if c != target]
    encoded, n_categories = encode_tables(
        [frames[n][kept] for n, kept in zip(names, keep, strict=True)],
        kinds,
        columns=features,
    )
    ys = [y[kept] for y, kept in zip(labels, keep, strict=True)]
    if task == "classification":
        ys = [y.astype(np.int64) if kinds[target] == "discrete" else y for y in ys]
    X_test, y_test = encoded[2], ys[2]
    trees = [tree_frame(X, n_categories) for X in encoded]
    rows = []
    for model_name, (estimator, kind) in _chosen_models(
        task, random_seed(random_state), models
    ).items():
        for i, table in enumerate(("synthetic", "real")):
            if table not in train_on:
                continue
            X_train, y_train = encoded[i], ys[i]
            if kind == "tree":
                X_train, X_eval = trees[i], trees[2]
                model = clone(estimator)
            else:
                X_eval = X_test
                model = make_pipeline(
                    linear_preprocessor(X_train, n_categories), clone(estimator)
                )
            if task == "classification":
                if len(np.unique(y_train)) < 2:
                    warn_at_caller(
                        f"{table} holds a single class of target {target!r}; "
                        "its models predict that class."
                    )
                    model = DummyClassifier(strategy="prior")
                model.fit(X_train, y_train)
                scores = _classification_scores(model, X_eval, y_test)
            else:
                model.fit(X_train, y_train)
                scores = _regression_scores(model, X_eval, y_test)
            rows += [(model_name, table, m, v) for m, v in scores.items()]
    return pd.DataFrame(rows, columns=["model", "train_on", "metric", "value"])
