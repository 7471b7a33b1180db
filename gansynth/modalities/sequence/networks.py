"""Recurrent networks for sequences: a generator fed fresh noise at every
step, and a bidirectional critic.

The generator (as in C-RNN-GAN and TimeGAN) runs a GRU or LSTM over per-step
noise with the label code repeated at every step, and emits every channel
of the encoding through tanh. A missing indicator gates its value softly,
so that the gradient reaches it: the value is multiplied by (1 - m) / 2 for
the indicator m (exactly 0 or 1 on real data, which is how the encoder
pads). With unequal lengths the generator first draws each sequence's
length from its length model, and the presence channel it builds from it
zeroes every channel after the end.

The recurrent critic reads the sequence both ways and scores the mean of its outputs
over time joined with its last states, with the shared projection head for
labels. Recurrent layers have no batch norm, so every loss, WGAN-GP
included, can use it; on CUDA the gradient penalty's double backward needs
the non-cuDNN kernels, which the critic switches to while gradients of its
input are recorded. The temporal-convolution critic (dilated 1-D
convolutions, as in WaveNet and TCNs) sees a window that doubles with every
layer and is several times cheaper per step on a CPU, most of all under a
gradient penalty.
"""

from __future__ import annotations

import torch
from torch import nn

from ..conditioning import LabelEmbedding, ProjectedCritic, ProjectionHead
from .lengths import LengthModel

__all__ = [
    "RecurrentCritic",
    "RecurrentGenerator",
    "TemporalConvCritic",
    "dilated_convolutions",
]

_CELLS = {"gru": nn.GRU, "lstm": nn.LSTM}
_LABEL_DIM = 16


def recurrent_outputs(rnn, x) -> torch.Tensor:
    """``rnn``'s outputs on ``(n, T, C)`` input, with cuDNN turned off on CUDA
    while gradients of the input are recorded: cuDNN's recurrent kernels have
    no double backward (a gradient penalty's); the native ones do."""
    with torch.backends.cudnn.flags(enabled=not (x.is_cuda and x.requires_grad)):
        return rnn(x)[0]


def _cell(cell):
    if cell not in _CELLS:
        raise ValueError(f"cell must be 'gru' or 'lstm'; got {cell!r}.")
    return _CELLS[cell]


