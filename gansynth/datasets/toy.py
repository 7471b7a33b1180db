"""Procedural toy data sets used by the demo, the docs and the tests."""

from __future__ import annotations

import numpy as np
from sklearn.utils import check_random_state

__all__ = ["make_gaussian_ring", "make_sines", "ring_centers"]


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


def make_sines(n_samples=10_000, *, length=24, n_features=5, random_state=None):
    """TimeGAN's sines: sine waves of random frequency and phase.

    Every feature of every sequence is a sine of its own: feature j of
    sequence i is ``sin(f_ij * t + phi_ij)`` for ``t = 0, ...,
    length - 1``, with ``f_ij`` and ``phi_ij`` drawn from U(0, 0.1) (Yoon et
    al. 2019, as their code draws them), then mapped from [-1, 1] to [0, 1].

    Parameters
    ----------
    n_samples : int, default=10000
        Number of sequences.
    length : int, default=24
        Time steps.
    n_features : int, default=5
        Features per step.
    random_state : int, RandomState instance or None
        Seed.

    Returns
    -------
    X : ndarray of shape (n_samples, length, n_features)
        The sequences, in [0, 1].

    Examples
    --------
    >>> from gansynth.datasets import make_sines
    >>> make_sines(3, random_state=0).shape
    (3, 24, 5)
    """
    rng = check_random_state(random_state)
    freq = rng.uniform(0, 0.1, (n_samples, 1, n_features))
    phase = rng.uniform(0, 0.1, (n_samples, 1, n_features))
    t = np.arange(length)[None, :, None]
    return (np.sin(freq * t + phase) + 1) / 2
