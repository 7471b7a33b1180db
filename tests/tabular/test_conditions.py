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


def test_every_row_satisfies_single_and_combined_conditions(fitted):
    df, gan = fitted
    one = gan.sample(500, conditions={"c": "rare"}, random_state=0)
    assert len(one) == 500 and (one["c"] == "rare").all()
    both = gan.sample(500, conditions={"c": "b", "d": "u"}, random_state=0)
    assert ((both["c"] == "b") & (both["d"] == "u")).all()
    assert both.dtypes.equals(df.dtypes)


def test_unconditional_samples_follow_the_training_frequencies(fitted):
    df, gan = fitted
    sampled = gan.sample(4000, random_state=0)["c"].value_counts(normalize=True)
    real = df["c"].value_counts(normalize=True)
    # measured: a 0.58, b 0.40, rare 0.03 against 0.60, 0.38, 0.02
    np.testing.assert_allclose(sampled[real.index], real, atol=0.04)
    assert (
        gan.history_["condition_loss"].iloc[-1] < gan.history_["condition_loss"].iloc[0]
    )


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
