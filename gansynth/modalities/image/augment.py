"""Differentiable augmentation of the critic's input (DiffAugment).

Zhao et al. (2020), "Differentiable Augmentation for Data-Efficient GAN
Training": with few images the critic memorises the real ones and the
generator's gradient loses its meaning. Augmenting *both* real and generated
images with the same random, differentiable transforms before the critic
keeps it from memorising while the generator still learns the un-augmented
distribution (the transforms are applied to its output, and gradients flow
through them). Written here in torch on the device; it draws its randomness
from torch's RNG, so a seeded fit stays reproducible, and it is the identity
in eval mode.
"""

from __future__ import annotations

import numbers

import torch
import torch.nn.functional as F
from torch import nn

__all__ = ["POLICIES", "AugmentedCritic", "DiffAugment", "diff_augment"]

POLICIES = ("color", "translation", "cutout")


def _color(x):
    n = x.shape[0]
    x = x + (torch.rand(n, 1, 1, 1, device=x.device, dtype=x.dtype) - 0.5)
    mean = x.mean(dim=1, keepdim=True)  # saturation, around the grey level
    x = (x - mean) * (torch.rand(n, 1, 1, 1, device=x.device, dtype=x.dtype) * 2) + mean
    mean = x.mean(dim=(1, 2, 3), keepdim=True)  # contrast
    return (x - mean) * (
        torch.rand(n, 1, 1, 1, device=x.device, dtype=x.dtype) + 0.5
    ) + mean


def _translation(x, ratio=0.125, padding="zeros"):
    """Shift each image by up to ``ratio`` of its side; zeros shifted in, or
    with ``padding="replicate"`` the border pixels."""
    n, _, h, w = x.shape
    sy, sx = max(1, int(h * ratio + 0.5)), max(1, int(w * ratio + 0.5))
    dy = torch.randint(-sy, sy + 1, (n, 1, 1), device=x.device)
    dx = torch.randint(-sx, sx + 1, (n, 1, 1), device=x.device)
    rows = (torch.arange(h, device=x.device)[None, :, None] + dy + sy).expand(n, h, w)
    cols = (torch.arange(w, device=x.device)[None, None, :] + dx + sx).expand(n, h, w)
    mode = "constant" if padding == "zeros" else padding
    padded = F.pad(x, (sx, sx, sy, sy), mode=mode)
    batch = torch.arange(n, device=x.device)[:, None, None].expand(n, h, w)
    return padded.permute(0, 2, 3, 1)[batch, rows, cols].permute(0, 3, 1, 2)


def _cutout(x, ratio=0.5):
    """Zero a square of ``ratio`` of the side at a random place per image."""
    n, _, h, w = x.shape
    ch, cw = max(1, int(h * ratio + 0.5)), max(1, int(w * ratio + 0.5))
    top = torch.randint(0, h - ch + 1, (n, 1, 1), device=x.device)
    left = torch.randint(0, w - cw + 1, (n, 1, 1), device=x.device)
    rows = torch.arange(h, device=x.device)[None, :, None]
    cols = torch.arange(w, device=x.device)[None, None, :]
    hole = (rows >= top) & (rows < top + ch) & (cols >= left) & (cols < left + cw)
    return x * (~hole).unsqueeze(1).to(x.dtype)


_TRANSFORMS = {"color": _color, "cutout": _cutout}


def diff_augment(x: torch.Tensor, policies=POLICIES, *, translation=0.125,
                 padding="zeros") -> torch.Tensor:  # fmt: skip
    """Apply the transforms of ``policies`` in order to a batch (N, C, H, W).

    ``translation`` is the largest shift of the "translation" policy as a
    share of the side (DiffAugment's 1/8), and ``padding`` what is shifted
    in: "zeros" (DiffAugment's) or "replicate" (the border pixels).

    Examples
    --------
    >>> import torch
    >>> from gansynth.modalities.image.augment import diff_augment
    >>> _ = torch.manual_seed(0)
    >>> x = torch.ones(4, 1, 8, 8, requires_grad=True)
    >>> out = diff_augment(x, ("translation", "cutout"))
    >>> out.shape, bool((out == 0).any()), x.grad is None
    (torch.Size([4, 1, 8, 8]), True, True)
    """
    for policy in policies:
        if policy == "translation":
            x = _translation(x, translation, padding)
        else:
            x = _TRANSFORMS[policy](x)
    return x


class DiffAugment(nn.Module):
    """A layer that applies :func:`diff_augment` in training mode and passes
    its input through in eval mode: the first layer of a network that is to
    see augmented images while it trains, such as the semi-supervised
    classifier's :class:`~gansynth.modalities.image.ConvClassifier`.

    Parameters
    ----------
    policies : sequence of str
        Transforms among ``POLICIES``, in order.
    translation : float, default=0.125
        The largest shift of "translation", as a share of the side.
    padding : {"zeros", "replicate"}, default="zeros"
        What "translation" shifts in.

    Examples
    --------
    >>> import torch
    >>> from gansynth.modalities.image import DiffAugment
    >>> layer = DiffAugment(["translation"]).eval()
    >>> x = torch.rand(2, 1, 8, 8)
    >>> torch.equal(layer(x), x)
    True
    """

    def __init__(self, policies=POLICIES, translation=0.125, padding="zeros"):
        super().__init__()
        unknown = sorted(set(policies) - set(POLICIES))
        if unknown:
            raise ValueError(
                f"Unknown augmentation policies {unknown}; known: {list(POLICIES)}."
            )
        if not isinstance(translation, numbers.Real) or not 0 < translation < 1:
            raise ValueError(
                f"translation must be a number in (0, 1); got {translation!r}."
            )
        if padding not in ("zeros", "replicate"):
            raise ValueError(
                f"padding must be 'zeros' or 'replicate'; got {padding!r}."
            )
        self.policies = tuple(policies)
        self.translation, self.padding = float(translation), padding

    def forward(self, x):
        if not self.training:
            return x
        return diff_augment(
            x, self.policies, translation=self.translation, padding=self.padding
        )

    def extra_repr(self) -> str:
        return (
            f"policies={self.policies}, translation={self.translation}, "
            f"padding={self.padding!r}"
        )


class AugmentedCritic(nn.Module):
    """A critic that sees DiffAugment-ed images in training mode.

    The trainer calls the same critic on real and on generated batches, so
    both are augmented with fresh draws, and generated ones keep their
    gradient path to the generator. In eval mode it is the critic itself.

    Parameters
    ----------
    critic : torch.nn.Module
        ``critic(x, labels, ...)``.
    policies : sequence of str
        Transforms among ``POLICIES``, in order.
    """

    def __init__(self, critic: nn.Module, policies=POLICIES):
        super().__init__()
        self.augment = DiffAugment(policies)
        self.critic = critic

    @property
    def policies(self) -> tuple:
        return self.augment.policies

    def forward(self, x, *args, **kwargs):
        return self.critic(self.augment(x), *args, **kwargs)
