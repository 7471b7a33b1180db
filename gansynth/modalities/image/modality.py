"""The image modality: ImageEncoder with the DCGAN networks."""

from __future__ import annotations

import numbers

import numpy as np
import torch

from ...utils.validation import InstanceOf, Interval, Options, check_sample_size
from ..protocol import Modality
from ..registry import register_modality
from .augment import POLICIES, AugmentedCritic, DiffAugment
from .classifier import ConvClassifier
from .encoder import LAYOUTS, ImageEncoder
from .networks import DCGANDiscriminator, DCGANGenerator

# epochs="auto": generator steps of a fit, 20,160 / side (the padded side) and
# at least 720: 2,520 at 8x8, 1,260 at 16x16, 720 from 32x32. A step at 8x8
# costs about 1/30 of one at 32x32. On 1,200 digits (seeds 0 and 1) CAS was
# 0.95-0.97 after 720 steps (30 s on one thread) and 0.97-0.985 after 2,520
# (100 s); on MNIST-5k 720 steps take about 500 CPU-s (615 before the
# networks ran channels last, 809 with the penalty on the whole batch; see
# penalty_fraction).
_STEPS_TIMES_SIDE, _MIN_AUTO_STEPS = 20_160, 720
_HALF_PENALTY_FROM_SIDE = 32  # the padded side; see penalty_fraction
_CLASSIFIER_TRANSLATION = 1 / 16  # see _classifier_augment

__all__ = ["ImageModality"]


def _is_policy(value) -> bool:
    return isinstance(value, str) and set(value.split(",")) <= set(POLICIES)


