"""Class conditioning pieces shared by every modality's networks.

The generator gets a learned label embedding next to its noise (Mirza &
Osindero 2014 used a one-hot; an embedding is the same map, learned); the
discriminator gets a projection head (Miyato & Koyama 2018): the score of
``(x, y)`` is ``psi(phi(x)) + <embed(y), phi(x)>``.
"""

from __future__ import annotations

import torch
from torch import nn

__all__ = ["LabelEmbedding", "ProjectionHead"]


class LabelEmbedding(nn.Module):
    """Concatenate a label embedding to the generator's noise."""

    def __init__(self, n_labels: int, dim: int):
        super().__init__()
        self.embedding = nn.Embedding(n_labels, dim)

    def forward(self, z: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
        return torch.cat([z, self.embedding(labels)], dim=1)


class ProjectionHead(nn.Module):
    """Add ``<embed(y), features>`` to an unconditional score."""

    def __init__(self, n_labels: int, dim: int):
        super().__init__()
        self.embedding = nn.Embedding(n_labels, dim)

    def forward(self, features: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
        return (self.embedding(labels) * features).sum(dim=1)
