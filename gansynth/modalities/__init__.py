"""Modalities: per kind of data, an encoder plus generator/critic builders.

A modality turns user data into one float tensor and back (its encoder) and
builds the two networks for that tensor. Nothing here imports the trainer.
"""

from .base import Block, EncodedSpec, Encoder, Modality
from .numeric import MLPDiscriminator, MLPGenerator, NumericEncoder, NumericModality

__all__ = [
    "Block",
    "EncodedSpec",
    "Encoder",
    "MLPDiscriminator",
    "MLPGenerator",
    "Modality",
    "NumericEncoder",
    "NumericModality",
]
