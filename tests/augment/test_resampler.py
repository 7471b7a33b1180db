"""GANResampler: counts, layout, pipelines, imbalanced-learn's checks, errors."""

import subprocess
import sys
from collections import Counter

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.datasets import load_wine
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline as sk_pipeline
from sklearn.preprocessing import StandardScaler

from gansynth import ConditionalGAN, GANResampler

from .broken import FlippedLabels

imblearn = pytest.importorskip("imblearn")
from imblearn.pipeline import make_pipeline  # noqa: E402
from imblearn.utils import estimator_checks as imblearn_checks  # noqa: E402


@pytest.fixture
def imbalanced():
    rng = np.random.default_rng(0)
    X = np.concatenate(
        [
            rng.normal(0, 1, (60, 3)),
            rng.normal(3, 1, (25, 3)),
            rng.normal(-3, 1, (8, 3)),
        ]
    )
    y = np.array([0] * 60 + [1] * 25 + [2] * 8)
    return X, y


@pytest.mark.parametrize(
    "strategy, expected",
    [
        ("auto", {0: 60, 1: 60, 2: 60}),
        ("minority", {0: 60, 1: 25, 2: 60}),
        ("not minority", {0: 60, 1: 60, 2: 8}),
        ("all", {0: 60, 1: 60, 2: 60}),
        ({1: 30, 2: 12}, {0: 60, 1: 30, 2: 12}),
        (lambda y: {2: 20}, {0: 60, 1: 25, 2: 20}),
    ],
)
def test_class_counts_follow_the_strategy(imbalanced, tiny_conditional_gan, strategy,
                                          expected):  # fmt: skip
    X, y = imbalanced
    sampler = GANResampler(tiny_conditional_gan, sampling_strategy=strategy)
    X_res, y_res = sampler.fit_resample(X, y)
    assert dict(Counter(y_res.tolist())) == expected
    # Real rows come back unchanged and first.
    np.testing.assert_array_equal(X_res[: len(X)], X)
    np.testing.assert_array_equal(y_res[: len(y)], y)
    np.testing.assert_array_equal(sampler.sample_indices_, np.arange(len(y)))
    assert X_res.dtype == X.dtype and X_res.shape[0] == len(y_res)


def test_float_strategy_on_a_binary_target(imbalanced, tiny_conditional_gan):
    X, y = imbalanced
    keep = y != 2
    sampler = GANResampler(tiny_conditional_gan, sampling_strategy=0.8)
    _, y_res = sampler.fit_resample(X[keep], y[keep])
    assert Counter(y_res.tolist()) == {0: 60, 1: 48}


def test_dataframes_keep_columns_dtypes_and_the_target_name(tiny_conditional_gan):
    rng = np.random.default_rng(0)
    n = 80
    X = pd.DataFrame(
        {
            "amount": rng.gamma(2.0, 10.0, n),
            "plan": pd.Categorical(rng.choice(["basic", "pro"], n)),
            "age": pd.array(rng.integers(18, 80, n), dtype="Int64"),
        },
        index=np.arange(100, 100 + n),
    )
    y = pd.Series(np.r_[np.zeros(64, int), np.ones(16, int)], name="churn",
                  index=X.index)  # fmt: skip
    X_res, y_res = GANResampler(tiny_conditional_gan).fit_resample(X, y)
    assert list(X_res.columns) == list(X.columns)
    assert X_res.dtypes.equals(X.dtypes)
    assert isinstance(y_res, pd.Series) and y_res.name == "churn"
    assert y_res.value_counts().to_dict() == {0: 64, 1: 64}
    pd.testing.assert_frame_equal(X_res.iloc[:n], X.reset_index(drop=True))
    assert isinstance(X_res.index, pd.RangeIndex)


def test_unlabelled_rows_teach_the_generator_and_come_back(tiny_conditional_gan):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(70, 2))
    y = np.r_[np.zeros(30, int), np.ones(10, int), np.full(30, -1)]
    X_res, y_res = GANResampler(tiny_conditional_gan).fit_resample(X, y)
    assert Counter(y_res.tolist()) == {0: 30, 1: 30, -1: 30}
    np.testing.assert_array_equal(X_res[:70], X)


