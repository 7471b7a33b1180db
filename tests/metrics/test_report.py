"""evaluate: one tidy report of every metric."""

import numpy as np
import pandas as pd
import pytest

from gansynth.metrics import column_fidelity, evaluate


def _value(report, metric, **where):
    rows = report[report["metric"] == metric]
    for key, value in where.items():
        rows = rows[rows[key] == value]
    return rows["value"].item()


def test_groups_follow_the_arguments(wine):
    train, synthetic, holdout = wine[:60], wine[60:120], wine[120:]
    report = evaluate(train, synthetic, cv=3, random_state=0)
    assert list(report.columns) == [
        "group",
        "metric",
        "column",
        "model",
        "train_on",
        "value",
    ]
    assert set(report["group"]) == {"fidelity", "dependence", "detection"}
    report = evaluate(train, synthetic, holdout=holdout, cv=3, random_state=0)
    assert "privacy" in set(report["group"])
    assert "utility" not in set(report["group"])
    report = evaluate(
        train, synthetic, holdout=holdout, target="target", cv=3, random_state=0
    )
    assert set(report["group"]) == {
        "fidelity",
        "dependence",
        "detection",
        "utility",
        "privacy",
    }
    utility = report[report["group"] == "utility"]
    assert len(utility) == 12
    assert set(utility["train_on"]) == {"synthetic", "real"}


def test_fidelity_rows_match_column_fidelity(wine):
    report = evaluate(wine[:90], wine[90:], cv=3, random_state=0)
    fidelity = column_fidelity(wine[:90], wine[90:])
    per_column = report[(report["group"] == "fidelity") & report["column"].notna()]
    statistic = per_column[per_column["metric"] != "missing_rate_difference"]
    assert statistic["value"].tolist() == fidelity["value"].tolist()
    assert _value(report, "mean_statistic") == pytest.approx(fidelity["value"].mean())
    assert _value(report, "tv", column="target") == fidelity["value"].iloc[-1]


def test_real_against_real_and_against_broken_data(cancer_halves, cancer_shuffled):
    first, second = cancer_halves
    good = evaluate(first, second, cv=3, random_state=0)
    bad = evaluate(first, cancer_shuffled + 1.0, cv=3, random_state=0)
    assert _value(good, "roc_auc") < 0.65
    assert _value(bad, "roc_auc") > 0.9
    assert _value(good, "mean_statistic") < 0.12
    assert _value(bad, "mean_statistic") > 0.3
    assert _value(good, "mean_difference") < 0.08
    assert _value(bad, "mean_difference") > 0.3


def test_arrays_and_discrete_columns():
    rng = np.random.default_rng(0)
    X = np.column_stack([rng.normal(size=(120, 2)), rng.integers(0, 3, 120)])
    report = evaluate(X[:60], X[60:], discrete_columns=[2], cv=3, random_state=0)
    per_column = report[report["metric"].isin(["ks", "tv"])]
    assert per_column["column"].tolist() == [0, 1, 2]
    assert per_column["metric"].tolist() == ["ks", "ks", "tv"]
    assert set(report["metric"][report["group"] == "dependence"]) == {
        "mean_difference",
        "mean_spearman_difference",
        "mean_correlation_ratio_difference",
    }


def test_same_random_state_same_report(wine):
    a = evaluate(wine[:90], wine[90:], cv=3, random_state=1)
    pd.testing.assert_frame_equal(
        a, evaluate(wine[:90], wine[90:], cv=3, random_state=1)
    )


def test_bad_arguments_are_refused(wine):
    with pytest.raises(ValueError, match="target='target' was given without holdout"):
        evaluate(wine[:90], wine[90:], target="target")
    with pytest.raises(ValueError, match="target must name a column of real"):
        evaluate(wine[:60], wine[60:120], target="label", holdout=wine[120:])
    with pytest.raises(ValueError, match="holdout must have the columns of real"):
        evaluate(wine[:60], wine[60:120], holdout=wine.iloc[120:, :3])
