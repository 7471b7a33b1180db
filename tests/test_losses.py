"""Each loss against values worked out by hand, plus the vanishing gradient."""

import math

import pytest
import torch
from torch import nn

from gansynth.training.losses import (
    LOSSES,
    BCELoss,
    HingeLoss,
    LSGANLoss,
    MinimaxBCELoss,
    WGANGPLoss,
    WGANLoss,
    get_loss,
)

REAL = torch.tensor([2.0, -1.0])
FAKE = torch.tensor([0.5, -3.0])


def sp(x):  # softplus by hand
    return math.log1p(math.exp(x))


def test_bce_by_hand():
    d = (sp(-2.0) + sp(1.0)) / 2 + (sp(0.5) + sp(-3.0)) / 2
    assert BCELoss().discriminator_loss(REAL, FAKE).item() == pytest.approx(d)
    g = (sp(-0.5) + sp(3.0)) / 2  # -log sigmoid(f) = softplus(-f)
    assert BCELoss().generator_loss(FAKE).item() == pytest.approx(g)


def test_minimax_by_hand():
    # log(1 - sigmoid(f)) averaged over the fakes
    g = sum(math.log(1 - 1 / (1 + math.exp(-f))) for f in (0.5, -3.0)) / 2
    assert MinimaxBCELoss().generator_loss(FAKE).item() == pytest.approx(g)
    assert MinimaxBCELoss().discriminator_loss(REAL, FAKE).item() == pytest.approx(
        BCELoss().discriminator_loss(REAL, FAKE).item()
    )


def test_lsgan_by_hand():
    d = 0.5 * ((2 - 1) ** 2 + (-1 - 1) ** 2) / 2 + 0.5 * (0.5**2 + 3**2) / 2
    g = 0.5 * ((0.5 - 1) ** 2 + (-3 - 1) ** 2) / 2
    assert LSGANLoss().discriminator_loss(REAL, FAKE).item() == pytest.approx(d)
    assert LSGANLoss().generator_loss(FAKE).item() == pytest.approx(g)


def test_wasserstein_by_hand():
    d = (0.5 - 3.0) / 2 - (2.0 - 1.0) / 2
    assert WGANLoss().discriminator_loss(REAL, FAKE).item() == pytest.approx(d)
    assert WGANLoss().generator_loss(FAKE).item() == pytest.approx(1.25)
    assert WGANGPLoss().discriminator_loss(REAL, FAKE).item() == pytest.approx(d)


def test_hinge_by_hand():
    d = (max(0, 1 - 2) + max(0, 1 + 1)) / 2 + (max(0, 1 + 0.5) + max(0, 1 - 3)) / 2
    assert HingeLoss().discriminator_loss(REAL, FAKE).item() == pytest.approx(d)
    assert HingeLoss().generator_loss(FAKE).item() == pytest.approx(1.25)


@pytest.mark.parametrize("w", [[3.0, 4.0], [0.3, 0.4], [0.6, 0.8]])
def test_gradient_penalty_of_linear_critic(w):
    critic = nn.Linear(2, 1)
    with torch.no_grad():
        critic.weight.copy_(torch.tensor([w]))
    real, fake = torch.randn(64, 2), torch.randn(64, 2)
    pen = WGANGPLoss(gp_weight=10.0).penalty(critic, real, fake)
    norm = math.hypot(*w)
    assert pen.item() == pytest.approx(10.0 * (norm - 1) ** 2, abs=1e-5)


def test_gradient_penalty_is_differentiable_in_critic():
    critic = nn.Linear(2, 1)
    pen = WGANGPLoss().penalty(critic, torch.randn(8, 2), torch.randn(8, 2))
    pen.backward()
    assert critic.weight.grad is not None and critic.weight.grad.abs().sum() > 0


class _PackCritic:
    """Scores packs of ``group_size`` rows; records how many rows it saw."""

    group_size = 4

    def __init__(self):
        self.rows = []
        self.net = nn.Linear(2 * self.group_size, 1)

    def __call__(self, x):
        self.rows.append(x.shape[0])
        return self.net(x.reshape(-1, 2 * self.group_size)).squeeze(1)


