"""The numeric-vector modality: standardised float columns and MLPs.

This is the first, minimal modality: every column is a number. Mixed-type
tables (categories, missing values, datetimes) belong to the tabular modality.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
from sklearn.utils.validation import validate_data
from torch import nn

from ..utils.validation import WIDTHS, Options
from .classifier import BoundedMLPGenerator, mlp_classifier
from .conditioning import LabelEmbedding, ProjectionHead
from .protocol import Block, EncodedSpec, Modality
from .registry import register_modality

__all__ = ["MLPDiscriminator", "MLPGenerator", "NumericEncoder", "NumericModality"]


class NumericEncoder:
    """Standardise numeric columns; restore container, dtypes and ranges.

    Written by hand rather than wrapping ``StandardScaler`` because the whole
    state must round-trip through tensors + JSON (no pickle), and because the
    inverse also restores what the user gave: a DataFrame with its column
    names and dtypes, or an array of the same dtype; integer and boolean
    columns come back rounded and clipped to the range seen in ``fit``.

    Parameters
    ----------
    scaling : {"standard", "minmax"}, default="standard"
        Standardise each column (mean 0, standard deviation 1), or map its
        seen range onto [0, 1]. Min-max suits pixels, where standardising
        would blow up the rare values of nearly constant border pixels.

    Examples
    --------
    >>> import numpy as np
    >>> from gansynth.modalities import NumericEncoder
    >>> X = np.array([[1, 10], [3, 30]])
    >>> enc = NumericEncoder().fit(X)
    >>> enc.transform(X)
    array([[-1., -1.],
           [ 1.,  1.]], dtype=float32)
    >>> enc.inverse_transform(np.array([[0.2, 5.0]]))
    array([[ 2, 30]])
    """

    def __init__(self, scaling="standard"):
        if scaling not in ("standard", "minmax"):
            raise ValueError(
                f"scaling must be 'standard' or 'minmax'; got {scaling!r}."
            )
        self.scaling = scaling

    def fit(self, X):
        self.is_frame_ = isinstance(X, pd.DataFrame)
        if self.is_frame_:
            self.columns_ = list(X.columns)
            self.dtypes_ = [str(t) for t in X.dtypes]
        else:
            X = np.asarray(X)
            self.columns_ = None
            self.dtypes_ = [str(X.dtype)] * X.shape[1]
        values = self._values(X)
        self.min_ = values.min(axis=0)
        self.max_ = values.max(axis=0)
        if self.scaling == "minmax":
            self.mean_, spread = self.min_, self.max_ - self.min_
        else:
            self.mean_, spread = values.mean(axis=0), values.std(axis=0)
        # A constant column keeps scale 1, so it encodes to 0 and decodes back.
        self.scale_ = np.where(spread > 0, spread, 1.0)
        self.spec_ = EncodedSpec(
            tuple(Block(str(name), "continuous", 1) for name in self._names())
        )
        return self

    def _names(self):
        if self.columns_ is not None:
            return self.columns_
        return [f"x{i}" for i in range(len(self.dtypes_))]

    @staticmethod
    def _values(X) -> np.ndarray:
        if isinstance(X, pd.DataFrame):
            X = X.to_numpy(dtype=np.float64)
        return np.asarray(X, dtype=np.float64)

    def transform(self, X) -> np.ndarray:
        return ((self._values(X) - self.mean_) / self.scale_).astype(np.float32)

    def inverse_transform(self, Z):
        values = np.asarray(Z, dtype=np.float64) * self.scale_ + self.mean_
        columns = []
        for j, dtype in enumerate(self.dtypes_):
            col = values[:, j]
            kind = pd.api.types.pandas_dtype(dtype).kind
            if kind in "iub":  # integers and booleans: round into the seen range
                col = np.clip(np.rint(col), self.min_[j], self.max_[j])
            columns.append(col)
        if self.is_frame_:
            return pd.DataFrame(
                {
                    name: pd.Series(col).astype(dtype)
                    for name, col, dtype in zip(
                        self.columns_, columns, self.dtypes_, strict=True
                    )
                }
            )
        out = np.column_stack(columns) if columns else values
        return out.astype(self.dtypes_[0]) if self.dtypes_ else out

    def get_state(self):
        arrays = {
            "mean": self.mean_,
            "scale": self.scale_,
            "min": self.min_,
            "max": self.max_,
        }
        meta = {
            "is_frame": self.is_frame_,
            "columns": self.columns_,
            "dtypes": self.dtypes_,
            "spec": self.spec_.to_json(),
            "scaling": self.scaling,
        }
        return arrays, meta

    @classmethod
    def from_state(cls, arrays, meta):
        enc = cls(meta.get("scaling", "standard"))
        enc.mean_, enc.scale_ = arrays["mean"], arrays["scale"]
        enc.min_, enc.max_ = arrays["min"], arrays["max"]
        enc.is_frame_ = meta["is_frame"]
        enc.columns_ = meta["columns"]
        enc.dtypes_ = meta["dtypes"]
        enc.spec_ = EncodedSpec.from_json(meta["spec"])
        return enc


def _mlp(widths, activation) -> list[nn.Module]:
    layers: list[nn.Module] = []
    for w_in, w_out in itertools.pairwise(widths):
        layers += [nn.Linear(w_in, w_out), activation()]
    return layers


class MLPGenerator(nn.Module):
    """``G(z, y)``: noise (and a label embedding) through an MLP to a row.

    Parameters
    ----------
    latent_dim : int
        Size of the noise vector.
    output_dim : int
        Size of an encoded row.
    hidden : sequence of int
        Widths of the hidden layers (ReLU).
    n_labels : int, default=0
        Number of label slots; 0 for an unconditional generator.
    """

    def __init__(self, latent_dim, output_dim, hidden=(128, 128), n_labels=0):
        super().__init__()
        self.condition = LabelEmbedding(n_labels, latent_dim) if n_labels else None
        in_dim = latent_dim + (self.condition.width if n_labels else 0)
        widths = [in_dim, *hidden]
        self.body = nn.Sequential(*_mlp(widths, nn.ReLU))
        self.out = nn.Linear(widths[-1], output_dim)

    def forward(self, z, labels=None):
        if self.condition is not None:
            z = self.condition(z, labels)
        return self.out(self.body(z))


class MLPDiscriminator(nn.Module):
    """``D(x, y)``: an MLP (LeakyReLU 0.2) to one score, with a projection head.

    No batch norm, so it suits every loss including WGAN-GP.

    Parameters
    ----------
    input_dim : int
        Size of an encoded row.
    hidden : sequence of int
        Widths of the hidden layers.
    n_labels : int, default=0
        Number of label slots; 0 for an unconditional critic.
    """

    def __init__(self, input_dim, hidden=(128, 128), n_labels=0):
        super().__init__()
        widths = [input_dim, *hidden]
        self.body = nn.Sequential(*_mlp(widths, lambda: nn.LeakyReLU(0.2)))
        self.out = nn.Linear(widths[-1], 1)
        self.projection = ProjectionHead(n_labels, widths[-1]) if n_labels else None

    def forward(self, x, labels=None):
        h = self.body(x)
        score = self.out(h).squeeze(-1)
        if self.projection is not None:
            score = score + self.projection(h, labels)
        return score


@register_modality
class NumericModality(Modality):
    """Numeric vectors: :class:`NumericEncoder` with MLP networks.

    Chosen by name only (``modality="numeric"``): ``"auto"`` gives 2-D data
    to the tabular modality.

    Parameters
    ----------
    generator_dims, discriminator_dims : sequence of int, default=(128, 128)
        Hidden widths of the two MLPs (and of the classifier).
    scaling : {"standard", "minmax"}, default="standard"
        The encoder's scaling. With "minmax" rows lie in [0, 1] and the
        generator ends in a sigmoid (:class:`BoundedMLPGenerator`, Salimans
        et al.'s generator for MNIST); with "standard", a linear output.

    Examples
    --------
    >>> import numpy as np
    >>> from gansynth.modalities import NumericModality
    >>> m = NumericModality((16,), (16,), scaling="minmax")
    >>> enc = m.make_encoder().fit(np.arange(6.0).reshape(3, 2))
    >>> type(m.build_generator(4, enc.spec_, 0)).__name__
    'BoundedMLPGenerator'
    """

    name = "numeric"
    parameter_constraints = {
        "generator_dims": WIDTHS,
        "discriminator_dims": WIDTHS,
        "scaling": [Options(("standard", "minmax"))],
    }

    def __init__(self, generator_dims=(128, 128), discriminator_dims=(128, 128),
                 scaling="standard"):  # fmt: skip
        self.generator_dims = tuple(generator_dims)
        self.discriminator_dims = tuple(discriminator_dims)
        self.scaling = scaling

    def validate_input(self, estimator, X, *, reset):
        return validate_data(estimator, X, reset=reset, dtype=np.float64)

    def make_encoder(self) -> NumericEncoder:
        return NumericEncoder(self.scaling)

    def encoder_from_state(self, arrays, meta) -> NumericEncoder:
        return NumericEncoder.from_state(arrays, meta)

    def build_generator(self, latent_dim, spec, n_labels, context_dim=0):
        if self.scaling == "minmax":
            return BoundedMLPGenerator(
                latent_dim, spec.dim, self.generator_dims, n_labels
            )
        return MLPGenerator(latent_dim, spec.dim, self.generator_dims, n_labels)

    def build_discriminator(self, spec, n_labels, context_dim=0) -> nn.Module:
        return MLPDiscriminator(spec.dim, self.discriminator_dims, n_labels)

    def build_classifier(self, spec, n_classes, options):
        return mlp_classifier(spec, n_classes, self.discriminator_dims, options)
