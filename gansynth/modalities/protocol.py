"""The modality protocol: everything gansynth needs from one kind of data.

A *modality* turns user data into float tensors and back (its encoder), says
what one encoded sample looks like, and builds the networks for it. The
estimators and the trainer only ever talk to a modality through the methods
declared on :class:`Modality`; the optional ones have defaults here, so a
modality overrides what it needs and nothing is discovered by ``getattr``.

Register a subclass with :func:`gansynth.modalities.register_modality` and
:class:`~gansynth.ConditionalGAN` (and every estimator that looks modalities
up by name) can use it without a change to gansynth.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar, Protocol, runtime_checkable

import numpy as np
from sklearn.utils.validation import validate_data
from torch import nn

from ..utils.validation import validate_params
from .auxiliary import AuxiliaryNetwork, ClassifierOptions

__all__ = [
    "AuxiliaryNetwork",
    "Block",
    "ClassifierOptions",
    "ConditionSampler",
    "EncodedSpec",
    "Encoder",
    "Modality",
]


@dataclass(frozen=True)
class Block:
    """A contiguous slice of an encoded sample that one output head produces.

    Parameters
    ----------
    name : str
        The source column (or feature group).
    kind : str
        What the generator's head emits there, for example ``"continuous"``
        (free scalars) or ``"categorical"`` (a one-hot). A modality may use
        kinds of its own; only its own networks read them.
    width : int
        Number of encoded values.
    role : str, default="value"
        What the block encodes, for the modality's own use (the tabular
        modality marks value, mode and missing-indicator blocks).
    """

    name: str
    kind: str
    width: int
    role: str = "value"


@dataclass(frozen=True)
class EncodedSpec:
    """The ordered blocks of an encoded sample, and the sample's shape.

    Parameters
    ----------
    blocks : tuple of Block
        The blocks, in the order of the flattened sample.
    shape : tuple of int or None, default=None
        The shape of one encoded sample: ``(F,)`` for a table row,
        ``(C, H, W)`` for an image, ``(T, F)`` for a sequence. ``None`` means
        ``(dim,)``, a flat row.

    Examples
    --------
    >>> from gansynth.modalities import Block, EncodedSpec
    >>> spec = EncodedSpec((Block("x0", "continuous", 1), Block("x1", "continuous", 1)))
    >>> spec.dim, spec.sample_shape
    (2, (2,))
    >>> EncodedSpec((Block("pixels", "continuous", 48),), shape=(3, 4, 4)).sample_shape
    (3, 4, 4)
    """

    blocks: tuple[Block, ...]
    shape: tuple[int, ...] | None = None

    def __post_init__(self):
        if self.shape is not None and math.prod(self.shape) != self.dim:
            raise ValueError(
                f"EncodedSpec: shape {self.shape} holds {math.prod(self.shape)} "
                f"values, but the blocks hold {self.dim}."
            )

    @property
    def dim(self) -> int:
        """Values in one encoded sample (the sum of the block widths)."""
        return sum(b.width for b in self.blocks)

    @property
    def sample_shape(self) -> tuple[int, ...]:
        """The shape of one encoded sample."""
        return (self.dim,) if self.shape is None else tuple(self.shape)

    def to_json(self):
        blocks = [[b.name, b.kind, b.width, b.role] for b in self.blocks]
        if self.shape is None:
            return blocks  # the form of files written before shapes existed
        return {"blocks": blocks, "shape": list(self.shape)}

    @classmethod
    def from_json(cls, data) -> EncodedSpec:
        shape = None
        if isinstance(data, dict):
            shape, data = tuple(int(s) for s in data["shape"]), data["blocks"]
        blocks = tuple(Block(str(n), str(k), int(w), str(r)) for n, k, w, r in data)
        return cls(blocks, shape)


@runtime_checkable
class Encoder(Protocol):
    """A scikit-learn-style transformer between user data and float arrays.

    ``transform`` returns an array of shape ``(n, *spec_.sample_shape)``;
    ``inverse_transform`` restores the user's container. ``get_state`` and the
    modality's ``encoder_from_state`` turn a fitted encoder into arrays plus
    JSON and back, so that saved models load without running code.
    """

    spec_: EncodedSpec

    def fit(self, X) -> Encoder: ...

    def transform(self, X) -> np.ndarray: ...

    def inverse_transform(self, Z: np.ndarray): ...

    def get_state(self) -> tuple[dict[str, np.ndarray], dict]: ...


class ConditionSampler(Protocol):
    """Conditions a modality draws for each sample (the tabular modality's
    discrete-column conditions are one).

    The trainer sees what :meth:`training_sampler` returns: an object with
    ``draw(batch_size) -> (row_index, context)``, ``generator_penalty(fake,
    context) -> Tensor or None`` and ``name`` (the history column of that penalty).
    Both networks get ``context`` as their third argument, a float tensor of
    width :attr:`dim`.
    """

    dim: int

    def training_sampler(self, encoded, row_weights=None): ...

    def sampling_context(self, n: int, requested, rng, encoder, labels=None):
        """``(context, fixed)`` for ``n`` samples of the label slots ``labels``
        (or None): the context array, and what the generator (keyword
        ``fixed``, when not empty) and :meth:`enforce` write into the samples."""

    def enforce(self, encoded: np.ndarray, fixed) -> np.ndarray: ...

    def get_state(self) -> tuple[dict[str, np.ndarray], dict]: ...


class Modality:
    """Base class of the modalities; subclass it to add a kind of data.

    Required: :meth:`make_encoder`, :meth:`encoder_from_state`,
    :meth:`build_generator`, :meth:`build_discriminator`. The other hooks have
    defaults that suit a fixed-size sample with plain noise, no conditions,
    no masks and no auxiliary networks.

    Networks are called as ``G(z, labels)`` and ``D(x, labels)`` (``labels``
    ``None`` for an unconditional model), with ``context`` as a third argument
    when the modality has conditions and ``mask=`` when it has masks. ``D``
    returns one score per sample, or one per group of
    :attr:`batch_multiple` samples. See :doc:`/user_guide/modalities`.

    Attributes
    ----------
    name : str
        The registry name (``ConditionalGAN(modality=name)``), a class
        attribute.
    description : str
        What data it takes, for messages ("2-D tables"), a class attribute.
    parameter_constraints : dict
        Constraints on the constructor's parameters (``modality_params``),
        in the form of ``gansynth.utils.validation`` (a list per parameter,
        or ``"no_validation"``), a class attribute.
    unused_by_classifier : frozenset of str
        The parameters that the semi-supervised K+1 classifier does not use
        (the discriminator's, the generator's extra terms, the finishing of
        samples): :class:`~gansynth.SemiSupervisedGANClassifier` refuses them
        in ``modality_params`` instead of ignoring them; a class attribute.
    classifier_defaults : dict
        Parameters that the K+1 classifier gets unless ``modality_params``
        sets them (images: ``{"augment": "translation"}``); a class attribute.
    default_loss : str
        The loss that ``loss="auto"`` trains this modality with, a class
        attribute: "bce" unless a subclass measured better ("wgan-gp" for
        tables).
    default_n_critic : dict
        Critic steps per generator step that ``n_critic="auto"`` takes, by
        loss name, where this modality measured a better count than the
        loss's own default (5 for "wgan" and "wgan-gp", 1 for the others); a
        class attribute, empty here (tables: ``{"wgan-gp": 3}``).

    Examples
    --------
    >>> import numpy as np
    >>> from gansynth.modalities import Modality, NumericEncoder, MLPGenerator
    >>> class Tiny(Modality):
    ...     name = "doc-tiny"
    ...     def make_encoder(self):
    ...         return NumericEncoder()
    ...     def build_generator(self, latent_dim, spec, n_labels, context_dim=0):
    ...         return MLPGenerator(latent_dim, spec.dim, (8,), n_labels)
    >>> Tiny().noise_shape(4, None), Tiny().batch_multiple
    ((4,), 1)
    """

    name: ClassVar[str] = ""
    description: ClassVar[str] = ""
    parameter_constraints: ClassVar[dict] = {}
    unused_by_classifier: ClassVar[frozenset] = frozenset()
    classifier_defaults: ClassVar[dict] = {}
    default_loss: ClassVar[str] = "bce"
    default_n_critic: ClassVar[dict] = {}

    # -- construction and dispatch -------------------------------------------
    @classmethod
    def from_params(cls, params=None, *, owner: str = "modality_params",
                    hint: str = ""):  # fmt: skip
        """Build the modality from a dict of its parameters, checked first.

        Unknown names and bad values raise a ``ValueError`` that starts with
        ``owner`` (the argument that carried them); ``hint`` ends the message
        of unknown names (how this modality was chosen).
        """
        params = dict(params or {})
        allowed = set(cls.parameter_constraints)
        unknown = sorted(set(params) - allowed)
        if unknown:
            raise ValueError(
                f"{owner} has unknown keys {unknown} for the {cls.name!r} "
                f"modality; valid keys: {sorted(allowed)}.{hint}"
            )
        try:
            given = {k: cls.parameter_constraints[k] for k in params}
            validate_params(cls.__name__, params, given)
        except ValueError as exc:
            raise ValueError(f"{owner}: {exc}") from None
        return cls(**params)

    @classmethod
    def accepts(cls, X) -> bool:
        """Whether ``modality="auto"`` may pick this modality for ``X``."""
        return False

    def for_loss(self, loss) -> Modality:
        """The modality to use with ``loss`` (a resolved loss object): a
        modality may adapt a default to it, as the image modality drops batch
        norm from a critic whose gradient is penalised. Itself by default."""
        return self

    def critic_steps(self, loss) -> int:
        """The critic steps per generator step of ``n_critic="auto"`` under
        ``loss`` (a :class:`~gansynth.training.Loss`): this modality's
        ``default_n_critic`` for the loss's name, else the loss's own.

        Examples
        --------
        >>> from gansynth.modalities.tabular import TabularModality
        >>> from gansynth.training import get_loss
        >>> steps = TabularModality().critic_steps
        >>> steps(get_loss("wgan-gp")), steps(get_loss("wgan")), steps(get_loss("bce"))
        (3, 5, 1)
        """
        counts = self.default_n_critic
        if not isinstance(counts, Mapping):
            raise TypeError(
                f"{type(self).__name__}.default_n_critic must map loss names to "
                f"critic steps, such as {{'wgan-gp': 3}}; got {counts!r}."
            )
        n = counts.get(loss.name, loss.default_n_critic)
        if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 1:
            raise ValueError(
                f"n_critic='auto' takes the modality's default_n_critic for the "
                f"loss {loss.name!r}, which must be an int >= 1; "
                f"{type(self).__name__} sets {n!r}."
            )
        return int(n)

    def penalty_fraction(self, spec: EncodedSpec) -> float:
        """The share of each batch on which ``loss="wgan-gp"`` (by name)
        estimates its gradient penalty, for data encoded as ``spec`` (1.0)."""
        return 1.0

    def for_batch_size(self, batch_size, processes: int = 1) -> Modality:
        """The modality to train with batches of ``batch_size`` samples (an
        int, or ``"auto"``) shared out over ``processes``: a modality may fix
        a batch-dependent default here, as the tabular one picks ``pac`` to
        divide each process's batch. Itself by default.

        Fitted estimators record the :attr:`batch_multiple` of the result and
        rebuild their critic (on load, on a warm start) from
        ``for_batch_size(batch_multiple)``, which must give the same
        modality again."""
        return self

    def validate_input(self, estimator, X, *, reset: bool):
        """Check ``X`` for ``estimator`` and return it; with ``reset``, record
        ``n_features_in_`` (scikit-learn's checks by default)."""
        return validate_data(estimator, X, reset=reset, allow_nd=True)

    # -- encoding ------------------------------------------------------------
    def make_encoder(self) -> Encoder:
        raise self._not_implemented("make_encoder")

    def encoder_from_state(self, arrays: dict, meta: dict) -> Encoder:
        raise self._not_implemented("encoder_from_state", "to load a saved model")

    def _not_implemented(self, method: str, purpose: str = "to fit") -> Exception:
        cls = type(self)
        return NotImplementedError(
            f"{cls.__module__}.{cls.__qualname__} (modality {self.name!r}) does not "
            f"implement {method}, which the Modality protocol needs {purpose}; "
            "see the modalities guide for what each method returns."
        )

    def n_samples(self, X) -> int:
        """How many samples ``X`` holds (``len(X)`` by default; a long frame
        of sequences holds one per id): ``y`` has one label per sample."""
        shape = getattr(X, "shape", None)  # sparse matrices have no len()
        return int(shape[0]) if shape is not None and len(shape) else len(X)

    def check_labels(self, X, y) -> None:
        """Refuse a ``y`` that would pair labels with the wrong samples (none
        by default: ``y`` is read by position, as in scikit-learn)."""

    def encode(self, encoder, X):
        """``(encoded, mask)``: the encoded samples and, where lengths vary,
        a boolean mask that travels with every batch (``None`` by default)."""
        return encoder.transform(X), None

    def decode(self, encoder, encoded: np.ndarray, mask=None):
        """Generated values back to the user's container."""
        return encoder.inverse_transform(encoded)

    def sampling_mask(self, encoder, n: int, rng):
        """The mask for ``n`` generated samples (``None``: no mask)."""
        return None

    def calibrate(self, encoder, encoded: np.ndarray, draw) -> None:
        """Fit, once training is over, what ``encoder`` does to samples
        after decoding (the sequences' smoothing), from ``encoded`` (the
        training data) and ``draw(n)``, which returns ``n`` generated
        samples, encoded. Nothing by default, and nothing is drawn."""

    def streaming_refusal(self, encoder) -> str | None:
        """Why samples of this encoder cannot be decoded chunk by chunk
        (``sample_chunks``, ``sample_to``), or ``None`` when they can: the
        default, for decoders that map each sample on its own."""
        return None

    def column_examples(self, encoder) -> dict | None:
        """For writers of samples (``sample_to``'s Parquet schema): each
        column's name mapped to values it can take, to type a column that a
        chunk holds only missing values of; ``None`` (the default) when the
        samples are not tables or every chunk types itself."""
        return None

    # -- networks ------------------------------------------------------------
    def build_generator(self, latent_dim: int, spec: EncodedSpec, n_labels: int,
                        context_dim: int = 0) -> nn.Module:  # fmt: skip
        raise self._not_implemented("build_generator")

    def build_discriminator(self, spec: EncodedSpec, n_labels: int,
                            context_dim: int = 0) -> nn.Module:  # fmt: skip
        raise self._not_implemented("build_discriminator")

    def build_classifier(self, spec: EncodedSpec, n_classes: int,
                         options: ClassifierOptions) -> nn.Module:  # fmt: skip
        """A K-class discriminator for the semi-supervised classifier: its
        output is the K logits followed by the features of its last hidden
        layer, and its ``logits(x)`` method gives the logits alone."""
        raise NotImplementedError(
            f"The {self.name!r} modality has no classifier builder, so "
            "SemiSupervisedGANClassifier cannot use it."
        )

    def noise_shape(self, latent_dim: int, spec: EncodedSpec) -> tuple[int, ...]:
        """The shape of the noise of one sample (``(T, latent_dim)`` gives a
        sequence generator noise at every step)."""
        return (latent_dim,)

    def auto_budget(self, spec: EncodedSpec) -> tuple[int, int]:
        """The training budget of ``epochs="auto"`` for samples of ``spec``:
        ``(steps, epochs)``, and a fit trains for whichever of the two is
        longer (``steps`` generator steps, or ``epochs`` passes). 100 epochs
        by default."""
        return 0, 100

    @property
    def batch_multiple(self) -> int:
        """Samples the critic scores together (PacGAN packs): batches hold a
        multiple of it."""
        return 1

    def auxiliary_networks(self, spec: EncodedSpec, n_labels: int) -> list:
        """Networks trained beside G and D (:class:`AuxiliaryNetwork`)."""
        return []

    # -- conditions ----------------------------------------------------------
    def make_conditions(self, spec: EncodedSpec, encoded: np.ndarray, labels=None):
        """A :class:`ConditionSampler` fitted on the encoded data and its
        integer label slots (``None`` without ``y``), or ``None``."""
        return None

    def conditions_from_state(self, spec: EncodedSpec, arrays: dict, meta: dict):
        """Rebuild what :meth:`make_conditions` made from its saved state."""
        raise NotImplementedError(  # pragma: no cover - only with conditions
            f"The {self.name!r} modality makes conditions but cannot rebuild them."
        )
