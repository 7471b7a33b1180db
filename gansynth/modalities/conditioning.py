"""Class conditioning pieces shared by every modality's networks.

The generator gets a learned label embedding next to its noise (Mirza &
Osindero 2014 used a one-hot; an embedding is the same map, learned); the
discriminator gets a projection head (Miyato & Koyama 2018): the score of
``(x, y)`` is ``psi(phi(x)) + <embed(y), phi(x)>``.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

__all__ = ["LabelEmbedding", "ProjectedCritic", "ProjectionHead"]


class LabelEmbedding(nn.Module):
    """Concatenate a label code to the generator's noise.

    Parameters
    ----------
    n_labels : int
        Number of label slots.
    dim : int
        Width of a learned embedding.
    encoding : {"embedding", "one-hot"}, default="embedding"
        A learned ``dim``-wide embedding, or the fixed one-hot of Mirza &
        Osindero (2014), ``n_labels`` wide.
    """

    def __init__(self, n_labels: int, dim: int, encoding: str = "embedding"):
        super().__init__()
        if encoding not in ("embedding", "one-hot"):
            raise ValueError(
                f"encoding must be 'embedding' or 'one-hot'; got {encoding!r}."
            )
        self.n_labels = n_labels
        self.embedding = (
            nn.Embedding(n_labels, dim) if encoding == "embedding" else None
        )
        self.width = dim if encoding == "embedding" else n_labels

    def code(self, labels: torch.Tensor, dtype=torch.float32) -> torch.Tensor:
        """The ``(n, width)`` code of integer labels, or of soft labels (a
        float row of weights over the label slots per sample: interpolation
        between classes blends their codes linearly)."""
        if labels.is_floating_point():
            weights = labels.to(dtype)
            if self.embedding is None:
                return weights
            return weights @ self.embedding.weight.to(dtype)
        if self.embedding is None:
            return F.one_hot(labels, self.n_labels).to(dtype)
        return self.embedding(labels).to(dtype)

    def forward(self, z: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
        return torch.cat([z, self.code(labels, z.dtype)], dim=1)


class ProjectionHead(nn.Module):
    """Add ``<embed(y), features>`` to an unconditional score."""

    def __init__(self, n_labels: int, dim: int):
        super().__init__()
        self.embedding = nn.Embedding(n_labels, dim)

    def forward(self, features: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
        return (self.embedding(labels) * features).sum(dim=1)


class ProjectedCritic(nn.Module):
    """Base of critics that score ``features(x)`` with a linear ``out``
    layer, plus ``<embed(y), features>`` when ``projection`` (a
    :class:`ProjectionHead`, or ``None`` without labels) is set."""

    def forward(self, x, labels=None, context=None):
        h = self.features(x)
        score = self.out(h).squeeze(-1)
        if self.projection is not None:
            score = score + self.projection(h, labels)
        return score
