"""The image modality: images in any common layout and dtype, DCGAN
networks sized by the image."""

from .encoder import ImageEncoder, padded_size
from .modality import ImageModality
from .networks import DCGANDiscriminator, DCGANGenerator, stage_widths

__all__ = [
    "DCGANDiscriminator",
    "DCGANGenerator",
    "ImageEncoder",
    "ImageModality",
    "padded_size",
    "stage_widths",
]
