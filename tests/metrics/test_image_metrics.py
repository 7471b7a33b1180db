"""Image metrics: the distances have their known values on Gaussians, and on
the digits a collapsed generator (one image per class) fails diversity,
coverage and recall while the class-accuracy score alone would pass it."""

import numpy as np
import pytest
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

from gansynth import CNNClassifier
from gansynth.metrics import (
    class_diversity,
    density_coverage,
    frechet_distance,
    image_report,
    kernel_distance,
    precision_recall,
)

RNG = np.random.default_rng(0)
A, B = RNG.normal(size=(2000, 4)), RNG.normal(size=(2000, 4))


def test_frechet_distance_of_gaussians_is_the_closed_form():
    # Means 1 apart on each of 4 axes, same covariance: exactly 4.
    assert frechet_distance(A, B) < 0.05
    assert frechet_distance(A, B + 1.0) == pytest.approx(4.0, abs=0.15)
    # Scale 2 on every axis: (2 - 1)^2 per axis, 4 in all.
    assert frechet_distance(A, 2 * B) == pytest.approx(4.0, abs=0.3)


def test_kernel_distance_is_unbiased_near_zero_and_grows_with_a_shift():
    # Measured: 0.001 for two samples of N(0, I), 1.35 for a shift of 0.5.
    same = kernel_distance(A, B)
    assert abs(same) < 0.01
    assert kernel_distance(A, B + 0.5) > 0.5


def test_precision_recall_and_density_coverage_see_a_collapse():
    collapsed = 0.05 * RNG.normal(size=(500, 4))
    assert precision_recall(A[:500], B[:500]) > (0.7, 0.7)
    precision, recall = precision_recall(A[:500], collapsed)
    assert precision > 0.9 and recall < 0.1
    density, coverage = density_coverage(A[:500], B[:500])
    assert 0.7 < density < 1.3 and coverage > 0.8
    assert density_coverage(A[:500], collapsed)[1] < 0.1


def test_bad_arguments_are_refused_by_name():
    with pytest.raises(ValueError, match="fake must be features"):
        frechet_distance(A, B[:, 0])
    with pytest.raises(ValueError, match="as many features"):
        kernel_distance(A, B[:, :2])
    with pytest.raises(ValueError, match="k must be an int from 1 to 9"):
        precision_recall(A[:10], B[:20], k=10)
    with pytest.raises(ValueError, match="real holds NaN"):
        density_coverage(np.full((5, 2), np.nan), B[:5], k=2)
    with pytest.raises(ValueError, match="fake_labels must have one label"):
        class_diversity(A, np.zeros(2000), B, np.zeros(3))


DIGITS = load_digits()
X_TRAIN, X_TEST, Y_TRAIN, Y_TEST = train_test_split(
    (DIGITS.images / 16).astype(np.float32), DIGITS.target, train_size=1200,
    stratify=DIGITS.target, random_state=0,
)  # fmt: skip


@pytest.fixture(scope="module")
def extractor():
    return CNNClassifier(width=16, random_state=0).fit(X_TRAIN, Y_TRAIN)


def test_real_images_sit_at_the_floor(extractor):
    # Two halves of the held-out digits, each against the training ones.
    report = image_report(extractor, X_TRAIN, Y_TRAIN, X_TEST[:300], Y_TEST[:300],
                          X_TEST[300:], Y_TEST[300:])  # fmt: skip
    for row in report.index:  # two real sets: both rows at the floor
        assert report.loc[row, "fd"] < 10
        # Measured: FD 5.8 and 4.5 (300 and 297 images), coverage 0.97 and
        # 0.98 (against as many training images), diversity 1.03 and 1.02.
        assert report.loc[row, "coverage"] > 0.8
        assert 0.8 < report.loc[row, "diversity"] < 1.2
        assert report.loc[row, "cas"] > 0.9


def test_a_collapsed_generator_fails_although_its_classes_are_right(extractor):
    # One image per class, the class mean: measured CAS 1.00 (it looks right),
    # diversity 0.00, coverage 0.21, recall 0.00, FD 57 against a floor of 2.4.
    labels = np.resize(np.arange(10), len(X_TEST))
    means = np.stack([X_TRAIN[Y_TRAIN == k].mean(0) for k in range(10)])[labels]
    report = image_report(extractor, X_TRAIN, Y_TRAIN, X_TEST, Y_TEST, means,
                          labels, gan_train=False)  # fmt: skip
    generated, floor = report.loc["generated"], report.loc["real (held out)"]
    assert generated["cas"] > 0.95  # the class score alone cannot see it
    assert generated["diversity"] < 0.2
    assert generated["coverage"] < 0.3
    assert generated["recall"] < 0.3
    assert generated["fd"] > 5 * floor["fd"]
