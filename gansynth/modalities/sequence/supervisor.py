"""TimeGAN's embedding, recovery and supervisor networks, and its supervised
next-step loss, as an auxiliary network of the one trainer.

TimeGAN (Yoon et al. 2019) learns an embedding of sequences (an embedder and
a recovery network, an autoencoder) and a supervisor that predicts the next
step's embedding from the steps so far, and plays its game in the embedding
space, with the supervisor inside the generator's path. Our game is played
on the encoded sequences themselves, so the networks are kept and their use
adapted: the embedder, recovery network and supervisor are fitted on real
sequences (the autoencoder's reconstruction error plus the supervisor's
next-step error, pre-trained before the game and trained on beside it),
and the generator pays the supervisor's next-step error on the embeddings of
its own sequences: a generated step that does not follow from the steps
before it, as real steps do, costs it, whether or not the critic noticed.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from ..protocol import AuxiliaryNetwork
from .networks import recurrent_outputs

__all__ = ["NextStepSupervisor"]


class _EmbeddingNetworks(nn.Module):
    """Embedder, recovery and supervisor: one-layer GRUs with a linear read-
    out each (sigmoid embeddings, as TimeGAN's; tanh recovery, the range of
    the encoding)."""

    def __init__(self, channels, hidden):
        super().__init__()
        self.embedder = nn.GRU(channels, hidden, batch_first=True)
        self.embedding = nn.Linear(hidden, hidden)
        self.recovery = nn.GRU(hidden, hidden, batch_first=True)
        self.recovered = nn.Linear(hidden, channels)
        self.supervisor = nn.GRU(hidden, hidden, batch_first=True)
        self.next_embedding = nn.Linear(hidden, hidden)

    def embed(self, x):
        """``(n, C, T)`` sequences to ``(n, T, hidden)`` embeddings."""
        states = recurrent_outputs(self.embedder, x.transpose(1, 2))
        return torch.sigmoid(self.embedding(states))

    def recover(self, h):
        states = recurrent_outputs(self.recovery, h)
        return torch.tanh(self.recovered(states)).transpose(1, 2)

    def predict_next(self, h):
        """The supervisor's guess of step ``t + 1``'s embedding at every ``t``."""
        states = recurrent_outputs(self.supervisor, h)
        return torch.sigmoid(self.next_embedding(states))


class NextStepSupervisor(AuxiliaryNetwork):
    """TimeGAN's supervised next-step loss for the generator of sequences.

    Its module holds an embedder, a recovery network and a supervisor
    (one-layer GRUs). Its own loss, on real sequences, is the recovery's
    mean squared reconstruction error plus the supervisor's mean squared
    error in predicting each next step's embedding; it is pre-trained for
    ``pretrain_epochs`` and then takes a step per generator step. The
    generator pays ``weight`` times the supervisor's next-step error on the
    embeddings of its own sequences. See :mod:`this module
    <gansynth.modalities.sequence.supervisor>` for how this adapts TimeGAN
    to a game played on the encoded sequences.

    Parameters
    ----------
    spec : EncodedSpec
        The sequence encoder's spec.
    hidden : int, default=24
        Units of the embedding (TimeGAN's default 24).
    weight : float, default=10.0
        Weight of the generator's term.
    pretrain_epochs : int, default=5
        Epochs of fitting on real sequences before the game.

    Examples
    --------
    >>> import numpy as np
    >>> from gansynth.modalities import get_modality
    >>> from gansynth.modalities.sequence import NextStepSupervisor
    >>> spec = get_modality("sequence")().make_encoder().fit(np.zeros((4, 6, 3))).spec_
    >>> NextStepSupervisor(spec, hidden=8).name
    'supervisor'
    """

    def __init__(self, spec, hidden=24, weight=10.0, pretrain_epochs=5):
        channels = spec.sample_shape[0]
        super().__init__("supervisor", _EmbeddingNetworks(channels, hidden),
                         pretrain_epochs=pretrain_epochs)  # fmt: skip
        self.weight = weight

    def _next_step_error(self, h):
        return F.mse_loss(self.module.predict_next(h)[:, :-1], h[:, 1:])

    def loss(self, batch, generator):
        real = batch.real.float()
        h = self.module.embed(real)
        reconstruction = F.mse_loss(self.module.recover(h), real)
        # The embedding is shaped by reconstruction and, a little, by how
        # predictable it is (TimeGAN's joint training weighs it 0.1); the
        # supervisor learns on a detached copy.
        supervised = F.mse_loss(self.module.predict_next(h.detach())[:, :-1],
                                h.detach()[:, 1:])  # fmt: skip
        return reconstruction + supervised + 0.1 * self._next_step_error(h)

    def generator_loss(self, batch, fake):
        if self.weight == 0:
            return None
        return self.weight * self._next_step_error(self.module.embed(fake.float()))
