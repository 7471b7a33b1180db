"""The tabular modality: TabularEncoder with the residual generator and the
packing critic, and conditions on the discrete columns."""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd

from ...utils.validation import WIDTHS, InstanceOf, Interval, Options
from ..classifier import mlp_classifier
from ..moment_loss import MomentLoss
from ..protocol import Modality
from ..registry import register_modality
from .class_loss import ClassifierLoss
from .conditions import DiscreteConditions
from .encoder import TabularEncoder
from .networks import PacDiscriminator, ResidualGenerator
from .unseen_pairs import TabularSpec
from .validation import validate_table

__all__ = ["TabularModality"]

AUTO_PAC = 10  # the pack of pac="auto" when the batch allows it (PacGAN, ctgan)
# epochs="auto": at least AUTO_STEPS generator steps and AUTO_EPOCHS epochs.
# An epoch budget starves small tables (one step per epoch below 512 rows).
# benchmarks/small_tables.py (five real tables of 372-610 training rows,
# seeds 0..2): gradient boosting trained on synthetic rows reached 0.39-0.67
# of the real rows' test ROC AUC after the old 100 epochs (100-200 steps),
# 0.63-0.99 (mean 0.84) after 1,000 steps and 0.64-0.99 (mean 0.88) after
# 3,000. Tables of 7,680 rows or more make 30 steps per epoch and train 100
# epochs, as before.
AUTO_STEPS, AUTO_EPOCHS = 3_000, 100
COLUMN_NAMES = InstanceOf(
    "a list of column names", lambda v: isinstance(v, list | tuple)
)


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
    pac : int or "auto", default="auto"
        Rows per critic input; batches are a multiple of it. ``"auto"``
        (see :meth:`for_batch_size`) is 10, PacGAN's and ctgan's choice,
        unless the batch size asks for a smaller pack.
    discriminator_dropout : float, default=0.5
        Dropout in the critic.
    label_encoding : {"embedding", "one-hot"}, default="embedding"
        How class labels enter the generator.
    classifier_weight : float, default=1.0
        With class labels, the weight of a classifier's term in the
        generator's loss (:class:`~gansynth.modalities.tabular.ClassifierLoss`):
        generated rows of each class must be classified as the real rows of
        that class are. 0 trains no classifier.
    moment_weight : float, default=2.0
        The weight of a term in the generator's loss that matches the batch
        means and standard deviations of the encoded columns, per class with
        labels (:class:`~gansynth.modalities.MomentLoss`). 0 turns it
        off.
    mode_moment_weight : float, default=0.0
        The weight of the same term's within-mode part: for each continuous
        column with several modes, the mean and standard deviation of its
        scalar within each mode, per class with labels. 0 leaves it out.
    log_columns : "auto", list or None, default="auto"
        Continuous columns generated as their logarithm (see
        :class:`TabularEncoder`): ``"auto"`` those with positive values and
        skewness above 2, a list those named, ``None`` none.
    derived_columns : "auto" or None, default="auto"
        Continuous columns that are an affine function of an earlier one on
        every row, up to their written decimals, computed from it instead of
        generated (see :class:`TabularEncoder`); ``None`` generates all.
    unseen_pairs : "auto" or None, default="auto"
        Pairs of categories that no training row combines are never drawn
        together when sampling (see :class:`TabularEncoder`); ``None`` draws
        every categorical block on its own.

    Examples
    --------
    >>> import numpy as np
    >>> from gansynth.modalities.tabular import TabularModality
    >>> m = TabularModality(pac=4)
    >>> enc = m.make_encoder().fit(np.random.default_rng(0).normal(size=(50, 2)))
    >>> m.build_discriminator(enc.spec_, 0).pac, m.batch_multiple
    (4, 4)
    >>> auto = TabularModality()
    >>> auto.for_batch_size(64).pac, auto.for_batch_size("auto").pac
    (8, 10)
    """

    name = "tabular"
    description = "2-D arrays and DataFrames"
    # Measured against "bce" with y on the five tables of tabular_vs_ctgan
    # (docs: the tabular guide, "Choosing the loss").
    default_loss = "wgan-gp"
    # Three critic steps instead of WGAN-GP's usual five: the same utility on
    # the five tables (within 0.011 ROC AUC) for 28-31 % shorter fits
    # (benchmarks/tabular_vs_ctgan.py, gansynth-wgan-gp+y+c3; docs: the
    # tabular guide, "Choosing the loss").
    default_n_critic = {"wgan-gp": 3}
    parameter_constraints = {
        "generator_dims": WIDTHS,
        "discriminator_dims": WIDTHS,
        "discrete_columns": [Options((None,)), COLUMN_NAMES],
        "max_modes": [Interval(numbers.Integral, 1, None)],
        "log_columns": [Options(("auto", None)), COLUMN_NAMES],
        "derived_columns": [Options(("auto", None))],
        "unseen_pairs": [Options(("auto", None))],
        "pac": [Options(("auto",)), Interval(numbers.Integral, 1, None)],
        "discriminator_dropout": [Interval(numbers.Real, 0, 1, closed="left")],
        "label_encoding": [Options(("embedding", "one-hot"))],
        "classifier_weight": [Interval(numbers.Real, 0, None)],
        "moment_weight": [Interval(numbers.Real, 0, None)],
        "mode_moment_weight": [Interval(numbers.Real, 0, None)],
    }
    unused_by_classifier = frozenset(
        {
            "pac",
            "discriminator_dropout",
            "label_encoding",
            "classifier_weight",
            "moment_weight",
            "mode_moment_weight",
        }
    )

    def __init__(
        self,
        discrete_columns=None,
        max_modes=10,
        generator_dims=(256, 256),
        discriminator_dims=(256, 256),
        pac="auto",
        discriminator_dropout=0.5,
        label_encoding="embedding",
        classifier_weight=1.0,
        moment_weight=2.0,
        mode_moment_weight=0.0,
        log_columns="auto",
        derived_columns="auto",
        unseen_pairs="auto",
    ):
        self.discrete_columns = discrete_columns
        self.max_modes = max_modes
        self.log_columns = log_columns
        self.derived_columns = derived_columns
        self.unseen_pairs = unseen_pairs
        self.generator_dims = tuple(generator_dims)
        self.discriminator_dims = tuple(discriminator_dims)
        self.pac = pac
        self.discriminator_dropout = discriminator_dropout
        self.label_encoding = label_encoding
        self.classifier_weight = classifier_weight
        self.moment_weight = moment_weight
        self.mode_moment_weight = mode_moment_weight

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

    def auto_budget(self, spec):
        """3,000 generator steps or 100 epochs, whichever is longer."""
        return AUTO_STEPS, AUTO_EPOCHS

    @property
    def batch_multiple(self) -> int:
        """Batches must hold a whole number of packs (of 10 for an unresolved
        ``pac="auto"``: what ``batch_size="auto"`` is rounded to)."""
        return AUTO_PAC if self.pac == "auto" else self.pac

    def for_batch_size(self, batch_size, processes=1):
        """Resolve ``pac="auto"``: 10 for ``batch_size="auto"`` (rounded down
        to a multiple of 10), else the largest pack of at most 10 rows that
        divides each process's batch, so that any batch size works (64 gets
        packs of 8, 100 of 10, a prime one of 1). An explicit ``pac`` is kept."""
        if self.pac != "auto":
            return self
        pac = AUTO_PAC
        if batch_size != "auto":
            shared = batch_size % processes == 0  # else resolve_batch_size refuses
            local = batch_size // processes if shared else batch_size
            pac = max(d for d in range(1, AUTO_PAC + 1) if local % d == 0)
        params = {name: getattr(self, name) for name in self.parameter_constraints}
        return type(self)(**{**params, "pac": pac})

    def make_encoder(self) -> TabularEncoder:
        return TabularEncoder(
            self.discrete_columns,
            max_modes=self.max_modes,
            log_columns=self.log_columns,
            derived_columns=self.derived_columns,
            unseen_pairs=self.unseen_pairs,
        )

    def encoder_from_state(self, arrays, meta) -> TabularEncoder:
        return TabularEncoder.from_state(arrays, meta)

    def column_examples(self, encoder):
        # A chunk whose object column (strings, say) holds only missing values
        # is typed null by Arrow, and the chunks after it would not fit.
        return {
            info.name: [v for v in info.categories if not pd.isna(v)]
            for info in encoder.columns_
            if info.kind == "discrete"
        }

    def make_conditions(self, spec, encoded, labels=None):
        """Conditions on the discrete columns, counted in ``encoded`` rows
        (and per label slot); ``None`` when the table has none."""
        conditions = DiscreteConditions.from_data(spec, encoded, labels)
        return conditions if conditions else None

    def conditions_from_state(self, spec, arrays, meta):
        # Models saved before the counts per label slot drew from all rows.
        return DiscreteConditions(spec, arrays["counts"], arrays.get("label_counts"))

    def build_generator(self, latent_dim, spec, n_labels, context_dim=0):
        return ResidualGenerator(
            latent_dim,
            spec,
            self.generator_dims,
            n_labels,
            context_dim,
            self.label_encoding,
            spec.unseen_pairs if isinstance(spec, TabularSpec) else (),
        )

    def build_discriminator(self, spec, n_labels, context_dim=0):
        return PacDiscriminator(
            spec.dim,
            self.discriminator_dims,
            pac=self.batch_multiple,
            dropout=self.discriminator_dropout,
            n_labels=n_labels,
            context_dim=context_dim,
        )

    def auxiliary_networks(self, spec, n_labels):
        """The classifier of ``classifier_weight`` (with class labels) and the
        moment term of ``moment_weight`` and ``mode_moment_weight``."""
        networks = []
        if n_labels and self.classifier_weight:
            networks.append(ClassifierLoss(
                spec.dim, n_labels, self.discriminator_dims, self.classifier_weight
            ))  # fmt: skip
        if self.moment_weight or self.mode_moment_weight:
            networks.append(MomentLoss(
                n_labels, self.moment_weight, spec, self.mode_moment_weight
            ))  # fmt: skip
        return networks

    def build_classifier(self, spec, n_classes, options):
        return mlp_classifier(spec, n_classes, self.discriminator_dims, options)
