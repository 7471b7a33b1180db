"""String classes with unlabelled rows: the number -1 among strings in an
object array, scikit-learn's convention for ``SelfTrainingClassifier``."""

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from gansynth import (
    AugmentedClassifier,
    ConditionalGAN,
    GANResampler,
    SemiSupervisedGANClassifier,
)
from gansynth.utils.labels import unlabelled_mask


@pytest.fixture
def partly_labelled(blobs):
    X, y = blobs
    names = np.array(["cat", "dog"], dtype=object)[y]
    names[::3] = -1  # a third of the rows unlabelled
    return X, names


def test_the_number_minus_one_marks_unlabelled_rows_among_strings():
    y = np.array(["cat", -1, "dog", "-1", True, 1], dtype=object)
    np.testing.assert_array_equal(unlabelled_mask(y), [0, 1, 0, 0, 0, 0])
    assert not unlabelled_mask(np.array(["cat", "-1"])).any()  # "-1" is a class


def test_conditional_gan_learns_string_classes_beside_unlabelled_rows(
    partly_labelled, fast_params
):
    X, y = partly_labelled
    gan = ConditionalGAN(random_state=0, modality_params=dict(
        generator_dims=(16,), discriminator_dims=(16,), pac=2), epochs=2,
        batch_size=32, latent_dim=4, device="cpu").fit(X, y)  # fmt: skip
    assert gan.classes_.tolist() == ["cat", "dog"]
    _, labels = gan.sample(y={"cat": 3, "dog": 2}, return_y=True)
    assert labels.tolist() == ["cat"] * 3 + ["dog"] * 2
    with pytest.raises(ValueError, match="Unknown class -1"):
        gan.sample(4, y=-1)


def test_classifiers_and_the_resampler_leave_unlabelled_rows_out(
    partly_labelled, tiny_conditional_gan
):
    X, y = partly_labelled
    clf = SemiSupervisedGANClassifier(epochs=2, batch_size=32, random_state=0,
                                      device="cpu").fit(X, y)  # fmt: skip
    assert clf.classes_.tolist() == ["cat", "dog"]
    assert set(clf.predict(X)) <= {"cat", "dog"}
    augmented = AugmentedClassifier(
        LogisticRegression(), generator=tiny_conditional_gan, random_state=0
    ).fit(X, y)
    assert augmented.classes_.tolist() == ["cat", "dog"]
    # 40 cats and 20 dogs labelled: the resampler makes 20 dogs, no -1.
    y = y.copy()
    y[np.flatnonzero(y == "dog")[:20]] = -1
    _, y_res = GANResampler(tiny_conditional_gan).fit_resample(X, y)
    assert y_res[len(y) :].tolist() == ["dog"] * 20
