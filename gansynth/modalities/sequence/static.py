"""Static per-sequence attributes: their encoding, and the conditions that
let ``sample(static=frame)`` generate sequences for given attributes.

A static attribute is one value per sequence (a patient's sex, a sensor's
site). Numeric columns are min-max scaled to [-1, 1]; categorical ones
(strings, categories, booleans, and missing as a category of its own)
become one-hot blocks. The sequence encoder repeats the encoded attributes
at every time step after the sequence's own channels, so the critic judges
attributes and sequence together. The generator draws the attributes itself
(a small head on the first step's noise) or takes given ones from the
context, and feeds them to every step; training gives it the real
attributes of half the batch, so that it learns the sequences that go with
given attributes as well as the attributes themselves.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import torch
import torch.nn.functional as F
from torch import nn

from ..protocol import AuxiliaryNetwork
from ..tabular.columns import (
    ColumnInfo,
    continuous_values,
    describe_column,
    discrete_codes,
    restore_continuous,
    restore_discrete,
)

__all__ = ["StaticConditions", "StaticCritic", "StaticEncoder"]


class StaticEncoder:
    """One row of attributes per sequence to floats, and back.

    Parameters
    ----------
    columns : list
        The static columns, in order.

    Examples
    --------
    >>> import pandas as pd
    >>> from gansynth.modalities.sequence.static import StaticEncoder
    >>> rows = pd.DataFrame({"sex": ["f", "m", "f"], "age": [30, 50, 40]})
    >>> enc = StaticEncoder(["sex", "age"]).fit(rows)
    >>> enc.blocks_
    [('sex', 'categorical', 2), ('age', 'continuous', 1)]
    >>> enc.inverse_transform(enc.transform(rows)).equals(rows)
    True
    """

    def __init__(self, columns):
        self.columns = list(columns)

    def fit(self, frame: pd.DataFrame) -> StaticEncoder:
        self.infos_ = []
        for column in self.columns:
            info = describe_column(frame[column])
            if info.kind == "constant" and info.has_missing and info.categories:
                # One value and missing ones are two states: a category block
                # learns which sequences lack the value.
                info.kind = "discrete"
            if info.kind in ("continuous", "constant") and info.has_missing:
                raise ValueError(
                    f"Static column {column!r} holds numbers or datetimes with "
                    "missing values; fill them, or make the column categorical."
                )
            self.infos_.append(info)
        return self

    @property
    def blocks_(self) -> list[tuple]:
        """``(column, kind, width)`` of every block that has channels
        (a column with one value has none: it is written back as is)."""
        out = []
        for info in self.infos_:
            if info.kind == "continuous":
                out.append((info.name, "continuous", 1))
            elif info.kind == "discrete":
                out.append((info.name, "categorical",
                            len(info.categories) + int(info.has_missing)))  # fmt: skip
        return out

    @property
    def width_(self) -> int:
        return sum(width for _, _, width in self.blocks_)

    def check(self, frame, *, name="static") -> pd.DataFrame:
        if not isinstance(frame, pd.DataFrame):
            raise ValueError(
                f"{name} must be a DataFrame of the static columns "
                f"{self.columns}; got {type(frame).__name__}."
            )
        absent = [c for c in self.columns if c not in frame.columns]
        extra = [c for c in frame.columns if c not in self.columns]
        if absent or extra:
            raise ValueError(
                f"{name} must have exactly the static columns {self.columns}; "
                f"missing {absent}, unknown {extra}."
            )
        if frame.empty:
            raise ValueError(f"{name} has no rows; give one row per sequence.")
        infos = getattr(self, "infos_", None)
        if infos is None:  # fit: the training frame is its own reference
            return frame[self.columns]
        return pd.DataFrame({info.name: _as_fitted(frame[info.name], info, name)
                             for info in infos})  # fmt: skip

    def transform(self, frame, *, name="static") -> np.ndarray:
        frame = self.check(frame, name=name)
        parts = []
        for info in self.infos_:
            series = frame[info.name]
            if info.kind == "continuous":
                values = continuous_values(series, info)
                if np.isnan(values).any():
                    raise ValueError(f"{name} column {info.name!r} has missing values.")
                span = (info.maximum - info.minimum) or 1.0
                parts.append(((values - info.minimum) / span * 2 - 1)[:, None])
            elif info.kind == "discrete":
                codes = discrete_codes(series, info)
                width = len(info.categories) + int(info.has_missing)
                if codes.max(initial=0) >= width:
                    raise ValueError(
                        f"{name} column {info.name!r} has missing values, unseen "
                        "in fit."
                    )
                parts.append(np.eye(width, dtype=np.float64)[codes])
            elif not series.isin(info.categories).all() and info.categories:
                raise ValueError(
                    f"{name} column {info.name!r} held only {info.categories[0]!r} "
                    "in fit; other values cannot be generated for."
                )
        if not parts:
            return np.zeros((len(frame), 0), np.float32)
        return np.concatenate(parts, axis=1).astype(np.float32)

    def inverse_transform(self, Z) -> pd.DataFrame:
        Z = np.asarray(Z, dtype=np.float64)
        data, pos = {}, 0
        for info in self.infos_:
            if info.kind == "continuous":
                span = (info.maximum - info.minimum) or 1.0
                values = (np.clip(Z[:, pos], -1, 1) + 1) / 2 * span + info.minimum
                none = np.zeros(len(Z), bool)
                data[info.name] = restore_continuous(values, none, info).to_numpy()
                pos += 1
            elif info.kind == "discrete":
                width = len(info.categories) + int(info.has_missing)
                codes = Z[:, pos : pos + width].argmax(axis=1)
                data[info.name] = restore_discrete(codes, info).array
                pos += width
            else:  # one value seen in fit
                constant = info.categories[0] if info.categories else info.minimum
                data[info.name] = (
                    pd.Series([constant] * len(Z)).astype(info.pandas_dtype).array
                )
        return pd.DataFrame(data, columns=self.columns)

    def get_state(self) -> list:
        return [info.to_json() for info in self.infos_]

    @classmethod
    def from_state(cls, state) -> StaticEncoder:
        infos = [ColumnInfo.from_json(data) for data in state]
        enc = cls([info.name for info in infos])
        enc.infos_ = infos
        return enc


class StaticConditions:
    """Static attributes as the generator's context: given ones, or none.

    The context of a sample is its encoded attributes followed by a flag, 1
    when they are given (the generator uses them) and 0 when not (it draws
    its own). Training draws rows uniformly (or by ``row_weights``) and
    gives half of them their real attributes.

    Parameters
    ----------
    spec : EncodedSpec
        The sequence encoder's spec: the static blocks (role ``"static"``)
        are its last channels.
    """

    def __init__(self, spec):
        channels, length = spec.sample_shape
        width = sum(b.width for b in spec.blocks if b.role == "static") // length
        self.channels = slice(channels - width, channels)
        self.dim = width + 1

    def training_sampler(self, encoded: torch.Tensor, row_weights=None):
        return _StaticSampler(self, encoded, row_weights)

    def sampling_context(self, n, requested, rng, encoder, labels=None):
        context = np.zeros((n, self.dim), np.float32)
        if requested is None:
            return context, None
        given = encoder.static_encoder_.transform(requested)
        if len(given) != n:
            raise ValueError(
                f"static has {len(given)} rows; it needs one per sample, n_samples={n}."
            )
        context[:, :-1], context[:, -1] = given, 1.0
        return context, None

    def enforce(self, encoded, fixed):
        return encoded

    def get_state(self):
        return {}, {}


class _StaticSampler:
    name = None  # no penalty of its own for the generator

    def __init__(self, conditions: StaticConditions, encoded, row_weights=None):
        self.static = encoded[:, conditions.channels, 0]
        self.row_weights = row_weights

    def draw(self, batch_size: int):
        n, device = len(self.static), self.static.device
        if self.row_weights is None:
            rows = torch.randint(n, (batch_size,), device=device)
        else:
            rows = torch.multinomial(self.row_weights, batch_size, True)
        given = (torch.rand(batch_size, 1, device=device) < 0.5).float()
        return rows, torch.cat([self.static[rows] * given, given], dim=1)

    def generator_penalty(self, fake, context):
        return None


class _PackedStaticCritic(nn.Module):
    """An MLP critic of packs of ``pac`` attribute rows (PacGAN, Lin et al.
    2018), each row joined with its label's one-hot code."""

    def __init__(self, width, hidden=64, n_labels=0, pac=10):
        super().__init__()
        self.n_labels, self.pac = n_labels, pac
        self.net = nn.Sequential(
            nn.Linear(pac * (width + n_labels), hidden), nn.LeakyReLU(0.2),
            nn.Linear(hidden, hidden), nn.LeakyReLU(0.2), nn.Linear(hidden, 1),
        )  # fmt: skip

    def forward(self, static, labels=None):
        if self.n_labels:
            code = F.one_hot(labels, self.n_labels).to(static.dtype)
            static = torch.cat([static, code], dim=1)
        n = len(static) - len(static) % self.pac
        if n == 0:  # fewer rows than a pack: a pack drawn from them
            pick = torch.randint(len(static), (self.pac,), device=static.device)
            static = static[pick]
            n = self.pac
        return self.net(static[:n].reshape(n // self.pac, -1)).squeeze(-1)


class StaticCritic(AuxiliaryNetwork):
    """DoppelGANger's auxiliary discriminator: a critic of the generated
    static attributes alone, beside the critic of whole sequences, scoring
    packs of ``pac`` rows at a time (PacGAN) so that it sees shares.

    Measured on 160 ids whose sex (60.6 % "f") sets the sequence's
    frequency, 1,000 steps, three seeds: with a critic of single attribute
    rows the generator's share of "f" was off by 0.17, 0.18 and 0.03 (with
    the joint critic alone, on 200 such ids, by 0.17 to 0.36: it dropped
    "m"); with packs of
    10, by 0.06, 0.06 and 0.09; with packs of 20, by 0.004, 0.02 and 0.03
    (the sampling error of 400 samples is 0.024). Both terms use the
    non-saturating logistic loss; the generator's term counts only the rows
    whose attributes it drew (context flag 0), and a batch smaller than a
    pack is scored as a pack drawn from it.

    Parameters
    ----------
    spec : EncodedSpec
        The sequence encoder's spec (its static blocks are the last channels).
    n_labels : int
        Label slots (0: unconditional).
    hidden : int, default=64
        Units of its two hidden layers.
    weight : float, default=1.0
        Weight of its term in the generator's loss.
    pac : int, default=20
        Attribute rows per scored pack.
    """

    def __init__(self, spec, n_labels, hidden=64, weight=1.0, pac=20):
        self.channels = StaticConditions(spec).channels
        width = self.channels.stop - self.channels.start
        module = _PackedStaticCritic(width, hidden, n_labels, pac)
        super().__init__("static_critic", module)
        self.weight = weight

    def _score(self, static, labels):
        return self.module(static, labels)

    def loss(self, batch, generator):
        with torch.no_grad():
            free = torch.zeros_like(batch.context)  # every attribute drawn
            fake = generator(batch.noise, batch.labels, free)[:, self.channels, 0]
        real = batch.real[:, self.channels, 0]
        real_out = self._score(real, batch.labels).float()
        fake_out = self._score(fake, batch.labels).float()
        return F.softplus(-real_out).mean() + F.softplus(fake_out).mean()

    def generator_loss(self, batch, fake):
        drawn = batch.context[:, -1] < 0.5
        if not drawn.any():
            return None
        out = self._score(fake[drawn][:, self.channels, 0], batch.labels[drawn]
                          if batch.labels is not None else None).float()  # fmt: skip
        return self.weight * F.softplus(-out).mean()


def _as_fitted(series: pd.Series, info, name) -> pd.Series:
    """``series`` in the dtype its column had in fit, refused by name where
    that changes a number (a float 30.5 for an integer column, a word for a
    number); the samples then have fit's dtypes, as promised. A category
    never seen is left for ``transform`` to name."""
    dtype = info.pandas_dtype
    if isinstance(dtype, pd.CategoricalDtype):
        # pandas 3 deprecates casting a value outside the categories to NaN.
        unknown = series.notna() & ~series.isin(dtype.categories)
        if unknown.any():
            return series.reset_index(drop=True)  # transform names it
    try:
        cast = series.astype(dtype)
    except (TypeError, ValueError) as exc:
        raise ValueError(
            f"{name} column {info.name!r} must hold values of its dtype in fit, "
            f"{info.dtype}; got dtype {series.dtype} ({exc})."
        ) from None
    same = cast.astype(object) == series.astype(object)
    kept = same | (cast.isna() & series.isna())
    if not kept.all() and info.kind == "discrete":
        return series.reset_index(drop=True)  # transform names the unknown value
    if not kept.all():
        first = series[~kept].iloc[0]
        first = first.item() if hasattr(first, "item") else first
        raise ValueError(
            f"{name} column {info.name!r} must hold values of its dtype in fit, "
            f"{info.dtype}; {first!r} is not one."
        )
    return cast.reset_index(drop=True)
