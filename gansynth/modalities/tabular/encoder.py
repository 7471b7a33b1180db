"""TabularEncoder: any table to one float matrix of typed blocks, and back."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..protocol import Block
from .columns import (
    check_known_columns,
    continuous_values,
    describe_column,
    discrete_codes,
    restore_continuous,
    restore_discrete,
)
from .derived import check_derived, derive_columns, find_derived
from .encoder_state import encoder_state, restore_encoder
from .logged import choose_logged
from .mixture import ColumnMixtures, assign_modes, point_modes
from .one_hot import block_codes, one_hot
from .unseen_pairs import (
    TabularSpec,
    categorical_spans,
    describe_pairs,
    find_unseen_pairs,
)

__all__ = ["TabularEncoder"]

# A value is stored as its offset from its mode's mean in units of
# SCALE x the mode's standard deviation, so that the generator's tanh covers
# +-4 standard deviations around each mode (Xu et al. 2019 use the same).
SCALE = 4.0
FRAGMENTED_BLOCKS = 100  # pandas' PerformanceWarning threshold


class TabularEncoder:
    """Encode a DataFrame or a 2-D array for a GAN, and decode its samples.

    Continuous columns get mode-specific normalisation: a variational
    Gaussian mixture per column (:class:`ColumnMixtures`, all columns fitted
    together) picks the modes; a value becomes a scalar within its mode plus a
    one-hot of the mode. Discrete columns become one-hots. A column with
    missing values gets a two-way missing indicator (discrete columns: one
    more category), so missingness is learned at its rate. Constant columns
    take no space and come back constant.

    Decoding restores the container (DataFrame with the same columns and
    dtypes and a fresh RangeIndex, or an array of the same dtype), integer
    columns rounded into their seen range, categories with their order,
    datetimes with their time zone, datetimes and durations in their
    written unit, and missing values in the form the column used (NaN,
    None, NA, NaT).

    Parameters
    ----------
    discrete_columns : list or None, default=None
        Columns to treat as discrete although numeric (labels of a DataFrame,
        or positions for an array). Non-numeric columns are always discrete.
    max_modes : int, default=10
        Upper bound on the modes of a continuous column.
    weight_threshold : float, default=0.005
        Mixture components with less weight are dropped.
    log_columns : "auto", list or None, default="auto"
        Continuous columns encoded (and generated) as their logarithm, and
        exponentiated back on decoding. ``"auto"`` picks the columns whose
        values are all positive and whose skewness exceeds 2 (long right
        tails: wages, incomes, prices); a list names them (their values must
        be positive); ``None`` logs none.
    derived_columns : "auto" or None, default="auto"
        ``"auto"``: a continuous column that is an affine function of an
        earlier continuous column on every row, up to the decimals it was
        written with (a charge = rate x minutes), is not encoded; decoding
        computes it from that column (``gansynth.modalities.tabular.derived``
        says how it is found).
        ``None`` encodes every column.
    unseen_pairs : "auto" or None, default="auto"
        ``"auto"``: pairs of categories (of discrete columns, of the modes of
        numeric columns, of missing values) that no training row combines,
        where independence would expect at least 20 rows, are found in fit
        and never drawn together when sampling
        (``gansynth.modalities.tabular.unseen_pairs`` says why). ``None``
        draws every block on its own.

    Attributes
    ----------
    columns_ : list of ColumnInfo
        What each column is.
    log_columns_ : list
        The columns encoded as their logarithm.
    derived_columns_ : dict
        ``{column: (source, slope, intercept)}``: the columns computed on
        decoding as ``slope * source + intercept``, rounded as written.
    unseen_pairs_ : list
        ``((block, category), (block, category))`` pairs never drawn
        together.
    spec_ : TabularSpec
        The blocks of an encoded row, and the unseen pairs.

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> from gansynth.modalities.tabular import TabularEncoder
    >>> rng = np.random.default_rng(0)
    >>> df = pd.DataFrame({"age": rng.integers(18, 90, 300),
    ...                    "city": rng.choice(["Oslo", "Lima"], 300)})
    >>> enc = TabularEncoder().fit(df)
    >>> [(b.name, b.kind, b.width) for b in enc.spec_.blocks][-1]
    ('city', 'categorical', 2)
    >>> enc.inverse_transform(enc.transform(df)).equals(df)
    True
    >>> wages = pd.DataFrame({"wage": rng.lognormal(6, 1.0, 300), "age": df["age"]})
    >>> TabularEncoder().fit(wages).log_columns_
    ['wage']
    >>> calls = pd.DataFrame({"minutes": np.round(rng.uniform(0, 300, 300), 1)})
    >>> calls["charge"] = np.round(0.17 * calls["minutes"], 2)  # cents
    >>> source, slope, _ = TabularEncoder().fit(calls).derived_columns_["charge"]
    >>> source, round(slope, 6)
    ('minutes', 0.17)
    """

    def __init__(
        self,
        discrete_columns=None,
        max_modes=10,
        weight_threshold=0.005,
        log_columns="auto",
        derived_columns="auto",
        unseen_pairs="auto",
    ):
        self.discrete_columns = discrete_columns
        self.max_modes = max_modes
        self.weight_threshold = weight_threshold
        self.log_columns = log_columns
        self.derived_columns = derived_columns
        self.unseen_pairs = unseen_pairs

    # -- containers -----------------------------------------------------------
    def _to_frame(self, X) -> pd.DataFrame:
        if isinstance(X, pd.DataFrame):
            return X
        X = np.asarray(X)
        if X.ndim != 2:
            raise ValueError(f"X must be 2-D; got an array of shape {X.shape}.")
        return pd.DataFrame(X)

    def fit(self, X):
        self.is_frame_ = isinstance(X, pd.DataFrame)
        self.array_dtype_ = None if self.is_frame_ else str(np.asarray(X).dtype)
        frame = self._to_frame(X)
        # The columns' own names (columns.name, a MultiIndex's level names).
        self.column_names_ = list(frame.columns.names)
        self.multi_columns_ = isinstance(frame.columns, pd.MultiIndex)
        if frame.shape[0] == 0 or frame.shape[1] == 0:
            raise ValueError(
                f"X is empty (shape {frame.shape}); at least one row and one column "
                "are needed."
            )
        if frame.columns.has_duplicates:
            dup = frame.columns[frame.columns.duplicated()].unique().tolist()
            raise ValueError(
                f"X has duplicate column names {dup}; names must be unique."
            )
        discrete = set(self.discrete_columns or ())
        check_known_columns("discrete_columns", discrete, frame)
        self.columns_ = [
            describe_column(frame[c], discrete=c in discrete) for c in frame
        ]
        self._derived = self._find_derived(frame)
        for relation in self._derived:
            self.columns_[relation.target].kind = "derived"
        cont = [i for i, c in enumerate(self.columns_) if c.kind == "continuous"]
        self._continuous = cont
        self._logged = choose_logged(
            self.log_columns, frame, self.columns_, self._continuous
        )
        if cont:
            values = np.column_stack(
                [
                    self._continuous_values(frame.iloc[:, i], k)
                    for k, i in enumerate(cont)
                ]
            )
            mix = ColumnMixtures(
                n_components=self.max_modes, weight_threshold=self.weight_threshold
            ).fit(values)
            self._set_modes(mix.means_, mix.stds_, mix.active_)
        else:
            values = np.zeros((len(frame), 0))
            self._set_modes(np.zeros((0, 1)), np.ones((0, 1)), np.zeros((0, 1), bool))
        self.mode_points_ = np.full_like(self.mode_means_, np.nan)
        for k, n_modes in enumerate(self.n_modes_):
            self.mode_points_[k, :n_modes] = point_modes(
                values[:, k],
                self.mode_means_[k, :n_modes],
                self.mode_stds_[k, :n_modes],
            )
        self._unseen = ()
        self.spec_ = self._make_spec()
        if self.unseen_pairs == "auto":
            self._unseen = find_unseen_pairs(self.transform(frame), self.spec_)
            self.spec_ = self._make_spec()
        elif self.unseen_pairs is not None:
            raise ValueError(
                f"unseen_pairs must be 'auto' or None; got {self.unseen_pairs!r}."
            )
        return self

    def _find_derived(self, frame) -> list:
        if self.derived_columns is None:
            return []
        if self.derived_columns != "auto":
            raise ValueError(
                f"derived_columns must be 'auto' or None; got {self.derived_columns!r}."
            )
        keep = () if isinstance(self.log_columns, str | None) else self.log_columns
        return find_derived(frame, self.columns_, keep=set(keep))

    @property
    def derived_columns_(self) -> dict:
        names = [info.name for info in self.columns_]
        return {
            names[r.target]: (names[r.source], r.slope, r.intercept)
            for r in self._derived
        }

    @property
    def unseen_pairs_(self) -> list:
        return describe_pairs(self._unseen, self.spec_, self.columns_)

    @property
    def log_columns_(self) -> list:
        return [self.columns_[self._continuous[k]].name for k in self._logged]

    def _continuous_values(self, series, k) -> np.ndarray:
        """The values the mixture of continuous column ``k`` sees: logged
        where asked."""
        info = self.columns_[self._continuous[k]]
        x = continuous_values(series, info)
        if k not in self._logged:
            return x
        if np.nanmin(x, initial=np.inf) <= 0:
            raise ValueError(
                f"Column {info.name!r} is encoded as its logarithm (log_columns) "
                f"and needs positive values; got {np.nanmin(x):g}."
            )
        return np.log(x)

    def _set_modes(self, means, stds, active):
        """Keep only the active components, packed to the front of each row."""
        order = np.argsort(~active, axis=1, kind="stable")
        self.mode_means_ = np.take_along_axis(means, order, axis=1)
        self.mode_stds_ = np.take_along_axis(stds, order, axis=1)
        self.n_modes_ = active.sum(axis=1)
        width = max(1, int(self.n_modes_.max())) if len(self.n_modes_) else 1
        self.mode_means_ = self.mode_means_[:, :width]
        self.mode_stds_ = self.mode_stds_[:, :width]

    def _make_spec(self) -> TabularSpec:
        blocks = []
        modes = dict(zip(self._continuous, self.n_modes_, strict=True))
        for i, info in enumerate(self.columns_):
            name = str(info.name)
            if info.kind == "continuous":
                blocks.append(Block(name, "continuous", 1))
                if modes[i] > 1:
                    blocks.append(
                        Block(f"{name}.mode", "categorical", int(modes[i]), "mode")
                    )
            elif info.kind == "discrete":
                width = len(info.categories) + int(info.has_missing)
                blocks.append(Block(name, "categorical", width))
            if info.has_missing and info.kind in ("continuous", "constant"):
                blocks.append(Block(f"{name}.missing", "categorical", 2, "missing"))
        return TabularSpec(tuple(blocks), unseen_pairs=self._unseen)

    # -- encode ---------------------------------------------------------------
    def transform(self, X) -> np.ndarray:
        frame = self._to_frame(X)
        if frame.shape[1] != len(self.columns_):
            raise ValueError(
                f"X has {frame.shape[1]} columns; the encoder was fitted on "
                f"{len(self.columns_)}."
            )
        check_derived(self._derived, frame, self.columns_)
        parts = []
        slot = {c: k for k, c in enumerate(self._continuous)}
        for i, info in enumerate(self.columns_):
            series = frame.iloc[:, i]
            missing = series.isna().to_numpy()
            if info.kind == "continuous":
                parts += self._encode_continuous(series, info, slot[i], missing)
            elif info.kind == "discrete":
                codes = discrete_codes(series, info)
                parts.append(
                    one_hot(codes, len(info.categories) + int(info.has_missing))
                )
            if info.has_missing and info.kind in ("continuous", "constant"):
                parts.append(one_hot(missing.astype(np.int64), 2))
        if not parts:
            return np.zeros((len(frame), 0), dtype=np.float32)
        return np.concatenate(parts, axis=1)

    def _encode_continuous(self, series, info, k, missing):
        x = self._continuous_values(series, k)
        n_modes = int(self.n_modes_[k])
        means = self.mode_means_[k, :n_modes]
        stds = self.mode_stds_[k, :n_modes]
        filled = np.where(missing, means[0], x)
        mode = assign_modes(filled, means, stds)
        scalar = (filled - means[mode]) / (SCALE * stds[mode])
        parts = [scalar.astype(np.float32)[:, None]]
        if n_modes > 1:
            parts.append(one_hot(mode, n_modes))
        return parts

    # -- decode ---------------------------------------------------------------
    def inverse_transform(self, Z):
        # Generated blocks are float32: no float64 copy of the whole matrix
        # (a third of the decoding time of 100,000 rows); the scalars are
        # promoted where they meet the float64 mode statistics.
        Z = np.asarray(Z)
        if not np.issubdtype(Z.dtype, np.floating):
            Z = Z.astype(np.float64)
        if Z.ndim != 2 or Z.shape[1] != self.spec_.dim:
            raise ValueError(f"Z must have shape (n, {self.spec_.dim}); got {Z.shape}.")
        n = Z.shape[0]
        codes = block_codes(Z, categorical_spans(self.spec_))
        pos = 0

        def take(width):
            nonlocal pos
            block = Z[:, pos : pos + width]
            pos += width
            return block

        def take_code(width):
            """The codes of the next block (a categorical one)."""
            nonlocal pos
            pos += width
            return codes[pos - width]

        slot = {c: k for k, c in enumerate(self._continuous)}
        columns = {}
        for i, info in enumerate(self.columns_):
            if info.kind == "continuous":
                k = slot[i]
                n_modes = int(self.n_modes_[k])
                scalar = take(1)[:, 0]
                # One mode: its statistics as scalars (a gather per row
                # costs more than the arithmetic).
                mode = take_code(n_modes) if n_modes > 1 else 0
                values = (
                    scalar * SCALE * self.mode_stds_[k, mode]
                    + self.mode_means_[k, mode]
                )
                if np.isfinite(self.mode_points_[k]).any():  # a mode of one value
                    points = self.mode_points_[k, mode]
                    values = np.where(np.isnan(points), values, points)
                if k in self._logged:
                    with np.errstate(over="ignore"):  # inf is clipped to the max
                        values = np.exp(values)
                missing = take_code(2) == 1 if info.has_missing else np.zeros(n, bool)
                columns[i] = restore_continuous(values, missing, info)
            elif info.kind == "discrete":
                width = len(info.categories) + int(info.has_missing)
                columns[i] = restore_discrete(take_code(width), info)
            elif info.kind == "constant":
                missing = take_code(2) == 1 if info.has_missing else np.zeros(n, bool)
                if info.is_time:
                    columns[i] = restore_continuous(
                        np.full(n, info.minimum), missing, info
                    )
                else:
                    columns[i] = restore_discrete(missing.astype(np.int64), info)
        derive_columns(self._derived, columns, self.columns_)
        # One block per column (copy=False) saves pandas' consolidation copy:
        # 16 of 61 ms decoding 100,000 mlc_churn rows. Past 100 blocks pandas
        # warns of fragmentation when a column is inserted: wide tables are
        # consolidated.
        frame = pd.DataFrame(
            {i: columns[i] for i in range(len(self.columns_))},
            copy=len(self.columns_) > FRAGMENTED_BLOCKS,
        )
        if not self.is_frame_:
            return frame.to_numpy().astype(self.array_dtype_)
        labels = [info.name for info in self.columns_]
        if self.multi_columns_:
            frame.columns = pd.MultiIndex.from_tuples(labels, names=self.column_names_)
        else:  # tuples stay labels of one level
            frame.columns = pd.Index(
                labels, tupleize_cols=False, name=self.column_names_[0]
            )
        return frame

    # -- persistence ------------------------------------------------------------
    def get_state(self):
        return encoder_state(self)

    @classmethod
    def from_state(cls, arrays, meta):
        return restore_encoder(cls(), arrays, meta)