class RecurrentGenerator(nn.Module):
    """``G(z, y)``: per-step noise ``(n, T, latent_dim)`` to ``(n, C, T)``.

    Parameters
    ----------
    latent_dim : int
        Noise values per step.
    n_values : int
        Value channels (the features).
    missing : sequence of int, default=()
        For each missing-indicator channel (they follow the values), the
        value channel it belongs to.
    presence : bool, default=False
        Whether a presence channel comes last (sequences of unequal
        lengths): the generator then draws each sequence's length from a
        categorical distribution over ``1..length`` steps given its label
        and static attributes (:meth:`length_logits`, fitted by maximum
        likelihood, see :class:`~gansynth.modalities.sequence.LengthLikelihood`),
        builds the presence channel from it and feeds every step whether it
        is inside the sequence and the drawn length.
    length : int, default=0
        Time steps of a sample; needed with ``presence``.
    hidden_size : int, default=64
        Units of the recurrent layers.
    num_layers : int, default=2
        Recurrent layers.
    n_labels : int, default=0
        Label slots for class conditioning (0: unconditional).
    cell : {"gru", "lstm"}, default="gru"
        The recurrent cell.
    static : sequence of (kind, width), default=()
        Static attribute blocks ("continuous" of width 1, or "categorical"
        one-hot), emitted after the other channels at every step. Called
        as ``G(z, y, context)``, the generator takes the attributes of the
        rows whose context flag (its last column) is 1 and draws the others
        with a small head on the first step's noise (tanh for numbers,
        Gumbel-softmax for categories); every step is fed the attributes.

    Examples
    --------
    >>> import torch
    >>> from gansynth.modalities.sequence import RecurrentGenerator
    >>> G = RecurrentGenerator(4, 3, presence=True, length=10, hidden_size=8,
    ...                        n_labels=2)
    >>> out = G(torch.randn(5, 10, 4), torch.zeros(5, dtype=torch.long))
    >>> out.shape, sorted(out[:, 3].unique().tolist())
    (torch.Size([5, 4, 10]), [-1.0, 1.0])
    """

    def __init__(self, latent_dim, n_values, missing=(), presence=False,
                 hidden_size=64, num_layers=2, n_labels=0, cell="gru",
                 static=(), length=0):  # fmt: skip
        super().__init__()
        self.n_values, self.presence = n_values, bool(presence)
        if self.presence and length < 1:
            raise ValueError(f"presence needs length >= 1 steps; got {length!r}.")
        missing = torch.as_tensor(list(missing), dtype=torch.long)
        self.register_buffer("missing", missing)
        self.condition = LabelEmbedding(n_labels, _LABEL_DIM) if n_labels else None
        in_dim = latent_dim + (self.condition.width if n_labels else 0)
        self.static = [(str(kind), int(width)) for kind, width in static]
        self.static_dim = sum(width for _, width in self.static)
        self.static_head = None
        if self.static:
            self.static_head = nn.Sequential(
                nn.Linear(in_dim, hidden_size), nn.ReLU(),
                nn.Linear(hidden_size, self.static_dim),
            )  # fmt: skip
            in_dim += self.static_dim
        self.length_model = None
        if self.presence:
            self.length_model = LengthModel(length, n_labels, self.static_dim,
                                            hidden_size)  # fmt: skip
            in_dim += 2  # inside the sequence or not; the drawn length / T
        self.cell, self.num_layers, self.hidden_size = cell, num_layers, hidden_size
        # The first step's noise (and the label) also set the initial state:
        # a sequence-wide draw, which a sine's frequency or a patient's
        # baseline needs and per-step noise alone gives only slowly.
        self.initial = nn.Linear(in_dim, num_layers * hidden_size)
        self.rnn = _cell(cell)(in_dim, hidden_size, num_layers, batch_first=True)
        channels = n_values + len(missing)
        self.head = nn.Linear(hidden_size, channels)

    def _attributes(self, first, context):
        """Drawn static attributes, replaced by the given ones where the
        context's flag is 1."""
        raw, parts, pos = self.static_head(first), [], 0
        for kind, width in self.static:
            block = raw[:, pos : pos + width]
            if kind == "categorical":
                # torch's straight-through Gumbel-softmax: exact one-hots
                # forward, as the real ones are (soft ones at tau=0.2 let
                # the critics tell them apart by softness alone, and the
                # generator dropped the rarer of two categories); tau=1
                # matched shares better than 0.2 (0.555 vs 0.53 for 0.606).
                parts.append(nn.functional.gumbel_softmax(block, tau=1.0, hard=True))
            else:
                parts.append(torch.tanh(block))
            pos += width
        drawn = torch.cat(parts, dim=1)
        if context is None:
            return drawn
        given = context[:, -1:].to(drawn.dtype)
        return given * context[:, :-1].to(drawn.dtype) + (1 - given) * drawn

    def length_logits(self, n, labels=None, attributes=None) -> torch.Tensor:
        """Log-odds ``(n, T)`` of the lengths ``1..T`` of ``n`` sequences with
        these labels (``(n,)`` integers, or ``(n, n_labels)`` weights) and
        static attributes (``(n, width)``): its :class:`LengthModel`."""
        return self.length_model(n, labels, attributes)

    def _draw_lengths(self, noise, labels, attributes):
        """``(alive, fraction)``: 1 at the steps inside each drawn sequence
        and 0 after it, (n, T); and its length over T, (n,).

        The length is the categorical quantile of the first noise value's
        normal probability: an exact draw from the model's distribution, and
        a function of the noise like the rest of the sample. Nothing flows
        back: the model is fitted by maximum likelihood on the real lengths
        (:class:`LengthLikelihood`). A presence value emitted at every step
        by the recurrent network (the first design, with the sequence ended
        at its first negative step) left the lengths of each class too
        narrow on JapaneseVowels (length KS 0.21, worst class 0.72), and a
        length drawn by a straight-through Gumbel-softmax and judged by
        critics learned the classes' lengths slowly (a toy of two classes
        of lengths 4-6 and 12-16: after 300 epochs 42 % of the long class's
        samples were short).
        """
        with torch.no_grad():
            logits = self.length_logits(len(noise), labels, attributes)
            cumulative = torch.softmax(logits.float(), dim=1).cumsum(dim=1)
            u = torch.special.ndtr(noise.float())[:, None]
            steps = cumulative.shape[1]
            lengths = (cumulative < u).sum(dim=1).clamp(max=steps - 1) + 1
            positions = torch.arange(steps, device=noise.device)
            alive = (positions[None] < lengths[:, None]).to(noise.dtype)
            return alive, (lengths / steps).to(noise.dtype)

    def forward(self, z, labels=None, context=None):
        if self.condition is not None:
            code = self.condition.code(labels, z.dtype)
            z = torch.cat([z, code[:, None].expand(-1, z.shape[1], -1)], dim=2)
        attributes = None
        if self.static_head is not None:
            attributes = self._attributes(z[:, 0], context)
            z = torch.cat([z, attributes[:, None].expand(-1, z.shape[1], -1)], dim=2)
        alive = None
        if self.length_model is not None:
            alive, fraction = self._draw_lengths(z[:, 0, 0], labels, attributes)
            z = torch.cat([z, alive[..., None].to(z.dtype),
                           fraction[:, None, None].expand(-1, z.shape[1], 1)],
                          dim=2)  # fmt: skip
        h0 = torch.tanh(self.initial(z[:, 0]))
        h0 = h0.view(len(z), self.num_layers, self.hidden_size).transpose(0, 1)
        h0 = h0.contiguous()
        h, _ = self.rnn(z, (h0, torch.zeros_like(h0)) if self.cell == "lstm" else h0)
        out = torch.tanh(self.head(h))  # (n, T, C)
        n_v, n_m = self.n_values, len(self.missing)
        values, rest = out[..., :n_v], out[..., n_v:]
        if n_m:
            observed = (1 - rest[..., :n_m]) / 2
            gate = torch.ones_like(values).index_copy(2, self.missing, observed)
            values = values * gate
        out = torch.cat([values, rest], dim=2)
        if alive is not None:
            alive = alive[..., None].to(out.dtype)
            out = torch.cat([out * alive, 2 * alive - 1], dim=2)
        if attributes is not None:
            steps = attributes[:, None].expand(-1, out.shape[1], -1)
            out = torch.cat([out, steps.to(out.dtype)], dim=2)
        return out.transpose(1, 2)


