"""Distances between sets of image features, and the per-class spread.

Every function takes feature arrays (one row per image), as computed by a
network trained on the real images at evaluation time (see
:func:`~gansynth.metrics.image_report`): no downloaded Inception weights.
A score is comparable only under one extractor, so read each beside the
same score of real held-out images (the real-vs-real floor).
"""

from __future__ import annotations

import numpy as np
from scipy import linalg
from sklearn.metrics import pairwise_distances
from sklearn.utils import check_random_state

__all__ = [
    "class_diversity",
    "density_coverage",
    "frechet_distance",
    "kernel_distance",
    "precision_recall",
]


def _features(name, values) -> np.ndarray:
    values = np.asarray(values, dtype=np.float64)
    if values.ndim != 2 or len(values) < 2:
        raise ValueError(
            f"{name} must be features of shape (n_images >= 2, n_features); got "
            f"shape {values.shape}."
        )
    if not np.isfinite(values).all():
        raise ValueError(f"{name} holds NaN or infinite features.")
    return values


def _pair(real, fake):
    real, fake = _features("real", real), _features("fake", fake)
    if real.shape[1] != fake.shape[1]:
        raise ValueError(
            f"real and fake must have as many features; got {real.shape[1]} and "
            f"{fake.shape[1]}."
        )
    return real, fake


def frechet_distance(real, fake) -> float:
    """The Fréchet distance of Gaussians fitted to two feature sets.

    FID's formula (Heusel et al. 2017): ``|mu_r - mu_f|^2 + Tr(S_r + S_f -
    2 (S_r S_f)^(1/2))``. It is biased upwards for small sets: compare sets
    of the same size.

    Parameters
    ----------
    real, fake : array-like of shape (n, d)
        Features, one row per image.

    Returns
    -------
    distance : float
        0 for identical Gaussians; in squared feature units.

    Examples
    --------
    >>> import numpy as np
    >>> from gansynth.metrics import frechet_distance
    >>> rng = np.random.default_rng(0)
    >>> a, b = rng.normal(size=(500, 3)), rng.normal(size=(500, 3))
    >>> frechet_distance(a, b) < 0.1 < frechet_distance(a, b + 1)
    True
    """
    real, fake = _pair(real, fake)
    gap = real.mean(0) - fake.mean(0)
    cov_r = np.atleast_2d(np.cov(real, rowvar=False))
    cov_f = np.atleast_2d(np.cov(fake, rowvar=False))
    root = linalg.sqrtm(cov_r @ cov_f)
    if not np.isfinite(root).all():  # a singular product: regularise, as FID does
        eps = 1e-6 * np.eye(len(cov_r))
        root = linalg.sqrtm((cov_r + eps) @ (cov_f + eps))
    value = gap @ gap + np.trace(cov_r) + np.trace(cov_f) - 2 * np.trace(root.real)
    return float(max(value, 0.0))


def kernel_distance(real, fake, *, n_subsets=10, subset_size=1000,
                    random_state=0) -> float:  # fmt: skip
    """The kernel distance (KID, Bińkowski et al. 2018) of two feature sets.

    The unbiased squared MMD under the cubic kernel ``k(x, y) = (x . y / d +
    1)^3``, averaged over random subsets. Unbiased: near 0 (and possibly
    below) for two samples of one distribution, whatever their size.

    Parameters
    ----------
    real, fake : array-like of shape (n, d)
        Features.
    n_subsets : int, default=10
        Random subsets drawn from each set.
    subset_size : int, default=1000
        Images per subset (at most the smaller set's size).
    random_state : int, RandomState instance or None, default=0
        Seeds the subsets.

    Returns
    -------
    distance : float
        The mean over subsets; near 0 for one distribution.

    Examples
    --------
    >>> import numpy as np
    >>> from gansynth.metrics import kernel_distance
    >>> rng = np.random.default_rng(0)
    >>> a, b = rng.normal(size=(400, 3)), rng.normal(size=(400, 3))
    >>> abs(kernel_distance(a, b)) < 0.05 < kernel_distance(a, b + 1)
    True
    """
    real, fake = _pair(real, fake)
    rng = check_random_state(random_state)
    m = min(subset_size, len(real), len(fake))
    d = real.shape[1]
    values = []
    for _ in range(n_subsets):
        x = real[rng.choice(len(real), m, replace=False)]
        y = fake[rng.choice(len(fake), m, replace=False)]
        k_xx, k_yy = (x @ x.T / d + 1) ** 3, (y @ y.T / d + 1) ** 3
        k_xy = (x @ y.T / d + 1) ** 3
        off = m * (m - 1)
        within = (k_xx.sum() - np.trace(k_xx) + k_yy.sum() - np.trace(k_yy)) / off
        values.append(within - 2 * k_xy.mean())
    return float(np.mean(values))


def _knn_radius(features, k) -> np.ndarray:
    """Distance of every row to its k-th nearest other row."""
    distances = pairwise_distances(features)
    return np.sort(distances, axis=1)[:, k]  # column 0 is the row itself


