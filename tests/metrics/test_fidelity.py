"""Per-column fidelity: values by hand, and behaviour on real and broken data."""

import numpy as np
import pandas as pd
import pytest

from gansynth.metrics import column_fidelity


def _value(real, synthetic, **kwargs):
    return column_fidelity(real, synthetic, **kwargs)["value"].item()


def test_ks_of_disjoint_samples_is_one_and_of_equal_samples_zero():
    a = pd.DataFrame({"x": [1.0, 2.0, 3.0]})
    assert _value(a, a + 10) == 1.0
    assert _value(a, a.iloc[::-1]) == 0.0


def test_ks_by_hand():
    # ECDFs of {1,2,3,4} and {3,4,5,6} differ most at 2: 0.5 against 0.
    real = pd.DataFrame({"x": [1, 2, 3, 4]})
    assert _value(real, real + 2) == pytest.approx(0.5)


def test_total_variation_by_hand():
    real = pd.DataFrame({"c": ["a", "a", "b", "b"]})
    # (0.5, 0.5) against (0.75, 0.25): half of 0.25 + 0.25.
    assert _value(real, pd.DataFrame({"c": ["a", "a", "a", "b"]})) == 0.25
    # (0.5, 0.5, 0) against (0, 0, 1): disjoint supports.
    assert _value(real, pd.DataFrame({"c": ["z"] * 3})) == 1.0


def test_total_variation_of_interval_and_period_columns():
    # pandas 2 warned (FutureWarning, an error here) on counting them.
    x = pd.Series(np.arange(8.0))
    real = pd.DataFrame(
        {"bin": pd.cut(x, 2), "month": pd.period_range("2026-01", periods=8, freq="M")}
    )
    same = real.sample(frac=1.0, random_state=0)
    assert column_fidelity(real, same)["value"].tolist() == [0.0, 0.0]


def test_missing_values_are_compared_as_a_rate():
    real = pd.DataFrame({"x": [1.0, 2.0, 3.0, np.nan], "c": ["a", None, "b", "b"]})
    synthetic = pd.DataFrame({"x": [3.0, 1.0, 2.0, 2.0], "c": ["a", "b", "b", "b"]})
    result = column_fidelity(real, synthetic).set_index("column")
    assert result.loc["x", "missing_rate_difference"] == 0.25
    assert result.loc["c", "missing_rate_difference"] == 0.25
    # Observed values: {1,2,3} against {1,2,2,3}: ECDFs 2/3 against 3/4 at 2.
    assert result.loc["x", "value"] == pytest.approx(0.75 - 2 / 3)
    # Observed categories: (1/3, 2/3) against (1/4, 3/4).
    assert result.loc["c", "value"] == pytest.approx(1 / 3 - 1 / 4)


def test_a_column_missing_everywhere_on_one_side():
    real = pd.DataFrame({"x": [1.0, 2.0]})
    none = pd.DataFrame({"x": [np.nan, np.nan]})
    result = column_fidelity(real, none)
    assert result["value"].item() == 1.0
    assert result["missing_rate_difference"].item() == 1.0
    assert column_fidelity(none, none)["value"].item() == 0.0


def test_kinds_follow_the_dtypes(mixed):
    result = column_fidelity(mixed, mixed).set_index("column")
    assert result["kind"].to_dict() == {
        "x": "continuous",
        "count": "continuous",
        "colour": "discrete",
        "name": "discrete",
        "flag": "discrete",
        "when": "continuous",
    }
    assert (result["value"] == 0).all()
    assert (result["missing_rate_difference"] == 0).all()
    forced = column_fidelity(mixed, mixed, discrete_columns=["count"])
    assert forced.set_index("column").loc["count", "statistic"] == "tv"


def test_datetimes_are_compared_in_time(mixed):
    later = mixed.assign(when=mixed["when"] + pd.Timedelta(days=1000))
    result = column_fidelity(mixed, later).set_index("column")
    assert result.loc["when", "value"] == 1.0
    assert result.drop(index="when")["value"].eq(0).all()


def test_real_halves_are_close_and_broken_tables_far(cancer, cancer_halves):
    first, second = cancer_halves
    same = column_fidelity(first, second)
    assert same["value"].mean() < 0.12
    assert same["value"].max() < 0.25
    shifted = second + 3 * cancer.std()
    assert column_fidelity(first, shifted)["value"].mean() > 0.8
    rng = np.random.default_rng(0)
    uniform = pd.DataFrame(
        rng.uniform(cancer.min(), cancer.max(), size=second.shape),
        columns=cancer.columns,
    )
    assert column_fidelity(first, uniform)["value"].mean() > 0.4
