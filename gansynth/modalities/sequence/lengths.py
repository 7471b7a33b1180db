"""The lengths of unequal-length sequences: read off the presence channel,
and the generator's length model fitted to them by maximum likelihood."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from ..protocol import AuxiliaryNetwork
from .static import StaticConditions

__all__ = ["LengthLikelihood", "LengthModel", "sequence_lengths"]


def sequence_lengths(presence: torch.Tensor) -> torch.Tensor:
    """The lengths ``(n,)`` of encoded sequences from their presence
    channels ``(n, T)`` (+1 inside a sequence, -1 after its end).

    Examples
    --------
    >>> import torch
    >>> from gansynth.modalities.sequence.lengths import sequence_lengths
    >>> sequence_lengths(torch.tensor([[1.0, 1.0, -1.0], [1.0, 1.0, 1.0]]))
    tensor([2, 3])
    """
    return (presence > 0).sum(dim=1)


class LengthModel(nn.Module):
    """Log-odds of the lengths ``1..length`` given a label and static
    attributes: a table of log-odds per label (one row without labels),
    plus a small MLP of the attributes and the label when there are
    attributes.

    The table is what a categorical distribution per class fitted by
    likelihood needs, and Adam moves each of its entries by up to the
    learning rate a step; an MLP of the one-hot label alone (the first
    version) learned two classes of lengths 4-6 and 12-16 too slowly for a
    short pre-training (cross-entropy 1.95 after 100 steps against 1.35).

    Parameters
    ----------
    length : int
        The longest length (time steps of a sample).
    n_labels : int, default=0
        Label slots (0: unconditional).
    static_dim : int, default=0
        Values of the encoded static attributes.
    hidden : int, default=64
        Units of the MLP's hidden layer (with attributes).

    Examples
    --------
    >>> import torch
    >>> from gansynth.modalities.sequence import LengthModel
    >>> LengthModel(7, n_labels=3)(2, torch.tensor([0, 2])).shape
    torch.Size([2, 7])
    """

    def __init__(self, length, n_labels=0, static_dim=0, hidden=64):
        super().__init__()
        self.n_labels = n_labels
        self.table = nn.Parameter(torch.zeros(max(n_labels, 1), length))
        self.mlp = None
        if static_dim:
            self.mlp = nn.Sequential(nn.Linear(static_dim + n_labels, hidden),
                                     nn.ReLU(), nn.Linear(hidden, length))  # fmt: skip

    def forward(self, n, labels=None, attributes=None):
        """Log-odds ``(n, length)`` for ``n`` sequences with these labels
        (``(n,)`` integers, or ``(n, n_labels)`` weights) and attributes."""
        if self.n_labels:
            weights = (labels.float() if labels.is_floating_point()  # soft labels
                       else F.one_hot(labels, self.n_labels).float())  # fmt: skip
        else:
            weights = self.table.new_ones(n, 1)
        logits = weights @ self.table
        if self.mlp is not None:
            logits = logits + self.mlp(
                torch.cat([attributes.float(), weights[:, : self.n_labels]], dim=1)
            )
        return logits


class LengthLikelihood(AuxiliaryNetwork):
    """Fits the generator's length model by maximum likelihood.

    The generator of sequences of unequal lengths draws each length from a
    categorical distribution given the label and the static attributes
    (:meth:`RecurrentGenerator.length_logits
    <gansynth.modalities.sequence.RecurrentGenerator.length_logits>`). This
    auxiliary network's module is that length model (the generator's
    ``length_model``, taken in :meth:`bind`), and its loss is the
    cross-entropy of the model on the real lengths of a batch, given their
    real labels and attributes: pre-trained before the game, then one step
    per generator step, with its own optimiser. Nothing adversarial reaches
    it (the generator draws lengths without gradients), so the lengths of
    each class are fitted as closely as the data allow, by likelihood.

    Parameters
    ----------
    spec : EncodedSpec
        The sequence encoder's spec, with a presence block.
    lr : float, default=0.1
        Adam's learning rate (a table of log-odds fitted alone, a convex
        problem).
    pretrain_epochs : int, default=50
        Epochs of fitting before the game.

    Examples
    --------
    >>> import numpy as np
    >>> from gansynth.modalities import get_modality
    >>> from gansynth.modalities.sequence import LengthLikelihood
    >>> series = [np.zeros((t, 2)) for t in (3, 5, 5)]
    >>> spec = get_modality("sequence")().make_encoder().fit(series).spec_
    >>> LengthLikelihood(spec).presence
    2
    """

    part_of_generator = True

    def __init__(self, spec, lr=0.1, pretrain_epochs=50):
        # The module is the generator's length model, bound before training.
        super().__init__("length_likelihood", nn.Module(), lr=lr,
                         pretrain_epochs=pretrain_epochs)  # fmt: skip
        # One channel per block up to the presence block (values, missing
        # indicators, presence); the static channels come last.
        self.presence = [b.role for b in spec.blocks].index("presence")
        static = StaticConditions(spec).channels
        self.static = static if static.stop > static.start else None

    def bind(self, generator):
        self.module = generator.length_model

    def loss(self, batch, generator):
        real = batch.real
        attributes = None if self.static is None else real[:, self.static, 0]
        logits = generator.length_logits(len(real), batch.labels, attributes)
        target = sequence_lengths(real[:, self.presence]) - 1
        return F.cross_entropy(logits.float(), target)