def _check_k(k, *sets):
    if not isinstance(k, int | np.integer) or k < 1 or k >= min(map(len, sets)):
        raise ValueError(
            f"k must be an int from 1 to {min(map(len, sets)) - 1} (fewer than the "
            f"images of each set); got k={k!r}."
        )


def precision_recall(real, fake, *, k=3) -> tuple[float, float]:
    """Improved precision and recall (Kynkäänniemi et al. 2019).

    Each set's manifold is the union of balls around its points with the
    radius of their k-th nearest neighbour. Precision: the share of fake
    points inside the real manifold (fidelity); recall: the share of real
    points inside the fake manifold (how much of the real data is covered).

    Parameters
    ----------
    real, fake : array-like of shape (n, d)
        Features, one row per image.
    k : int, default=3
        The neighbour whose distance is each ball's radius.

    Returns
    -------
    precision, recall : float
        Shares in [0, 1].

    Examples
    --------
    >>> import numpy as np
    >>> from gansynth.metrics import precision_recall
    >>> rng = np.random.default_rng(0)
    >>> real = rng.normal(size=(300, 2))
    >>> precision, recall = precision_recall(real, 0.1 * rng.normal(size=(300, 2)))
    >>> precision > 0.9 > 0.5 > recall  # a collapsed set: precise, no recall
    True
    """
    real, fake = _pair(real, fake)
    _check_k(k, real, fake)
    cross = pairwise_distances(real, fake)  # (n_real, n_fake)
    precision = (cross <= _knn_radius(real, k)[:, None]).any(axis=0).mean()
    recall = (cross <= _knn_radius(fake, k)[None, :]).any(axis=1).mean()
    return float(precision), float(recall)


def density_coverage(real, fake, *, k=5) -> tuple[float, float]:
    """Density and coverage (Naeem et al. 2020).

    Density: how many real k-NN balls contain each fake point, on average,
    over k (about 1 when the sets match; above 1 when fakes crowd the dense
    regions). Coverage: the share of real points whose k-NN ball holds at
    least one fake point (robust to outliers among the fakes).

    Parameters
    ----------
    real, fake : array-like of shape (n, d)
        Features, one row per image.
    k : int, default=5
        The neighbour whose distance is each real ball's radius.

    Returns
    -------
    density, coverage : float
        Density (about 1 for matching sets) and coverage, a share in [0, 1].

    Examples
    --------
    >>> import numpy as np
    >>> from gansynth.metrics import density_coverage
    >>> rng = np.random.default_rng(0)
    >>> real = rng.normal(size=(300, 2))
    >>> _, coverage = density_coverage(real, 0.1 * rng.normal(size=(300, 2)))
    >>> coverage < 0.3
    True
    """
    real, fake = _pair(real, fake)
    _check_k(k, real, fake)
    inside = pairwise_distances(real, fake) <= _knn_radius(real, k)[:, None]
    return float(inside.sum(axis=0).mean() / k), float(inside.any(axis=1).mean())


def _spread(features) -> float:
    """Mean distance between two different images of a set."""
    n = len(features)
    return float(pairwise_distances(features).sum() / (n * (n - 1)))


def class_diversity(real, real_labels, fake, fake_labels) -> dict:
    """Per class, the spread of generated images over that of real ones.

    The spread is the mean distance between two images of the class; the
    ratio is 1 when the generator varies as much as the data, and 0 when it
    repeats one image per class (mode collapse, which a classifier's
    accuracy on the samples cannot see).

    Parameters
    ----------
    real : array-like of shape (n_real, d)
        Features (or flattened pixels) of real images.
    real_labels : array-like of shape (n_real,)
        Their classes.
    fake : array-like of shape (n_fake, d)
        Features of generated images.
    fake_labels : array-like of shape (n_fake,)
        Their classes.

    Returns
    -------
    ratios : dict
        Class -> ratio, for every class with at least two images in each set.

    Examples
    --------
    >>> import numpy as np
    >>> from gansynth.metrics import class_diversity
    >>> rng = np.random.default_rng(0)
    >>> real, labels = rng.normal(size=(200, 2)), np.repeat([0, 1], 100)
    >>> means = np.repeat([real[:100].mean(0), real[100:].mean(0)], 100, axis=0)
    >>> ratios = class_diversity(real, labels, means, labels)
    >>> {label: round(ratio, 3) for label, ratio in ratios.items()}
    {0: 0.0, 1: 0.0}
    """
    real, fake = _pair(real, fake)
    real_labels, fake_labels = np.asarray(real_labels), np.asarray(fake_labels)
    for name, values, labels in (("real", real, real_labels),
                                 ("fake", fake, fake_labels)):  # fmt: skip
        if labels.shape != (len(values),):
            raise ValueError(
                f"{name}_labels must have one label per row of {name} "
                f"({len(values)}); got shape {labels.shape}."
            )
    ratios = {}
    for label in np.unique(real_labels):
        r, f = real[real_labels == label], fake[fake_labels == label]
        if len(r) >= 2 and len(f) >= 2:
            key = label.item() if hasattr(label, "item") else label
            ratios[key] = _spread(f) / _spread(r)
    return ratios
