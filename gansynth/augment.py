"""Augmentation in pipelines: GANResampler (fit_resample) and AugmentedClassifier."""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, clone
from sklearn.utils import check_random_state
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted, has_fit_parameter

from .conditional import ConditionalGAN
from .modalities.tabular.validation import validate_table
from .utils.labels import check_n_rows, labelled_classes
from .utils.strategy import check_target, labelled_counts, over_sampling_counts
from .utils.validation import (
    RANDOM_STATE,
    InstanceOf,
    Interval,
    Options,
    validate_params,
)

__all__ = ["AugmentedClassifier", "GANResampler"]

try:  # imbalanced-learn is optional: subclass its sampler base when present,
    # so that its Pipeline, tags and checks recognise the resampler.
    from imblearn.base import BaseSampler as _SamplerBase
except ImportError:  # pragma: no cover - exercised in an environment without it
    _SamplerBase = BaseEstimator


def _default_generator(random_state):
    """The generator used when none is given: class-balanced batches, so that
    rare classes are learned as often as common ones, and enough epochs for
    tables of a few hundred rows."""
    return ConditionalGAN(epochs=300, class_balance=True, random_state=random_state)


def _is_generator(value) -> bool:
    return callable(getattr(value, "fit", None)) and callable(
        getattr(value, "sample", None)
    )


def _generator_and_seeds(generator, random_state):
    """A clone of ``generator`` (the default one if ``None``) and the seed for
    sampling. A ``random_state`` given to the wrapper seeds both; ``None``
    leaves the generator's own ``random_state`` in charge."""
    generator = _default_generator(None) if generator is None else clone(generator)
    if random_state is None:
        return generator, None
    seed = int(check_random_state(random_state).randint(np.iinfo(np.int32).max))
    if "random_state" in generator.get_params():
        generator.set_params(random_state=seed)
    return generator, seed + 1


def _append_rows(X, X_new):
    """Real rows first, unchanged, then the synthetic ones, in X's container."""
    if isinstance(X, pd.DataFrame):
        return pd.concat([X, X_new], ignore_index=True)
    X_new = np.asarray(X_new)
    return np.concatenate([X, X_new.astype(X.dtype, copy=False)])


class GANResampler(_SamplerBase):
    """Over-sample classes with a conditional GAN, in an imbalanced-learn pipeline.

    ``fit_resample(X, y)`` fits a clone of ``estimator`` on ``(X, y)`` and
    appends generated rows of the classes that ``sampling_strategy`` asks for,
    after the real rows, which come back unchanged and first. A drop-in for
    ``SMOTE`` in :class:`imblearn.pipeline.Pipeline`; it works without
    imbalanced-learn installed too (``fit_resample`` is then plain).

    Parameters
    ----------
    estimator : gansynth estimator or None, default=None
        A class-conditional generator with ``fit(X, y)`` and
        ``sample(y={class: count})``. ``None`` means
        ``ConditionalGAN(epochs=300, class_balance=True)``.
    sampling_strategy : str, float, dict or callable, default="auto"
        As in imbalanced-learn's over-samplers: ``"auto"`` (same as
        ``"not majority"``), ``"minority"``, ``"not minority"``,
        ``"not majority"`` and ``"all"`` bring those classes to the majority's
        count; a float (binary ``y``) is the wanted minority-to-majority ratio;
        a dict is ``{class: rows wanted}``; a callable ``f(y) -> dict``.
        Asking for fewer rows than a class has is an error.
    random_state : int, RandomState instance or None, default=None
        Seeds the generator (its ``random_state``) and the sampling.

    Attributes
    ----------
    estimator_ : estimator
        The fitted generator.
    sampling_strategy_ : dict
        Rows generated per class.
    sample_indices_ : ndarray of shape (n_samples,)
        Positions of the real rows in the output: ``0 .. n_samples-1``, as the
        real rows come first.
    n_features_in_ : int
        Number of features seen in ``fit_resample``.
    feature_names_in_ : ndarray
        Column names, when ``X`` was a DataFrame with string names.

    See Also
    --------
    AugmentedClassifier : Train a classifier on real plus synthetic rows.

    Examples
    --------
    >>> import numpy as np
    >>> from gansynth import ConditionalGAN, GANResampler
    >>> rng = np.random.default_rng(0)
    >>> X = np.concatenate([rng.normal(0, 1, (90, 3)), rng.normal(3, 1, (10, 3))])
    >>> y = np.array([0] * 90 + [1] * 10)
    >>> resampler = GANResampler(ConditionalGAN(epochs=2), random_state=0)
    >>> X_res, y_res = resampler.fit_resample(X, y)
    >>> np.bincount(y_res).tolist(), bool((X_res[:100] == X).all())
    ([90, 90], True)
    """

    _parameter_constraints = {
        "estimator": [Options((None,)), InstanceOf("a gansynth estimator",
                                                   _is_generator)],
        "sampling_strategy": [
            InstanceOf(
                "a str, a float, a dict or a callable",
                lambda v: isinstance(v, str | numbers.Real | dict) or callable(v),
            )
        ],
        "random_state": RANDOM_STATE,
    }  # fmt: skip

    _sampling_type = "over-sampling"  # imbalanced-learn's kind of sampler

    def __init__(self, estimator=None, *, sampling_strategy="auto", random_state=None):
        self.estimator = estimator
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state

    def _check(self, X, y):
        validate_params(
            type(self).__name__,
            self.get_params(deep=False),
            self._parameter_constraints,
        )
        labels, one_vs_all = check_target(y)
        X_checked = validate_table(self, X, reset=True)
        check_n_rows(X_checked.shape[0], len(labels))
        counts = over_sampling_counts(self.sampling_strategy, labels)
        stats = labelled_counts(labels)
        rare = [c for c, n in counts.items() if n > 0 and stats[c] < 2]
        if rare:
            raise ValueError(
                f"y: classes {rare} have only 1 sample each; a generator needs at "
                "least 2 rows of a class to learn it (drop, merge or leave them out "
                "of sampling_strategy)."
            )
        return X_checked, labels, one_vs_all, counts

    def fit(self, X, y):
        """Check the data and work out ``sampling_strategy_``, without training.

        Use :meth:`fit_resample`, which trains the generator.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Training rows.
        y : array-like of shape (n_samples,)
            Their classes (``-1``: unlabelled, used by the generator only).

        Returns
        -------
        self : GANResampler
            This resampler.
        """
        self.sampling_strategy_ = self._check(X, y)[3]
        return self

    def fit_resample(self, X, y):
        """Fit the generator on ``(X, y)`` and return the real plus new rows.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Training rows.
        y : array-like of shape (n_samples,)
            Their classes. Rows with ``y == -1`` (unlabelled) teach the
            generator p(X) and come back unchanged; no row of -1 is generated.

        Returns
        -------
        X_resampled : same container as X
            The real rows, unchanged, then the generated ones; DataFrames keep
            their columns and dtypes (with a fresh RangeIndex).
        y_resampled : same container as y
            Their classes.
        """
        X_checked, labels, one_vs_all, counts = self._check(X, y)
        self.sampling_strategy_ = counts
        X_out, y_out = self._fit_resample(X_checked, labels)
        return _like_input(X, X_out), _like_target(y, y_out, one_vs_all)

    def _fit_resample(self, X, y):
        """Resample checked data by ``sampling_strategy_`` (imbalanced-learn's
        hook; :meth:`fit_resample` checks the input and converts the output)."""
        generator, seed = _generator_and_seeds(self.estimator, self.random_state)
        self.estimator_ = generator.fit(X, y)
        wanted = {c: n for c, n in self.sampling_strategy_.items() if n > 0}
        if wanted:
            X_new, y_new = self.estimator_.sample(
                y=wanted, return_y=True, random_state=seed
            )
        else:
            X_new, y_new = X[:0], y[:0]
        self.sample_indices_ = np.arange(len(y))
        y_new = np.asarray(y_new, dtype=y.dtype)
        return _append_rows(X, X_new), np.concatenate([y, y_new])

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True  # the tabular generator learns them
        tags.input_tags.sparse = False
        tags.input_tags.string = True
        sampler_tags = getattr(tags, "sampler_tags", None)
        if sampler_tags is not None:
            sampler_tags.sample_indices = True
        return tags


