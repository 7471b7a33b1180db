"""The image modality: images in any common layout and dtype, DCGAN
networks sized by the image."""

from .augment import AugmentedCritic, DiffAugment, diff_augment
from .classifier import ConvClassifier
from .encoder import ImageEncoder, padded_size
from .modality import ImageModality
from .networks import DCGANDiscriminator, DCGANGenerator, channels_last, stage_widths

__all__ = [
    "AugmentedCritic",
    "ConvClassifier",
    "DCGANDiscriminator",
    "DCGANGenerator",
    "DiffAugment",
    "ImageEncoder",
    "ImageModality",
    "channels_last",
    "diff_augment",
    "padded_size",
    "stage_widths",
]
