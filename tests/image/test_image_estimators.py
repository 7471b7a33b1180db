"""Images through the estimators around the GAN: the semi-supervised
classifier with a convolutional discriminator, GANResampler and
AugmentedClassifier with ImageGAN and CNNClassifier."""

import pickle

import numpy as np
import pytest
import torch
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

from gansynth import (
    AugmentedClassifier,
    CNNClassifier,
    GANResampler,
    ImageGAN,
    SemiSupervisedGANClassifier,
)
from gansynth.modalities.image import ConvClassifier
from gansynth.persistence import load_model

from .checks import conv_weights_channels_last

DIGITS = load_digits()
X_TRAIN, X_TEST, Y_TRAIN, Y_TEST = train_test_split(
    (DIGITS.images[:, None] / 16).astype(np.float32), DIGITS.target,
    train_size=1200, stratify=DIGITS.target, random_state=0,
)  # fmt: skip
SMALL = {"generator_width": 8, "discriminator_width": 8}


def _ten_labels_per_class(y, seed=0):
    rng = np.random.default_rng(seed)
    partial = np.full_like(y, -1)
    for k in np.unique(y):
        partial[rng.choice(np.flatnonzero(y == k), 10, replace=False)] = k
    return partial


def _semi_supervised(y):
    return SemiSupervisedGANClassifier(
        epochs=40, modality_params={"generator_width": 16, "discriminator_width": 16},
        random_state=0,
    ).fit(X_TRAIN, y)  # fmt: skip


@pytest.fixture(scope="module")
def semi_supervised():
    return _semi_supervised(_ten_labels_per_class(Y_TRAIN))


@pytest.mark.heavy
def test_semi_supervised_images_use_the_conv_discriminator(semi_supervised):
    assert semi_supervised.modality_ == "image"
    assert isinstance(semi_supervised.discriminator_, ConvClassifier)
    # Measured (seed 0, 10 labels per class, 40 epochs, the default shifts):
    # 0.844 (0.876 without shifts); with the labels shuffled (the test
    # below): 0.131. Over 200 epochs the shifts gain (the semi-supervised
    # guide).
    assert semi_supervised.score(X_TEST, Y_TEST) >= 0.8


@pytest.mark.heavy
def test_semi_supervised_images_fail_with_shuffled_labels():
    partial = _ten_labels_per_class(Y_TRAIN)
    labelled = partial >= 0
    partial[labelled] = np.random.default_rng(0).permutation(partial[labelled])
    assert _semi_supervised(partial).score(X_TEST, Y_TEST) < 0.5


@pytest.mark.heavy
def test_semi_supervised_images_round_trip(semi_supervised, tmp_path):
    expected = semi_supervised.predict_proba(X_TEST[:50])
    semi_supervised.save(tmp_path / "model")
    restored = load_model(tmp_path / "model")
    np.testing.assert_array_equal(restored.predict_proba(X_TEST[:50]), expected)
    unpickled = pickle.loads(pickle.dumps(semi_supervised))
    np.testing.assert_array_equal(unpickled.predict_proba(X_TEST[:50]), expected)
    for model in (semi_supervised, restored, unpickled):  # the faster layout
        assert conv_weights_channels_last(model.discriminator_)


@pytest.mark.parametrize("params", [{}, {"augment": "translation"}, {"augment": None}])
def test_semi_supervised_images_train_on_shifted_images_by_default(
    params, monkeypatch, tmp_path
):
    from gansynth.modalities.image import augment as augment_module

    seen, real_augment = [], augment_module.diff_augment

    def spy(x, policies, **options):
        seen.append((policies, options))
        return real_augment(x, policies, **options)

    monkeypatch.setattr(augment_module, "diff_augment", spy)
    partial = _ten_labels_per_class(Y_TRAIN)[:200]
    model = SemiSupervisedGANClassifier(
        epochs=1, batch_size=50, random_state=0,
        modality_params={**params, **SMALL},
    ).fit(X_TRAIN[:200], partial)  # fmt: skip
    augment = params.get("augment", "translation")
    # Four steps, each with a labelled, an unlabelled and a generated batch
    # (and the generator's own pass): every one of them is shifted, by up to
    # 1/16 of the side with the border shifted in.
    shifts = (("translation",), {"translation": 1 / 16, "padding": "replicate"})
    assert seen == ([shifts] * len(seen) if augment else [])
    assert len(seen) >= (12 if augment else 0)
    expected = model.predict_proba(X_TEST[:20])  # eval mode: not augmented
    model.save(tmp_path / "model")
    restored = load_model(tmp_path / "model")
    np.testing.assert_array_equal(restored.predict_proba(X_TEST[:20]), expected)


def test_table_widths_do_not_apply_to_images():
    model = SemiSupervisedGANClassifier(epochs=1, generator_dims=(8,))
    with pytest.raises(ValueError, match=r"generator_dims=.*does not apply.*image"):
        model.fit(X_TRAIN[:20], np.repeat([0, 1], 10))


def _imbalanced():
    keep = (Y_TRAIN != 1) | (np.cumsum(Y_TRAIN == 1) <= 12)
    return X_TRAIN[keep], Y_TRAIN[keep]


def test_the_resampler_takes_images_and_gives_real_ones_first():
    X, y = _imbalanced()
    gan = ImageGAN(epochs=2, random_state=0, **SMALL)
    X_out, y_out = GANResampler(gan, sampling_strategy={1: 30},
                                random_state=0).fit_resample(X, y)  # fmt: skip
    # Class 1 has 12 images; the strategy asks for 30 in all: 18 new ones.
    assert X_out.shape == (len(X) + 18, 1, 8, 8) and X_out.dtype == X.dtype
    np.testing.assert_array_equal(X_out[: len(X)], X)
    np.testing.assert_array_equal(y_out[len(X) :], np.ones(18, int))
    resampler = GANResampler(gan, sampling_strategy={1: 17}, random_state=0)
    tensor_out, _ = resampler.fit_resample(torch.from_numpy(X), y)
    assert isinstance(tensor_out, torch.Tensor) and len(tensor_out) == len(X) + 5


def test_the_augmented_classifier_takes_images():
    gan = ImageGAN(epochs=2, random_state=0, **SMALL)
    model = AugmentedClassifier(
        CNNClassifier(width=8, epochs=3, random_state=0), generator=gan,
        n_synthetic=0.5, random_state=0,
    ).fit(X_TRAIN, Y_TRAIN)  # fmt: skip
    assert model.n_synthetic_ == 600
    assert model.predict(X_TEST[:5]).shape == (5,)
    with pytest.raises(ValueError, match=r"samples of shape \(1, 4, 4\)"):
        model.predict(X_TEST[:5, :, :4, :4])


def test_the_default_generator_of_images_is_image_gan():
    from gansynth import ConditionalGAN
    from gansynth.synthetic import default_generator

    assert isinstance(default_generator(0, X_TRAIN), ImageGAN)
    assert isinstance(default_generator(0, torch.from_numpy(X_TRAIN)), ImageGAN)
    assert isinstance(default_generator(0, X_TRAIN[:, 0].reshape(-1, 64)),
                      ConditionalGAN)  # fmt: skip
