"""Class labels: encoding ``y`` at fit time and resolving ``y`` at sample time."""

from __future__ import annotations

import numbers

import numpy as np
from sklearn.utils.multiclass import check_classification_targets

__all__ = [
    "UNLABELLED",
    "check_n_rows",
    "encode_labels",
    "labelled_classes",
    "resolve_sample_labels",
    "unlabelled_mask",
]

UNLABELLED = -1  # scikit-learn's semi-supervised marker
# Said wherever -1 rows leave too few classes: labels of {-1, 1} are common.
MINUS_ONE_NOTE = (
    "Rows with y == -1 are unlabelled (scikit-learn's semi-supervised marker); "
    "if -1 is one of your classes, recode it, e.g. y = np.where(y == -1, 0, y)."
)


def check_n_rows(n_rows: int, n_labels: int) -> None:
    """``X`` and ``y`` must have as many rows."""
    if n_labels != n_rows:
        raise ValueError(
            f"X and y have inconsistent numbers of rows: X has {n_rows}, "
            f"y has {n_labels}."
        )


def unlabelled_mask(y: np.ndarray) -> np.ndarray:
    """The rows of ``y`` marked unlabelled: the number -1, in a numeric array
    or, as scikit-learn's ``SelfTrainingClassifier`` takes it, among string
    classes in an object array (the string ``"-1"`` is a class)."""
    if np.issubdtype(y.dtype, np.number):
        return y == UNLABELLED
    if y.dtype == object:
        return np.fromiter(
            (isinstance(v, numbers.Integral) and not isinstance(v, bool | np.bool_)
             and v == UNLABELLED for v in y),
            dtype=bool, count=len(y),
        )  # fmt: skip
    return np.zeros(len(y), bool)


def check_labels(y: np.ndarray) -> None:
    """scikit-learn's check of classification targets, on the labelled rows
    (an object array of strings and -1 is otherwise of "unknown" type)."""
    check_classification_targets(y[~unlabelled_mask(y)])


def labelled_classes(labels):
    """The mask of labelled rows (``y != -1``) and the classes among them,
    for a classifier: at least two classes."""
    labelled = ~unlabelled_mask(labels)
    classes = np.unique(labels[labelled])
    if classes.size == 0:
        raise ValueError(
            "y: every row is unlabelled (-1); a classifier needs labelled rows of "
            "at least 2 classes."
        )
    if classes.size < 2:
        raise ValueError(
            f"y has 1 class among its labelled rows, {classes.tolist()}; a "
            f"classifier needs at least 2. {MINUS_ONE_NOTE}"
        )
    return labelled, classes


def encode_labels(y, n_rows: int):
    """Encode ``y`` into integer codes.

    Returns ``(classes, codes, n_unlabelled)``. Unlabelled rows (``y == -1``,
    also among strings in an object array) get the extra code
    ``len(classes)``: they still teach the generator p(X) through that slot,
    and are never sampled as a class.
    """
    y = np.asarray(y)
    if y.ndim != 1:
        if y.ndim == 2 and y.shape[1] == 1:
            raise ValueError(
                f"y must be a 1-D array of class labels; got shape {y.shape}. "
                "Use y.ravel()."
            )
        raise ValueError(f"y must be a 1-D array of class labels; got shape {y.shape}.")
    check_n_rows(n_rows, y.shape[0])
    check_labels(y)
    unlabelled = unlabelled_mask(y)
    classes, codes = np.unique(y[~unlabelled], return_inverse=True)
    if classes.size == 0:
        raise ValueError(
            "y has no labelled row (every entry is -1), and a conditional model "
            "learns from labelled rows. For an unconditional model fit "
            "TabularGAN, ImageGAN or TimeSeriesGAN without y."
        )
    all_codes = np.full(n_rows, classes.size, dtype=np.int64)
    all_codes[~unlabelled] = codes
    return classes, all_codes, int(unlabelled.sum())


def is_class_count(value) -> bool:
    """Whether ``value`` is a number of rows to draw for a class: an int
    (not a bool) of 0 or more."""
    return (
        isinstance(value, numbers.Integral)
        and not isinstance(value, bool)
        and value >= 0
    )


def resolve_sample_labels(y, n_samples, classes, class_prior, rng):
    """Turn the ``y`` argument of ``sample`` into integer codes, one per row.

    ``y`` is ``None`` (draw from ``class_prior``), one class, an array of
    classes, or a ``{class: count}`` dict.
    """
    index = {c.item() if hasattr(c, "item") else c: i for i, c in enumerate(classes)}

    def code(value):
        key = value.item() if hasattr(value, "item") else value
        if key not in index:
            raise ValueError(
                f"Unknown class {value!r} in y; classes seen in fit: "
                f"{list(classes.tolist())}."
            )
        return index[key]

    if y is None:
        n = _default_n(n_samples)
        return rng.choice(len(classes), size=n, p=class_prior)
    if isinstance(y, dict):
        counts = {code(k): v for k, v in y.items()}
        for k, v in y.items():
            if not is_class_count(v):
                raise ValueError(
                    f"Counts in the y dict must be non-negative ints; got {v!r} "
                    f"for class {k!r}."
                )
        total = sum(counts.values())
        _check_total(n_samples, total, "the counts of the y dict")
        return np.repeat(np.array(list(counts), dtype=np.int64), list(counts.values()))
    if np.ndim(y) == 0:
        n = _default_n(n_samples)
        return np.full(n, code(y), dtype=np.int64)
    y = np.asarray(y)
    if y.ndim != 1:
        raise ValueError(
            f"y must be a class, a 1-D array or a dict; got shape {y.shape}."
        )
    _check_total(n_samples, len(y), "len(y)")
    return np.array([code(v) for v in y], dtype=np.int64)


def _default_n(n_samples):
    if n_samples is None:
        raise ValueError("n_samples is required unless y is an array or a dict.")
    return n_samples


def _check_total(n_samples, total, what):
    if n_samples is not None and n_samples != total:
        raise ValueError(
            f"n_samples={n_samples} disagrees with {what}={total}; give one of them."
        )