def test_in_an_imblearn_pipeline_with_cross_validation(
    imbalanced, tiny_conditional_gan
):
    X, y = imbalanced
    pipe = make_pipeline(
        GANResampler(tiny_conditional_gan, random_state=0),
        LogisticRegression(max_iter=500),
    )
    scores = cross_val_score(pipe, X, y, cv=3, scoring="balanced_accuracy")
    # Measured: 0.905 with a two-epoch generator, against 0.972 for the
    # logistic regression alone; rows labelled with the wrong class: 0.614.
    alone = LogisticRegression(max_iter=500)
    baseline = cross_val_score(alone, X, y, cv=3, scoring="balanced_accuracy")
    assert scores.mean() >= baseline.mean() - 0.1, (scores, baseline)


def test_random_state_makes_it_reproducible(imbalanced, tiny_conditional_gan):
    X, y = imbalanced
    gan = tiny_conditional_gan.set_params(random_state=None)
    a = GANResampler(gan, random_state=3).fit_resample(X, y)[0]
    b = GANResampler(gan, random_state=3).fit_resample(X, y)[0]
    np.testing.assert_array_equal(a, b)


CHECKS = [
    "check_target_type",
    "check_samplers_one_label",
    "check_samplers_fit",
    "check_samplers_fit_resample",
    "check_samplers_sampling_strategy_fit_resample",
    "check_samplers_pandas",
    "check_samplers_list",
    "check_samplers_multiclass_ova",
    "check_samplers_preserve_dtype",
    "check_samplers_sample_indices",
    "check_samplers_2d_target",
    "check_sampler_get_feature_names_out",
    "check_sampler_get_feature_names_out_pandas",
]


@pytest.mark.parametrize("check", CHECKS)
def test_imbalanced_learn_sampler_checks(check, tiny_conditional_gan):
    # Not run: the sparse checks (a GAN needs dense rows; sparse input is
    # refused with scikit-learn's message) and check_samplers_nan / _string,
    # whose fixtures expect a sampler that ignores features.
    sampler = GANResampler(tiny_conditional_gan, random_state=0)
    getattr(imblearn_checks, check)("GANResampler", sampler)


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda s, X, y: s.fit_resample(X, None), "requires y to be passed"),
        (lambda s, X, y: s.fit_resample(X, y[:-1]), "inconsistent numbers of rows"),
        (
            lambda s, X, y: s.set_params(sampling_strategy={0: 10}).fit_resample(X, y),
            "cannot remove rows",
        ),
        (
            lambda s, X, y: s.fit_resample(X, np.r_[y[:-8], 2, [1] * 7]),
            r"classes \[2\] have only 1 sample each",
        ),
        (
            lambda s, X, y: s.set_params(sampling_strategy="some").fit_resample(X, y),
            "sampling_strategy must be one of",
        ),
    ],
)
def test_bad_input_is_a_clear_error(imbalanced, tiny_conditional_gan, call, match):
    X, y = imbalanced
    with pytest.raises(ValueError, match=match):
        call(GANResampler(clone(tiny_conditional_gan)), X, y)


