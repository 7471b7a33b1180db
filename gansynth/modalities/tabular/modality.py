"""The tabular modality: TabularEncoder with the residual generator and the
packing critic, and conditions on the discrete columns."""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd

from ...utils.validation import WIDTHS, InstanceOf, Interval, Options
from ..classifier import mlp_classifier
from ..protocol import Modality
from ..registry import register_modality
from .conditions import DiscreteConditions
from .encoder import TabularEncoder
from .networks import PacDiscriminator, ResidualGenerator
from .validation import validate_table

__all__ = ["TabularModality"]


@register_modality
class TabularModality(Modality):
    """Mixed-type tables, the modality of TabularGAN.

    Mode-specific normalisation of continuous columns, one-hots of discrete
    ones, a residual generator, a critic on packs of rows, and conditions on
    the discrete columns.

    Parameters
    ----------
    discrete_columns : list or None, default=None
        Columns to treat as discrete although numeric.
    max_modes : int, default=10
        Upper bound on the modes of a continuous column.
    generator_dims, discriminator_dims : sequence of int, default=(256, 256)
        Hidden widths.
    pac : int, default=10
        Rows per critic input; batches are a multiple of it.
    discriminator_dropout : float, default=0.5
        Dropout in the critic.
    label_encoding : {"embedding", "one-hot"}, default="embedding"
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

    name = "tabular"
    description = "2-D arrays and DataFrames"
    parameter_constraints = {
        "generator_dims": WIDTHS,
        "discriminator_dims": WIDTHS,
        "discrete_columns": [
            Options((None,)),
            InstanceOf("a list of column names", lambda v: isinstance(v, list | tuple)),
        ],
        "max_modes": [Interval(numbers.Integral, 1, None)],
        "pac": [Interval(numbers.Integral, 1, None)],
        "discriminator_dropout": [Interval(numbers.Real, 0, 1, closed="left")],
        "label_encoding": [Options(("embedding", "one-hot"))],
    }

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

    @classmethod
    def accepts(cls, X) -> bool:
        if isinstance(X, pd.DataFrame):
            return True
        try:
            return np.ndim(X) == 2
        except ValueError:  # a ragged list (of sequences, say) is no table
            return False

    def validate_input(self, estimator, X, *, reset):
        return validate_table(estimator, X, reset=reset)

    @property
    def batch_multiple(self) -> int:
        """Batches must hold a whole number of packs."""
        return self.pac

    def make_encoder(self) -> TabularEncoder:
        return TabularEncoder(self.discrete_columns, max_modes=self.max_modes)

    def encoder_from_state(self, arrays, meta) -> TabularEncoder:
        return TabularEncoder.from_state(arrays, meta)

    def make_conditions(self, spec, encoded):
        """Conditions on the discrete columns, counted in ``encoded`` rows;
        ``None`` when the table has none."""
        conditions = DiscreteConditions.from_data(spec, encoded)
        return conditions if conditions else None

    def conditions_from_state(self, spec, arrays, meta):
        return DiscreteConditions(spec, arrays["counts"])

    def build_generator(self, latent_dim, spec, n_labels, context_dim=0):
        return ResidualGenerator(
            latent_dim,
            spec,
            self.generator_dims,
            n_labels,
            context_dim,
            self.label_encoding,
        )

    def build_discriminator(self, spec, n_labels, context_dim=0):
        return PacDiscriminator(
            spec.dim,
            self.discriminator_dims,
            pac=self.pac,
            dropout=self.discriminator_dropout,
            n_labels=n_labels,
            context_dim=context_dim,
        )

    def build_classifier(self, spec, n_classes, options):
        return mlp_classifier(spec, n_classes, self.discriminator_dims, options)
