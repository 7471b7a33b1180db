"""The sequence modality: arrays, tensors and lists of unequal-length
sequences, recurrent networks with per-step noise."""

from .classifier import TemporalConvClassifier
from .encoder import SequenceEncoder
from .modality import SequenceModality
from .networks import RecurrentCritic, RecurrentGenerator, TemporalConvCritic

__all__ = [
    "RecurrentCritic",
    "RecurrentGenerator",
    "SequenceEncoder",
    "SequenceModality",
    "TemporalConvClassifier",
    "TemporalConvCritic",
]
