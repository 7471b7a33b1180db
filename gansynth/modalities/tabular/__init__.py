"""The tabular modality: mixed-type tables (numbers, categories, datetimes,
durations, missing values) encoded by mode-specific normalisation and one-hots."""

# Shared with the sequences since; still importable from here.
from ..moment_loss import MomentLoss
from .class_loss import ClassifierLoss
from .columns import ColumnInfo, describe_column
from .conditions import DiscreteConditions
from .encoder import TabularEncoder
from .mixture import ColumnMixtures
from .modality import TabularModality
from .networks import PacDiscriminator, ResidualGenerator

__all__ = [
    "ClassifierLoss",
    "ColumnInfo",
    "ColumnMixtures",
    "DiscreteConditions",
    "MomentLoss",
    "PacDiscriminator",
    "ResidualGenerator",
    "TabularEncoder",
    "TabularModality",
    "describe_column",
]
