"""A convolutional K-class network for images: the semi-supervised GAN's
discriminator on images, and the backbone of :class:`~gansynth.CNNClassifier`.

It follows the shape of Salimans et al. (2016)'s CIFAR-10 discriminator,
scaled down for CPUs: per resolution a 3x3 convolution and a strided 3x3
convolution with LeakyReLU(0.2), Gaussian noise on the input and dropout
after every stage while training, optional weight normalisation, then a dense
layer on the flattened 4x4 map (the features) and one linear layer to
the K logits. There is no batch
norm: the semi-supervised discriminator sees real and generated batches
separately, and batch statistics would tell them apart.
"""

from __future__ import annotations

import torch
from torch import nn
from torch.nn.utils.parametrizations import weight_norm

from ..classifier import GaussianNoise
from .networks import channels_last

__all__ = ["ConvClassifier"]

_MAX_WIDTH_FACTOR = 4  # stages double the width up to 4x the first one


class ConvClassifier(nn.Module):
    """K logits and dense features of ``(C, side, side)`` images.

    ``forward(x)`` returns the ``n_classes`` logits followed by the dense
    features of the last stage (what feature matching compares), like
    :class:`~gansynth.modalities.classifier.NoisyMLPClassifier`; labels and
    contexts that the trainer passes are ignored.

    Parameters
    ----------
    channels : int
        Image channels.
    side : int
        Image side, a power of two of at least 8; stages halve it down to 4.
    n_classes : int
        Number of classes K.
    width : int, default=32
        Channels of the first stage; later stages double it, up to 4x.
    features : int, default=128
        Width of the dense layer on the flattened 4x4 map: the features.
    input_noise, hidden_noise : float, default=0.0
        Standard deviation of Gaussian noise on the input and after every
        stage, in training mode (Salimans et al.'s regulariser).
    dropout : float, default=0.0
        Dropout after every stage, in training mode.
    use_weight_norm : bool, default=False
        Weight-normalise every layer.
    augment : torch.nn.Module or None, default=None
        A first layer that augments the images in training mode, such as
        :class:`DiffAugment`: every input, labelled, unlabelled and
        generated alike, is augmented before the input noise.

    Examples
    --------
    >>> import torch
    >>> from gansynth.modalities.image import ConvClassifier
    >>> net = ConvClassifier(1, 16, n_classes=3, width=4, features=8).eval()
    >>> net(torch.zeros(2, 1, 16, 16)).shape  # 3 logits + 8 features
    torch.Size([2, 11])
    """

    def __init__(self, channels, side, n_classes, width=32, features=128,
                 input_noise=0.0, hidden_noise=0.0, dropout=0.0,
                 use_weight_norm=False, augment=None):  # fmt: skip
        super().__init__()
        if side < 8 or side & (side - 1):
            raise ValueError(f"side must be a power of two >= 8; got {side}.")
        self.n_classes = n_classes

        def conv(w_in, w_out, stride):
            layer = nn.Conv2d(w_in, w_out, 3, stride=stride, padding=1)
            return weight_norm(layer) if use_weight_norm else layer

        # No layer without augmentation: the state-dict keys stay those of a
        # classifier saved before the option existed.
        layers: list[nn.Module] = [] if augment is None else [augment]
        layers.append(GaussianNoise(input_noise))
        w_in, w_out, size = channels, width, side
        while size > 4:
            layers += [conv(w_in, w_out, 1), nn.LeakyReLU(0.2)]
            layers += [conv(w_out, w_out, 2), nn.LeakyReLU(0.2)]
            layers += [GaussianNoise(hidden_noise), nn.Dropout(dropout)]
            w_in, size = w_out, size // 2
            w_out = min(2 * w_out, _MAX_WIDTH_FACTOR * width)
        dense = nn.Linear(w_in * 16, features)
        if use_weight_norm:
            dense = weight_norm(dense)
        # The 4x4 map is flattened, not pooled: on 8x8 images pooling leaves
        # one stage of features that cannot tell where a stroke is.
        self.body = nn.Sequential(*layers, nn.Flatten(), dense, nn.LeakyReLU(0.2))
        self.n_features = features
        head = nn.Linear(features, n_classes)
        self.head = weight_norm(head) if use_weight_norm else head
        channels_last(self)

    def features(self, x: torch.Tensor) -> torch.Tensor:
        """The features: the dense layer's activations."""
        return self.body(x)

    def forward(self, x, labels=None, context=None):
        features = self.body(x)
        return torch.cat([self.head(features), features], dim=1)

    def logits(self, x: torch.Tensor) -> torch.Tensor:
        """The K class logits alone."""
        return self.head(self.body(x))
