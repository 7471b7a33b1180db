"""TimeSeriesGAN: a recurrent GAN for sequences, class-conditional with ``y``."""

from __future__ import annotations

import numbers

import pandas as pd

from .base import BaseGAN
from .modalities.sequence import SequenceModality
from .persistence import register_estimator
from .utils.docstrings import fill_doc
from .utils.validation import Interval, Options

__all__ = ["TimeSeriesGAN"]


@register_estimator
@fill_doc
class TimeSeriesGAN(BaseGAN):
    """Generate sequences with a recurrent GAN, in the form given to ``fit``.

    Takes a NumPy array or torch tensor of shape (n, T, F), or (n, F, T) with
    ``layout="NFT"`` (aeon's), a list of (T_i, F) arrays of unequal lengths, or a long
    DataFrame of one row per (id, time step) with ``id_column``, ``time_column`` and
    per-id ``static_columns``; static attributes are generated too, or given to
    :meth:`sample`. Missing values (NaN) are learned at their rate and come back as NaN.
    Each feature is min-max scaled; unequal lengths are padded and a presence channel
    says where each sequence ends; the generator draws each length from a model of the
    lengths given the class and static attributes, fitted by maximum likelihood (see
    :class:`~gansynth.modalities.sequence.LengthModel`). The generator is a GRU (or
    LSTM) fed fresh noise at every step, the critic dilated temporal convolutions (or a
    bidirectional GRU) with the projection head for labels (see
    :class:`~gansynth.modalities.sequence.RecurrentGenerator`).

    Parameters
    ----------
    loss : {"bce", "bce-minimax", "lsgan", "wgan", "wgan-gp", "hinge"} or \
Loss, default="hinge"
        The adversarial loss; see :doc:`/user_guide/training`. On 2,000 of
        TimeGAN's sines after 450 generator steps (seed 0) the
        discriminative score was 0.100 with "hinge", 0.149 with "lsgan" and
        0.175 with "bce"; "wgan-gp" reached 0.265 in the same time (150
        steps of 5 critic steps each). On Energy (28 features, five
        seeds) ``loss="wgan-gp", n_critic=3`` scored 0.193 against the
        default's 0.354, in 3.4 times the CPU time; on Stocks and the sines
        it did not help; with classes it raised JapaneseVowels'
        train-on-synthetic accuracy (0.875 to 0.930) and lowered
        BasicMotions' (0.858 to 0.712). See :doc:`/user_guide/timeseries`.
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
    id_column : column label, optional
        For a long DataFrame ``X``: the column naming the sequence of each
        row. Samples get new ids 0, 1, ... (as strings when the ids were
        not integers).
    time_column : column label, optional
        For a long DataFrame: the column (numbers, datetimes or durations)
        that orders each sequence's rows; without it, the row order does.
        Regular steps are kept; irregular ones are learned as the gap to the
        previous step (see :mod:`~gansynth.modalities.sequence.frames`).
    static_columns : list of column labels, optional
        For a long DataFrame: columns with one value per id (numbers,
        strings, categories, booleans), generated with each sequence or
        given to ``sample(static=...)``.
    scaling : {"minmax", "quantile", "auto"}, default="auto"
        How each feature is mapped to the generator's [-1, 1]: linearly over
        its range, or to its quantile among the training values, which makes
        every marginal uniform and puts samples back on the training
        marginals; ``"auto"`` maps by quantile only the heavy-tailed features
        (excess kurtosis above 3) and the others linearly (see
        :doc:`/user_guide/timeseries`).
    supervised_weight : float, default=0.0
        Weight of TimeGAN's supervised next-step loss (Yoon et al. 2019): an
        embedder, a recovery network and a supervisor are fitted on the real
        sequences beside the game, and the generator pays the supervisor's
        error in predicting each next step of its own sequences (see
        :class:`~gansynth.modalities.sequence.NextStepSupervisor`). 0 leaves
        them out.
    moment_weight : float or "auto", default="auto"
        Weight of a term in the generator's loss that matches the batch
        mean and standard deviation of every feature at every step (per
        class with ``y``) between generated and real sequences, as
        ``TabularGAN``'s ``moment_weight`` does for columns
        (:class:`~gansynth.modalities.MomentLoss`); 0 leaves it out.
        ``"auto"`` is 1.0 without ``y`` and 0 with it: without classes it
        took the sines' discriminative score from 0.019 to 0.004 over five
        seeds; with them it showed no gain in train-on-synthetic accuracy
        (see :doc:`/user_guide/timeseries`). Models saved before it existed
        load with 0.
    smoothing : bool, default=False
        After fitting, choose for each feature a trailing moving average
        of 1 or 3 steps that brings the generated sequences' mean
        step-to-step change closest to the training sequences' one, and
        apply it to every sample (over the observed steps inside each
        sequence, never averaging a step with a later one; see
        :func:`~gansynth.modalities.sequence.smoothing.choose_windows`).
        This is a step after sampling, not something the game learns. With
        ``loss="wgan-gp"`` on TimeGAN's Energy data the generated steps
        were 5-6 times the real ones, and smoothing them took the
        discriminative score of the same fits from 0.182 to 0.067 (five
        seeds, three detectors each), with the predictive score unchanged
        (0.256 and 0.255); see :doc:`/user_guide/timeseries`. It is off by
        default: with the default loss its first, centred version gained
        little on Energy (0.396 to 0.361, one seed) and nothing on Stocks.
        Models saved before it existed load without it.

    Attributes
    ----------
    generator_, discriminator_, generator_ema_ : torch.nn.Module
        The trained networks (``generator_ema_`` is ``None`` without EMA).
    encoder_ : SequenceEncoder
        Encodes the sequences and restores them; with ``smoothing=True`` its
        ``smoothing_windows_`` holds each feature's window.
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
    _params_since = {
        "scaling": "minmax",
        "supervised_weight": 0.0,
        "moment_weight": 0.0,
        "smoothing": False,
    }

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
        id_column=None,
        time_column=None,
        static_columns=None,
        scaling="auto",
        supervised_weight=0.0,
        moment_weight="auto",
        smoothing=False,
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
        self.id_column = id_column
        self.time_column = time_column
        self.static_columns = static_columns
        self.scaling = scaling
        self.supervised_weight = supervised_weight
        self.moment_weight = moment_weight
        self.smoothing = smoothing

    def _make_modality(self):
        return SequenceModality(
            **{name: getattr(self, name) for name in self._architecture_params}
        )

    def sample(self, n_samples=None, *, static=None, y=None, return_y=False,
               random_state=None, z=None, shift=None):  # fmt: skip
        """Generate new sequences, optionally for given static attributes.

        Parameters
        ----------
        n_samples : int, optional
            Number of sequences; defaults to ``len(static)``, to the classes
            asked for in ``y``, or else to the number seen in ``fit``.
        static : DataFrame, optional
            One row of the static columns per sequence (a model fitted on a
            long DataFrame with ``static_columns``): every sequence is
            generated for its row, and its static columns equal it. Without
            it the attributes are generated too.
        y, return_y, random_state, z, shift
            As in :meth:`BaseGAN.sample <gansynth.base.BaseGAN.sample>`.

        Returns
        -------
        X_new : same form as the training data
            A long DataFrame of ``n_samples`` new ids for a frame, else
            arrays, tensors or a list of sequences.
        y_new : ndarray of shape (n_samples,)
            Only with ``return_y=True``.

        Examples
        --------
        >>> import numpy as np, pandas as pd
        >>> from gansynth import TimeSeriesGAN
        >>> rng = np.random.default_rng(0)
        >>> long = pd.DataFrame({
        ...     "patient": np.repeat(np.arange(20), 6),
        ...     "hour": np.tile(np.arange(6), 20),
        ...     "pulse": rng.normal(70, 5, 120),
        ...     "sex": np.repeat(rng.choice(["f", "m"], 20), 6)})
        >>> gan = TimeSeriesGAN(epochs=2, hidden_size=8, id_column="patient",
        ...                     time_column="hour", static_columns=["sex"],
        ...                     random_state=0).fit(long)
        >>> out = gan.sample(static=pd.DataFrame({"sex": ["f", "m", "m"]}))
        >>> out.groupby("patient")["sex"].first().tolist(), len(out)
        (['f', 'm', 'm'], 18)
        """
        given = None
        if static is not None:
            encoder = getattr(self, "encoder_", None)
            if encoder is not None and encoder.static_encoder_ is None:
                raise ValueError(
                    "static needs a model fitted on a long DataFrame with "
                    "static_columns; this one has no static attributes."
                )
            if encoder is not None:
                given = encoder.static_encoder_.check(static).reset_index(drop=True)
                if n_samples is None:
                    n_samples = len(given)
        out = super().sample(
            n_samples, y=y, return_y=return_y, random_state=random_state, z=z,
            conditions=given, shift=shift,
        )  # fmt: skip
        if given is not None:
            # The generator was given these rows; write the user's values back
            # as they were, not as decoded from their encoding.
            frame = out[0] if return_y else out
            rows = pd.factorize(frame[self.encoder_.frame_.id_column])[0]
            for column in given.columns:
                frame[column] = given[column].iloc[rows].to_numpy()
                frame[column] = frame[column].astype(given[column].dtype)
        return out

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.three_d_array = True
        tags.input_tags.allow_nan = True  # missing values are learned
        return tags
