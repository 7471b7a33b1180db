"""GANResampler: oversampling with a conditional GAN, in imbalanced-learn's
pipelines or on its own (``fit_resample``)."""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator

from .class_filter import default_filter, draw_accepted
from .synthetic import (
    append_rows,
    generator_and_seeds,
    is_generator,
    n_rows,
    take_rows,
    validate_samples,
)
from .utils.labels import check_n_rows
from .utils.strategy import check_target, labelled_counts, over_sampling_counts
from .utils.validation import (
    RANDOM_STATE,
    InstanceOf,
    Options,
    validate_params,
)

__all__ = ["GANResampler"]

try:  # imbalanced-learn is optional: subclass its sampler base when present,
    # so that its Pipeline, tags and checks recognise the resampler.
    from imblearn.base import BaseSampler as _SamplerBase
except ImportError:  # pragma: no cover - exercised in an environment without it
    _SamplerBase = BaseEstimator


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
        ``ConditionalGAN(epochs=300, class_balance=True)``, or for images
        (4-D arrays and tensors) ``ImageGAN(class_balance=True)``, for
        sequences (3-D ones) ``TimeSeriesGAN(class_balance=True)``.
    sampling_strategy : str, float, dict or callable, default="auto"
        As in imbalanced-learn's over-samplers: ``"auto"`` (same as
        ``"not majority"``), ``"minority"``, ``"not minority"``,
        ``"not majority"`` and ``"all"`` bring those classes to the majority's
        count; a float (binary ``y``) is the wanted minority-to-majority ratio;
        a dict is ``{class: rows wanted}``; a callable ``f(y) -> dict``.
        Asking for fewer rows than a class has is an error.
    filter_classifier : classifier, "auto" or None, default=None
        When given, a clone is fitted on the labelled real rows, and a
        generated row is kept only if it predicts the class the row was
        generated for; rejected rows are replaced by new draws (up to 10
        rounds; an error names the classes still short). On mlc_churn the
        generator's minority rows are about half rejected by gradient
        boosting, and keeping the rest lifted the PR AUC of models trained on
        the resampled rows (see the imbalanced-data guide). It must accept
        the rows as the generator returns them: for a DataFrame with string
        columns, a pipeline that encodes them. ``"auto"`` (tables only) is
        that pipeline ready-made: scikit-learn's
        ``HistGradientBoostingClassifier``, with the non-numeric columns
        ordinal-encoded and declared categorical, datetimes as seconds and
        missing values left as they are.
    random_state : int, RandomState instance or None, default=None
        Seeds the generator (its ``random_state``) and the sampling.

    Attributes
    ----------
    estimator_ : estimator
        The fitted generator.
    sampling_strategy_ : dict
        Rows generated per class.
    filter_acceptance_ : dict or None
        With ``filter_classifier``: the share of generated rows of each class
        that it accepted; else ``None``.
    filter_classifier_ : classifier or None
        With ``filter_classifier``: its clone (with ``"auto"``, the pipeline
        it stands for) fitted on the labelled rows.
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

    Keep only generated rows that a classifier of the real rows assigns to
    their class:

    >>> from sklearn.linear_model import LogisticRegression
    >>> filtered = GANResampler(ConditionalGAN(epochs=60, batch_size=20),
    ...                         filter_classifier=LogisticRegression(),
    ...                         random_state=0)
    >>> X_f, y_f = filtered.fit_resample(X, y)
    >>> judge = filtered.filter_classifier_
    >>> np.bincount(y_f).tolist(), bool((judge.predict(X_f[100:]) == 1).all())
    ([90, 90], True)
    """

    _parameter_constraints = {
        "estimator": [Options((None,)), InstanceOf("a gansynth estimator",
                                                   is_generator)],
        "sampling_strategy": [
            InstanceOf(
                "a str, a float, a dict or a callable",
                lambda v: isinstance(v, str | numbers.Real | dict) or callable(v),
            )
        ],
        "filter_classifier": [
            Options(("auto", None)),
            InstanceOf("a classifier with fit and predict",
                       lambda v: hasattr(v, "fit") and hasattr(v, "predict")),
        ],
        "random_state": RANDOM_STATE,
    }  # fmt: skip

    _sampling_type = "over-sampling"  # imbalanced-learn's kind of sampler

    def __init__(self, estimator=None, *, sampling_strategy="auto",
                 filter_classifier=None, random_state=None):  # fmt: skip
        self.estimator = estimator
        self.sampling_strategy = sampling_strategy
        self.filter_classifier = filter_classifier
        self.random_state = random_state

    def _check(self, X, y):
        validate_params(
            type(self).__name__,
            self.get_params(deep=False),
            self._parameter_constraints,
        )
        labels, one_vs_all = check_target(y)
        X_checked = validate_samples(self, X, reset=True)
        check_n_rows(n_rows(X_checked), len(labels))
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
            Training rows; or images, sequences or a list of (T_i, F)
            sequences for a generator that takes them.
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
        generator, seed = generator_and_seeds(self.estimator, self.random_state, X)
        judge = self.filter_classifier
        if isinstance(judge, str):  # "auto"; built first: images have none
            judge = default_filter(X, seed)
        self.estimator_ = generator.fit(X, y)
        wanted = {c: n for c, n in self.sampling_strategy_.items() if n > 0}
        self.filter_acceptance_ = self.filter_classifier_ = None
        if wanted and judge is not None:
            X_new, y_new, self.filter_acceptance_, self.filter_classifier_ = (
                draw_accepted(self.estimator_, wanted, judge, X, y, seed)
            )
        elif wanted:
            X_new, y_new = self.estimator_.sample(
                y=wanted, return_y=True, random_state=seed
            )
        else:
            X_new, y_new = take_rows(X, slice(0, 0)), y[:0]
        self.sample_indices_ = np.arange(len(y))
        y_new = np.asarray(y_new, dtype=y.dtype)
        return append_rows(X, X_new), np.concatenate([y, y_new])

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
    if isinstance(X, list) and not isinstance(X_out, list):
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
