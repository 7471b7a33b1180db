"""One table of image scores: generated images beside the real-vs-real floor."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.base import clone

from .images import (
    class_diversity,
    density_coverage,
    frechet_distance,
    kernel_distance,
    precision_recall,
)

__all__ = ["image_report"]

REAL_ROW, GENERATED_ROW = "real (held out)", "generated"


def _scores(reference, reference_labels, features, labels, *, random_state):
    # The k-NN scores compare sets of one size (Naeem et al. do): against
    # 4,000 training images, 1,000 held-out real ones cover only 0.66 of
    # them, and as many cover 0.9.
    rng = np.random.default_rng(random_state)
    n = min(len(reference), len(features))
    subset = np.sort(rng.choice(len(reference), n, replace=False))
    precision, recall = precision_recall(reference[subset], features, k=3)
    density, coverage = density_coverage(reference[subset], features, k=5)
    if labels is None:
        reference_labels = np.zeros(len(reference), int)
        labels = np.zeros(len(features), int)
    ratios = class_diversity(reference, reference_labels, features, labels)
    return {
        "fd": frechet_distance(reference, features),
        "kid": kernel_distance(reference, features, random_state=random_state),
        "precision": precision,
        "recall": recall,
        "density": density,
        "coverage": coverage,
        "diversity": float(np.mean(list(ratios.values()))),
        "min_class_diversity": float(min(ratios.values())),
    }


def image_report(extractor, train, train_labels, test, test_labels, fake,
                 fake_labels=None, *, gan_train=True, random_state=0):  # fmt: skip
    """Score generated images, and real held-out images as the floor.

    Both rows compare a set of images with the training images, in the
    feature space of ``extractor``, a classifier fitted on the training
    images (such as :class:`~gansynth.CNNClassifier`; no downloaded
    weights). The real row is what the scores read for images of the real
    distribution that the extractor has not seen: no generator can be
    expected to do better. Give as many generated images as held-out ones,
    since the Fréchet distance grows as sets shrink.

    Columns:

    - ``fd``, ``kid``: Fréchet and kernel distances of the features
      (:func:`frechet_distance`, :func:`kernel_distance`).
    - ``precision``, ``recall`` (k = 3) and ``density``, ``coverage`` (k = 5):
      :func:`precision_recall` and :func:`density_coverage`, against a
      random subset of the training images as large as the set scored
      (seeded by ``random_state``), since they depend on the sizes.
    - ``diversity``, ``min_class_diversity``: mean and least per-class
      spread over the real one (:func:`class_diversity`).
    - ``cas``: the extractor's accuracy on the set against its labels; for
      generated images the classification accuracy score of conditional
      samples, Shmelkov et al.'s (2018) "GAN-test".
    - ``gan_train``: accuracy on ``test`` of a clone of ``extractor`` fitted
      on the generated images (Shmelkov et al.'s "GAN-train"; Ravuri and
      Vinyals' 2019 "CAS"); on the real row, the extractor's own accuracy
      on ``test``. To compare the two, pass as many generated images as
      ``train`` holds: a classifier fitted on fewer images scores lower
      whatever their source.

    Parameters
    ----------
    extractor : fitted classifier with ``transform`` and ``predict``
        Fitted on ``train``; ``transform`` gives one feature row per image.
    train : images
        The real training images, in the form the extractor takes.
    train_labels : array-like
        Their classes.
    test : images
        Held-out real images.
    test_labels : array-like
        Their classes.
    fake : images
        Generated images.
    fake_labels : array-like or None, default=None
        The classes they were generated for; ``None`` (unconditional) leaves
        ``cas`` and ``gan_train`` empty and measures diversity over all images.
    gan_train : bool, default=True
        Fit the clone for ``gan_train`` (the slowest column).
    random_state : int, default=0
        Seeds the kernel distance's subsets.

    Returns
    -------
    report : pandas.DataFrame
        Rows "real (held out)" and "generated", one column per score.

    Examples
    --------
    >>> from sklearn.datasets import load_digits
    >>> from gansynth import CNNClassifier
    >>> from gansynth.metrics import image_report
    >>> digits = load_digits()
    >>> X, y = digits.images / 16, digits.target
    >>> cnn = CNNClassifier(epochs=5, random_state=0).fit(X[:1000], y[:1000])
    >>> report = image_report(cnn, X[:1000], y[:1000], X[1000:1400], y[1000:1400],
    ...                       X[1400:1800], y[1400:1800], gan_train=False)
    >>> list(report.index)
    ['real (held out)', 'generated']
    """
    train_labels = np.asarray(train_labels)
    test_labels = np.asarray(test_labels)
    reference = extractor.transform(train)
    rows = {}
    for row, images, labels in ((REAL_ROW, test, test_labels),
                                (GENERATED_ROW, fake, fake_labels)):  # fmt: skip
        labels = None if labels is None else np.asarray(labels)
        scores = _scores(
            reference, train_labels, extractor.transform(images), labels,
            random_state=random_state,
        )  # fmt: skip
        scores["cas"] = (
            np.nan if labels is None
            else float(np.mean(extractor.predict(images) == labels))
        )  # fmt: skip
        rows[row] = scores
    rows[REAL_ROW]["gan_train"] = rows[REAL_ROW]["cas"]
    rows[GENERATED_ROW]["gan_train"] = np.nan
    if gan_train and fake_labels is not None:
        model = clone(extractor).fit(fake, np.asarray(fake_labels))
        rows[GENERATED_ROW]["gan_train"] = float(model.score(test, test_labels))
    return pd.DataFrame.from_dict(rows, orient="index")
