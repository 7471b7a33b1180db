"""Utility: TSTR against TRTR on real splits, broken labels and edge cases."""

import numpy as np
import pandas as pd
import pytest

from gansynth.metrics import utility_scores


def _split(frame):
    n = len(frame) // 3
    return frame.iloc[:n], frame.iloc[n : 2 * n], frame.iloc[2 * n :]


def _table(scores):
    return scores.set_index(["model", "train_on", "metric"])["value"]


def test_layout_of_the_result(cancer):
    scores = utility_scores(*_split(cancer), target="target", random_state=0)
    assert list(scores.columns) == ["model", "train_on", "metric", "value"]
    assert len(scores) == 2 * 2 * 3
    assert set(scores["model"]) == {"hist_gradient_boosting", "logistic_regression"}
    assert set(scores["train_on"]) == {"synthetic", "real"}
    assert set(scores["metric"]) == {"accuracy", "f1_macro", "roc_auc"}
    assert scores["value"].between(0, 1).all()


def test_tstr_on_real_data_approximates_trtr(cancer):
    table = _table(utility_scores(*_split(cancer), target="target", random_state=0))
    for model in ("hist_gradient_boosting", "logistic_regression"):
        for metric in ("accuracy", "roc_auc"):
            real = table[(model, "real", metric)]
            synthetic = table[(model, "synthetic", metric)]
            assert real > 0.9
            assert abs(real - synthetic) < 0.06


def test_tstr_on_shuffled_labels_is_near_chance(cancer):
    train, synthetic, holdout = _split(cancer)
    rng = np.random.default_rng(0)
    broken = synthetic.assign(target=rng.permutation(synthetic["target"].to_numpy()))
    table = _table(utility_scores(train, broken, holdout, target="target"))
    for model in ("hist_gradient_boosting", "logistic_regression"):
        assert table[(model, "real", "roc_auc")] > 0.95
        assert table[(model, "synthetic", "roc_auc")] < 0.7


def test_multiclass_string_target_with_a_class_missing_from_synthetic(wine):
    train, synthetic, holdout = _split(wine)
    synthetic = synthetic[synthetic["target"] != "c"]
    table = _table(utility_scores(train, synthetic, holdout, target="target"))
    assert table.notna().all()
    for model in ("hist_gradient_boosting", "logistic_regression"):
        # Class c is never predicted: accuracy is capped by its share.
        cap = 1 - (holdout["target"] == "c").mean()
        assert table[(model, "synthetic", "accuracy")] <= cap + 1e-12
        assert table[(model, "real", "accuracy")] > 0.85


def test_a_single_class_synthetic_table_predicts_that_class(cancer):
    train, synthetic, holdout = _split(cancer)
    synthetic = synthetic[synthetic["target"] == 1]
    with pytest.warns(UserWarning, match="synthetic holds a single class"):
        table = _table(utility_scores(train, synthetic, holdout, target="target"))
    share = (holdout["target"] == 1).mean()
    for model in ("hist_gradient_boosting", "logistic_regression"):
        assert table[(model, "synthetic", "accuracy")] == pytest.approx(share)
        assert table[(model, "synthetic", "roc_auc")] == 0.5


def test_mixed_features_with_missing_values_and_missing_targets(mixed):
    frame = mixed.assign(label=np.where(mixed["x"].fillna(0) > 0, "pos", "neg"))
    frame.loc[::19, "label"] = None
    train, synthetic, holdout = _split(frame)
    table = _table(utility_scores(train, synthetic, holdout, target="label"))
    assert table.notna().all()
    assert table[("hist_gradient_boosting", "real", "accuracy")] > 0.8


def test_regression_target(cancer):
    scores = utility_scores(*_split(cancer), target="mean radius", random_state=0)
    table = _table(scores)
    assert set(scores["model"]) == {"hist_gradient_boosting", "ridge"}
    assert set(scores["metric"]) == {"r2", "mae"}
    assert table[("ridge", "synthetic", "r2")] > 0.9
    assert table[("ridge", "real", "r2")] > 0.9
    forced = utility_scores(*_split(cancer), target="target", task="regression")
    assert set(forced["metric"]) == {"r2", "mae"}


def test_bad_target_and_task_are_refused(cancer):
    parts = _split(cancer)
    with pytest.raises(ValueError, match=r"target must name a column of real.*'nope'"):
        utility_scores(*parts, target="nope")
    with pytest.raises(ValueError, match="task must be one of"):
        utility_scores(*parts, target="target", task="ranking")
    only = [p[["target"]] for p in parts]
    with pytest.raises(ValueError, match="feature columns besides target"):
        utility_scores(*only, target="target")
    unlabelled = parts[1].assign(target=np.nan)
    with pytest.raises(ValueError, match="synthetic has no row with an observed"):
        utility_scores(parts[0], unlabelled, parts[2], target="target")


def test_arrays_with_an_integer_target():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(150, 3))
    table = np.column_stack([X, (X[:, 0] > 0).astype(float)])
    scores = utility_scores(table[:50], table[50:100], table[100:], target=3)
    assert isinstance(scores, pd.DataFrame)
    assert set(scores["metric"]) == {"accuracy", "f1_macro", "roc_auc"}


def test_a_chosen_model_trained_on_the_synthetic_table_alone(cancer):
    scores = utility_scores(
        *_split(cancer), target="target", random_state=0,
        models=["hist_gradient_boosting"], train_on=("synthetic",),
    )  # fmt: skip
    assert set(scores.model) == {"hist_gradient_boosting"}
    assert set(scores.train_on) == {"synthetic"}
    full = utility_scores(*_split(cancer), target="target", random_state=0)
    chosen = (full.model == "hist_gradient_boosting") & (full.train_on == "synthetic")
    same = full[chosen]
    np.testing.assert_array_equal(scores.value.to_numpy(), same.value.to_numpy())


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"models": ["forest"]}, "models must be a list of"),
        ({"models": "hist_gradient_boosting"}, "models must be a list of"),
        ({"train_on": ("test",)}, "train_on must be a tuple"),
        ({"train_on": ()}, "train_on must be a tuple"),
    ],
)
def test_unknown_models_and_tables_are_refused(cancer, params, message):
    with pytest.raises(ValueError, match=message):
        utility_scores(*_split(cancer), target="target", **params)
