"""TimeGAN's scores of synthetic sequences (Yoon et al. 2019), computed as
its authors compute them, and a check that synthetic sequences are not
copies of the training ones.

Both scores train a small post-hoc GRU: the *discriminative* score is
``|accuracy - 0.5|`` of a classifier telling real from synthetic sequences
(0 is best), the *predictive* score the mean absolute error on real
sequences of a next-step predictor trained on synthetic ones ("train on
synthetic, test on real"; lower is better, and the same predictor trained on
real sequences gives its floor). The networks, their sizes, iterations,
batch, split and scaling follow the published protocol (see
``BENCHMARKS.md``); they are written here in PyTorch.
"""

from __future__ import annotations

import numbers

import numpy as np
import torch
from sklearn.utils import check_random_state
from torch import nn

from ..utils.devices import float32_default

__all__ = ["copy_ratio", "discriminative_score", "predictive_score"]

_BATCH = 128


def _windows(X, name) -> np.ndarray:
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 3 or 0 in X.shape:
        raise ValueError(
            f"{name} must be sequences of shape (n, T, F) with n, T, F >= 1; got "
            f"shape {X.shape}."
        )
    if not np.isfinite(X).all():
        raise ValueError(f"{name} holds NaN or infinite values.")
    return X


def _scaled(real, synthetic, scale):
    """Both sets min-max scaled per feature by the real one's range (the
    published scores are computed on [0, 1]-scaled data)."""
    real = _windows(real, "real")
    synthetic = _windows(synthetic, "synthetic")
    if synthetic.shape[1:] != real.shape[1:]:
        raise ValueError(
            f"real and synthetic must have the same (T, F); got {real.shape[1:]} "
            f"and {synthetic.shape[1:]}."
        )
    if not scale:
        return real, synthetic
    low = real.min(axis=(0, 1))
    span = np.where(real.max(axis=(0, 1)) > low, real.max(axis=(0, 1)) - low, 1.0)
    return (real - low) / span, (synthetic - low) / span


class _GRUHead(nn.Module):
    """A one-layer GRU and a linear read-out, of the last step or of every step."""

    def __init__(self, n_in, hidden, every_step):
        super().__init__()
        self.rnn = nn.GRU(n_in, hidden, batch_first=True)
        self.out = nn.Linear(hidden, 1)
        self.every_step = every_step

    def forward(self, x):
        h, _ = self.rnn(x)
        return self.out(h if self.every_step else h[:, -1]).squeeze(-1)


