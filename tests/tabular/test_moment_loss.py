"""The moment term of tabular GANs (moment_weight): its value by hand, its
gradient, and its place among the auxiliary networks."""

import pickle
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


def _one_bimodal_column():
    from gansynth.modalities import Block, EncodedSpec

    return EncodedSpec(
        (Block("x", "continuous", 1), Block("x.mode", "categorical", 2, "mode"))
    )


def test_the_within_mode_part_by_hand():
    # Real: mode 0 holds scalars 0, 0.2 (mean 0.1, std 0.1), mode 1 holds
    # 0.5, 0.5 (mean 0.5, std 0), half the rows each. Fake: mode 0 0.1, 0.1
    # (gap 0 + 0.1), mode 1 0.5, 0.9 (mean 0.7, std 0.2: gap 0.2 + 0.2).
    # 0.5 * 0.1 + 0.5 * 0.4 = 0.25, times the weight 2.
    real = torch.tensor(
        [[0.0, 1, 0], [0.2, 1, 0], [0.5, 0, 1], [0.5, 0, 1]], dtype=torch.float32
    )
    fake = torch.tensor(
        [[0.1, 1, 0], [0.1, 1, 0], [0.5, 0, 1], [0.9, 0, 1]], requires_grad=True
    )
    batch = SimpleNamespace(real=real, labels=None)
    term = MomentLoss(0, 0.0, _one_bimodal_column(), mode_weight=2.0)
    value = term.generator_loss(batch, fake)
    assert value.item() == pytest.approx(0.5, abs=1e-3)
    value.backward()
    assert fake.grad[:, 0].abs().sum() > 0  # the scalars
    assert fake.grad[:, 1:].abs().sum() > 0  # and the soft modes


def test_the_within_mode_part_pulls_each_mode_to_its_real_spread():
    # Scalars that pool to the real mean and std but swap their spread
    # between the modes: the column moments see nothing, the within-mode
    # part does, and descending it restores each mode's spread.
    gen = torch.Generator().manual_seed(0)
    mode = torch.arange(400) % 2
    spread = torch.where(mode == 0, 0.05, 0.3)
    real_s = torch.where(mode == 0, -0.5, 0.5) + spread * torch.randn(
        400, generator=gen
    )
    members = torch.nn.functional.one_hot(mode, 2).float()
    real = torch.cat([real_s[:, None], members], 1)
    swapped = torch.where(mode == 0, 0.3, 0.05)
    fake_s = torch.where(mode == 0, -0.5, 0.5) + swapped * torch.randn(
        400, generator=gen
    )
    fake_s.requires_grad_(True)
    batch = SimpleNamespace(real=real, labels=None)
    columns = MomentLoss(0, 1.0)
    within = MomentLoss(0, 0.0, _one_bimodal_column(), mode_weight=1.0)

    def fake():
        return torch.cat([fake_s[:, None], members], 1)

    assert columns.generator_loss(batch, fake()).item() < 0.03
    before = within.generator_loss(batch, fake()).item()
    assert before > 0.2
    optimiser = torch.optim.SGD([fake_s], lr=50.0)
    for _ in range(200):
        optimiser.zero_grad()
        within.generator_loss(batch, fake()).backward()
        optimiser.step()
    for m, target in ((0, 0.05), (1, 0.3)):
        std = fake_s.detach()[mode == m].std(unbiased=False).item()
        assert std == pytest.approx(target, rel=0.2), (m, std)
    assert within.generator_loss(batch, fake()).item() < 0.1 * before


def test_mode_moment_weight_reaches_the_term_and_is_validated():
    X = np.random.default_rng(0).normal(size=(120, 3))
    spec = TabularModality().make_encoder().fit(X).spec_
    [term] = TabularModality(moment_weight=0.0, mode_moment_weight=0.5)\
        .auxiliary_networks(spec, 0)  # fmt: skip
    assert (term.weight, term.mode_weight) == (0.0, 0.5)
    assert TabularModality().auxiliary_networks(spec, 0)[0].mode_weight == 0.0
    gan = TabularGAN(**FAST, random_state=0, mode_moment_weight=1.0).fit(X)
    assert np.isfinite(gan.history_["moments_generator_loss"]).all()
    again = pickle.loads(pickle.dumps(gan))
    assert again.auxiliary_["moments"] is not None
    np.testing.assert_array_equal(
        again.sample(20, random_state=0), gan.sample(20, random_state=0)
    )
    with pytest.raises(ValueError, match="mode_moment_weight"):
        TabularGAN(**FAST, mode_moment_weight=-1.0).fit(X)
    with pytest.raises(ValueError, match="spec"):
        MomentLoss(0, 1.0, mode_weight=1.0)
