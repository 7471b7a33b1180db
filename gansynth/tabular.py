"""TabularGAN: a GAN for tables (numeric columns, for now)."""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd
from sklearn.utils.validation import validate_data

from .base import BaseGAN
from .modalities import NumericModality
from .utils.validation import InstanceOf

__all__ = ["TabularGAN"]


def _is_widths(value) -> bool:
    return (
        isinstance(value, list | tuple)
        and len(value) > 0
        and all(
            isinstance(w, numbers.Integral) and not isinstance(w, bool) and w > 0
            for w in value
        )
    )


class TabularGAN(BaseGAN):
    """Generate rows of a numeric table with a GAN.

    Takes a 2-D array or a DataFrame of numeric columns; samples come back in
    the same container with the same column names and dtypes (integer and
    boolean columns rounded into their training range). Mixed-type tables
    (categories, missing values, datetimes) are the next step of this estimator.

    Parameters
    ----------
    loss : {"bce", "bce-minimax", "lsgan", "wgan", "wgan-gp", "hinge"} or Loss, \
default="bce"
        The adversarial loss; see :doc:`/user_guide/training`. ``"bce"`` is the
        non-saturating binary cross-entropy.
    epochs : int, default=100
        Passes over the data; an epoch is ``max(1, n_rows // batch_size_)``
        generator steps, each after ``n_critic`` discriminator steps.
    batch_size : int or "auto", default="auto"
        Rows per batch. "auto" is 256, or every row when there are fewer; an
        int larger than the number of rows is clipped to it with a warning.
    latent_dim : int, default=32
        Size of the generator's noise vector.
    generator_lr, discriminator_lr : float, default=2e-4
        Adam learning rates.
    n_critic : int or "auto", default="auto"
        Discriminator steps per generator step; "auto" is 5 for "wgan" and
        "wgan-gp", else 1.
    gp_weight : float, default=10.0
        Gradient-penalty weight of "wgan-gp".
    ema : float or None, default=0.99
        Decay of the exponential moving average of the generator weights used
        for sampling; ``None`` samples from the raw generator.
    device : str or torch.device, default="auto"
        "auto" picks CUDA, then MPS, then the CPU, at fit time.
    amp : bool, default=False
        Use bf16 autocast on CUDA (ignored with a warning elsewhere).
    compile : bool, default=False
        Wrap the networks in ``torch.compile`` on CUDA (ignored with a warning
        elsewhere).
    random_state : int, RandomState instance or None, default=None
        Seeds initialisation, batches and noise; the same seed, data and device
        give the same samples.
    verbose : bool, default=False
        Show a progress bar.
    callbacks : list of Callback or None, default=None
        Extra trainer callbacks (early stopping, checkpoints, ...).
    warm_start : bool, default=False
        Continue training the fitted networks on the next ``fit``.
    generator_dims, discriminator_dims : tuple of int, default=(128, 128)
        Hidden widths of the generator and discriminator MLPs.

    Attributes
    ----------
    generator_, discriminator_, generator_ema_ : torch.nn.Module
        The trained networks (``generator_ema_`` is ``None`` without EMA).
    encoder_ : NumericEncoder
        Standardises the columns and restores them.
    history_ : pandas.DataFrame
        One row per epoch: ``d_loss``, ``g_loss``, ``penalty``, ``d_real``,
        ``d_fake``, ``d_grad_norm``, ``g_grad_norm``, ``seconds``.
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

    Examples
    --------
    >>> import numpy as np
    >>> from gansynth import TabularGAN
    >>> X = np.random.default_rng(0).normal(size=(200, 3))
    >>> gan = TabularGAN(epochs=2, random_state=0).fit(X)
    >>> gan.sample(5, random_state=0).shape
    (5, 3)
    >>> gan.history_.shape[0]
    2
    """

    _parameter_constraints = {
        "generator_dims": [
            InstanceOf("a non-empty tuple of positive ints", _is_widths)
        ],
        "discriminator_dims": [
            InstanceOf("a non-empty tuple of positive ints", _is_widths)
        ],
    }

    def __init__(
        self,
        *,
        loss="bce",
        epochs=100,
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
        generator_dims=(128, 128),
        discriminator_dims=(128, 128),
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
        self.generator_dims = generator_dims
        self.discriminator_dims = discriminator_dims

    def _make_modality(self):
        return NumericModality(self.generator_dims, self.discriminator_dims)

    def _validate_input(self, X, *, reset):
        if isinstance(X, pd.DataFrame):
            bad = [
                f"{c!r} ({t})"
                for c, t in X.dtypes.items()
                if not (
                    pd.api.types.is_numeric_dtype(t) or pd.api.types.is_bool_dtype(t)
                )
            ]
            if bad:
                raise ValueError(
                    "TabularGAN takes numeric columns for now; X has non-numeric "
                    f"columns {', '.join(bad)}. Encode them as numbers first."
                )
        validate_data(self, X, reset=reset, dtype=[np.float64, np.float32])
        return X
