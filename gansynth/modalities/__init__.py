"""Modalities: per kind of data, an encoder plus the networks' builders.

A modality turns user data into float tensors and back (its encoder) and
builds the networks for those tensors, behind the protocol of
:class:`Modality`; :func:`register_modality` makes one available by name.
Nothing here imports the trainer or an estimator.

The built-in modalities register on import, before any of a user's; what
their ``accepts`` take is disjoint (2-D tables, 3-D sequences and lists of
2-D arrays, 4-D images; numeric vectors by name only), so their order does
not matter to ``modality="auto"``.
"""

from .image import ImageModality
from .moment_loss import MomentLoss
from .numeric import MLPDiscriminator, MLPGenerator, NumericEncoder, NumericModality
from .protocol import (
    AuxiliaryNetwork,
    Block,
    ClassifierOptions,
    ConditionSampler,
    EncodedSpec,
    Encoder,
    Modality,
)
from .registry import detect_modality, get_modality, modality_names, register_modality
from .sequence import SequenceModality
from .tabular import TabularModality

__all__ = [
    "AuxiliaryNetwork",
    "Block",
    "ClassifierOptions",
    "ConditionSampler",
    "EncodedSpec",
    "Encoder",
    "ImageModality",
    "MLPDiscriminator",
    "MLPGenerator",
    "Modality",
    "MomentLoss",
    "NumericEncoder",
    "NumericModality",
    "SequenceModality",
    "TabularModality",
    "detect_modality",
    "get_modality",
    "modality_names",
    "register_modality",
]
