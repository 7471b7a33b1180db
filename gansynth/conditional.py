"""ConditionalGAN: the class-conditional front for every modality."""

from __future__ import annotations

import numpy as np

from .base import BaseGAN
from .checkpoint_selection import CheckpointSelectionMixin
from .fitting import check_params
from .modalities import detect_modality, get_modality
from .persistence import register_estimator
from .utils.docstrings import fill_doc
from .utils.labels import encode_labels
from .utils.validation import InstanceOf, Options

__all__ = ["ConditionalGAN"]

# Modalities whose samples are tables, which the held-out score takes.
_SCORED = ("tabular", "numeric")


@register_estimator
@fill_doc
class ConditionalGAN(CheckpointSelectionMixin, BaseGAN):
    """A class-conditional GAN for any modality: ``fit(X, y)``, ``sample(n, y=k)``.

    The modality is looked up in the registry of modalities
    (:func:`gansynth.modalities.register_modality`): picked from the data (a
    2-D array or a DataFrame is a table) or forced with ``modality``, a
    built-in or one of your own; its own settings (network widths, packing,
    encoder options) go in ``modality_params``. Labels enter the
    generator through an embedding and the discriminator through a projection
    head; rows with ``y == -1`` are unlabelled and still teach p(X). This is
    the default generator of :class:`~gansynth.GANResampler` and
    :class:`~gansynth.AugmentedClassifier`.

    Parameters
    ----------
    loss : {"auto", "bce", "bce-minimax", "lsgan", "wgan", "wgan-gp", "hinge"} \
or Loss, default="auto"
        The adversarial loss; see :doc:`/user_guide/training`. "auto" is the
        modality's ``default_loss``: "wgan-gp" for tables (as
        :class:`~gansynth.TabularGAN`), "bce" (the non-saturating binary
        cross-entropy) for the others unless they set their own.
    %(gan_params)s
    modality : str, default="auto"
        The name of a registered modality ("tabular", "image", "sequence",
        "numeric", or one that you registered). "auto" asks the registered
        modalities in the order of registration which one takes ``X``: 2-D
        data is a table, 4-D arrays are images, 3-D arrays and lists of 2-D
        arrays are sequences.
    modality_params : dict or None, default=None
        Parameters of the modality, such as ``generator_dims``, ``pac`` or
        ``discrete_columns`` for tables (see :class:`~gansynth.TabularGAN`).
        Unknown names are an error.
    validation_fraction : float or None, default=None
        Tables only: set this share of the rows aside (stratified by ``y``),
        train on the rest, and keep the generator of the epoch chosen on the
        rows set aside, as :class:`~gansynth.TabularGAN` does. ``None``
        keeps the last epoch.

    Attributes
    ----------
    generator_, discriminator_, generator_ema_ : torch.nn.Module
        The trained networks (``generator_ema_`` is ``None`` without EMA).
    encoder_ : object
        The modality's fitted encoder.
    modality_ : str
        The modality used.
    history_ : pandas.DataFrame
        One row per epoch of losses and diagnostics.
    classes_ : ndarray
        Classes seen in ``fit`` (``-1``, unlabelled, excluded).
    n_features_in_ : int
        Number of features seen in ``fit``.
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
        Samples the critic scored together (the resolved ``pac`` of tables).
    validation_scores_ : pandas.DataFrame or None
        With ``validation_fraction``: the ``epoch``, ``score`` and
        ``standard_error`` of each scored copy.
    best_epoch_ : int or None
        With ``validation_fraction``: the epoch whose generator samples.

    See Also
    --------
    TabularGAN : The tabular estimator, conditional when given ``y``.
    GANResampler : Oversample rare classes in an imbalanced-learn pipeline.

    Examples
    --------
    >>> from sklearn.datasets import load_wine
    >>> from gansynth import ConditionalGAN
    >>> X, y = load_wine(return_X_y=True)
    >>> gan = ConditionalGAN(epochs=2, random_state=0).fit(X, y)
    >>> gan.sample(4, y=2).shape
    (4, 13)
    >>> X_new, y_new = gan.sample(y={0: 1, 2: 2}, return_y=True)
    >>> y_new.tolist()
    [0, 2, 2]
    """

    _parameter_constraints = {
        "modality": [InstanceOf("a modality name", lambda v: isinstance(v, str))],
        "modality_params": [
            Options((None,)),
            InstanceOf("a dict", lambda value: isinstance(value, dict)),
        ],
    }
    _architecture_params = ("modality", "modality_params")

    def __init__(
        self,
        *,
        loss="auto",
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
        modality="auto",
        modality_params=None,
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
        self.modality = modality
        self.modality_params = modality_params
        self.validation_fraction = validation_fraction

    def fit(self, X, y=None):
        """Learn the class-conditional distribution of ``X`` given ``y``.

        Parameters
        ----------
        X : array-like or DataFrame
            Training data; a 2-D array or a DataFrame is a table.
        y : array-like of shape (n_samples,)
            Class labels (required); ``-1`` marks an unlabelled row. Every
            labelled class needs at least two rows.

        Returns
        -------
        self : ConditionalGAN
            The fitted estimator.
        """
        if y is None:
            raise ValueError(
                "ConditionalGAN requires y to be passed, but the target y is None: "
                "give the class of each row (-1 for an unlabelled row). For an "
                "unconditional model fit TabularGAN, ImageGAN or TimeSeriesGAN "
                "without y (a plug-in modality trains through ConditionalGAN "
                "only, with labels)."
            )
        check_params(self)
        warm = bool(self.warm_start) and hasattr(self, "generator_")
        name = detect_modality(X) if self.modality == "auto" else self.modality
        # Checked before modality_ changes, so that a refused refit leaves the
        # fitted model as it was (an unknown name, bad modality_params, y).
        modality = self._make_modality(name if not warm else self.modality_)
        classes, codes, _ = encode_labels(y, modality.n_samples(X))
        counts = np.bincount(codes, minlength=len(classes))[: len(classes)]
        if counts.min() < 2:
            rare = classes[counts < 2].tolist()
            raise ValueError(
                f"y: classes {rare} have only 1 sample each; a conditional model "
                "needs at least 2 rows of each class (drop or merge them)."
            )
        if self.validation_fraction is not None and name not in _SCORED:
            raise ValueError(
                f"validation_fraction scores sampled tables; the {name!r} "
                "modality has no held-out score. Set validation_fraction=None."
            )
        if not warm:
            self.modality_ = name
        return self._fit_and_select(X, y)

    def _make_modality(self, name=None):
        """The registered modality ``name`` (by default the fitted one) built
        from ``modality_params``, which it checks and documents."""
        name = name or getattr(self, "modality_", None) or self.modality
        if name == "auto":  # not fitted yet: the default modality of tables
            name = "tabular"
        hint = ""
        if self.modality == "auto":
            hint = f" modality='auto' read X as {name!r}; set it to choose."
        return get_modality(name).from_params(self.modality_params, hint=hint)

    def _get_fitted_state(self):
        modules, arrays, fitted = super()._get_fitted_state()
        fitted["modality_"] = self.modality_
        return modules, arrays, fitted

    def _set_fitted_state(self, states, arrays, fitted, device):
        self.modality_ = fitted["modality_"]  # picks the modality to build
        super()._set_fitted_state(states, arrays, fitted, device)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = True
        tags.input_tags.allow_nan = True  # tables learn missing values
        tags.input_tags.string = tags.input_tags.categorical = True
        return tags
