"""Per-feature scaling of sequence values to the generator's [-1, 1]."""

from __future__ import annotations

import numpy as np
from scipy.stats import kurtosis
from sklearn.preprocessing import QuantileTransformer

__all__ = ["HEAVY_TAIL_KURTOSIS", "SCALINGS", "FeatureScaling"]

SCALINGS = ("minmax", "quantile", "auto")
# "auto" maps a feature by quantile when its excess kurtosis is above this
# (a normal has 0, a Laplace 3, an exponential 6): a spiky or long-tailed
# feature, which min-max scaling squeezes into a corner of the tanh range.
HEAVY_TAIL_KURTOSIS = 3.0


class FeatureScaling:
    """Scale each feature to [-1, 1] over its observed values, and back.

    ``"minmax"`` maps each feature's range linearly. ``"quantile"`` maps a
    value to its quantile among the feature's training values (scikit-learn's
    :class:`~sklearn.preprocessing.QuantileTransformer`, 1,000 quantiles,
    uniform output), so every marginal becomes uniform: a skewed or spiky
    feature (an appliance's power, mostly near zero) is as easy for the
    generator's tanh as a symmetric one, and decoding puts generated values
    back on the training marginal. ``"auto"`` maps by quantile the features
    whose excess kurtosis is above ``HEAVY_TAIL_KURTOSIS`` (3) and the others
    by min-max. NaN passes through all three.

    Parameters
    ----------
    kind : {"minmax", "quantile", "auto"}
        The scaling.

    Examples
    --------
    >>> import numpy as np
    >>> from gansynth.modalities.sequence.scaling import FeatureScaling
    >>> values = np.array([[0.0], [1.0], [1.0], [10.0]])
    >>> FeatureScaling("minmax").fit(values).transform(values).ravel().tolist()
    [-1.0, -0.8, -0.8, 1.0]
    >>> q = FeatureScaling("quantile").fit(values)
    >>> bool(np.allclose(q.inverse_transform(q.transform(values)), values))
    True
    >>> spiky = np.c_[np.linspace(0, 1, 100), np.r_[np.zeros(95), np.ones(5)]]
    >>> FeatureScaling("auto").fit(spiky).quantile_columns_.tolist()
    [False, True]
    """

    def __init__(self, kind="minmax"):
        if kind not in SCALINGS:
            raise ValueError(f"scaling must be one of {SCALINGS}; got {kind!r}.")
        self.kind = kind

    def fit(self, values: np.ndarray) -> FeatureScaling:
        """Fit on ``(n_steps, F)`` values (NaN is missing)."""
        self.min_ = np.nanmin(values, axis=0)
        span = np.nanmax(values, axis=0) - self.min_
        # A constant feature keeps a span of 0, so that every sample of it is
        # the constant (transform divides by 1 there).
        self.scale_ = span
        if self.kind == "auto":
            # A constant feature has no tails (and scipy warns on it).
            varied = span > 0
            tails = np.zeros(len(span))
            tails[varied] = kurtosis(values[:, varied], axis=0, nan_policy="omit")
            self.quantile_columns_ = tails > HEAVY_TAIL_KURTOSIS
        else:
            self.quantile_columns_ = np.full(values.shape[1], self.kind == "quantile")
        self.quantile_ = None
        if self.quantile_columns_.any():
            quantile = QuantileTransformer(n_quantiles=int(min(1000, len(values))),
                                           subsample=None)  # fmt: skip
            self.quantile_ = quantile.fit(values[:, self.quantile_columns_])
        return self

    def transform(self, values: np.ndarray) -> np.ndarray:
        """``(n, F)`` values to [-1, 1] (NaN kept)."""
        unit = (values - self.min_) / np.where(self.scale_ > 0, self.scale_, 1.0)
        if self.quantile_ is not None:
            columns = self.quantile_columns_
            unit[:, columns] = self.quantile_.transform(values[:, columns])
        return unit * 2 - 1

    def inverse_transform(self, scaled: np.ndarray) -> np.ndarray:
        """``(n, F)`` values in [-1, 1] (clipped) back to the data's units."""
        unit = (np.clip(scaled, -1, 1) + 1) / 2
        values = unit * self.scale_ + self.min_
        if self.quantile_ is not None:
            columns = self.quantile_columns_
            values[:, columns] = self.quantile_.inverse_transform(unit[:, columns])
        return values

    def get_state(self) -> dict:
        arrays = {"min": self.min_, "scale": self.scale_}
        if self.quantile_ is not None:
            arrays["quantiles"] = self.quantile_.quantiles_
            arrays["quantile_columns"] = self.quantile_columns_.astype(np.uint8)
        return arrays

    @classmethod
    def from_state(cls, arrays: dict, kind="minmax") -> FeatureScaling:
        scaling = cls(kind)
        scaling.min_ = np.asarray(arrays["min"])
        scaling.scale_ = np.asarray(arrays["scale"])
        scaling.quantile_ = None
        n_features = len(scaling.min_)
        # Files written before "auto" mapped every feature by quantile or none.
        columns = arrays.get("quantile_columns")
        scaling.quantile_columns_ = (
            np.full(n_features, kind == "quantile") if columns is None
            else np.asarray(columns).astype(bool)
        )  # fmt: skip
        quantiles = arrays.get("quantiles")
        if quantiles is not None:  # the fitted transformer, from its quantiles
            quantiles = np.asarray(quantiles)
            quantile = QuantileTransformer(n_quantiles=len(quantiles))
            quantile.quantiles_ = quantiles
            quantile.references_ = np.linspace(0, 1, len(quantiles))
            quantile.n_features_in_ = quantiles.shape[1]
            scaling.quantile_ = quantile
        return scaling
