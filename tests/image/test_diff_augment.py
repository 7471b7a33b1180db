"""DiffAugment: applied to real and generated images alike, differentiable,
reproducible, and the identity when the critic is not training."""

import numpy as np
import pytest
import torch
from torch import nn

from gansynth import ImageGAN
from gansynth.modalities.image import AugmentedCritic, DiffAugment, diff_augment
from gansynth.training import AdversarialTrainer, TrainerConfig, get_loss


class SpyCritic(nn.Module):
    """Records every batch it is shown."""

    def __init__(self):
        super().__init__()
        self.score = nn.Linear(64, 1)
        self.seen = []

    def forward(self, x, labels=None):
        self.seen.append(x.detach().clone())
        return self.score(x.flatten(1)).squeeze(1)


class ConstantGenerator(nn.Module):
    """Images of one learnable grey level, 0.5 everywhere."""

    def __init__(self):
        super().__init__()
        self.level = nn.Parameter(torch.tensor(0.5))

    def forward(self, z, labels=None):
        return self.level * torch.ones(z.shape[0], 1, 8, 8)


@pytest.mark.parametrize("augment", [True, False])
def test_real_and_fake_batches_both_reach_the_critic_augmented(augment):
    spy = SpyCritic()
    critic = AugmentedCritic(spy, ("translation", "cutout")) if augment else spy
    real = torch.ones(32, 1, 8, 8)  # every real pixel is 1, every fake 0.5
    cfg = TrainerConfig(epochs=1, batch_size=8, latent_dim=2, ema_decay=None,
                        steps_per_epoch=2)  # fmt: skip
    torch.manual_seed(0)
    AdversarialTrainer(ConstantGenerator(), critic, get_loss("bce"), cfg).fit(real)
    real_seen = [x for x in spy.seen if x.max() == 1]
    fake_seen = [x for x in spy.seen if x.max() == 0.5]
    assert real_seen and fake_seen
    # Cutout and the shifted-in border put zeros into every augmented batch;
    # without augmentation the critic sees the pixels unchanged.
    assert all(bool((x == 0).any()) == augment for x in real_seen + fake_seen)


def test_the_generator_gets_its_gradient_through_the_augmentation():
    level = torch.tensor(0.5, requires_grad=True)
    fake = level * torch.ones(16, 3, 8, 8)
    torch.manual_seed(0)
    diff_augment(fake).mean().backward()
    assert level.grad is not None and torch.isfinite(level.grad) and level.grad != 0


def test_eval_mode_is_the_identity_and_training_draws_are_seeded():
    critic = AugmentedCritic(SpyCritic())
    x = torch.rand(4, 1, 8, 8)
    critic.eval()
    critic(x)
    assert torch.equal(critic.critic.seen[-1], x)
    critic.train()
    outs = []
    for _ in range(2):
        torch.manual_seed(3)
        critic(x)
        outs.append(critic.critic.seen[-1])
    assert torch.equal(outs[0], outs[1]) and not torch.equal(outs[0], x)


@pytest.mark.parametrize("padding", ["zeros", "replicate"])
def test_translation_moves_by_at_most_its_share_and_pads_as_asked(padding):
    x = torch.ones(64, 1, 16, 16)
    x[:, :, 8, 8] = 5.0  # an impulse on a background of ones
    torch.manual_seed(0)
    out = diff_augment(x, ("translation",), translation=1 / 8, padding=padding)
    rows, cols = (out[:, 0] == 5.0).nonzero()[:, 1:].T
    assert len(rows) == 64  # every impulse is kept
    assert (rows - 8).abs().max() == 2 and (cols - 8).abs().max() == 2
    # Zeros come in from outside, or the border's ones.
    assert bool((out == 0).any()) == (padding == "zeros")
    with pytest.raises(ValueError, match="padding must be"):
        DiffAugment(padding="reflect")


def test_translation_takes_its_share_of_the_side():
    # Half of the default share: an impulse moves by at most 1 pixel of 16,
    # which the default 1/8 (2 pixels) would break.
    x = torch.zeros(64, 1, 16, 16)
    x[:, :, 8, 8] = 1.0
    torch.manual_seed(0)
    out = diff_augment(x, ("translation",), translation=1 / 16)
    rows, cols = out[:, 0].nonzero()[:, 1:].T
    assert (rows - 8).abs().max() == 1 and (cols - 8).abs().max() == 1
    with pytest.raises(ValueError, match="translation must be a number in"):
        DiffAugment(translation="0.1")


def test_image_gan_trains_with_augmentation_and_refuses_unknown_policies(tmp_path):
    images = np.random.default_rng(0).random((16, 1, 16, 16)).astype(np.float32)
    params = dict(epochs=2, batch_size=8, generator_width=4, discriminator_width=4,
                  device="cpu", random_state=0)  # fmt: skip
    gan = ImageGAN(augment="color,translation,cutout", **params).fit(images)
    assert isinstance(gan.discriminator_, AugmentedCritic)
    expected = gan.sample(3, random_state=1)
    gan.save(tmp_path / "augmented.safetensors")
    loaded = ImageGAN.load(tmp_path / "augmented.safetensors")
    np.testing.assert_array_equal(loaded.sample(3, random_state=1), expected)
    with pytest.raises(ValueError, match="'augment' parameter"):
        ImageGAN(augment="flip", **params).fit(images)
