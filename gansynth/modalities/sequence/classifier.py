"""A K-class network for sequences: the semi-supervised GAN's discriminator
on sequences.

The same dilated 1-D convolutions as
:class:`~gansynth.modalities.sequence.TemporalConvCritic`, with Salimans et
al. (2016)'s regularisers (Gaussian noise on the input and after every
layer while training, optional weight normalisation) and no batch norm: the
semi-supervised discriminator sees real and generated batches separately,
and batch statistics would tell them apart.
"""

from __future__ import annotations

import torch
from torch import nn
from torch.nn.utils.parametrizations import weight_norm

from ..classifier import GaussianNoise
from .networks import dilated_convolutions

__all__ = ["TemporalConvClassifier"]


class TemporalConvClassifier(nn.Module):
    """K logits and pooled features of ``(C, T)`` sequences.

    ``forward(x)`` returns the ``n_classes`` logits followed by the features
    (what feature matching compares); labels and contexts that the trainer
    passes are ignored.

    Parameters
    ----------
    channels : int
        Channels of the encoding.
    length : int
        Time steps (sets the number of layers).
    n_classes : int
        Number of classes K.
    width : int, default=64
        Channels of every convolution, and the width of the features.
    input_noise, hidden_noise : float, default=0.0
        Standard deviation of Gaussian noise on the input and after every
        layer, in training mode.
    use_weight_norm : bool, default=False
        Weight-normalise every layer.

    Examples
    --------
    >>> import torch
    >>> from gansynth.modalities.sequence import TemporalConvClassifier
    >>> net = TemporalConvClassifier(2, 12, n_classes=3, width=8).eval()
    >>> net(torch.zeros(4, 2, 12)).shape  # 3 logits + 8 features
    torch.Size([4, 11])
    """

    def __init__(self, channels, length, n_classes, width=64, input_noise=0.0,
                 hidden_noise=0.0, use_weight_norm=False):  # fmt: skip
        super().__init__()
        wrap = weight_norm if use_weight_norm else (lambda layer: layer)

        def noise():
            return GaussianNoise(hidden_noise)

        layers = dilated_convolutions(channels, length, width, wrap=wrap, after=noise)
        self.body = nn.Sequential(GaussianNoise(input_noise), *layers)
        self.dense = nn.Sequential(wrap(nn.Linear(2 * width, width)), nn.LeakyReLU(0.2))
        self.head = wrap(nn.Linear(width, n_classes))
        self.n_classes, self.n_features = n_classes, width

    def features(self, x: torch.Tensor) -> torch.Tensor:
        """The features: mean and maximum over time, through a dense layer."""
        h = self.body(x)
        return self.dense(torch.cat([h.mean(dim=2), h.amax(dim=2)], dim=1))

    def forward(self, x, labels=None, context=None):
        features = self.features(x)
        return torch.cat([self.head(features), features], dim=1)

    def logits(self, x: torch.Tensor) -> torch.Tensor:
        """The K class logits alone."""
        return self.head(self.features(x))
