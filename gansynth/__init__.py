"""gansynth: GAN-based data augmentation with a scikit-learn API."""

from .base import BaseGAN
from .plotting import plot_history, plot_marginals
from .tabular import TabularGAN

__version__ = "0.1.0.dev0"

__all__ = ["BaseGAN", "TabularGAN", "__version__", "plot_history", "plot_marginals"]
