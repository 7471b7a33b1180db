"""A K-class discriminator for vector rows: the network of the semi-supervised GAN.

Salimans et al. (2016) found two things that make a GAN's discriminator a good
classifier with few labels: weight normalisation of its layers and Gaussian
noise added to its input and to every hidden layer while training. Both are
options here; torch's own ``weight_norm`` parametrisation does the first.
"""

from __future__ import annotations

import itertools

import torch
from torch import nn
from torch.nn.utils.parametrizations import weight_norm

from .conditioning import LabelEmbedding

__all__ = [
    "BoundedMLPGenerator",
    "GaussianNoise",
    "NoisyMLPClassifier",
    "mlp_classifier",
]


class GaussianNoise(nn.Module):
    """Add ``N(0, std^2)`` noise in training mode; the identity in eval mode.

    Parameters
    ----------
    std : float
        Standard deviation of the noise.
    """

    def __init__(self, std: float):
        super().__init__()
        self.std = float(std)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not self.training or self.std == 0.0:
            return x
        return x + self.std * torch.randn_like(x)


class NoisyMLPClassifier(nn.Module):
    """An MLP over encoded rows with K logits and its last hidden features.

    ``forward(x)`` returns one tensor: the ``n_classes`` logits followed by the
    activations of the last hidden layer (what feature matching compares).
    Labels and contexts that the trainer passes are ignored: this
    discriminator classifies, it is not conditioned.

    Parameters
    ----------
    input_dim : int
        Width of an encoded row.
    n_classes : int
        Number of classes K.
    hidden : sequence of int, default=(1000, 500, 250, 250, 250)
        Hidden widths (ReLU); the default is Salimans et al.'s MNIST network.
    input_noise, hidden_noise : float, default=0.3, 0.5
        Standard deviation of the Gaussian noise on the input and after every
        hidden layer, in training mode.
    use_weight_norm : bool, default=True
        Weight-normalise every linear layer.

    Examples
    --------
    >>> import torch
    >>> from gansynth.modalities.classifier import NoisyMLPClassifier
    >>> net = NoisyMLPClassifier(4, n_classes=3, hidden=(8, 5)).eval()
    >>> net(torch.zeros(2, 4)).shape  # 3 logits + 5 features
    torch.Size([2, 8])
    """

    def __init__(
        self, input_dim, n_classes, hidden=(1000, 500, 250, 250, 250),
        input_noise=0.3, hidden_noise=0.5, use_weight_norm=True,
    ):  # fmt: skip
        super().__init__()
        self.n_classes = n_classes

        def linear(w_in, w_out):
            layer = nn.Linear(w_in, w_out)
            return weight_norm(layer) if use_weight_norm else layer

        layers: list[nn.Module] = [GaussianNoise(input_noise)]
        for w_in, w_out in itertools.pairwise([input_dim, *hidden]):
            layers += [linear(w_in, w_out), nn.ReLU(), GaussianNoise(hidden_noise)]
        self.body = nn.Sequential(*layers)
        self.head = linear(hidden[-1], n_classes)

    def forward(self, x, labels=None, context=None):
        features = self.body(x)
        return torch.cat([self.head(features), features], dim=1)

    def logits(self, x: torch.Tensor) -> torch.Tensor:
        """The K class logits alone."""
        return self.head(self.body(x))


def mlp_classifier(spec, n_classes, hidden, options) -> NoisyMLPClassifier:
    """The classifier builder of the modalities whose samples are flat rows:
    a :class:`NoisyMLPClassifier` over ``spec.dim`` inputs with the tricks of
    ``options`` (a ``ClassifierOptions``)."""
    return NoisyMLPClassifier(
        spec.dim,
        n_classes,
        hidden=tuple(hidden),
        input_noise=options.input_noise,
        hidden_noise=options.hidden_noise,
        use_weight_norm=options.weight_norm,
    )


class BoundedMLPGenerator(nn.Module):
    """``G(z, y)`` for rows scaled to [0, 1]: batch-normalised softplus layers
    and a sigmoid output, the generator of Salimans et al. for MNIST.

    Parameters
    ----------
    latent_dim : int
        Size of the noise.
    output_dim : int
        Width of a row.
    hidden : sequence of int, default=(500, 500)
        Hidden widths.
    n_labels : int, default=0
        Label slots for class conditioning (0: unconditional).

    Examples
    --------
    >>> import torch
    >>> from gansynth.modalities.classifier import BoundedMLPGenerator
    >>> rows = BoundedMLPGenerator(4, 3, hidden=(8,)).eval()(torch.randn(5, 4))
    >>> rows.shape, bool(((rows > 0) & (rows < 1)).all())
    (torch.Size([5, 3]), True)
    """

    def __init__(self, latent_dim, output_dim, hidden=(500, 500), n_labels=0):
        super().__init__()
        self.condition = LabelEmbedding(n_labels, latent_dim) if n_labels else None
        in_dim = latent_dim + (self.condition.width if n_labels else 0)
        layers: list[nn.Module] = []
        for w_in, w_out in itertools.pairwise([in_dim, *hidden]):
            layers += [nn.Linear(w_in, w_out), nn.BatchNorm1d(w_out), nn.Softplus()]
        self.body = nn.Sequential(*layers, nn.Linear(hidden[-1], output_dim))

    def forward(self, z, labels=None, context=None):
        if self.condition is not None:
            z = self.condition(z, labels)
        return torch.sigmoid(self.body(z))