def _like_input(X, X_out):
    """Lists in, lists out (imbalanced-learn's convention); else as built."""
    if isinstance(X, list):
        return X_out.tolist()
    return X_out


def _like_target(y, y_out, one_vs_all):
    if one_vs_all:
        classes = np.arange(np.asarray(y).shape[1])
        y_out = (y_out[:, None] == classes).astype(np.asarray(y).dtype)
    if isinstance(y, pd.Series):
        return pd.Series(y_out, name=y.name, dtype=y.dtype)
    if isinstance(y, pd.DataFrame):
        if one_vs_all:
            return pd.DataFrame(y_out, columns=y.columns)
        return pd.DataFrame({y.columns[0]: y_out}).astype(y.dtypes.to_dict())
    if isinstance(y, list):
        return y_out.tolist()
    if np.ndim(y) == 2 and not one_vs_all:
        return y_out.reshape(-1, 1)
    return y_out


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
        ``ConditionalGAN(epochs=300, class_balance=True)``.
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
                                                   _is_generator)],
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
        X = validate_table(self, X, reset=True)
        check_n_rows(X.shape[0], len(labels))
        labelled, classes = labelled_classes(labels)
        generator, seed = _generator_and_seeds(self.generator, self.random_state)
        self.generator_ = generator.fit(X, labels)
        n_labelled = int(labelled.sum())
        self.classes_ = classes
        if isinstance(self.n_synthetic, dict):
            request = {"y": self.n_synthetic}
        elif isinstance(self.n_synthetic, numbers.Integral):
            request = {"n_samples": int(self.n_synthetic)}
        else:
            request = {"n_samples": round(self.n_synthetic * n_labelled)}
        X_real, y_real = _take(X, labelled), labels[labelled]
        if request.get("n_samples", 1) > 0 and (
            "y" not in request or sum(request["y"].values()) > 0
        ):
            X_new, y_new = self.generator_.sample(
                **request, return_y=True, random_state=seed
            )
        else:
            X_new, y_new = _take(X_real, slice(0, 0)), y_real[:0]
        self.n_synthetic_ = len(y_new)
        X_all = _append_rows(X_real, X_new)
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
        return getattr(self.estimator_, method)(validate_table(self, X, reset=False))

    def __sklearn_tags__(self):
        from sklearn.utils import get_tags

        tags = super().__sklearn_tags__()
        # Missing values must get through the generator and the classifier.
        tags.input_tags.allow_nan = get_tags(self.estimator).input_tags.allow_nan
        return tags


def _take(X, rows):
    return (
        X.iloc[rows].reset_index(drop=True) if isinstance(X, pd.DataFrame) else X[rows]
    )
