"""Deliberately broken generators, for negative controls."""

import numpy as np

from gansynth import ConditionalGAN


class FlippedLabels(ConditionalGAN):
    """Broken conditioning: every sampled row is labelled with the next class."""

    def sample(self, n_samples=None, *, y=None, return_y=False, **kwargs):
        X_new, y_new = super().sample(n_samples, y=y, return_y=True, **kwargs)
        codes = (np.searchsorted(self.classes_, y_new) + 1) % len(self.classes_)
        return (X_new, self.classes_[codes]) if return_y else X_new
