"""Procedural toy data sets used by the demo, the docs and the tests."""

from __future__ import annotations

import numpy as np
from sklearn.utils import check_random_state

__all__ = ["make_gaussian_ring", "ring_centers"]


def ring_centers(n_modes: int = 8, radius: float = 2.0) -> np.ndarray:
    """Centres of ``n_modes`` points evenly spaced on a circle."""
    angles = 2 * np.pi * np.arange(n_modes) / n_modes
    return radius * np.column_stack([np.cos(angles), np.sin(angles)])


def make_gaussian_ring(
    n_samples=25_600, *, n_modes=8, radius=2.0, std=0.02, random_state=None
):
    """The ring of Gaussians, the classic test of mode collapse.

    Equal-weight isotropic Gaussians with standard deviation ``std`` centred on
    a circle of radius ``radius`` (Metz et al. 2017 used 8 modes, radius 2,
    std 0.02).

    Parameters
    ----------
    n_samples : int, default=25600
        Number of points.
    n_modes : int, default=8
        Number of Gaussians.
    radius : float, default=2.0
        Radius of the circle.
    std : float, default=0.02
        Standard deviation of each Gaussian.
    random_state : int, RandomState instance or None
        Seed.

    Returns
    -------
    X : ndarray of shape (n_samples, 2)
        The points.
    y : ndarray of shape (n_samples,)
        The index of each point's mode.

    Examples
    --------
    >>> from gansynth.datasets import make_gaussian_ring
    >>> X, y = make_gaussian_ring(800, random_state=0)
    >>> X.shape, sorted(set(y.tolist())) == list(range(8))
    ((800, 2), True)
    """
    rng = check_random_state(random_state)
    y = rng.randint(n_modes, size=n_samples)
    X = ring_centers(n_modes, radius)[y] + std * rng.standard_normal((n_samples, 2))
    return X, y
