"""Detection AUC: 0.5 for real against real, near 1 for broken tables."""

import numpy as np
import pandas as pd
import pytest

from gansynth.metrics import detection, detection_auc


def test_real_halves_are_not_detectable(cancer_halves, wine):
    first, second = cancer_halves
    assert detection_auc(first, second, cv=3, random_state=0) < 0.65
    half = len(wine) // 2
    assert detection_auc(wine[:half], wine[half:], cv=3, random_state=0) < 0.65


def test_shuffled_columns_are_detected(cancer_halves, cancer_shuffled):
    first, _ = cancer_halves
    assert detection_auc(first, cancer_shuffled, cv=3, random_state=0) > 0.9


def test_uniform_noise_is_detected(cancer, cancer_halves):
    first, second = cancer_halves
    rng = np.random.default_rng(0)
    uniform = pd.DataFrame(
        rng.uniform(cancer.min(), cancer.max(), size=second.shape),
        columns=cancer.columns,
    )
    assert detection_auc(first, uniform, cv=3, random_state=0) > 0.9


def test_mixed_dtypes_are_handled(mixed):
    half = len(mixed) // 2
    first, second = mixed.iloc[:half], mixed.iloc[half:]
    assert detection_auc(first, second, cv=3, random_state=0) < 0.7
    # Only a discrete column differs: names the real data never uses.
    renamed = second.assign(name=second["name"].map({"ann": "cat", "bob": "dog"}))
    assert detection_auc(first, renamed, cv=3, random_state=0) > 0.9


def test_high_cardinality_discrete_columns_are_handled():
    rng = np.random.default_rng(0)
    ids = np.array([f"id{i}" for i in range(400)], dtype=object)
    real = pd.DataFrame({"id": rng.choice(ids, 300), "x": rng.normal(size=300)})
    synthetic = real.assign(x=real["x"] + 5)
    assert detection_auc(real, synthetic, cv=3, random_state=0) > 0.9


def test_unbalanced_tables_are_sampled_to_the_smaller_size(cancer_halves, monkeypatch):
    first, second = cancer_halves
    seen = []

    def recording(classifier, X, y, **kwargs):
        seen.append((len(X), np.bincount(y).tolist()))
        return real_cross_val_score(classifier, X, y, **kwargs)

    real_cross_val_score = detection.cross_val_score
    monkeypatch.setattr(detection, "cross_val_score", recording)
    detection_auc(first, second.iloc[:60], cv=3, random_state=0)
    detection_auc(second.iloc[:60], first, cv=3, random_state=0)
    assert seen == [(120, [60, 60])] * 2, seen  # 60 rows of each table


def test_same_random_state_same_auc(cancer_halves):
    first, second = cancer_halves
    a = detection_auc(first, second, cv=3, random_state=3)
    assert detection_auc(first, second, cv=3, random_state=3) == a


@pytest.mark.parametrize("cv", [1, 0, 2.5, True, "3"])
def test_bad_cv_is_refused(cv):
    X = np.zeros((10, 2))
    with pytest.raises(ValueError, match=r"cv must be an int in the range \[2, inf\)"):
        detection_auc(X, X, cv=cv)


def test_too_few_rows_for_the_folds():
    with pytest.raises(ValueError, match="Too few rows for cv=5"):
        detection_auc(np.zeros((10, 2)), np.zeros((3, 2)), cv=5)
