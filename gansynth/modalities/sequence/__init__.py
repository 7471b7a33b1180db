"""The sequence modality: arrays, tensors, lists of unequal-length
sequences and long DataFrames with static attributes, recurrent networks
with per-step noise."""

from .classifier import TemporalConvClassifier
from .encoder import SequenceEncoder
from .lengths import LengthLikelihood, LengthModel
from .modality import SequenceModality
from .networks import RecurrentCritic, RecurrentGenerator, TemporalConvCritic
from .static import StaticCritic, StaticEncoder
from .supervisor import NextStepSupervisor

__all__ = [
    "LengthLikelihood",
    "LengthModel",
    "NextStepSupervisor",
    "RecurrentCritic",
    "RecurrentGenerator",
    "SequenceEncoder",
    "SequenceModality",
    "StaticCritic",
    "StaticEncoder",
    "TemporalConvClassifier",
    "TemporalConvCritic",
]
