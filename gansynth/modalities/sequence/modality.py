"""The sequence modality: SequenceEncoder with the recurrent networks."""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd
import torch

from ...utils.validation import InstanceOf, Interval, Options, check_sample_size
from ..moment_loss import MomentLoss
from ..protocol import Modality
from ..registry import register_modality
from .classifier import TemporalConvClassifier
from .encoder import LAYOUTS, SequenceEncoder
from .lengths import LengthLikelihood
from .networks import RecurrentCritic, RecurrentGenerator, TemporalConvCritic
from .scaling import SCALINGS
from .static import StaticConditions, StaticCritic
from .supervisor import NextStepSupervisor

SMOOTHING_SAMPLES = 5_000  # generated sequences that choose the smoothing

__all__ = ["SequenceModality"]

# epochs="auto": generator steps of a fit. On 2,000 of TimeGAN's sines
# (hinge, seed 0) the discriminative score was 0.100 after 450 steps and
# 0.014 after 1,350 (TimeGAN published 0.011).
_AUTO_STEPS = 1500

_COLUMN = InstanceOf(
    "None or a column label (str or int)",
    lambda v: (
        v is None or (isinstance(v, str | numbers.Integral) and not isinstance(v, bool))
    ),
)


def _is_sequence_list(X) -> bool:
    return (
        isinstance(X, list | tuple)
        and len(X) > 0
        and all(isinstance(s, np.ndarray | torch.Tensor) and s.ndim == 2 for s in X)
    )


