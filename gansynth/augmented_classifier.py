"""AugmentedClassifier: train any classifier on real plus synthetic rows."""

from __future__ import annotations

import numbers

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, clone
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted, has_fit_parameter

from .synthetic import (
    append_rows,
    generator_and_seeds,
    is_generator,
    n_rows,
    take_rows,
    validate_samples,
)
from .utils.labels import check_n_rows, is_class_count, labelled_classes
from .utils.strategy import check_target
from .utils.validation import (
    RANDOM_STATE,
    InstanceOf,
    Interval,
    Options,
    validate_params,
)

__all__ = ["AugmentedClassifier"]


class AugmentedClassifier(MetaEstimatorMixin, ClassifierMixin, BaseEstimator):
    """Train a classifier on real rows plus rows from a conditional GAN.

    ``fit(X, y)`` fits ``generator`` on the training rows only (inside
    cross-validation: on the training fold only), draws ``n_synthetic``
    labelled rows from it, and fits ``estimator`` on the real labelled rows
    plus the synthetic ones, optionally down-weighted. Predictions come from
    ``estimator``. Unlabelled rows (``y == -1``) teach the generator p(X) but
    never reach the classifier.

    Parameters
    ----------
    estimator : classifier
        The downstream classifier.
    generator : gansynth estimator or None, default=None
        A class-conditional generator; ``None`` means
        ``ConditionalGAN(epochs=300, class_balance=True)``, or for images
        (4-D arrays and tensors) ``ImageGAN(class_balance=True)``, for
        sequences (3-D ones) ``TimeSeriesGAN(class_balance=True)``.
    n_synthetic : float, int or dict, default=1.0
        Synthetic rows: a float is a multiple of the labelled training rows,
        with classes drawn at their training frequencies; an int is a count
        (same frequencies); a dict ``{class: count}`` fixes the classes.
    weight : float or None, default=None
        ``sample_weight`` of a synthetic row (real rows weigh 1), passed to
        ``estimator.fit``; ``None`` passes no weights.
    random_state : int, RandomState instance or None, default=None
        Seeds the generator and the synthetic rows.

    Attributes
    ----------
    generator_ : estimator
        The fitted generator.
    estimator_ : classifier
        The fitted classifier.
    classes_ : ndarray
        Classes of the labelled rows.
    n_synthetic_ : int
        Synthetic rows used.
    n_features_in_ : int
        Number of features seen in ``fit``.
    feature_names_in_ : ndarray
        Column names, when ``X`` was a DataFrame with string names.

    See Also
    --------
    GANResampler : Balance classes in an imbalanced-learn pipeline.

    Examples
    --------
    >>> from sklearn.datasets import load_wine
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from gansynth import AugmentedClassifier, ConditionalGAN
    >>> X, y = load_wine(return_X_y=True)
    >>> clf = AugmentedClassifier(
    ...     make_pipeline(StandardScaler(), LogisticRegression()),
    ...     generator=ConditionalGAN(epochs=2), n_synthetic=0.5, random_state=0,
    ... ).fit(X, y)
    >>> clf.n_synthetic_, clf.predict(X[:3]).shape
    (89, (3,))
    """

    _parameter_constraints = {
        "generator": [Options((None,)), InstanceOf("a gansynth estimator",
                                                   is_generator)],
        "n_synthetic": [
            Interval(numbers.Integral, 0, None),
            Interval(numbers.Real, 0, None),
            InstanceOf("a dict {class: count}", lambda v: isinstance(v, dict)),
        ],
        "weight": [Options((None,)), Interval(numbers.Real, 0, None,
                                              closed="neither")],
        "random_state": RANDOM_STATE,
    }  # fmt: skip

    def __init__(
        self, estimator, *, generator=None, n_synthetic=1.0, weight=None,
        random_state=None,
    ):  # fmt: skip
        self.estimator = estimator
        self.generator = generator
        self.n_synthetic = n_synthetic
        self.weight = weight
        self.random_state = random_state

    def fit(self, X, y):
        """Fit the generator, then the classifier on real plus synthetic rows.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Training rows.
        y : array-like of shape (n_samples,)
            Their classes; ``-1`` marks an unlabelled row.

        Returns
        -------
        self : AugmentedClassifier
            The fitted classifier.
        """
        validate_params(
            type(self).__name__,
            self.get_params(deep=False),
            self._parameter_constraints,
        )
        if self.weight is not None and not has_fit_parameter(
            self.estimator, "sample_weight"
        ):
            raise ValueError(
                f"weight={self.weight!r} needs an estimator whose fit takes "
                f"sample_weight; {type(self.estimator).__name__}.fit does not."
            )
        labels, _ = check_target(y, warn=True)
        X = validate_samples(self, X, reset=True)
        check_n_rows(n_rows(X), len(labels))
        labelled, classes = labelled_classes(labels)
        if isinstance(self.n_synthetic, dict):
            _check_counts(self.n_synthetic, classes)
        generator, seed = generator_and_seeds(self.generator, self.random_state, X)
        self.generator_ = generator.fit(X, labels)
        n_labelled = int(labelled.sum())
        self.classes_ = classes
        if isinstance(self.n_synthetic, dict):
            request = {"y": self.n_synthetic}
        elif isinstance(self.n_synthetic, numbers.Integral):
            request = {"n_samples": int(self.n_synthetic)}
        else:
            request = {"n_samples": round(self.n_synthetic * n_labelled)}
        X_real, y_real = take_rows(X, labelled), labels[labelled]
        if request.get("n_samples", 1) > 0 and (
            "y" not in request or sum(request["y"].values()) > 0
        ):
            X_new, y_new = self.generator_.sample(
                **request, return_y=True, random_state=seed
            )
        else:
            X_new, y_new = take_rows(X_real, slice(0, 0)), y_real[:0]
        self.n_synthetic_ = len(y_new)
        X_all = append_rows(X_real, X_new)
        y_all = np.concatenate([y_real, np.asarray(y_new, dtype=y_real.dtype)])
        fit_params = {}
        if self.weight is not None:
            fit_params["sample_weight"] = np.r_[
                np.ones(len(y_real)), np.full(len(y_new), float(self.weight))
            ]
        self.estimator_ = clone(self.estimator).fit(X_all, y_all, **fit_params)
        return self

    def predict(self, X):
        """Predict classes with the fitted classifier.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Rows to classify.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Predicted classes.
        """
        return self._delegate("predict", X)

    @available_if(lambda self: hasattr(self.estimator, "predict_proba"))
    def predict_proba(self, X):
        """Class probabilities from the fitted classifier.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Rows to classify.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Probabilities, columns in the order of ``classes_``.
        """
        return self._delegate("predict_proba", X)

    @available_if(lambda self: hasattr(self.estimator, "predict_log_proba"))
    def predict_log_proba(self, X):
        """Log class probabilities from the fitted classifier.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Rows to classify.

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
            Log probabilities, columns in the order of ``classes_``.
        """
        return self._delegate("predict_log_proba", X)

    @available_if(lambda self: hasattr(self.estimator, "decision_function"))
    def decision_function(self, X):
        """Decision scores from the fitted classifier.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Rows to score.

        Returns
        -------
        scores : ndarray
            The classifier's decision function.
        """
        return self._delegate("decision_function", X)

    def _delegate(self, method, X):
        """Call the fitted classifier's ``method`` on checked rows."""
        check_is_fitted(self, "estimator_")
        return getattr(self.estimator_, method)(validate_samples(self, X, reset=False))

    def __sklearn_tags__(self):
        from sklearn.utils import get_tags

        tags = super().__sklearn_tags__()
        # Missing values must get through the generator and the classifier.
        tags.input_tags.allow_nan = get_tags(self.estimator).input_tags.allow_nan
        return tags


def _check_counts(counts: dict, classes) -> None:
    """Refuse a ``{class: count}`` request before any fit: a count that is not
    a non-negative int, or a class the labelled rows do not have (checked
    here, since counts that sum to 0 draw nothing and would check nothing)."""
    known = set(classes.tolist())
    for label, count in counts.items():
        if label not in known:
            raise ValueError(
                f"n_synthetic names class {label!r}, which no labelled row has; "
                f"classes: {sorted(known, key=str)}."
            )
        if not is_class_count(count):
            raise ValueError(
                "n_synthetic as a dict maps classes to non-negative int counts of "
                f"synthetic rows; got {count!r} for class {label!r}."
            )
