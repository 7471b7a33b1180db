"""Conditions on discrete columns: training-by-sampling and exact conditional
sampling."""

import numpy as np
import pandas as pd
import pytest
import torch

from gansynth import TabularGAN
from gansynth.modalities.tabular import TabularEncoder
from gansynth.modalities.tabular.conditions import DiscreteConditions

from ..conftest import FAST


def skewed_frame(n=2000, seed=0):
    rng = np.random.default_rng(seed)
    c = rng.choice(["a", "b", "rare"], n, p=[0.6, 0.38, 0.02])
    return pd.DataFrame(
        {
            "x": np.where(c == "rare", 5.0, 0.0) + rng.normal(size=n),
            "c": c,
            "d": rng.choice(["u", "v"], n),
        }
    )


def test_training_draws_pair_each_condition_with_a_matching_row():
    df = skewed_frame()
    enc = TabularEncoder().fit(df)
    encoded = enc.transform(df)
    conditions = DiscreteConditions.from_data(enc.spec_, encoded)
    assert conditions.dim == 5  # a, b, rare | u, v
    sampler = conditions.training_sampler(torch.as_tensor(encoded))
    torch.manual_seed(0)
    rows, context = sampler.draw(20_000)
    real = torch.as_tensor(encoded)[rows][:, sampler.data_index]
    # the condition's value is set in the paired real row: 100 %
    assert bool(((real * context).sum(dim=1) == 1).all())
    # values are drawn by log-frequency within the chosen column
    counts = conditions.counts[:3].astype(float)
    expected = 0.5 * np.log1p(counts) / np.log1p(counts).sum()
    seen = context[:, :3].mean(dim=0).numpy()
    np.testing.assert_allclose(seen, expected, atol=0.01)
    assert seen[2] > 5 * counts[2] / counts.sum() / 2  # the rare value is oversampled


@pytest.fixture(scope="module")
def fitted():
    df = skewed_frame()
    return df, TabularGAN(epochs=60, device="cpu", random_state=0).fit(df)


@pytest.mark.heavy
def test_every_row_satisfies_single_and_combined_conditions(fitted):
    df, gan = fitted
    one = gan.sample(500, conditions={"c": "rare"}, random_state=0)
    assert len(one) == 500 and (one["c"] == "rare").all()
    both = gan.sample(500, conditions={"c": "b", "d": "u"}, random_state=0)
    assert ((both["c"] == "b") & (both["d"] == "u")).all()
    assert both.dtypes.equals(df.dtypes)


@pytest.mark.heavy
def test_unconditional_samples_follow_the_training_frequencies(fitted):
    df, gan = fitted
    sampled = gan.sample(4000, random_state=0)["c"].value_counts(normalize=True)
    real = df["c"].value_counts(normalize=True)
    # measured: a 0.58, b 0.40, rare 0.03 against 0.60, 0.38, 0.02
    np.testing.assert_allclose(sampled[real.index], real, atol=0.04)
    assert (
        gan.history_["condition_loss"].iloc[-1] < gan.history_["condition_loss"].iloc[0]
    )


@pytest.mark.heavy
def test_condition_errors_name_the_column_and_values(fitted):
    _, gan = fitted
    with pytest.raises(
        ValueError,
        match=r"Unknown condition column 'z'; discrete columns: \['c', 'd'\]",
    ):
        gan.sample(5, conditions={"z": 1})
    seen = r"values seen in fit: \['a', 'b', 'rare'\]"
    with pytest.raises(
        ValueError, match=r"Unknown condition value 'q' for column 'c'; " + seen
    ):
        gan.sample(5, conditions={"c": "q"})
    with pytest.raises(
        ValueError, match="Conditions apply to discrete columns; 'x' is continuous"
    ):
        gan.sample(5, conditions={"x": 0.0})
    with pytest.raises(
        ValueError, match=r"conditions must be a dict \{column: value\}"
    ):
        gan.sample(5, conditions=[("c", "a")])
    numeric = TabularGAN(**FAST).fit(np.random.default_rng(0).normal(size=(60, 2)))
    assert numeric.conditions_ is None
    with pytest.raises(
        ValueError, match="conditions need a model trained with conditions"
    ):
        numeric.sample(5, conditions={0: 1})


def class_dependent_frame(n=1200, seed=0):
    """``c`` is "a" in 90 % of class 0's rows and 10 % of class 1's."""
    rng = np.random.default_rng(seed)
    y = np.repeat([0, 1], n // 2)
    c = np.where(rng.random(n) < np.where(y == 0, 0.9, 0.1), "a", "b")
    X = pd.DataFrame(
        {"x": rng.normal(size=n) + y, "c": c, "d": rng.choice(["u", "v"], n)}
    )
    return X, y


def test_sampled_conditions_follow_the_frequencies_within_each_class():
    X, y = class_dependent_frame()
    enc = TabularEncoder().fit(X)
    conditions = DiscreteConditions.from_data(enc.spec_, enc.transform(X), y)
    np.testing.assert_array_equal(
        conditions.label_counts[:, :2],
        [[(X["c"][y == k] == v).sum() for v in "ab"] for k in (0, 1)],
    )
    n = 40_000
    rng = np.random.RandomState(0)
    for labels, share_a in (
        (np.zeros(n, int), (X["c"][y == 0] == "a").mean()),
        (np.ones(n, int), (X["c"][y == 1] == "a").mean()),
        # label weights: an even mix of two equal classes is the table's share
        (np.full((n, 2), 0.5), (X["c"] == "a").mean()),
        (None, (X["c"] == "a").mean()),  # no labels: the table's frequency
    ):
        context, _ = conditions.sampling_context(n, None, rng, enc, labels=labels)
        chosen = context[:, :2].sum(axis=1) == 1  # rows conditioned on "c"
        assert 0.48 < chosen.mean() < 0.52
        assert context[chosen, 0].mean() == pytest.approx(share_a, abs=0.01)


@pytest.fixture(scope="module")
def fitted_with_labels():
    X, y = class_dependent_frame()
    gan = TabularGAN(epochs=80, batch_size=200, device="cpu", random_state=0)
    return X, y, gan.fit(X, y)


@pytest.mark.heavy
def test_class_samples_keep_the_class_frequencies_of_a_discrete_column(
    fitted_with_labels, tmp_path
):
    X, y, gan = fitted_with_labels
    for k in (0, 1):
        sampled = gan.sample(2000, y=k, random_state=0)
        real_share = (X["c"][y == k] == "a").mean()
        # measured: 0.900 and 0.101 (real 0.892 and 0.098); conditions
        # drawn from the whole table's frequencies gave 0.714 and 0.270
        assert abs((sampled["c"] == "a").mean() - real_share) < 0.05
    path = tmp_path / "model"
    gan.save(path)
    loaded = type(gan).load(path)
    np.testing.assert_array_equal(
        loaded.conditions_.label_counts, gan.conditions_.label_counts
    )
    pd.testing.assert_frame_equal(
        loaded.sample(300, y=0, random_state=1), gan.sample(300, y=0, random_state=1)
    )


def test_label_counts_refuse_labels_that_are_not_one_slot_per_row():
    X, y = class_dependent_frame(n=40)
    enc = TabularEncoder().fit(X)
    encoded = enc.transform(X)
    for bad in (y[:-1], y - 1, y.astype(float)):
        with pytest.raises(ValueError, match="labels must hold one non-negative"):
            DiscreteConditions.from_data(enc.spec_, encoded, bad)
