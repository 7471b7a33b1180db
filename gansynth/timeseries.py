"""TimeSeriesGAN: a recurrent GAN for sequences, class-conditional with ``y``."""

from __future__ import annotations

import numbers

from .base import BaseGAN
from .modalities.sequence import SequenceModality
from .persistence import register_estimator
from .utils.docstrings import fill_doc
from .utils.validation import Interval, Options

__all__ = ["TimeSeriesGAN"]

# epochs="auto": generator steps of a fit. On 2,000 of TimeGAN's sines
# (hinge, seed 0) the discriminative score was 0.100 after 450 steps and
# 0.014 after 1,350 (TimeGAN published 0.011).
_AUTO_STEPS = 1500


@register_estimator
@fill_doc
class TimeSeriesGAN(BaseGAN):
    """Generate sequences with a recurrent GAN, in the form given to ``fit``.

    Takes a NumPy array or torch tensor of shape (n, T, F), or (n, F, T)
    with ``layout="NFT"`` (aeon's), or a list of (T_i, F) arrays of unequal
    lengths. Missing values (NaN) are learned at their rate and come back as
    NaN. Each feature is min-max scaled; unequal lengths are padded and a
    presence channel, which the generator learns too, says where each
    sequence ends, so lengths follow the data (per class, with ``y``). The
    generator is a GRU (or LSTM) fed fresh noise at every step, the critic
    dilated temporal convolutions (or a bidirectional GRU) with the
    projection head for labels (see
    :class:`~gansynth.modalities.sequence.RecurrentGenerator`).

    Parameters
    ----------
    loss : {"bce", "bce-minimax", "lsgan", "wgan", "wgan-gp", "hinge"} or \
Loss, default="hinge"
        The adversarial loss; see :doc:`/user_guide/training`. On 2,000 of
        TimeGAN's sines after 450 generator steps (seed 0) the
        discriminative score was 0.100 with "hinge", 0.149 with "lsgan" and
        0.175 with "bce"; "wgan-gp" reached 0.265 in the same time (150
        steps of 5 critic steps each). See :doc:`/user_guide/timeseries`.
    epochs : int or "auto", default="auto"
        Passes over the sequences; an epoch is ``n_sequences // batch_size_``
        generator steps, each after ``n_critic`` critic steps. "auto" is as
        many epochs as make 1,500 generator steps.
    batch_size : int or "auto", default="auto"
        Sequences per batch; "auto" is 128, or every sequence when there are
        fewer; an int larger than the number of sequences is clipped to it
        with a warning.
    latent_dim : int, default=8
        Noise values per time step.
    generator_lr, discriminator_lr : float, default=1e-3
        Adam learning rates (betas of the loss).
    %(gan_params_after_rates)s
    layout : {"auto", "NTF", "NFT"}, default="auto"
        The axes of a 3-D ``X``: "auto" and "NTF" are (n, T, F), "NFT" is
        (n, F, T).
    hidden_size : int, default=64
        Units of the generator's recurrent layers and of each direction of
        the critic's.
    num_layers : int, default=2
        Recurrent layers of the generator.
    cell : {"gru", "lstm"}, default="gru"
        The recurrent cell (of the generator, and of a recurrent critic).
    critic : {"conv", "gru"}, default="conv"
        The critic: dilated temporal convolutions, or a bidirectional
        recurrent network (several times slower per step on a CPU).

    Attributes
    ----------
    generator_, discriminator_, generator_ema_ : torch.nn.Module
        The trained networks (``generator_ema_`` is ``None`` without EMA).
    encoder_ : SequenceEncoder
        Encodes the sequences and restores them.
    history_ : pandas.DataFrame
        One row per epoch of losses and diagnostics.
    classes_ : ndarray or None
        Classes seen in ``fit`` (``None`` when fitted without ``y``).
    n_features_in_ : int
        Features per time step seen in ``fit``.
    n_epochs_ : int
        Epochs trained so far.
    device_ : str
        The device used.

    Examples
    --------
    >>> import numpy as np
    >>> from gansynth import TimeSeriesGAN
    >>> t = np.linspace(0, 6, 20)
    >>> phase = np.random.default_rng(0).uniform(0, 3, (32, 1))
    >>> series = np.sin(t + phase)[:, :, None]          # (32, 20, 1)
    >>> gan = TimeSeriesGAN(epochs=2, hidden_size=8, random_state=0).fit(series)
    >>> gan.sample(5).shape
    (5, 20, 1)
    """

    _parameter_constraints = {
        **SequenceModality.parameter_constraints,
        "epochs": [Interval(numbers.Integral, 1, None), Options(("auto",))],
    }
    _architecture_params = tuple(SequenceModality.parameter_constraints)
    _auto_batch_size = 128
    _auto_steps = _AUTO_STEPS

    def __init__(
        self,
        *,
        loss="hinge",
        epochs="auto",
        batch_size="auto",
        latent_dim=8,
        generator_lr=1e-3,
        discriminator_lr=1e-3,
        n_critic="auto",
        gp_weight=10.0,
        ema=0.99,
        device="auto",
        amp=False,
        compile=False,
        random_state=None,
        verbose=False,
        callbacks=None,
        warm_start=False,
        class_balance=False,
        layout="auto",
        hidden_size=64,
        num_layers=2,
        cell="gru",
        critic="conv",
    ):
        self.loss = loss
        self.epochs = epochs
        self.batch_size = batch_size
        self.latent_dim = latent_dim
        self.generator_lr = generator_lr
        self.discriminator_lr = discriminator_lr
        self.n_critic = n_critic
        self.gp_weight = gp_weight
        self.ema = ema
        self.device = device
        self.amp = amp
        self.compile = compile
        self.random_state = random_state
        self.verbose = verbose
        self.callbacks = callbacks
        self.warm_start = warm_start
        self.class_balance = class_balance
        self.layout = layout
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.cell = cell
        self.critic = critic

    def _make_modality(self):
        return SequenceModality(
            **{name: getattr(self, name) for name in self._architecture_params}
        )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.three_d_array = True
        tags.input_tags.allow_nan = True  # missing values are learned
        return tags
