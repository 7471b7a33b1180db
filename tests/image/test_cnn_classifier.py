"""CNNClassifier: learns the digits, takes every image form, augments as
asked, refuses bad input by name, and round-trips through pickle."""

import pickle

import numpy as np
import pytest
import torch
from sklearn.base import clone
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

from gansynth import CNNClassifier

DIGITS = load_digits()
X_TRAIN, X_TEST, Y_TRAIN, Y_TEST = train_test_split(
    (DIGITS.images / 16).astype(np.float32), DIGITS.target, train_size=1200,
    stratify=DIGITS.target, random_state=0,
)  # fmt: skip
QUICK = {"width": 8, "epochs": 10, "random_state": 0}


@pytest.fixture(scope="module")
def fitted():
    return CNNClassifier(width=16, random_state=0).fit(X_TRAIN, Y_TRAIN)


def test_learns_the_digits(fitted):
    # Measured (width 16, 30 epochs, seed 0): 0.970 on 597 held-out digits.
    assert fitted.score(X_TEST, Y_TEST) >= 0.95


def test_shuffled_labels_leave_it_at_chance():
    # The negative control of the test above: measured 0.10.
    y = np.random.default_rng(0).permutation(Y_TRAIN)
    model = CNNClassifier(width=16, random_state=0).fit(X_TRAIN, y)
    assert model.score(X_TEST, Y_TEST) < 0.3


def test_every_form_gives_the_same_predictions(fitted):
    nhwc = X_TEST[:50, :, :, None]
    as_uint8 = np.rint(X_TEST[:50] * 255).astype(np.uint8)
    expected = fitted.predict(X_TEST[:50])
    np.testing.assert_array_equal(fitted.predict(torch.from_numpy(X_TEST[:50])),
                                  expected)  # fmt: skip
    model = CNNClassifier(**QUICK).fit(X_TRAIN[:, :, :, None], Y_TRAIN)
    assert model.predict(nhwc).shape == (50,)
    # uint8 rounding moves pixels by at most 1/510: predictions barely move.
    assert np.mean(fitted.predict(as_uint8) == expected) >= 0.98


def test_features_and_probabilities_have_their_shapes(fitted):
    proba = fitted.predict_proba(X_TEST[:7])
    assert proba.shape == (7, 10) and proba.dtype == np.float64
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-12)
    assert fitted.transform(X_TEST[:7]).shape == (7, fitted.network_.n_features)
    np.testing.assert_array_equal(fitted.classes_, np.arange(10))


def test_pickle_and_clone_round_trip(fitted):
    restored = pickle.loads(pickle.dumps(fitted))
    np.testing.assert_array_equal(restored.predict_proba(X_TEST),
                                  fitted.predict_proba(X_TEST))  # fmt: skip
    assert clone(fitted).get_params() == fitted.get_params()


def test_the_same_seed_gives_the_same_model():
    a = CNNClassifier(**QUICK).fit(X_TRAIN, Y_TRAIN).predict_proba(X_TEST)
    b = CNNClassifier(**QUICK).fit(X_TRAIN, Y_TRAIN).predict_proba(X_TEST)
    np.testing.assert_array_equal(a, b)


def test_shifts_move_an_impulse_by_at_most_the_shift():
    image = -torch.ones(64, 1, 16, 16)
    image[:, :, 8, 8] = 1.0
    moved = CNNClassifier(shift=2.0)._augment(image)
    assert not torch.equal(moved, image)
    for sample in moved[:, 0]:
        rows, cols = torch.nonzero(sample > -0.99, as_tuple=True)
        assert rows.min() >= 8 - 2 and rows.max() <= 8 + 2
        assert cols.min() >= 8 - 2 and cols.max() <= 8 + 2
    assert torch.equal(CNNClassifier()._augment(image), image)


def test_rotations_keep_the_centre_and_turn_a_bar():
    bar = -torch.ones(32, 1, 16, 16)
    bar[:, :, 7:9, 2:14] = 1.0  # a horizontal bar through the centre
    turned = CNNClassifier(rotation=45.0)._augment(bar)
    assert (turned[:, 0, 7:9, 7:9] > 0.5).all()  # the centre stays
    change = (turned - bar).abs().amax(dim=(1, 2, 3))
    assert change.median() > 1.5  # most are turned enough to move the ends
    assert torch.equal(CNNClassifier(rotation=0.0)._augment(bar), bar)


@pytest.mark.parametrize(
    "y, match",
    [
        (np.where(np.arange(1200) < 5, -1, Y_TRAIN), "5 unlabelled"),
        (np.zeros(1200, int), "at least 2 classes"),
        (Y_TRAIN[:10], "inconsistent|samples"),
    ],
    ids=["unlabelled", "one class", "wrong length"],
)
def test_bad_labels_are_refused(y, match):
    with pytest.raises(ValueError, match=match):
        CNNClassifier(**QUICK).fit(X_TRAIN, y)


def test_bad_images_and_parameters_are_refused():
    with pytest.raises(ValueError, match="Float images must lie in"):
        CNNClassifier(**QUICK).fit(X_TRAIN * 16, Y_TRAIN)
    with pytest.raises(ValueError, match="width"):
        CNNClassifier(width=0).fit(X_TRAIN, Y_TRAIN)
    with pytest.raises(ValueError, match="rotation"):
        CNNClassifier(rotation=-1.0).fit(X_TRAIN, Y_TRAIN)
    model = CNNClassifier(**QUICK).fit(X_TRAIN, Y_TRAIN)
    with pytest.raises(ValueError, match="fitted on"):
        model.predict(np.zeros((2, 16, 16), np.float32))
