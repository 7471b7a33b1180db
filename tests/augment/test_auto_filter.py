"""GANResampler(filter_classifier="auto"): the ready-made judge for tables."""

import numpy as np
import pandas as pd
import pytest

from gansynth import ConditionalGAN, GANResampler


@pytest.fixture
def mixed_table():
    """400 rows of every column kind, with missing values; the minority (21
    rows) is ``a > 0.8`` and ``c == "x"``."""
    rng = np.random.default_rng(0)
    n = 400
    X = pd.DataFrame(
        {
            "a": rng.normal(size=n),
            "c": rng.choice(["x", "y", "z"], n).astype(object),
            "b": rng.random(n) < 0.5,
            "k": pd.Categorical(rng.choice(["p", "q"], n)),
            "t": pd.date_range("2020-01-01", periods=n, freq="D"),
        }
    )
    X.loc[3, "a"], X.loc[4, "t"], X.loc[5, "c"] = np.nan, pd.NaT, None
    y = ((X["a"].fillna(0) > 0.8) & (X["c"] == "x")).to_numpy().astype(int)
    return X, y


def _minority_rule(rows):
    return float(((rows["a"] > 0.8) & (rows["c"] == "x")).mean())


@pytest.mark.heavy
def test_auto_judges_a_mixed_table_and_keeps_rows_of_their_class(mixed_table):
    X, y = mixed_table
    gan = ConditionalGAN(epochs=30, batch_size=50)
    auto = GANResampler(gan, filter_classifier="auto", random_state=0)
    X_res, y_res = auto.fit_resample(X, y)
    assert np.bincount(y_res).tolist() == [379, 379]
    new = X_res.iloc[len(X) :]
    judge = auto.filter_classifier_
    assert (judge.predict(new) == 1).all()
    # Strings, booleans and categories are the gradient boosting's categories.
    assert judge[-1].categorical_features == [0, 1, 2]
    assert 0 < auto.filter_acceptance_[1] < 1
    # Measured: SHARE_KEPT of the kept rows follow the minority's rule, and
    # SHARE_PLAIN of the same generator's rows unfiltered.
    plain = auto.estimator_.sample(y={1: 358}, random_state=1)
    print(_minority_rule(new), _minority_rule(plain), auto.filter_acceptance_)
    assert _minority_rule(new) >= 0.95
    assert _minority_rule(plain) < 0.9


def test_auto_on_arrays_of_numbers_and_of_objects(mixed_table):
    from sklearn.ensemble import HistGradientBoostingClassifier

    from gansynth.class_filter import default_filter

    X, y = mixed_table
    numbers = default_filter(X[["a"]].to_numpy(), seed=0)
    assert isinstance(numbers, HistGradientBoostingClassifier)
    objects = X[["a", "c", "b"]].astype(object).to_numpy()
    judge = default_filter(objects, seed=0).fit(objects, y)
    assert judge[-1].categorical_features == [0, 1]  # c and b, by position
    assert judge.score(objects, y) > 0.9


def test_auto_takes_pandas_missing_values_and_mixed_columns():
    import pickle

    from gansynth.class_filter import default_filter

    rng = np.random.default_rng(1)
    n = 120
    X = pd.DataFrame(
        {
            "count": pd.array(rng.integers(0, 9, n), dtype="Int64"),
            "share": pd.array(rng.random(n), dtype="Float64"),
            "word": pd.array(rng.choice(["u", "v"], n), dtype="string"),
            "mixed": pd.Series(rng.choice([1, "x", True], n), dtype=object),
            "grade": pd.Categorical(rng.choice(["p", "q"], n)),
        }
    )
    X.loc[2, "count"], X.loc[3, "share"], X.loc[4, "word"] = pd.NA, pd.NA, pd.NA
    X.loc[5, "mixed"], X.loc[6, "grade"] = None, np.nan
    y = (X["word"] == "u").fillna(False).to_numpy().astype(int)
    judge = default_filter(X, seed=0).fit(X, y)
    assert judge[-1].categorical_features == [0, 1, 2]  # word, mixed, grade
    assert judge.score(X, y) == 1.0
    restored = pickle.loads(pickle.dumps(judge))
    np.testing.assert_array_equal(restored.predict(X), judge.predict(X))
    # Columns are taken by position: numbers as names are not positions.
    numbered = X.set_axis([10, 20, 30, 40, 50], axis=1)
    by_number = default_filter(numbered, seed=0).fit(numbered, y)
    np.testing.assert_array_equal(by_number.predict(numbered), judge.predict(X))


def test_auto_refuses_images_before_fitting_the_generator():
    images = np.zeros((20, 1, 8, 8), dtype=np.float32)
    y = np.r_[[0] * 15, [1] * 5]
    sampler = GANResampler(filter_classifier="auto")
    with pytest.raises(ValueError, match=r'filter_classifier="auto" builds a '
                       r"gradient-boosting classifier for tables"):  # fmt: skip
        sampler.fit_resample(images, y)
    assert not hasattr(sampler, "estimator_")