class RecurrentCritic(ProjectedCritic):
    """``D(x, y)``: a bidirectional recurrent critic of ``(n, C, T)`` samples.

    Parameters
    ----------
    channels : int
        Channels of the encoding.
    hidden_size : int, default=64
        Units per direction.
    num_layers : int, default=1
        Recurrent layers.
    n_labels : int, default=0
        Label slots for class conditioning (0: unconditional).
    cell : {"gru", "lstm"}, default="gru"
        The recurrent cell.

    Examples
    --------
    >>> import torch
    >>> from gansynth.modalities.sequence import RecurrentCritic
    >>> D = RecurrentCritic(3, hidden_size=8, n_labels=2)
    >>> D(torch.randn(5, 3, 10), torch.ones(5, dtype=torch.long)).shape
    torch.Size([5])
    """

    def __init__(self, channels, hidden_size=64, num_layers=1, n_labels=0,
                 cell="gru"):  # fmt: skip
        super().__init__()
        self.rnn = _cell(cell)(channels, hidden_size, num_layers, batch_first=True,
                               bidirectional=True)  # fmt: skip
        features = 4 * hidden_size
        self.hidden = nn.Sequential(nn.Linear(features, hidden_size), nn.LeakyReLU(0.2))
        self.out = nn.Linear(hidden_size, 1)
        self.projection = ProjectionHead(n_labels, hidden_size) if n_labels else None

    def features(self, x) -> torch.Tensor:
        out = recurrent_outputs(self.rnn, x.transpose(1, 2))
        width = out.shape[2] // 2
        # The forward direction's last step and the backward one's first.
        ends = torch.cat([out[:, -1, :width], out[:, 0, width:]], dim=1)
        return self.hidden(torch.cat([out.mean(dim=1), ends], dim=1))


def dilated_convolutions(channels, length, width, *, max_layers=6,
                         wrap=lambda layer: layer, after=None):  # fmt: skip
    """Kernel-3 convolutions of dilations 1, 2, 4, ... with LeakyReLU(0.2),
    until the window spans ``length`` steps (at most ``max_layers``), each
    wrapped by ``wrap`` (weight norm, say) and followed by ``after()`` if
    given: the layers of the temporal-convolution critic and classifier."""
    layers, w_in, dilation, span = [], channels, 1, 1
    while len(layers) < max_layers and (span < length or not layers):
        conv = nn.Conv1d(w_in, width, 3, padding=dilation, dilation=dilation)
        layers.append(nn.Sequential(wrap(conv), nn.LeakyReLU(0.2),
                                    *([after()] if after else [])))  # fmt: skip
        span += 2 * dilation
        w_in, dilation = width, dilation * 2
    return layers


class TemporalConvCritic(ProjectedCritic):
    """``D(x, y)``: dilated 1-D convolutions over ``(n, C, T)`` samples.

    Layers of kernel 3 and dilations 1, 2, 4, ... (until the window spans
    the sequence, at most ``max_layers``), LeakyReLU(0.2), no normalisation;
    the score reads the mean and the maximum over time of the last layer.

    Parameters
    ----------
    channels : int
        Channels of the encoding.
    length : int
        Time steps (sets the number of layers).
    width : int, default=64
        Channels of every convolution.
    n_labels : int, default=0
        Label slots for class conditioning (0: unconditional).
    max_layers : int, default=6
        The most layers.

    Examples
    --------
    >>> import torch
    >>> from gansynth.modalities.sequence import TemporalConvCritic
    >>> D = TemporalConvCritic(3, 24, width=8, n_labels=2)
    >>> labels = torch.ones(5, dtype=torch.long)
    >>> len(D.body), D(torch.randn(5, 3, 24), labels).shape
    (4, torch.Size([5]))
    """

    def __init__(self, channels, length, width=64, n_labels=0, max_layers=6):
        super().__init__()
        self.body = nn.Sequential(
            *dilated_convolutions(channels, length, width, max_layers=max_layers)
        )
        self.hidden = nn.Sequential(nn.Linear(2 * width, width), nn.LeakyReLU(0.2))
        self.out = nn.Linear(width, 1)
        self.projection = ProjectionHead(n_labels, width) if n_labels else None

    def features(self, x) -> torch.Tensor:
        h = self.body(x)
        return self.hidden(torch.cat([h.mean(dim=2), h.amax(dim=2)], dim=1))
