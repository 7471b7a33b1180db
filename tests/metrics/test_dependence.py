"""Pairwise dependence: values by hand, and behaviour on real and broken data."""

import numpy as np
import pandas as pd
import pytest

from gansynth.metrics import column_fidelity, pairwise_dependence


def test_reversed_monotone_relation_is_the_largest_spearman_error():
    real = pd.DataFrame({"x": [1, 2, 3, 4], "y": [1, 4, 9, 16]})  # monotone
    synthetic = real.assign(y=real["y"].iloc[::-1].to_numpy())
    row = pairwise_dependence(real, synthetic).iloc[0]
    assert (row["kind"], row["statistic"]) == ("continuous", "spearman")
    assert (row["real"], row["synthetic"], row["value"]) == (1.0, -1.0, 2.0)


def test_contingency_tv_sees_what_marginals_miss():
    real = pd.DataFrame({"a": list("aabb"), "b": list("xxyy")})
    synthetic = pd.DataFrame({"a": list("aabb"), "b": list("yyxx")})
    assert column_fidelity(real, synthetic)["value"].eq(0).all()
    row = pairwise_dependence(real, synthetic).iloc[0]
    assert (row["kind"], row["statistic"]) == ("discrete", "contingency_tv")
    assert row["value"] == 1.0  # joint supports {ax, by} and {ay, bx}
    assert np.isnan(row["real"]) and np.isnan(row["synthetic"])


def test_contingency_tv_by_hand():
    real = pd.DataFrame({"a": list("aabb"), "b": list("xxyy")})
    # Joint shares (ax, by) = (0.5, 0.5) against (ax, by, ay) = (0.5, 0.25, 0.25).
    synthetic = pd.DataFrame({"a": list("aaba"), "b": list("xxyy")})
    assert pairwise_dependence(real, synthetic)["value"].item() == 0.25


def test_correlation_ratio_by_hand():
    # Real: each group constant, group means apart: eta = 1. Synthetic: the
    # same values with equal group means: eta = 0.
    real = pd.DataFrame({"x": [0.0, 0.0, 1.0, 1.0], "c": list("aabb")})
    synthetic = pd.DataFrame({"x": [0.0, 1.0, 0.0, 1.0], "c": list("aabb")})
    row = pairwise_dependence(real, synthetic).iloc[0]
    assert (row["kind"], row["statistic"]) == ("mixed", "correlation_ratio")
    assert row["real"] == pytest.approx(1.0)
    assert row["synthetic"] == pytest.approx(0.0)
    assert row["value"] == pytest.approx(1.0)
    # eta of x = [0, 1, 2, 3] on groups (a, a, b, b): sqrt(1 / 1.25).
    other = pd.DataFrame({"x": [0.0, 1.0, 2.0, 3.0], "c": list("aabb")})
    eta = pairwise_dependence(other, other)["real"].item()
    assert eta == pytest.approx(np.sqrt(0.8))


def test_identical_tables_give_zero_for_every_kind_of_pair(mixed):
    result = pairwise_dependence(mixed, mixed.iloc[::-1])
    assert len(result) == 15  # 6 columns
    assert set(result["kind"]) == {"continuous", "discrete", "mixed"}
    assert result["value"].max() == pytest.approx(0.0, abs=1e-12)


def test_constant_columns_and_single_columns():
    real = pd.DataFrame({"x": [1.0, 2.0, 3.0], "k": [5.0, 5.0, 5.0]})
    result = pairwise_dependence(real, real)
    assert result["value"].tolist() == [0.0]  # undefined correlation counts as 0
    assert pairwise_dependence(real[["x"]], real[["x"]]).empty


def test_real_halves_keep_dependence_and_shuffled_columns_do_not(
    cancer_halves, cancer_shuffled
):
    first, second = cancer_halves
    assert pairwise_dependence(first, second)["value"].mean() < 0.08
    # Independently shuffled columns keep every marginal but no dependence.
    broken = pairwise_dependence(first, cancer_shuffled)
    assert broken["value"].mean() > 0.3
    assert column_fidelity(first, cancer_shuffled)["value"].mean() < 0.12
