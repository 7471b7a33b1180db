"""Conditions on discrete columns: CTGAN's training-by-sampling, on the device.

During training each row of a batch gets a condition: a discrete column
chosen uniformly, and one of its values chosen with probability proportional
to the log of its frequency, so that rare values are seen far more often than
their share (Xu et al. 2019). The real row paired with it is drawn among the
rows that have that value, the generator and the critic both see the
condition, and the generator pays a cross-entropy penalty when its output for
that column disagrees. Everything is drawn by index on the device.

At sampling time a condition may name several columns at once; the
conditioned blocks of the output are then set to the requested values, so
every row satisfies every condition without rejection sampling. Without one,
each row's condition is drawn as in training, a column uniformly and one of
its values with its frequency among the training rows of the row's class:
drawn from the frequency over all rows, the condition would pull every
class's rows toward the table's marginals.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import torch

from ..protocol import EncodedSpec

__all__ = ["DiscreteConditions"]


class DiscreteConditions:
    """Condition vectors over the value blocks of the discrete columns.

    Parameters
    ----------
    spec : EncodedSpec
        The encoder's blocks; conditions cover categorical blocks with role
        ``"value"`` (discrete columns, their missing category included).
    counts : ndarray of shape (dim,)
        Training rows per value, in condition-vector order.
    label_counts : ndarray of shape (n_labels, dim) or None, default=None
        Training rows per label slot and value, for a model fitted with
        labels: sampled conditions then follow the value's frequency within
        the class asked for.

    Attributes
    ----------
    dim : int
        Width of a condition vector.
    """

    def __init__(self, spec: EncodedSpec, counts: np.ndarray, label_counts=None):
        self.spec = spec
        self.counts = np.asarray(counts, dtype=np.int64)
        self.label_counts = (
            None if label_counts is None else np.asarray(label_counts, dtype=np.int64)
        )
        starts, cond_starts, widths, names = [], [], [], []
        pos = cond = 0
        for block in spec.blocks:
            if block.kind == "categorical" and block.role == "value":
                starts.append(pos)
                cond_starts.append(cond)
                widths.append(block.width)
                names.append(block.name)
                cond += block.width
            pos += block.width
        self.dim = cond
        self.names = names
        self.widths = np.asarray(widths, dtype=np.int64)
        self.cond_starts = np.asarray(cond_starts, dtype=np.int64)
        # Columns of the encoded row that the condition vector mirrors.
        self.data_index = np.concatenate(
            [np.arange(s, s + w) for s, w in zip(starts, widths, strict=True)]
        ) if widths else np.zeros(0, np.int64)  # fmt: skip

    @classmethod
    def from_data(
        cls, spec: EncodedSpec, encoded: np.ndarray, labels=None
    ) -> DiscreteConditions:
        """Count the values of each conditionable block in encoded rows (and
        per label slot, with the rows' integer ``labels``)."""
        probe = cls(spec, np.zeros(0))
        onehots = encoded[:, probe.data_index].round().astype(np.int64)
        label_counts = None
        if labels is not None:
            labels = np.asarray(labels)
            if labels.shape != (len(encoded),) or not (
                np.issubdtype(labels.dtype, np.integer) and (labels >= 0).all()
            ):
                raise ValueError(
                    "labels must hold one non-negative integer label slot per "
                    f"encoded row ({len(encoded)}); got shape {labels.shape}, "
                    f"dtype {labels.dtype}."
                )
            label_counts = np.zeros((labels.max() + 1, probe.dim), np.int64)
            np.add.at(label_counts, labels, onehots)
        return cls(spec, onehots.sum(axis=0), label_counts)

    def __bool__(self) -> bool:
        return self.dim > 0

    def get_state(self):
        """Arrays + JSON to rebuild the conditions (see ``TabularModality``)."""
        arrays = {"counts": self.counts}
        if self.label_counts is not None:
            arrays["label_counts"] = self.label_counts
        return arrays, {}

    # -- training -------------------------------------------------------------
    def training_sampler(self, encoded: torch.Tensor, row_weights=None):
        """Device-side draws of (real row, condition) pairs; with
        ``row_weights``, rows with a value are picked in proportion to them."""
        return _TrainingSampler(self, encoded, row_weights)

    # -- sampling -------------------------------------------------------------
    def sampling_context(self, n, conditions, rng, encoder, labels=None):
        """Condition vectors for ``n`` generated rows, and the fixed blocks.

        Without ``conditions`` a column is chosen uniformly per row and its
        value with its training frequency, as in training-by-sampling but
        without the log, so that sampled frequencies follow the data; with
        ``labels`` (one label slot per row, or rows of weights over the
        slots) and counts per slot, its frequency within the row's class.

        Returns ``(context, fixed)``: a float array (n, dim), and a list of
        ``(data_columns, one_hot)`` that :meth:`enforce` writes into the
        generated rows.
        """
        if conditions is not None and not isinstance(conditions, dict):
            raise ValueError(
                "conditions must be a dict {column: value}; got "
                f"{type(conditions).__name__}."
            )
        context = np.zeros((n, self.dim), dtype=np.float32)
        if not conditions:
            # A column uniformly and then one of its values is one draw of a
            # slot of the condition vector, with probability (the value's
            # frequency in its column) / (number of columns): one uniform
            # number per row, by inverse CDF.
            weights = self._label_weights(labels)
            if weights is None:
                cumulative = np.cumsum(self._slot_probability(self.counts))
                u = rng.random_sample(n) * cumulative[-1]
                slot = np.minimum(cumulative.searchsorted(u, side="right"),
                                  self.dim - 1)  # fmt: skip
            else:
                slot = _draw_rows(weights @ self._within_labels(), rng)
            context[np.arange(n), slot] = 1.0
            return context, []
        fixed = []
        for column, value in conditions.items():
            j, k = self._locate(column, value, encoder)
            start, width = self.cond_starts[j], self.widths[j]
            context[:, start + k] = 1.0
            one_hot = np.zeros(width, dtype=np.float32)
            one_hot[k] = 1.0
            fixed.append((self.data_index[start : start + width], one_hot))
        return context, fixed

    def _label_weights(self, labels):
        """Rows of weights over the label slots (None: draw from all rows)."""
        if labels is None or self.label_counts is None:
            return None
        labels = np.asarray(labels)
        if labels.ndim == 2:
            return labels.astype(np.float64)
        return np.eye(len(self.label_counts))[labels.astype(np.int64)]

    def _slot_probability(self, counts: np.ndarray) -> np.ndarray:
        """Along the last axis: each value's frequency within its column,
        over the number of columns (a column with no rows gets none)."""
        counts = counts.astype(np.float64)
        totals = np.add.reduceat(counts, self.cond_starts, axis=-1)
        per_slot = np.repeat(totals, self.widths, axis=-1)
        return counts / np.maximum(per_slot, 1.0) / len(self.widths)

    def _within_labels(self) -> np.ndarray:
        """Per label slot, the probability of each condition slot."""
        return self._slot_probability(self.label_counts)

    @staticmethod
    def enforce(encoded: np.ndarray, fixed) -> np.ndarray:
        """Set the conditioned blocks of generated rows to the asked values."""
        for columns, one_hot in fixed:
            encoded[:, columns] = one_hot
        return encoded

    def _locate(self, column, value, encoder):
        # The value blocks follow the discrete columns in order, so a column's
        # block is its position among them. The blocks' own names are
        # str(name) (for saving), which cannot tell column 1 from column "1".
        discrete = [info for info in encoder.columns_ if info.kind == "discrete"]
        names = [info.name for info in discrete]
        info = next((i for i in encoder.columns_ if i.name == column), None)
        if info is None:
            raise ValueError(
                f"Unknown condition column {column!r}; discrete columns: {names}."
            )
        if info.kind != "discrete":
            raise ValueError(
                f"Conditions apply to discrete columns; {column!r} is {info.kind}. "
                f"Discrete columns: {names}."
            )
        j = next(j for j, d in enumerate(discrete) if d is info)
        # None, NaN, pd.NA and pd.NaT all ask for the missing value (and pd.NA
        # cannot be compared with the categories).
        missing = pd.api.types.is_scalar(value) and bool(pd.isna(value))
        if missing and info.has_missing:
            return j, len(info.categories)
        if not missing and value in info.categories:
            return j, info.categories.index(value)
        shown = info.categories[:20]
        more = " ..." if len(info.categories) > 20 else ""
        raise ValueError(
            f"Unknown condition value {value!r} for column {column!r}; values "
            f"seen in fit: {shown}{more}."
        )


def _draw_rows(p: np.ndarray, rng) -> np.ndarray:
    """One index per row of the probability rows ``p``, by inverse CDF.

    Written here because ``RandomState.choice`` takes one probability vector
    per call, and the sampling path draws from the model's ``RandomState``
    so that samples repeat for a seed."""
    cumulative = np.cumsum(p, axis=1)
    u = rng.random_sample(len(p))[:, None] * cumulative[:, -1:]
    return np.minimum((u >= cumulative).sum(axis=1), p.shape[1] - 1)


class _TrainingSampler:
    """Device-side draws of (real row, condition) pairs for the trainer."""

    name = "condition_loss"  # the history column of the generator's penalty

    def __init__(self, conditions: DiscreteConditions, encoded: torch.Tensor,
                 row_weights=None):  # fmt: skip
        device = encoded.device
        self.dim = conditions.dim
        widths = torch.as_tensor(conditions.widths, device=device)
        self.n_columns = len(conditions.widths)
        self.cond_starts = torch.as_tensor(conditions.cond_starts, device=device)
        self.widths = widths
        self.data_index = torch.as_tensor(conditions.data_index, device=device)
        # Rows grouped by value: value v's rows are order[offsets[v]:offsets[v+1]].
        onehots = encoded[:, self.data_index]  # (n, dim)
        member = onehots > 0.5
        value_of = torch.nonzero(member, as_tuple=False)  # (row, value) pairs
        order = torch.argsort(value_of[:, 1], stable=True)
        self.rows = value_of[order, 0]
        counts = torch.bincount(value_of[:, 1], minlength=self.dim)
        self.counts = counts
        self.offsets = torch.cumsum(counts, 0) - counts
        # Log-frequency value probabilities, one padded row per column, from
        # the rows given here: a value absent from them (from one process's
        # shard in a distributed fit) is never drawn.
        max_width = int(conditions.widths.max())
        probs = torch.zeros(self.n_columns, max_width, device=device)
        for j, (start, width) in enumerate(
            zip(conditions.cond_starts, conditions.widths, strict=True)
        ):
            probs[j, :width] = torch.log1p(counts[start : start + width].float())
        self.probs = probs / probs.sum(dim=1, keepdim=True)
        # Weighted picks within a value's rows: inverse CDF on the running sum
        # of the weights in grouped order (float64 keeps the sums exact enough).
        self.cumulative = None
        if row_weights is not None:
            self.cumulative = torch.cumsum(row_weights[self.rows].double(), 0)

    def draw(self, batch_size: int):
        """``(row_index, context)`` for one batch."""
        device = self.probs.device
        col = torch.randint(self.n_columns, (batch_size,), device=device)
        local = torch.multinomial(self.probs[col], 1).squeeze(1)
        value = self.cond_starts[col] + local
        u = torch.rand(batch_size, device=device)
        if self.cumulative is None:
            pick = (u * self.counts[value]).long()
            rows = self.rows[self.offsets[value] + pick]
        else:
            first = self.offsets[value]
            last = first + self.counts[value] - 1
            below = torch.where(
                first > 0, self.cumulative[(first - 1).clamp_min(0)], 0.0
            )
            target = below + u.double() * (self.cumulative[last] - below)
            pos = torch.searchsorted(self.cumulative, target, right=True)
            rows = self.rows[torch.minimum(pos, last)]
        context = torch.zeros(batch_size, self.dim, device=device)
        context[torch.arange(batch_size, device=device), value] = 1.0
        return rows, context

    def generator_penalty(self, fake: torch.Tensor, context: torch.Tensor):
        """Cross-entropy of the generated value of the conditioned column."""
        probs = fake[:, self.data_index]
        return -(context * torch.log(probs.clamp_min(1e-8))).sum(dim=1).mean()