@register_modality
class SequenceModality(Modality):
    """Sequences: 3-D arrays or tensors, lists of arrays, long DataFrames.

    Lists hold (T_i, F) arrays; long DataFrames have an id column.

    Parameters
    ----------
    layout : {"auto", "NTF", "NFT"}, default="auto"
        The axes of a 3-D input (see :class:`SequenceEncoder`).
    hidden_size : int, default=64
        Units of the generator's recurrent layers and of each direction of
        the critic's.
    num_layers : int, default=2
        The generator's recurrent layers (the critic has one).
    cell : {"gru", "lstm"}, default="gru"
        The recurrent cell (of the generator, and of a recurrent critic).
    critic : {"conv", "gru"}, default="conv"
        The critic: dilated temporal convolutions
        (:class:`TemporalConvCritic`) or a bidirectional recurrent network
        (:class:`RecurrentCritic`).
    id_column, time_column, static_columns : optional
        The columns of a long DataFrame (see :class:`SequenceEncoder`).
    scaling : {"minmax", "quantile", "auto"}, default="auto"
        How each feature is mapped to [-1, 1] (see :class:`SequenceEncoder`).
    supervised_weight : float, default=0.0
        Weight of TimeGAN's supervised next-step loss in the generator's
        objective (:class:`NextStepSupervisor`: an embedder, a recovery
        network and a supervisor fitted on the real sequences beside the
        game); 0 leaves them out.
    moment_weight : float or "auto", default="auto"
        Weight of a term in the generator's loss that matches the batch
        mean and standard deviation of every channel at every step, per
        class with labels (:class:`~gansynth.modalities.MomentLoss`); 0
        leaves it out. ``"auto"`` is 1.0 without labels and 0 with them
        (see ``TimeSeriesGAN``).
    smoothing : bool, default=False
        At the end of ``fit``, choose each feature's trailing moving
        average (:mod:`~gansynth.modalities.sequence.smoothing`) from as
        many generated sequences as training ones (at most 5,000), and
        apply it to every sample (see ``TimeSeriesGAN``).

    Examples
    --------
    >>> import numpy as np
    >>> from gansynth.modalities import get_modality
    >>> m = get_modality("sequence")(hidden_size=8)
    >>> enc = m.make_encoder().fit(np.zeros((4, 12, 3)))
    >>> enc.spec_.sample_shape, m.noise_shape(5, enc.spec_)
    ((3, 12), (12, 5))
    """

    name = "sequence"
    description = "3-D arrays or tensors (n, T, F), or lists of (T_i, F) arrays"
    parameter_constraints = {
        "layout": [Options(("auto", *LAYOUTS))],
        "id_column": [_COLUMN],
        "time_column": [_COLUMN],
        "static_columns": [
            Options((None,)),
            InstanceOf("a list of column names", lambda v: isinstance(v, list | tuple)),
        ],
        "hidden_size": [Interval(numbers.Integral, 1, None)],
        "num_layers": [Interval(numbers.Integral, 1, None)],
        "cell": [Options(("gru", "lstm"))],
        "critic": [Options(("conv", "gru"))],
        "scaling": [Options(SCALINGS)],
        "supervised_weight": [Interval(numbers.Real, 0, None)],
        "moment_weight": [Options(("auto",)), Interval(numbers.Real, 0, None)],
        "smoothing": [Options((False, True))],
    }
    unused_by_classifier = frozenset(
        {"critic", "supervised_weight", "moment_weight", "smoothing"}
    )

    def __init__(self, layout="auto", hidden_size=64, num_layers=2, cell="gru",
                 critic="conv", id_column=None, time_column=None,
                 static_columns=None, scaling="auto",
                 supervised_weight=0.0, moment_weight="auto",
                 smoothing=False):  # fmt: skip
        self.layout = layout
        self.id_column = id_column
        self.time_column = time_column
        self.static_columns = static_columns
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.cell = cell
        self.critic = critic
        self.scaling = scaling
        self.supervised_weight = supervised_weight
        self.moment_weight = moment_weight
        self.smoothing = smoothing

    @classmethod
    def accepts(cls, X) -> bool:
        if isinstance(X, np.ndarray | torch.Tensor):
            return X.ndim == 3
        return _is_sequence_list(X)

    def validate_input(self, estimator, X, *, reset):
        sequences, _, _, _ = self.make_encoder().check(X)
        check_sample_size(estimator, sequences[0].shape[1:], reset=reset)
        return X

    def n_samples(self, X) -> int:
        """Sequences in ``X``: one per id of a long frame."""
        if isinstance(X, pd.DataFrame) and self.id_column in X.columns:
            return int(X[self.id_column].nunique())
        return super().n_samples(X)

    def check_labels(self, X, y) -> None:
        """A ``y`` Series indexed by a long frame's ids must list them in the
        order they first appear: ``y`` is read by position, and
        ``frame.groupby(id_column)[label].first()`` sorts the ids, which gave
        sequences other ids' labels without a word."""
        long = isinstance(X, pd.DataFrame) and self.id_column in X.columns
        if not long or not isinstance(y, pd.Series):
            return
        if isinstance(y.index, pd.RangeIndex):
            return  # a Series of positions
        ids = pd.Index(pd.unique(X[self.id_column]))
        if y.index.equals(ids) or len(y) != len(ids) or not y.index.isin(ids).all():
            return
        raise ValueError(
            f"y is a Series indexed by the ids of {self.id_column!r} in another "
            "order than they first appear in X, and y is read by position (one "
            "label per id, in X's order). Pass "
            f"y.loc[X[{self.id_column!r}].unique()]."
        )

    def make_encoder(self) -> SequenceEncoder:
        return SequenceEncoder(
            self.layout, self.id_column, self.time_column, self.static_columns,
            self.scaling,
        )  # fmt: skip

    def calibrate(self, encoder, encoded, draw):
        """With ``smoothing``, each feature's window (as many generated
        sequences as training ones, at most ``SMOOTHING_SAMPLES``, compared
        before decoding, as the real ones are); without, none."""
        encoder.smoothing_windows_ = None
        if self.smoothing:
            fake = draw(min(len(encoded), SMOOTHING_SAMPLES))
            encoder.fit_smoothing(encoded, fake)

    def make_conditions(self, spec, encoded, labels=None):
        """:class:`StaticConditions` when there are static attributes."""
        if any(b.role == "static" for b in spec.blocks):
            return StaticConditions(spec)
        return None

    def conditions_from_state(self, spec, arrays, meta):
        return StaticConditions(spec)

    def auxiliary_networks(self, spec, n_labels):
        """With static attributes, a :class:`StaticCritic` of them alone; with
        unequal lengths, :class:`LengthLikelihood` (the length model's fit);
        with a ``supervised_weight``, :class:`NextStepSupervisor`; with a
        ``moment_weight``, :class:`~gansynth.modalities.MomentLoss`."""
        roles = {b.role for b in spec.blocks}
        networks = []
        if "static" in roles:
            networks.append(StaticCritic(spec, n_labels))
        if "presence" in roles:
            networks.append(LengthLikelihood(spec))
        if self.supervised_weight:
            networks.append(NextStepSupervisor(spec, weight=self.supervised_weight))
        weight = self.moment_weight
        if weight == "auto":
            # Measured (benchmarks/results/timeseries*.md): unconditional,
            # the sines' discriminative score 0.019 -> 0.004 (five seeds);
            # with classes no gain: TSTR on BasicMotions 0.875 -> 0.817
            # (within three seeds' spread), JapaneseVowels 0.875 -> 0.880.
            weight = 0.0 if n_labels else 1.0
        if weight:
            networks.append(MomentLoss(n_labels, weight))
        return networks

    def encoder_from_state(self, arrays, meta) -> SequenceEncoder:
        return SequenceEncoder.from_state(arrays, meta)

    def streaming_refusal(self, encoder):
        if getattr(encoder, "frame_", None) is not None:
            # Long frames number the generated ids from 0 in each decode.
            return (
                "a model fitted on a long DataFrame samples whole frames only; "
                "use sample(), or fit on arrays or lists of sequences to stream."
            )
        return None

    def auto_budget(self, spec):
        """1,500 generator steps."""
        return _AUTO_STEPS, 0

    def noise_shape(self, latent_dim, spec):
        """Fresh noise at every step: ``(T, latent_dim)``."""
        return (spec.sample_shape[1], latent_dim)

    def build_generator(self, latent_dim, spec, n_labels, context_dim=0):
        roles = [b.role for b in spec.blocks]
        values = [b.name for b in spec.blocks if b.role == "value"]
        missing = [values.index(b.name) for b in spec.blocks if b.role == "missing"]
        length = spec.sample_shape[1]
        static = [
            (b.kind, b.width // length) for b in spec.blocks if b.role == "static"
        ]
        return RecurrentGenerator(
            latent_dim, len(values), missing, "presence" in roles,
            self.hidden_size, self.num_layers, n_labels, self.cell, static,
            length,
        )  # fmt: skip

    def build_discriminator(self, spec, n_labels, context_dim=0):
        channels, length = spec.sample_shape
        if self.critic == "conv":
            return TemporalConvCritic(channels, length, self.hidden_size, n_labels)
        return RecurrentCritic(channels, self.hidden_size, 1, n_labels, self.cell)

    def build_classifier(self, spec, n_classes, options):
        """A :class:`TemporalConvClassifier` of ``hidden_size`` channels; the
        noise of ``options`` is in units of a [0, 1] value (the encoding
        spans [-1, 1]: the input noise is doubled here)."""
        channels, length = spec.sample_shape
        return TemporalConvClassifier(
            channels, length, n_classes, self.hidden_size,
            input_noise=2.0 * options.input_noise,
            hidden_noise=options.hidden_noise,
            use_weight_norm=options.weight_norm,
        )  # fmt: skip
