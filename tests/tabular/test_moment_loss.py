"""The moment term of tabular GANs (moment_weight): its value by hand, its
gradient, and its place among the auxiliary networks."""

from types import SimpleNamespace

import numpy as np
import pytest
import torch

from gansynth import TabularGAN
from gansynth.modalities.tabular import MomentLoss, TabularModality
from gansynth.persistence import load_model

from ..conftest import FAST


def test_the_term_is_the_class_weighted_gap_of_means_and_stds():
    # Class 0: real 0, 2 (mean 1, std 1), fake 1, 1 (mean 1, std 0): gap 1.
    # Class 1: real 1, 1 (mean 1, std 0), fake 1, 3 (mean 2, std 1): gap 2.
    # Half the batch each: 0.5 * 1 + 0.5 * 2 = 1.5, times the weight 2.
    batch = SimpleNamespace(
        real=torch.tensor([[0.0], [2.0], [1.0], [1.0]]),
        labels=torch.tensor([0, 0, 1, 1]),
    )
    fake = torch.tensor([[1.0], [1.0], [1.0], [3.0]], requires_grad=True)
    term = MomentLoss(2, weight=2.0).generator_loss(batch, fake)
    assert term.item() == pytest.approx(3.0, abs=1e-3)
    term.backward()
    assert fake.grad.abs().sum() > 0  # it steers the generator


def test_without_labels_the_batch_is_one_group():
    real = torch.randn(64, 3, generator=torch.Generator().manual_seed(0))
    batch = SimpleNamespace(real=real, labels=None)
    term = MomentLoss(0, weight=1.0)
    assert term.generator_loss(batch, real).item() == pytest.approx(0.0, abs=1e-6)
    # Half the spread: the gap is half of each column's standard deviation.
    narrow = real.mean(0) + 0.5 * (real - real.mean(0))
    expected = (0.5 * real.std(0, unbiased=False)).mean().item()
    assert term.generator_loss(batch, narrow).item() == pytest.approx(expected)


def test_it_trains_nothing_saves_and_is_switched_off_by_zero(tmp_path):
    X = np.random.default_rng(0).normal(size=(120, 3))
    gan = TabularGAN(**FAST, random_state=0).fit(X)
    assert np.isfinite(gan.history_["moments_generator_loss"]).all()
    assert "moments_loss" not in gan.history_  # nothing is optimised
    assert not list(gan.auxiliary_["moments"].parameters())
    gan.save(tmp_path / "m.safetensors")
    np.testing.assert_array_equal(
        load_model(tmp_path / "m.safetensors").sample(20, random_state=0),
        gan.sample(20, random_state=0),
    )
    off = TabularGAN(**FAST, random_state=0, moment_weight=0.0).fit(X)
    assert "moments" not in off.auxiliary_
    assert "moments_generator_loss" not in off.history_
    with pytest.raises(ValueError, match="moment_weight"):
        TabularGAN(**FAST, moment_weight=-1.0).fit(X)


def test_the_modality_adds_it_with_and_without_labels():
    X = np.random.default_rng(0).normal(size=(20, 2))
    spec = TabularModality().make_encoder().fit(X).spec_
    names = lambda m, n: [a.name for a in m.auxiliary_networks(spec, n)]  # noqa: E731
    assert names(TabularModality(), 0) == ["moments"]
    assert names(TabularModality(), 3) == ["classifier", "moments"]
    assert names(TabularModality(moment_weight=0.0), 3) == ["classifier"]