@pytest.mark.parametrize("fraction, rows", [(1.0, 12), (0.5, 8), (0.25, 4), (0.01, 4)])
def test_penalty_fraction_uses_the_first_whole_packs(fraction, rows):
    real, fake = torch.randn(12, 2), torch.randn(12, 2)
    critic = _PackCritic()
    with torch.random.fork_rng():
        torch.manual_seed(0)
        part = WGANGPLoss(penalty_fraction=fraction).penalty(critic, real, fake)
        torch.manual_seed(0)
        whole = WGANGPLoss().penalty(critic, real[:rows], fake[:rows])
    assert critic.rows == [rows, rows]
    assert part.item() == pytest.approx(whole.item())  # the same draws, the same rows


@pytest.mark.parametrize("fraction", [0.0, 1.5, -0.5])
def test_penalty_fraction_out_of_range_is_refused(fraction):
    with pytest.raises(ValueError, match=r"penalty_fraction must be in \(0, 1\]"):
        WGANGPLoss(penalty_fraction=fraction)


def test_wgan_clips_every_weight():
    net = nn.Sequential(nn.Linear(3, 8), nn.LeakyReLU(), nn.Linear(8, 1))
    with torch.no_grad():
        for p in net.parameters():
            p.mul_(100)
    WGANLoss(clip=0.05).after_discriminator_step(net)
    assert all(p.abs().max() <= 0.05 for p in net.parameters())


def test_wgan_gp_refuses_batch_norm():
    critic = nn.Sequential(nn.Linear(2, 4), nn.BatchNorm1d(4), nn.Linear(4, 1))
    with pytest.raises(ValueError, match="BatchNorm1d at '1'"):
        WGANGPLoss().check_discriminator(critic)
    WGANLoss().check_discriminator(critic)  # clipping has no such restriction


def test_registry_and_unknown_name():
    assert set(LOSSES) == {"bce", "bce-minimax", "lsgan", "wgan", "wgan-gp", "hinge"}
    with pytest.raises(ValueError, match=r"'loss' parameter must be one of .*'nope'"):
        get_loss("nope")
    with pytest.raises(ValueError, match="lacks"):
        get_loss(object())
    assert get_loss("wgan-gp", gp_weight=0.5).gp_weight == 0.5
    assert get_loss("wgan").default_n_critic == 5
    assert get_loss("bce").default_n_critic == 1


def test_vanishing_gradient_of_minimax_loss():
    """Against a fixed generator, train D until D(G(z)) < 0.01, then compare."""
    torch.manual_seed(0)
    G = nn.Sequential(nn.Linear(4, 32), nn.ReLU(), nn.Linear(32, 2))
    D = nn.Sequential(nn.Linear(2, 64), nn.LeakyReLU(0.2), nn.Linear(64, 1))
    real = torch.randn(512, 2) * 0.1 + torch.tensor([2.0, 0.0])
    z = torch.randn(512, 4)
    opt = torch.optim.Adam(D.parameters(), lr=1e-2)
    bce = BCELoss()
    for _ in range(500):
        with torch.no_grad():
            fake = G(z)
        opt.zero_grad()
        bce.discriminator_loss(D(real).squeeze(-1), D(fake).squeeze(-1)).backward()
        opt.step()
        if torch.sigmoid(D(fake)).mean() < 0.01:
            break
    d_fake = torch.sigmoid(D(G(z))).mean().item()
    assert d_fake < 0.01

    def grad_norm(loss):
        G.zero_grad()
        loss.generator_loss(D(G(z)).squeeze(-1)).backward()
        return torch.sqrt(sum((p.grad**2).sum() for p in G.parameters())).item()

    saturating, non_saturating = grad_norm(MinimaxBCELoss()), grad_norm(BCELoss())
    assert saturating < 0.05 * non_saturating
