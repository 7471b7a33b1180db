"""ImageGAN: a DCGAN for images, class-conditional with ``y``."""

from __future__ import annotations

import numbers

from .base import BaseGAN
from .modalities.image import ImageModality
from .persistence import register_estimator
from .utils.docstrings import fill_doc
from .utils.validation import Interval, Options

__all__ = ["ImageGAN"]


@register_estimator
@fill_doc
class ImageGAN(BaseGAN):
    """Generate images with a DCGAN: the layout, dtype and range given, back.

    Takes NumPy arrays or torch tensors of shape (N, C, H, W), (N, H, W, C)
    or (N, H, W), uint8 (0-255) or floating point (0-1), 1 or 3 channels,
    sides of 8 to 64 pixels. Images are scaled to [-1, 1] and padded by
    their border to a square power-of-two side (28x28 becomes 32x32); the
    generator upsamples noise (and a label embedding) with batch norm, ReLU
    and a tanh output, the critic downsamples with strided convolutions and
    LeakyReLU and scores with a projection head (Radford et al. 2016; Miyato
    & Koyama 2018). Samples come back cropped, in the form of ``fit``'s input.

    Parameters
    ----------
    loss : {"bce", "bce-minimax", "lsgan", "wgan", "wgan-gp", "hinge"} or \
Loss, default="wgan-gp"
        The adversarial loss; see :doc:`/user_guide/training`. On the 8x8
        digits (seeds 0..2, 40 epochs) the non-saturating "bce" collapsed
        (per-class diversity 0.16-0.40 of the real one) where "wgan-gp" kept
        0.95 at a CAS of 0.96 (see :doc:`/user_guide/images`). By name,
        "wgan-gp" estimates its gradient penalty on half of each batch from
        32x32 on (on MNIST-5k 615 CPU-s a fit instead of 809 on seed 0, at
        FD 41 against 44; 498 since the networks run channels last); pass
        ``WGANGPLoss()`` for the whole batch.
    epochs : int or "auto", default="auto"
        Passes over the images; an epoch is ``n_images // batch_size_``
        generator steps, each after ``n_critic`` critic steps. "auto" is
        as many epochs as make 20,160 / side generator steps for the padded
        side, at least 720: 2,520 at 8x8 (280 epochs of 1,257 digits), 720
        from 32x32 (24 epochs of 4,000 MNIST images). A step at 8x8 costs
        about 1/30 of one at 32x32.
    batch_size : int or "auto", default="auto"
        Images per batch; "auto" is 128, or every image when there are
        fewer; an int larger than the number of images is clipped to it
        with a warning.
    %(gan_latent_dim)s
    generator_lr, discriminator_lr : float, default=1e-3
        Adam learning rates (betas of the loss). On the digits 2e-4, the
        DCGAN paper's rate, had not converged in 160 epochs.
    %(gan_params_after_rates)s
    layout : {"auto", "NCHW", "NHWC", "NHW"}, default="auto"
        The axes of the images; "auto" reads them from the shape.
    generator_width, discriminator_width : int, default=32
        Channels at the finest stage of each network, doubling towards 4x4.
    upsample : {"transposed", "resize"}, default="transposed"
        Transposed convolutions, or nearest-neighbour resizing + convolution.
    discriminator_norm : {"auto", "batch", "layer", "none"}, default="auto"
        The critic's normalisation; "auto" is batch norm, or layer norm for
        "wgan-gp".
    spectral_norm : bool, default=False
        Spectral normalisation of the critic's layers.
    augment : str or None, default=None
        Differentiable augmentation of real and generated images before the
        critic (DiffAugment): a comma-separated list of "color",
        "translation" and "cutout", such as ``"translation,cutout"``. Off by
        default: on the digits and on MNIST-5k, with 10 or 100 images per
        class, it lowered GAN-train accuracy and diversity (see
        :doc:`/user_guide/images`).

    Attributes
    ----------
    generator_, discriminator_, generator_ema_ : torch.nn.Module
        The trained networks (``generator_ema_`` is ``None`` without EMA).
    encoder_ : ImageEncoder
        Encodes the images and restores them.
    history_ : pandas.DataFrame
        One row per epoch of losses and diagnostics.
    classes_ : ndarray or None
        Classes seen in ``fit`` (``None`` when fitted without ``y``).
    n_features_in_ : int
        Values per image seen in ``fit`` (channels x height x width).
    n_epochs_ : int
        Epochs trained so far.
    device_ : str
        The device used.

    Examples
    --------
    >>> import numpy as np
    >>> from gansynth import ImageGAN
    >>> rng = np.random.default_rng(0)
    >>> images = rng.integers(0, 256, (64, 8, 8), dtype=np.uint8)
    >>> labels = np.repeat([0, 1], 32)
    >>> gan = ImageGAN(epochs=2, generator_width=8, discriminator_width=8,
    ...                random_state=0).fit(images, labels)
    >>> new = gan.sample(5, y=1)
    >>> new.shape, new.dtype
    ((5, 8, 8), dtype('uint8'))
    """

    _parameter_constraints = {
        **ImageModality.parameter_constraints,
        "epochs": [Interval(numbers.Integral, 1, None), Options(("auto",))],
        # Batch norm in the generator needs two images per batch.
        "batch_size": [Options(("auto",)), Interval(numbers.Integral, 2, None)],
    }
    _architecture_params = tuple(ImageModality.parameter_constraints)

    def __init__(
        self,
        *,
        loss="wgan-gp",
        epochs="auto",
        batch_size="auto",
        latent_dim=32,
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
        generator_width=32,
        discriminator_width=32,
        upsample="transposed",
        discriminator_norm="auto",
        spectral_norm=False,
        augment=None,
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
        self.generator_width = generator_width
        self.discriminator_width = discriminator_width
        self.upsample = upsample
        self.discriminator_norm = discriminator_norm
        self.spectral_norm = spectral_norm
        self.augment = augment

    _auto_batch_size = 128

    def _make_modality(self):
        return ImageModality(
            **{name: getattr(self, name) for name in self._architecture_params}
        )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.three_d_array = True
        return tags
