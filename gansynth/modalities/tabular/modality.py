"""The tabular modality: TabularEncoder with the residual generator and the
packing critic."""

from __future__ import annotations

import numpy as np

from .conditions import DiscreteConditions
from .encoder import TabularEncoder
from .networks import PacDiscriminator, ResidualGenerator

__all__ = ["TabularModality"]


class TabularModality:
    """Builds the encoder and the networks for mixed-type tables.

    Parameters
    ----------
    discrete_columns : list or None
        Columns to treat as discrete although numeric.
    max_modes : int
        Upper bound on the modes of a continuous column.
    generator_dims, discriminator_dims : sequence of int
        Hidden widths.
    pac : int
        Rows per critic input; batches are a multiple of it.
    discriminator_dropout : float
        Dropout in the critic.
    label_encoding : {"embedding", "one-hot"}
        How class labels enter the generator.

    Examples
    --------
    >>> import numpy as np
    >>> from gansynth.modalities.tabular import TabularModality
    >>> m = TabularModality(pac=4)
    >>> enc = m.make_encoder().fit(np.random.default_rng(0).normal(size=(50, 2)))
    >>> m.build_discriminator(enc.spec_, 0).pac, m.batch_multiple
    (4, 4)
    """

    def __init__(
        self,
        discrete_columns=None,
        max_modes=10,
        generator_dims=(256, 256),
        discriminator_dims=(256, 256),
        pac=10,
        discriminator_dropout=0.5,
        label_encoding="embedding",
    ):
        self.discrete_columns = discrete_columns
        self.max_modes = max_modes
        self.generator_dims = tuple(generator_dims)
        self.discriminator_dims = tuple(discriminator_dims)
        self.pac = pac
        self.discriminator_dropout = discriminator_dropout
        self.label_encoding = label_encoding

    @property
    def batch_multiple(self) -> int:
        """Batches must hold a whole number of packs."""
        return self.pac

    def make_encoder(self) -> TabularEncoder:
        return TabularEncoder(self.discrete_columns, max_modes=self.max_modes)

    def encoder_from_state(self, arrays, meta) -> TabularEncoder:
        return TabularEncoder.from_state(arrays, meta)

    def make_conditions(self, spec, encoded=None, *, counts=None):
        """Conditions on the discrete columns, counted in ``encoded`` rows or
        rebuilt from saved ``counts``; ``None`` when the table has none."""
        conditions = (
            DiscreteConditions(spec, counts)
            if encoded is None
            else DiscreteConditions.from_data(spec, encoded)
        )
        return conditions if conditions else None

    def _context_dim(self, spec):
        return DiscreteConditions(spec, np.zeros(0)).dim

    def build_generator(self, latent_dim, spec, n_labels):
        return ResidualGenerator(
            latent_dim,
            spec,
            self.generator_dims,
            n_labels,
            self._context_dim(spec),
            self.label_encoding,
        )

    def build_discriminator(self, spec, n_labels):
        return PacDiscriminator(
            spec.dim,
            self.discriminator_dims,
            pac=self.pac,
            dropout=self.discriminator_dropout,
            n_labels=n_labels,
            context_dim=self._context_dim(spec),
        )
