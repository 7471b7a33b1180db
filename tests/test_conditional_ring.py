"""Class conditioning, measured: each class of the ring is its own mode."""

import numpy as np
import pytest

from gansynth import TabularGAN
from gansynth.datasets import make_gaussian_ring
from gansynth.datasets.toy import ring_centers

STD = 0.05


@pytest.fixture(scope="module")
def conditional_ring():
    X, y = make_gaussian_ring(6400, std=STD, random_state=0)
    gan = TabularGAN(
        loss="hinge",
        epochs=10,
        latent_dim=8,
        generator_lr=1e-3,
        discriminator_lr=1e-3,
        generator_dims=(64, 64),
        discriminator_dims=(64, 64),
        device="cpu",
        random_state=0,
    )
    return gan.fit(X, y)


def test_samples_land_in_the_requested_mode(conditional_ring):
    centers = ring_centers()
    for k in range(8):
        s = conditional_ring.sample(300, y=k, random_state=k)
        nearest = np.linalg.norm(s[:, None] - centers[None], axis=2).argmin(1)
        assert (nearest == k).mean() >= 0.95, f"class {k}"


def test_conditional_samples_are_not_collapsed(conditional_ring):
    # A collapsed generator would put every sample of a class on one point.
    for k in range(8):
        s = conditional_ring.sample(300, y=k, random_state=k)
        spread = s.std(axis=0).mean()
        assert 0.4 * STD <= spread <= 3 * STD, f"class {k}: spread {spread:.3f}"


def test_dict_form_gives_exact_counts(conditional_ring):
    X_new, y_new = conditional_ring.sample(y={2: 7, 5: 30}, return_y=True)
    assert X_new.shape == (37, 2)
    assert np.bincount(y_new, minlength=8)[[2, 5]].tolist() == [7, 30]
