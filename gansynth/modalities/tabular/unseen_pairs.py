"""Pairs of categories that no training row combines, kept out of samples.

A generated row draws each categorical block (a discrete column, the mode of
a numeric column, a missing-value indicator) from its own distribution given
the generator's hidden state. Where the data ties two blocks together, the
generator has to make both draws near-certain for the tie to survive, and a
GAN rarely gets there. Measured on telecom churn (``mlc_churn``, the
3,200 training rows of ``benchmarks/tabular_vs_ctgan.py``'s seed 0, 300
epochs): no training row has a voice-mail plan without voice-mail messages
or messages without the plan, and 7.5 % of the generated rows had one or
the other (24 % of the churners' rows after 100 epochs; the generator's
most likely category of a two-way block had a probability of 0.85 on
average). The IBM telco table (``wa_churn``) has 144 such pairs of
categories in 54 pairs of blocks (no internet service, yet online backup).

So at fit time, every pair of categorical blocks is counted on the encoded
training rows, and a pair of categories that never occurs together although
independence would have put at least ``MIN_EXPECTED`` rows there is
recorded. When sampling, the blocks are drawn in order, and a block's
categories that an earlier block's drawn category never met are left out
(the others keep their relative probabilities). Training is unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from ..protocol import EncodedSpec

__all__ = [
    "MIN_EXPECTED",
    "TabularSpec",
    "UnseenPair",
    "categorical_spans",
    "describe_pairs",
    "draw_index",
    "find_unseen_pairs",
]

# A cell with no row is recorded only where independence expects at least
# this many: the chance of an empty cell is then exp(-20) ~ 2e-9, so that
# sparse cells (51 states against a rare category) are not taken for rules.
MIN_EXPECTED = 20.0


@dataclass(frozen=True)
class UnseenPair:
    """Categories of two categorical blocks that no training row combines.

    Parameters
    ----------
    first, second : int
        Positions of the two blocks among the categorical blocks of the
        encoding, ``first < second``.
    allowed : tuple of tuple of bool
        ``allowed[a][b]`` is False where category ``a`` of the first block
        and category ``b`` of the second never occur together.
    """

    first: int
    second: int
    allowed: tuple[tuple[bool, ...], ...]

    def to_json(self) -> list:
        return [self.first, self.second, [list(row) for row in self.allowed]]

    @classmethod
    def from_json(cls, data) -> UnseenPair:
        first, second, allowed = data
        return cls(int(first), int(second),
                   tuple(tuple(bool(v) for v in row) for row in allowed))  # fmt: skip


@dataclass(frozen=True)
class TabularSpec(EncodedSpec):
    """A table's :class:`~gansynth.modalities.EncodedSpec` with the pairs of
    categories that its generator never draws together.

    Parameters
    ----------
    blocks : tuple of Block
        The blocks of an encoded row.
    shape : None
        A flat row.
    unseen_pairs : tuple of UnseenPair, default=()
        See :func:`find_unseen_pairs`.
    """

    unseen_pairs: tuple[UnseenPair, ...] = ()


def describe_pairs(pairs, spec, columns) -> list:
    """``pairs`` as ``((block, category), (block, category))`` tuples: a
    discrete column's block by its categories (``"missing"`` for its missing
    slot), a numeric column's mode block by ``"mode k"``, a missing
    indicator by ``"present"`` / ``"missing"``."""
    by_name = {str(info.name): info for info in columns}
    labels = []
    for block in spec.blocks:
        if block.kind != "categorical":
            continue
        if block.role == "mode":
            labels.append((block.name, [f"mode {k}" for k in range(block.width)]))
        elif block.role == "missing":
            labels.append((block.name, ["present", "missing"]))
        else:
            info = by_name[block.name]
            labels.append((block.name, [*info.categories, "missing"][: block.width]))
    return [
        ((labels[p.first][0], labels[p.first][1][a]),
         (labels[p.second][0], labels[p.second][1][b]))
        for p in pairs
        for a, row in enumerate(p.allowed)
        for b, ok in enumerate(row)
        if not ok
    ]  # fmt: skip


def categorical_spans(spec) -> list[tuple[int, int]]:
    """``(start, width)`` of each categorical block of ``spec``, in order."""
    spans, start = [], 0
    for block in spec.blocks:
        if block.kind == "categorical":
            spans.append((start, block.width))
        start += block.width
    return spans


def _column(block) -> str:
    """The column a mode or missing-value block belongs to."""
    suffix = "." + block.role
    return block.name[: -len(suffix)] if block.name.endswith(suffix) else block.name


def find_unseen_pairs(encoded, spec, min_expected=MIN_EXPECTED) -> tuple:
    """The pairs of categorical blocks of ``spec`` with categories that no
    row of ``encoded`` (exact one-hots) combines, where independence expects
    at least ``min_expected`` rows.

    The mode of a numeric column is only defined where the column has a
    value (its missing rows are encoded in its first mode): a pair with a
    mode block is counted on the rows where its column is present (so that
    a column's mode and its own missing values are never a pair).

    Examples
    --------
    >>> import numpy as np
    >>> from gansynth.modalities import Block, EncodedSpec
    >>> from gansynth.modalities.tabular.unseen_pairs import find_unseen_pairs
    >>> spec = EncodedSpec((Block("plan", "categorical", 2),
    ...                     Block("messages", "categorical", 2)))
    >>> plan = np.repeat([0, 1], 50)  # messages (non-zero) only with a plan
    >>> rows = np.hstack([np.eye(2)[plan], np.eye(2)[plan]])
    >>> [pair.allowed for pair in find_unseen_pairs(rows, spec)]
    [((True, False), (False, True))]
    """
    blocks = [b for b in spec.blocks if b.kind == "categorical"]
    spans = categorical_spans(spec)
    # Views of the float32 one-hots, no copy: a count of rows is exact in
    # float32 up to 2**24 rows, and an empty cell is an exact 0 at any size.
    encoded = np.asarray(encoded, dtype=np.float32)
    one_hots = [encoded[:, s : s + w] for s, w in spans]
    missing = {
        _column(b): one_hots[i][:, 1] == 1
        for i, b in enumerate(blocks)
        if b.role == "missing"
    }
    present = [
        ~missing[_column(b)] if b.role == "mode" and _column(b) in missing else None
        for b in blocks
    ]
    pairs = []
    for i in range(len(spans)):
        for j in range(i + 1, len(spans)):
            rows = [m for m in (present[i], present[j]) if m is not None]
            a, b = one_hots[i], one_hots[j]
            if rows:
                keep = np.logical_and.reduce(rows)
                a, b = a[keep], b[keep]
            together = a.T @ b
            counts = (a.sum(axis=0, dtype=np.float64), b.sum(axis=0, dtype=np.float64))
            expected = np.outer(*counts) / max(len(a), 1)
            unseen = (together == 0) & (expected >= min_expected)
            if unseen.any():
                allowed = tuple(tuple(bool(v) for v in row) for row in ~unseen)
                pairs.append(UnseenPair(i, j, allowed))
    return tuple(pairs)


def draw_index(logits: torch.Tensor, allowed: torch.Tensor | None = None):
    """Categories drawn from ``softmax(logits)`` along the last dimension,
    restricted to ``allowed`` (a boolean tensor like ``logits``; a row that
    allows nothing is drawn unrestricted), as an index tensor ``(n, 1)``.

    Written by hand because it is the cheapest exact draw: the unnormalised
    cumulative sum of ``exp(logits - max)`` is compared with a uniform number
    scaled by its total (no division). On 4,096 x 51 logits (one thread)
    1.1 ms against 3.1 ms normalised by ``softmax`` and built by
    ``F.one_hot`` (0.19 against 0.35 ms on 4,096 x 2); the Gumbel-max trick
    (two logarithms per logit) and ``torch.multinomial`` were slower still
    than that softmax version (7.3 and 7.9 against 1.4 ms, measured earlier
    on another machine).
    """
    scores = logits.float()
    if allowed is not None:
        allowed = allowed | ~allowed.any(dim=-1, keepdim=True)
        scores = scores.masked_fill(~allowed, -torch.inf)
    cumulative = (scores - scores.amax(dim=-1, keepdim=True)).exp_().cumsum_(dim=-1)
    uniform = torch.rand(*scores.shape[:-1], 1, device=scores.device)
    index = (cumulative < uniform * cumulative[..., -1:]).sum(dim=-1, keepdim=True)
    index.clamp_(max=scores.shape[-1] - 1)
    if allowed is not None:
        # A uniform number of exactly 0, or rounding at the top, can land on
        # a left-out category of zero weight: take the likeliest allowed one.
        missed = ~allowed.gather(-1, index)
        index = torch.where(missed, scores.argmax(dim=-1, keepdim=True), index)
    return index
