"""Distance to closest record: values by hand, copies and honest new data."""

import numpy as np
import pandas as pd
import pytest

from gansynth.metrics import distance_to_closest_record


def test_dcr_by_hand():
    # Training values 0 and 10 standardise to -1 and 1 (mean 5, std 5).
    train = pd.DataFrame({"x": [0.0, 10.0]})
    synthetic = pd.DataFrame({"x": [0.0, 10.0, 10.0]})  # copies
    holdout = pd.DataFrame({"x": [5.0]})  # standardises to 0
    dcr = distance_to_closest_record(train, synthetic, holdout)
    assert dcr["synthetic_median"] == 0.0
    assert dcr["holdout_median"] == pytest.approx(1.0)
    assert dcr["ratio"] == 0.0
    assert dcr["exact_match_share"] == 1.0


def test_discrete_columns_are_one_hot():
    train = pd.DataFrame({"c": ["a", "b"]})
    # "a" against "b" differs in two one-hot positions: sqrt(2); a category
    # unseen in training encodes as zeros: distance 1 to either row.
    dcr = distance_to_closest_record(train, train.iloc[:1], pd.DataFrame({"c": ["z"]}))
    assert dcr["synthetic_median"] == 0.0
    assert dcr["holdout_median"] == pytest.approx(1.0)
    same = distance_to_closest_record(train, train, train)
    assert np.isnan(same["ratio"])  # holdout median 0: no scale to compare with


def test_real_holdout_as_synthetic_gives_a_ratio_near_one(cancer):
    n = len(cancer) // 3
    train, other, holdout = cancer[:n], cancer[n : 2 * n], cancer[2 * n :]
    dcr = distance_to_closest_record(train, other, holdout)
    assert 0.8 < dcr["ratio"] < 1.25
    assert dcr["exact_match_share"] == 0.0


def test_copies_of_training_rows_give_a_ratio_near_zero(cancer):
    n = len(cancer) // 2
    train, holdout = cancer[:n], cancer[n:]
    copies = train.sample(200, random_state=0)
    dcr = distance_to_closest_record(train, copies, holdout)
    assert dcr["ratio"] == 0.0
    assert dcr["exact_match_share"] == 1.0
    rng = np.random.default_rng(0)
    jitter = copies + rng.normal(0, 0.05, copies.shape) * train.std().to_numpy()
    assert distance_to_closest_record(train, jitter, holdout)["ratio"] < 0.3


def test_mixed_dtypes_and_missing_values(mixed):
    n = len(mixed) // 2
    dcr = distance_to_closest_record(mixed[:n], mixed[n:], mixed[n:])
    assert dcr["ratio"] == pytest.approx(1.0)
    assert all(np.isfinite(v) for v in dcr.values())