def _seeded_head(seed, n_in, hidden, every_step):
    """A :class:`_GRUHead` initialised from ``seed``, leaving the caller's
    global torch RNG as it was."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return _GRUHead(n_in, hidden, every_step)


def _train(net, inputs, targets, loss_fn, iterations, gen):
    optimizer = torch.optim.Adam(net.parameters())
    for _ in range(iterations):
        idx = torch.randint(len(inputs), (min(_BATCH, len(inputs)),), generator=gen)
        optimizer.zero_grad()
        loss_fn(net(inputs[idx]), targets[idx]).backward()
        optimizer.step()
    return net.eval()


def _units(size, real) -> int:
    if size is None:
        return max(1, real.shape[2] // 2)
    valid = isinstance(size, numbers.Integral) and not isinstance(size, bool)
    if not valid or size < 1:
        raise ValueError(f"hidden_size must be a positive int or None; got {size!r}.")
    return int(size)


def _seed(random_state) -> int:
    return int(check_random_state(random_state).randint(2**31 - 1))


@float32_default()  # the networks' dtype, whatever the user's default
def discriminative_score(real, synthetic, *, iterations=2000, hidden_size=None,
                         scale=True, random_state=None):  # fmt: skip
    """TimeGAN's discriminative score: how well a GRU tells the sets apart.

    A one-layer GRU classifier (``max(1, F // 2)`` units, Adam, batches of
    128) is trained for ``iterations`` steps on 80 % of the real and 80 % of
    the synthetic sequences and tested on the other 20 % of each; the score
    is ``|accuracy - 0.5|``: 0 when it cannot tell them apart, 0.5 when it
    always can. The published protocol averages 10 such scores.

    Parameters
    ----------
    real, synthetic : array-like of shape (n, T, F)
        Real and synthetic sequences (the same T and F).
    iterations : int, default=2000
        Training steps of the classifier.
    hidden_size : int or None, default=None
        Units of the GRU; ``None`` is the protocol's ``max(1, F // 2)``. With
        few features that classifier is weak and its score noisy from seed
        to seed; a larger one is a stricter judge, no longer the published
        score.
    scale : bool, default=True
        Min-max scale both sets per feature by the real set's range first,
        as TimeGAN's code does to Stocks and Energy. Its Sines are scored as
        generated, in [0, 1]: pass ``scale=False`` to compare with them
        (scaling them doubles the predictive score).
    random_state : int, RandomState instance or None, default=None
        Seeds the split, the batches and the network.

    Returns
    -------
    score : float
        ``|accuracy - 0.5|`` on the held-out sequences.

    Examples
    --------
    >>> from gansynth.datasets import make_sines
    >>> from gansynth.metrics import discriminative_score
    >>> import numpy as np
    >>> real = make_sines(200, random_state=0)
    >>> noise = np.random.default_rng(0).uniform(0.5, 1, real.shape)
    >>> score = discriminative_score(real, noise, iterations=300, random_state=0)
    >>> score > 0.25  # 0.35 here; 0 would mean indistinguishable
    True
    """
    real, synthetic = _scaled(real, synthetic, scale)
    seed = _seed(random_state)
    rng, gen = np.random.default_rng(seed), torch.Generator().manual_seed(seed)
    parts = []
    for values in (real, synthetic):
        order = rng.permutation(len(values))
        cut = int(0.8 * len(values))
        parts.append((values[order[:cut]], values[order[cut:]]))
    (real_train, real_test), (fake_train, fake_test) = parts
    inputs = np.concatenate([real_train, fake_train])
    inputs = torch.as_tensor(inputs, dtype=torch.float32)
    targets = torch.cat([torch.ones(len(real_train)), torch.zeros(len(fake_train))])
    net = _seeded_head(seed, real.shape[2], _units(hidden_size, real), False)
    net = _train(net, inputs, targets, nn.BCEWithLogitsLoss(), iterations, gen)
    test = torch.as_tensor(np.concatenate([real_test, fake_test]), dtype=torch.float32)
    truth = np.r_[np.ones(len(real_test)), np.zeros(len(fake_test))]
    with torch.no_grad():
        guess = (net(test) > 0).numpy()
    return float(abs(np.mean(guess == truth) - 0.5))


@float32_default()
def predictive_score(real, synthetic, *, iterations=5000, hidden_size=None,
                     scale=True, random_state=None):  # fmt: skip
    """TimeGAN's predictive score: train on synthetic, predict real.

    A one-layer GRU (``max(1, F // 2)`` units, sigmoid output, Adam, batches
    of 128, L1 loss) is trained for ``iterations`` steps on the synthetic
    sequences to predict the last feature one step ahead from the other
    features; the score is its mean absolute error on the real sequences
    (the mean over sequences of each one's error). With one feature, the
    predictor reads that feature's past instead (the published protocol has
    no input then). Pass ``synthetic=real`` for the train-on-real floor.

    Parameters
    ----------
    real, synthetic : array-like of shape (n, T, F)
        Real sequences (the test set) and synthetic ones (the training set);
        T >= 2.
    iterations : int, default=5000
        Training steps of the predictor.
    hidden_size : int or None, default=None
        Units of the GRU; ``None`` is the protocol's ``max(1, F // 2)``.
    scale : bool, default=True
        Min-max scale both sets per feature by the real set's range first,
        as TimeGAN's code does to Stocks and Energy. Its Sines are scored as
        generated, in [0, 1]: pass ``scale=False`` to compare with them
        (scaling them doubles the predictive score).
    random_state : int, RandomState instance or None, default=None
        Seeds the batches and the network.

    Returns
    -------
    score : float
        Mean absolute error on the real sequences.

    Examples
    --------
    >>> from gansynth.datasets import make_sines
    >>> from gansynth.metrics import predictive_score
    >>> real = make_sines(200, random_state=0)
    >>> score = predictive_score(real, real, iterations=300, scale=False,
    ...                          random_state=0)
    >>> round(score, 2)
    0.13
    """
    real, synthetic = _scaled(real, synthetic, scale)
    if real.shape[1] < 2:
        raise ValueError(f"predictive_score needs T >= 2 steps; got {real.shape[1]}.")
    seed = _seed(random_state)
    gen = torch.Generator().manual_seed(seed)
    features = slice(0, -1) if real.shape[2] > 1 else slice(None)

    def split(values):
        x = torch.as_tensor(values[:, :-1, features], dtype=torch.float32)
        return x, torch.as_tensor(values[:, 1:, -1], dtype=torch.float32)

    net = _seeded_head(seed, split(real)[0].shape[2], _units(hidden_size, real), True)
    predictor = nn.Sequential(net, nn.Sigmoid())
    _train(predictor, *split(synthetic), nn.L1Loss(), iterations, gen)
    x, y = split(real)
    with torch.no_grad():
        errors = (predictor(x) - y).abs().mean(dim=1)
    return float(errors.mean())


def copy_ratio(train, synthetic, held_out):
    """Whether synthetic sequences copy the training ones.

    The median distance (Euclidean, over the flattened sequence) from each
    synthetic sequence to its nearest training sequence, over the same
    median for real held-out sequences. About 1 when the synthetic
    sequences are as far from the training set as new real ones; below 1
    when they sit closer, which is what copying looks like.

    Parameters
    ----------
    train, synthetic, held_out : array-like of shape (n, T, F)
        Training, synthetic and held-out real sequences.

    Returns
    -------
    ratio : float
        Median nearest-training distance of ``synthetic`` over that of
        ``held_out``.

    Examples
    --------
    >>> import numpy as np
    >>> from gansynth.metrics import copy_ratio
    >>> rng = np.random.default_rng(0)
    >>> train, held_out = rng.normal(size=(2, 300, 8, 2))
    >>> copies = train[:100] + 0.01
    >>> copy_ratio(train, copies, held_out) < 0.1
    True
    """
    from sklearn.neighbors import NearestNeighbors

    train = _windows(train, "train")
    index = NearestNeighbors(n_neighbors=1).fit(train.reshape(len(train), -1))
    medians = []
    for name, values in (("synthetic", synthetic), ("held_out", held_out)):
        values = _windows(values, name)
        if values.shape[1:] != train.shape[1:]:
            raise ValueError(
                f"{name} must have the (T, F) of train, {train.shape[1:]}; got "
                f"{values.shape[1:]}."
            )
        distances = index.kneighbors(values.reshape(len(values), -1))[0]
        medians.append(np.median(distances))
    return float(medians[0] / medians[1])
