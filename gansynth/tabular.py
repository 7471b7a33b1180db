"""TabularGAN: a GAN for tables of any pandas dtypes."""

from __future__ import annotations

from .base import BaseGAN
from .checkpoint_selection import CheckpointSelectionMixin
from .modalities.tabular import TabularModality
from .persistence import register_estimator
from .utils.docstrings import fill_doc

__all__ = ["TabularGAN"]


@register_estimator
@fill_doc
class TabularGAN(CheckpointSelectionMixin, BaseGAN):
    """Generate rows of a table with a GAN: any pandas table in, the same out.

    Takes a DataFrame of mixed types (numbers, nullable integers, booleans,
    strings, categories, datetimes with or without a time zone, durations,
    missing values) or a 2-D array. Continuous columns are encoded by mode-specific
    normalisation (a variational Gaussian mixture per column), discrete ones
    as one-hots generated through a Gumbel-softmax; the generator is a
    residual MLP and the critic scores packs of ``pac`` rows (PacGAN).
    Samples come back in the same container with the same columns and dtypes;
    integers within their seen range, categories with their order, missing
    values at the learned rate.

    Parameters
    ----------
    loss : {"wgan-gp", "bce", "bce-minimax", "lsgan", "wgan", "hinge", "auto"} \
or Loss, default="wgan-gp"
        The adversarial loss; see :doc:`/user_guide/training`. On the five
        benchmark tables "wgan-gp" (with ``n_critic="auto"``: three critic
        steps per generator step) gave rows that train a classifier better
        and are harder to tell from real ones than "bce", the
        non-saturating binary cross-entropy and the default before, for
        1.25 to 1.4 times the fit time with ``y`` (the tabular sweep; 1.7
        to 2 times with five critic steps) (:ref:`tabular-loss`). "auto" is
        the same.
    %(gan_params)s
    generator_dims, discriminator_dims : tuple of int, default=(256, 256)
        Hidden widths of the residual generator and of the critic.
    discrete_columns : list or None, default=None
        Numeric columns to treat as discrete (names, or positions for an
        array). Object, string, category, bool and boolean columns are always
        discrete; every other column is continuous; a column with a single
        observed value is constant.
    max_modes : int, default=10
        Upper bound on the modes of a continuous column.
    log_columns : "auto", list or None, default="auto"
        Continuous columns generated as their logarithm and exponentiated
        back. ``"auto"`` picks those whose values are all positive and whose
        skewness exceeds 2 (long right tails: wages, incomes, prices); a list
        names them (positive values only); ``None`` logs none. On the
        CPS1988 wages it raised the train-on-synthetic ROC AUC from 0.84 to
        0.88 (see the tabular guide). ``encoder_.log_columns_`` says which
        were logged.
    derived_columns : "auto" or None, default="auto"
        ``"auto"``: a continuous column that is an affine function of an
        earlier continuous column on every row, up to the decimals it was
        written with (a charge = rate x minutes, a price with a fixed tax),
        is computed from that column on sampling instead of generated, so the
        relation holds exactly. On mlc_churn's four charge columns it
        brought the detection ROC AUC of a 100-epoch fit from 0.998 to 0.716
        (see the tabular guide). ``encoder_.derived_columns_`` says which;
        ``None`` generates all.
    unseen_pairs : "auto" or None, default="auto"
        ``"auto"``: two categories that no training row combines (of
        discrete columns, of the modes of numeric columns such as zero and
        non-zero, of missing values), where independence would expect at
        least 20 rows, are never drawn together when sampling: no voice-mail
        messages without a voice-mail plan where the data has none (7.5 % of
        mlc_churn's generated rows had such a pair before, see the tabular
        guide). ``encoder_.unseen_pairs_`` lists them; ``None`` draws every
        categorical block on its own. Training is the same either way.
    pac : int or "auto", default="auto"
        Rows the critic scores together; ``batch_size`` must be a multiple.
        ``"auto"`` packs 10 rows (PacGAN's choice) with ``batch_size="auto"``,
        and otherwise the largest number of rows up to 10 that divides the
        batch (of each process, in a distributed fit): ``batch_size=64``
        packs 8. ``group_size_`` says what was used.
    discriminator_dropout : float, default=0.5
        Dropout in the critic.
    label_encoding : {"embedding", "one-hot"}, default="embedding"
        How class labels enter the generator: a learned embedding, or the
        fixed one-hot of Mirza & Osindero (2014). The critic uses a projection
        head either way.
    classifier_weight : float, default=1.0
        With class labels, a classifier is trained on the real rows beside
        the GAN, and the generator pays this weight times the difference
        between how it classifies the generated rows of each class and how
        it classifies the real rows of that class
        (:class:`~gansynth.modalities.tabular.ClassifierLoss`); it ties the
        rows to their class where the critic alone does not. 0 trains no
        classifier. Unused without ``y``.
    moment_weight : float, default=2.0
        The generator also pays this weight times the difference between the
        batch means and standard deviations of the generated and the real
        encoded columns, per class with ``y``
        (:class:`~gansynth.modalities.MomentLoss`, table-GAN's
        information loss on the columns): without it the numeric columns
        came out narrower than the real ones; at 1 CPS1988's came out too
        wide, and 2 is the weight that kept the numeric columns of all five
        benchmark tables within 0.95-1.05 of the real spread (see the
        tabular guide). 0 turns it off.
    mode_moment_weight : float, default=0.0
        The weight of the term's within-mode part: for each continuous
        column with several modes, the mean and standard deviation of its
        scalar within each mode, per class with ``y``. On the CPS1988 wage
        table it kept the wages of each class from spreading as training
        went on; on the other benchmark tables it did not help, and on one
        it widened the columns (see the tabular guide). 0 leaves it out.
    validation_fraction : float or None, default=None
        Set this share of the rows aside (stratified by ``y``), train on
        the rest, and score the generator of ten evenly spaced epochs and
        the last on the rows set aside: with ``y``, the ROC AUC on them of a
        gradient-boosting classifier trained on sampled rows; without, how
        hard a classifier finds it to tell sampled rows from them (one minus
        its ROC AUC). The generator kept is that of the latest epoch whose
        score is within one standard error of the best. ``None`` trains on
        every row and keeps the last epoch. Not with ``warm_start``.

    Attributes
    ----------
    generator_, discriminator_, generator_ema_ : torch.nn.Module
        The trained networks (``generator_ema_`` is ``None`` without EMA).
    encoder_ : TabularEncoder
        Encodes the table and restores it.
    history_ : pandas.DataFrame
        One row per epoch: ``d_loss``, ``g_loss``, ``penalty``, ``d_real``,
        ``d_fake``, ``d_grad_norm``, ``g_grad_norm``, ``condition_loss`` (a
        table with discrete columns only) and ``seconds``.
    classes_ : ndarray or None
        Classes seen in ``fit`` (``None`` when fitted without ``y``).
    n_features_in_ : int
        Number of columns seen in ``fit``.
    feature_names_in_ : ndarray
        Column names, when ``X`` was a DataFrame with string names.
    n_epochs_ : int
        Epochs trained so far.
    device_ : str
        The device used.
    n_critic_ : int
        The resolved ``n_critic``.
    batch_size_ : int
        The resolved ``batch_size``.
    group_size_ : int
        The rows the critic scored together (the resolved ``pac``).
    validation_scores_ : pandas.DataFrame or None
        With ``validation_fraction``: the ``epoch`` of each scored copy, its
        ``score`` on the rows set aside and the score's ``standard_error``;
        ``None`` without.
    best_epoch_ : int or None
        With ``validation_fraction``: the epoch whose generator samples.

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> from gansynth import TabularGAN
    >>> rng = np.random.default_rng(0)
    >>> df = pd.DataFrame({"age": rng.integers(18, 90, 200),
    ...                    "plan": pd.Categorical(rng.choice(["basic", "pro"], 200)),
    ...                    "spend": rng.gamma(2.0, 50.0, 200)})
    >>> gan = TabularGAN(epochs=2, random_state=0).fit(df)
    >>> new = gan.sample(5, random_state=0)
    >>> new.dtypes.equals(df.dtypes), new.shape
    (True, (5, 3))
    >>> gan.history_.shape[0]
    2

    A long-tailed positive column is generated as its logarithm:

    >>> wages = pd.DataFrame({"wage": rng.lognormal(6, 1.0, 200), "age": df["age"]})
    >>> TabularGAN(epochs=1, random_state=0).fit(wages).encoder_.log_columns_
    ['wage']

    Keep the best of the epochs, judged on a fifth of the rows:

    >>> y = (df["spend"] > 100).astype(int)
    >>> gan = TabularGAN(epochs=4, validation_fraction=0.2, random_state=0)
    >>> gan.fit(df, y).validation_scores_.columns.tolist()
    ['epoch', 'score', 'standard_error']
    >>> gan.n_samples_fit_, gan.best_epoch_ in (1, 2, 3, 4)
    (160, True)
    """

    # The modality's parameters are the table's own (checked by the modality).
    _parameter_constraints = TabularModality.parameter_constraints
    _architecture_params = tuple(TabularModality.parameter_constraints)
    # Added after the first saved models, which were fitted without them.
    _params_since = {
        "classifier_weight": 0.0,
        "moment_weight": 0.0,
        "mode_moment_weight": 0.0,
        "validation_fraction": None,
        "log_columns": None,
        "derived_columns": None,
        "unseen_pairs": None,
    }

    def __init__(
        self,
        *,
        loss="wgan-gp",
        epochs="auto",
        batch_size="auto",
        latent_dim=32,
        generator_lr=2e-4,
        discriminator_lr=2e-4,
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
        generator_dims=(256, 256),
        discriminator_dims=(256, 256),
        discrete_columns=None,
        max_modes=10,
        log_columns="auto",
        derived_columns="auto",
        unseen_pairs="auto",
        pac="auto",
        discriminator_dropout=0.5,
        label_encoding="embedding",
        classifier_weight=1.0,
        moment_weight=2.0,
        mode_moment_weight=0.0,
        validation_fraction=None,
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
        self.generator_dims = generator_dims
        self.discriminator_dims = discriminator_dims
        self.discrete_columns = discrete_columns
        self.max_modes = max_modes
        self.log_columns = log_columns
        self.derived_columns = derived_columns
        self.unseen_pairs = unseen_pairs
        self.pac = pac
        self.discriminator_dropout = discriminator_dropout
        self.label_encoding = label_encoding
        self.classifier_weight = classifier_weight
        self.moment_weight = moment_weight
        self.mode_moment_weight = mode_moment_weight
        self.validation_fraction = validation_fraction

    def fit(self, X, y=None):
        """Learn the table (class-conditional when ``y`` is given).

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_columns)
            The table.
        y : array-like of shape (n_samples,), optional
            Class labels; ``-1`` marks an unlabelled row.

        Returns
        -------
        self : TabularGAN
            The fitted estimator.
        """
        return self._fit_and_select(X, y)

    def _make_modality(self):
        return TabularModality(
            **{name: getattr(self, name) for name in self._architecture_params}
        )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True  # missing values are learned
        tags.input_tags.string = tags.input_tags.categorical = True  # DataFrames
        return tags
