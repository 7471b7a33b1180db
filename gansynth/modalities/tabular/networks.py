"""Networks of the tabular modality.

The generator is a residual MLP (Xu et al. 2019): each block's output is
concatenated to its input, so later layers see earlier features. Its last
layer is split by the encoder's blocks: ``tanh`` for the scalar of a
continuous column, Gumbel-softmax for a one-hot (torch's
``gumbel_softmax``), which keeps categorical outputs differentiable in
training; at generation time a category is drawn directly from its
categorical distribution, leaving out the categories that no training row
combines with a category already drawn for the row
(``gansynth.modalities.tabular.unseen_pairs``).

The critic packs ``pac`` rows into one input (PacGAN, Lin et al. 2018): a
critic that sees several samples at once notices a generator that makes the
same row again and again, which penalises mode collapse. It has dropout and
no batch norm, so it suits every loss, WGAN-GP included.
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from ..conditioning import LabelEmbedding
from ..protocol import EncodedSpec
from .unseen_pairs import UnseenPair, categorical_spans, draw_index

__all__ = ["PacDiscriminator", "ResidualGenerator"]

GUMBEL_TAU = 0.2  # the temperature ctgan uses: nearly one-hot, still smooth


class _Residual(nn.Module):
    def __init__(self, in_dim: int, out_dim: int):
        super().__init__()
        self.fc = nn.Linear(in_dim, out_dim)
        self.bn = nn.BatchNorm1d(out_dim)

    def forward(self, x):
        return torch.cat([F.relu(self.bn(self.fc(x))), x], dim=1)


class ResidualGenerator(nn.Module):
    """``G(z, y)`` for tables: residual blocks, then per-block activations.

    Parameters
    ----------
    latent_dim : int
        Size of the noise vector.
    spec : EncodedSpec
        The encoder's blocks; the output has ``spec.dim`` columns.
    hidden : sequence of int, default=(256, 256)
        Widths of the residual blocks.
    n_labels : int, default=0
        Label slots for class conditioning (0: unconditional).
    context_dim : int, default=0
        Width of the condition vector appended to the noise (0: none).
    label_encoding : {"embedding", "one-hot"}, default="embedding"
        How labels enter: a learned embedding or a fixed one-hot.
    unseen_pairs : sequence of UnseenPair, default=()
        Categories of two categorical blocks never drawn together when
        sampling (the encoder's ``unseen_pairs_``). Training is unaffected.

    Examples
    --------
    >>> import torch
    >>> from gansynth.modalities import Block, EncodedSpec
    >>> from gansynth.modalities.tabular import ResidualGenerator
    >>> spec = EncodedSpec((Block("x", "continuous", 1), Block("c", "categorical", 3)))
    >>> G = ResidualGenerator(8, spec, hidden=(16,)).eval()
    >>> out = G(torch.randn(5, 8))
    >>> out.shape, bool(out[:, 1:].sum(dim=1).allclose(torch.ones(5)))
    (torch.Size([5, 4]), True)
    """

    def __init__(
        self, latent_dim, spec: EncodedSpec, hidden=(256, 256), n_labels=0,
        context_dim=0, label_encoding="embedding", unseen_pairs=(),
    ):  # fmt: skip
        super().__init__()
        self.condition = (
            LabelEmbedding(n_labels, latent_dim, label_encoding) if n_labels else None
        )
        self.context_dim = context_dim
        width = latent_dim + (self.condition.width if n_labels else 0) + context_dim
        blocks = []
        for h in hidden:
            blocks.append(_Residual(width, h))
            width += h
        self.body = nn.Sequential(*blocks)
        self.out = nn.Linear(width, spec.dim)
        self.kinds = [b.kind for b in spec.blocks]
        self.widths = [b.width for b in spec.blocks]
        self._categorical_starts = [start for start, _ in categorical_spans(spec)]
        # Per categorical block, the (earlier block, buffer name) pairs that
        # restrict it; the tables are buffers so that they follow the
        # generator's device, and not saved (the encoder's state holds them).
        # A block fixed by a condition restricts the blocks before it too.
        self._restrictions: dict[int, list[tuple[int, str]]] = {}
        self._fixed_restrictions: dict[int, list[tuple[int, str]]] = {}
        for k, pair in enumerate(unseen_pairs):
            pair = pair if isinstance(pair, UnseenPair) else UnseenPair(*pair)
            name = f"unseen_pair_{k}"
            self.register_buffer(name, torch.tensor(pair.allowed), persistent=False)
            self._restrictions.setdefault(pair.second, []).append((pair.first, name))
            self._fixed_restrictions.setdefault(pair.first, []).append(
                (pair.second, name)
            )

    def forward(self, z, labels=None, context=None, fixed=None):
        """``fixed``: sampling only, ``(encoded columns, one-hot)`` pairs of
        the categorical blocks that a condition sets (``conditions=`` of
        ``sample``): those take that category, and the other blocks are
        drawn without the categories it never met."""
        if self.condition is not None:
            z = self.condition(z, labels)
        if self.context_dim:
            z = torch.cat([z, context], dim=1)
        raw = self.out(self.body(z))
        if not (self.training or torch.is_grad_enabled()):
            return self._draw(raw, fixed)
        parts = []
        for kind, chunk in zip(self.kinds, raw.split(self.widths, dim=1), strict=True):
            if kind == "continuous":
                parts.append(torch.tanh(chunk))
            else:
                parts.append(F.gumbel_softmax(chunk, tau=GUMBEL_TAU, hard=False))
        return torch.cat(parts, dim=1) if parts else raw

    def _draw(self, raw, fixed=None):
        """Sampling (eval mode, no gradient): each category drawn straight
        from its categorical distribution, softmax(logits), since no
        relaxation is needed when nothing is differentiated, without the
        categories that no training row combines with one drawn before or
        fixed by a condition (``unseen_pairs``). Written into ``raw`` in
        place: no concatenation of the blocks."""
        starts = {int(columns[0]): int(np.argmax(hot)) for columns, hot in fixed or ()}
        forced = {  # categorical block -> the category a condition sets
            c: starts[start]
            for c, start in enumerate(self._categorical_starts)
            if start in starts
        }
        codes = []  # the drawn category of each categorical block so far
        for kind, chunk in zip(self.kinds, raw.split(self.widths, dim=1), strict=True):
            if kind == "continuous":
                chunk.tanh_()
                continue
            c = len(codes)
            if c in forced:
                index = torch.full((len(chunk), 1), forced[c], device=chunk.device)
            else:
                allowed = self._allowed(c, codes, forced)
                if allowed is not None:
                    allowed = allowed.expand(len(chunk), -1)
                index = draw_index(chunk, allowed)
            chunk.zero_().scatter_(-1, index, 1.0)
            codes.append(index[:, 0])
        return raw

    def _allowed(self, block, codes, forced):
        """The categories of categorical block ``block`` that every category
        drawn before it and every later fixed one met (None: all)."""
        allowed = None
        for first, name in self._restrictions.get(block, ()):
            rows = getattr(self, name)[codes[first]]
            allowed = rows if allowed is None else allowed & rows
        for second, name in self._fixed_restrictions.get(block, ()):
            if second in forced:
                column = getattr(self, name)[:, forced[second]]
                allowed = column if allowed is None else allowed & column
        return allowed


class PacDiscriminator(nn.Module):
    """``D(x, y)`` on packs of ``pac`` rows: one score per pack.

    Conditioning is a projection head on the packed labels: their embeddings
    are concatenated and projected onto the critic's features (with
    ``pac=1`` this is Miyato & Koyama's projection discriminator).

    Parameters
    ----------
    input_dim : int
        Size of an encoded row.
    hidden : sequence of int, default=(256, 256)
        Widths of the hidden layers (LeakyReLU 0.2, then dropout).
    pac : int, default=10
        Rows per pack; batches must be a multiple of it.
    dropout : float, default=0.5
        Dropout after each hidden layer.
    n_labels : int, default=0
        Label slots for class conditioning (0: unconditional).
    context_dim : int, default=0
        Width of the condition vector appended to each row (0: none).

    Examples
    --------
    >>> import torch
    >>> from gansynth.modalities.tabular import PacDiscriminator
    >>> D = PacDiscriminator(4, hidden=(16,), pac=5)
    >>> D(torch.randn(20, 4)).shape
    torch.Size([4])
    """

    def __init__(
        self, input_dim, hidden=(256, 256), pac=10, dropout=0.5, n_labels=0,
        context_dim=0,
    ):  # fmt: skip
        super().__init__()
        self.pac = pac
        self.context_dim = context_dim
        layers: list[nn.Module] = []
        width = (input_dim + context_dim) * pac
        for h in hidden:
            layers += [nn.Linear(width, h), nn.LeakyReLU(0.2), nn.Dropout(dropout)]
            width = h
        self.body = nn.Sequential(*layers)
        self.out = nn.Linear(width, 1)
        if n_labels:
            embed_dim = min(16, n_labels)
            self.label_embedding = nn.Embedding(n_labels, embed_dim)
            self.projection = nn.Linear(embed_dim * pac, width, bias=False)
        else:
            self.label_embedding = self.projection = None

    def forward(self, x, labels=None, context=None):
        if self.context_dim:
            x = torch.cat([x, context], dim=1)
        n = x.shape[0]
        if n % self.pac:
            raise ValueError(
                f"PacDiscriminator packs {self.pac} rows; got a batch of {n} rows, "
                f"which is not a multiple of {self.pac}."
            )
        h = self.body(x.reshape(n // self.pac, -1))
        score = self.out(h).squeeze(-1)
        if self.projection is not None:
            packed = self.label_embedding(labels).reshape(n // self.pac, -1)
            score = score + (self.projection(packed) * h).sum(dim=1)
        return score
