"""Every loss on the ring of 8 Gaussians, with a budget in generator steps.

The full budgets are ``gansynth.demo.RING_SETTINGS`` (about 4,000 generator
steps for the BCE family, LSGAN and hinge; 2,000 for WGAN-GP with 2 critic
steps each). The issue asked for at least 7 of 8 modes and 70 % high-quality
samples (6 and 60 % for LSGAN and WGAN-GP); measured over seeds 0..2 these
settings reach 8/8 modes and 96-99 % (81-99 % for "bce-minimax"; table in the
user guide), so the thresholds below are tighter than asked. They run in
``make test-slow`` (about 30 s per fit on two busy cores).

``make test-heavy`` (and so CI) fits each loss for under a sixth of that time: the same
settings stopped after 15 epochs (1,530 generator steps; WGAN-GP 7 epochs,
714 steps). Measured there over seeds 0..2: 7-8 modes and 86-95 % high-quality
samples for every loss (LSGAN 86-91 %, WGAN-GP 90-93 %); one epoch of hinge
covers 7 modes with 35 % high-quality samples, which the quality bound refuses.
"""

import numpy as np
import pytest
import torch

from gansynth.demo import fit_ring
from gansynth.training.losses import WGANLoss

# loss: (min modes covered of 8, min fraction of high-quality samples)
TARGETS = {
    "bce": (7, 0.90),
    "bce-minimax": (7, 0.70),
    "hinge": (7, 0.90),
    "lsgan": (7, 0.90),
    "wgan-gp": (7, 0.90),
}
CASES = [
    pytest.param(loss, seed, marks=pytest.mark.slow)
    for loss in TARGETS
    for seed in (0, 1, 2)
]
# The short budget: epochs per loss, and its bounds (7 modes for every loss).
SHORT_EPOCHS = {"bce": 15, "bce-minimax": 15, "hinge": 15, "lsgan": 15, "wgan-gp": 7}
SHORT_QUALITY = {"bce": 0.85, "bce-minimax": 0.85, "hinge": 0.85, "lsgan": 0.8,
                 "wgan-gp": 0.85}  # fmt: skip


@pytest.mark.heavy
@pytest.mark.parametrize("loss", sorted(SHORT_EPOCHS))
def test_ring_modes_and_quality_on_a_short_budget(loss):
    result = fit_ring(loss, 0, epochs=SHORT_EPOCHS[loss])
    figures = (result.modes_covered, result.high_quality)
    assert result.modes_covered >= 7, figures
    assert result.high_quality >= SHORT_QUALITY[loss], figures
    assert np.isfinite(result.model.history_.to_numpy(dtype=float)).all()


@pytest.mark.parametrize(("loss", "seed"), CASES)
def test_ring_modes_and_quality(loss, seed):
    result = fit_ring(loss, seed)
    modes, quality = TARGETS[loss]
    assert result.modes_covered >= modes, (result.modes_covered, result.high_quality)
    assert result.high_quality >= quality, (result.modes_covered, result.high_quality)
    assert np.isfinite(result.model.history_.to_numpy(dtype=float)).all()


def test_wgan_with_clipping_smoke():
    """Weight clipping does not learn the ring in any test budget (see the
    docs); check that it trains with finite losses and clipped weights."""
    result = fit_ring("wgan", 0, epochs=1)
    history = result.model.history_
    assert len(history) == 1
    assert np.isfinite(history.to_numpy(dtype=float)).all()
    clip = WGANLoss().clip
    params = result.model.discriminator_.parameters()
    largest = torch.cat([p.detach().flatten() for p in params]).abs().max().item()
    assert largest <= clip
    assert largest == pytest.approx(clip)  # clipping was active