@register_modality
class ImageModality(Modality):
    """Images: NCHW, NHWC or NHW arrays or tensors, uint8 or float.

    Parameters
    ----------
    layout : {"auto", "NCHW", "NHWC", "NHW"}, default="auto"
        The axes of the images (see :class:`ImageEncoder`).
    generator_width, discriminator_width : int, default=32
        Channels at the finest stage of each network; coarser stages double
        them (:func:`stage_widths`).
    upsample : {"transposed", "resize"}, default="transposed"
        How the generator upsamples.
    discriminator_norm : {"auto", "batch", "layer", "none"}, default="auto"
        Normalisation in the critic; "auto" is batch norm (the DCGAN rule),
        or layer norm under a loss that penalises the critic's gradient
        (WGAN-GP), which batch norm would break.
    spectral_norm : bool, default=False
        Spectral normalisation of the critic's layers.
    augment : str or None, default=None
        Differentiable augmentation of real and generated images before the
        critic (DiffAugment, Zhao et al. 2020): a comma-separated list of
        "color", "translation" and "cutout", applied in that order. In a
        :class:`~gansynth.SemiSupervisedGANClassifier` the K+1 classifier is
        the critic and sees every image it trains on augmented; there it
        defaults to "translation" (shifts of up to 1/16 of the side).

    Examples
    --------
    >>> import numpy as np
    >>> from gansynth.modalities import get_modality
    >>> m = get_modality("image")(generator_width=8, discriminator_width=8)
    >>> enc = m.make_encoder().fit(np.zeros((2, 28, 28), np.uint8))
    >>> m.build_generator(4, enc.spec_, 10).body[-1]
    Tanh()
    """

    name = "image"
    description = "4-D image arrays or tensors, (N, C, H, W) or (N, H, W, C)"
    parameter_constraints = {
        "layout": [Options(("auto", *LAYOUTS))],
        "generator_width": [Interval(numbers.Integral, 1, None)],
        "discriminator_width": [Interval(numbers.Integral, 1, None)],
        "upsample": [Options(("transposed", "resize"))],
        "discriminator_norm": [Options(("auto", "batch", "layer", "none"))],
        "spectral_norm": [Options((False, True))],
        "augment": [
            Options((None,)),
            InstanceOf(f"a comma-separated string of {list(POLICIES)}", _is_policy),
        ],
    }

    unused_by_classifier = frozenset({"discriminator_norm", "spectral_norm"})
    # The semi-supervised classifier's shifts (see _classifier_augment): on
    # MNIST-5k and the digits with 10 labels per class, 1-2 points of
    # accuracy on every seed measured.
    classifier_defaults = {"augment": "translation"}

    def __init__(self, layout="auto", generator_width=32, discriminator_width=32,
                 upsample="transposed", discriminator_norm="auto",
                 spectral_norm=False, augment=None):  # fmt: skip
        self.layout = layout
        self.generator_width = generator_width
        self.discriminator_width = discriminator_width
        self.upsample = upsample
        self.discriminator_norm = discriminator_norm
        self.spectral_norm = spectral_norm
        self.augment = augment

    @classmethod
    def accepts(cls, X) -> bool:
        # 3-D arrays are left to sequences; ask for NHW images by name.
        return isinstance(X, np.ndarray | torch.Tensor) and X.ndim == 4

    def for_loss(self, loss):
        if self.discriminator_norm != "auto":
            return self
        params = {name: getattr(self, name) for name in self.parameter_constraints}
        params["discriminator_norm"] = "layer" if loss.has_penalty else "batch"
        return type(self)(**params)

    def penalty_fraction(self, spec):
        """Half of each batch from 32x32 on, where the penalty's double
        backward is about half of a critic step's work (MNIST-5k, seeds
        0..2: 615 CPU-s a fit, 809 on seed 0 with the whole batch, GAN-train
        0.927); the whole batch below, where a fit is short anyway and half
        cost the digits' CAS (0.965 against 0.974)."""
        return 0.5 if spec.sample_shape[-1] >= _HALF_PENALTY_FROM_SIDE else 1.0

    def auto_budget(self, spec):
        """20,160 / side generator steps for the padded side, at least 720:
        2,520 at 8x8, 1,260 at 16x16, 720 from 32x32."""
        return max(_MIN_AUTO_STEPS, _STEPS_TIMES_SIDE // spec.sample_shape[-1]), 0

    def validate_input(self, estimator, X, *, reset):
        values, _, _ = ImageEncoder(self.layout).check(X)
        if reset and len(values) < 2:
            # Batch norm (the generator's) needs two images in a batch.
            raise ValueError(
                f"X holds {len(values)} image; {type(estimator).__name__} trains "
                "on at least 2 (its batch norm needs 2 images per batch)."
            )
        check_sample_size(estimator, values.shape[1:], reset=reset)
        return X

    def make_encoder(self) -> ImageEncoder:
        return ImageEncoder(self.layout)

    def encoder_from_state(self, arrays, meta) -> ImageEncoder:
        return ImageEncoder.from_state(arrays, meta)

    def build_generator(self, latent_dim, spec, n_labels, context_dim=0):
        channels, side, _ = spec.sample_shape
        return DCGANGenerator(
            latent_dim, channels, side, self.generator_width, n_labels, self.upsample
        )

    def build_discriminator(self, spec, n_labels, context_dim=0):
        channels, side, _ = spec.sample_shape
        norm = "batch" if self.discriminator_norm == "auto" else self.discriminator_norm
        critic = DCGANDiscriminator(
            channels, side, self.discriminator_width, n_labels, norm,
            self.spectral_norm,
        )  # fmt: skip
        if self.augment is None:
            return critic
        return AugmentedCritic(critic, self._policies())

    def _policies(self) -> tuple:
        return () if self.augment is None else tuple(self.augment.split(","))

    def build_classifier(self, spec, n_classes, options):
        """A :class:`ConvClassifier` of ``discriminator_width`` channels. The
        input noise of ``options`` is in units of a [0, 1] pixel (as for
        tables scaled to [0, 1]); the encoded images span [-1, 1], so it is
        doubled here."""
        channels, side, _ = spec.sample_shape
        return ConvClassifier(
            channels, side, n_classes, self.discriminator_width,
            input_noise=2.0 * options.input_noise,
            hidden_noise=options.hidden_noise,
            use_weight_norm=options.weight_norm,
            augment=self._classifier_augment(),
        )  # fmt: skip

    def _classifier_augment(self):
        """DiffAugment of the K+1 classifier's inputs: the same policies as
        the critic's, but shifts of up to 1/16 of the side with the border
        replicated (whole pixels, 2 at 32x32, like CNNClassifier's classic
        shifts), since
        the classifier is then scored on unshifted images. See the
        semi-supervised guide for MNIST-5k's figures: 1/8 of the side cost
        up to 1.7 points against no augmentation."""
        if self.augment is None:
            return None
        return DiffAugment(
            self._policies(), translation=_CLASSIFIER_TRANSLATION, padding="replicate"
        )
