"""gansynth: GAN-based data augmentation with a scikit-learn API."""

from .augment import GANResampler
from .augmented_classifier import AugmentedClassifier
from .base import BaseGAN
from .conditional import ConditionalGAN
from .image import ImageGAN
from .image_classifier import CNNClassifier
from .plotting import plot_history, plot_marginals
from .semi_supervised import SemiSupervisedGANClassifier
from .tabular import TabularGAN
from .timeseries import TimeSeriesGAN

__version__ = "0.1.0.dev0"

__all__ = [
    "AugmentedClassifier",
    "BaseGAN",
    "CNNClassifier",
    "ConditionalGAN",
    "GANResampler",
    "ImageGAN",
    "SemiSupervisedGANClassifier",
    "TabularGAN",
    "TimeSeriesGAN",
    "__version__",
    "plot_history",
    "plot_marginals",
]