@pytest.mark.heavy
def test_works_without_imbalanced_learn():
    code = (
        "import sys; sys.modules['imblearn'] = None\n"
        "import numpy as np\n"
        "from gansynth import ConditionalGAN, GANResampler\n"
        "X = np.random.default_rng(0).normal(size=(40, 2)); y = np.r_[[0]*30, [1]*10]\n"
        "widths = dict(generator_dims=(8,), discriminator_dims=(8,), pac=2)\n"
        "gan = ConditionalGAN(epochs=1, latent_dim=2, modality_params=widths)\n"
        "s = GANResampler(gan, random_state=0)\n"
        "X_res, y_res = s.fit_resample(X, y)\n"
        "assert np.bincount(y_res).tolist() == [30, 30]\n"
        "assert type(s).__mro__[1].__name__ == 'BaseEstimator'\n"
        "print('ok')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def _wine_class_fidelity(generator_class):
    """Share of the new rows of an imbalanced wine table that a classifier
    trained on the real rows assigns to the class they were made for."""
    X, y = load_wine(return_X_y=True)
    keep = np.r_[np.flatnonzero(y < 2), np.flatnonzero(y == 2)[:20]]
    X, y = X[keep], y[keep]  # 59 / 71 / 20 rows
    judge = sk_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
    gan = generator_class(epochs=300, class_balance=True, random_state=0, device="cpu")
    X_res, y_res = GANResampler(gan, random_state=0).fit_resample(X, y)
    new, y_new = X_res[len(X) :], y_res[len(y) :]
    return float((judge.fit(X, y).predict(new) == y_new).mean())


@pytest.mark.heavy
def test_new_rows_resemble_the_class_they_were_made_for():
    # Measured: 0.78 (the judge gets every real row right; chance is 1/3).
    # Issue 16 aims higher; this guards what is there.
    assert _wine_class_fidelity(ConditionalGAN) >= 0.6


@pytest.mark.heavy
def test_the_class_check_fails_with_broken_conditioning():
    # The same rows labelled with the next class: measured 0.02.
    assert _wine_class_fidelity(FlippedLabels) < 0.6


def test_a_filter_classifier_keeps_rows_of_their_class(
    imbalanced, tiny_conditional_gan
):
    X, y = imbalanced
    judge = LogisticRegression(max_iter=1000)
    gan = clone(tiny_conditional_gan).set_params(epochs=40)
    plain_X, plain_y = GANResampler(clone(gan), random_state=0).fit_resample(X, y)
    sampler = GANResampler(clone(gan), filter_classifier=judge, random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    assert Counter(y_res.tolist()) == {0: 60, 1: 60, 2: 60}
    np.testing.assert_array_equal(X_res[: len(X)], X)
    fitted = clone(judge).fit(X, y)
    new = slice(len(X), None)
    assert (fitted.predict(X_res[new]) == y_res[new]).all()
    # The 40-epoch generator's rows, unfiltered: 0.23 of them are predicted as
    # their class (acceptance 0.58 for class 1, 0.04 for class 2).
    plain_share = (fitted.predict(plain_X[new]) == plain_y[new]).mean()
    assert plain_share < 0.9, plain_share
    assert set(sampler.filter_acceptance_) == {1, 2}
    assert all(0 < a < 1 for a in sampler.filter_acceptance_.values())
    # Unlabelled rows teach the generator and are left out of the filter's fit.
    y_unl = y.copy()
    y_unl[:10] = -1
    unl = GANResampler(clone(gan), sampling_strategy={0: 55},
                       filter_classifier=judge, random_state=0)  # fmt: skip
    _, y_u = unl.fit_resample(X, y_unl)
    assert y_u[len(y) :].tolist() == [0] * 5
    assert unl.filter_classifier_.classes_.tolist() == [0, 1, 2]


def test_a_filter_that_accepts_nothing_is_a_clear_error(
    imbalanced, tiny_conditional_gan
):
    from sklearn.dummy import DummyClassifier

    X, y = imbalanced
    never = DummyClassifier(strategy="constant", constant=0)
    sampler = GANResampler(clone(tiny_conditional_gan), filter_classifier=never)
    with pytest.raises(ValueError, match=r"still short \{1: 35, 2: 52\} after 10"):
        sampler.fit_resample(X, y)
    with pytest.raises(ValueError, match="filter_classifier"):
        GANResampler(filter_classifier="gb").fit_resample(X, y)


def test_a_filter_that_cannot_take_the_rows_is_named(tiny_conditional_gan):
    # Strings reach a classifier without an encoder: the error says which
    # classifier and what to do, rather than only "could not convert".
    X = pd.DataFrame({"colour": ["red", "blue"] * 20, "size": np.arange(40.0)})
    y = np.r_[[0] * 30, [1] * 10]
    sampler = GANResampler(clone(tiny_conditional_gan),
                           filter_classifier=LogisticRegression())  # fmt: skip
    with pytest.raises(ValueError, match=r"filter_classifier LogisticRegression "
                       r"could not be fitted.*pass a pipeline"):  # fmt: skip
        sampler.fit_resample(X, y)
