"""Defects a new user's pass found in the image and sequence estimators."""

import numpy as np
import pandas as pd
import pytest
from sklearn.exceptions import NotFittedError

from gansynth import (
    CNNClassifier,
    ConditionalGAN,
    ImageGAN,
    SemiSupervisedGANClassifier,
    TimeSeriesGAN,
)

TINY_SEQ = dict(epochs=1, batch_size=16, hidden_size=8, random_state=0)


@pytest.mark.parametrize("scaling", ["minmax", "auto"])
def test_a_constant_feature_is_sampled_as_that_constant(scaling):
    X = np.random.default_rng(0).normal(size=(40, 6, 3))
    X[:, :, 2] = 5.0
    gan = TimeSeriesGAN(scaling=scaling, **TINY_SEQ).fit(X)
    assert (gan.sample(8)[:, :, 2] == 5.0).all()  # 5.27-5.49 before


def test_the_id_column_cannot_be_a_static_column():
    frame = pd.DataFrame({"id": np.repeat(np.arange(10), 4), "t": np.tile(range(4), 10),
                          "v": np.arange(40.0)})  # fmt: skip
    gan = TimeSeriesGAN(id_column="id", time_column="t", static_columns=["id"],
                        **TINY_SEQ)  # fmt: skip
    with pytest.raises(ValueError, match=r"static_columns names \['id'\], which is"):
        gan.fit(frame)


def test_image_gan_needs_two_images_per_batch():
    images = np.random.default_rng(0).random((6, 8, 8))
    with pytest.raises(ValueError, match="X holds 1 image; ImageGAN trains on at"):
        ImageGAN(epochs=1).fit(images[:1])
    with pytest.raises(ValueError, match="'batch_size' parameter of ImageGAN"):
        ImageGAN(epochs=1, batch_size=1).fit(images)


def test_an_unfitted_cnn_classifier_says_so():
    images = np.zeros((2, 8, 8))
    for method in ("predict", "predict_proba"):
        with pytest.raises(NotFittedError):
            getattr(CNNClassifier(), method)(images)
    with pytest.raises(NotFittedError):
        CNNClassifier().score(images, [0, 1])


def test_learned_gaps_never_put_two_rows_of_an_id_at_one_time():
    # Each id is regular, with a step of 1 or 2: the gaps are a learned
    # feature, which an undertrained generator drew near 0 (79 % of ids had
    # two rows at one time after 2 epochs, and fit refused its own samples).
    rng = np.random.default_rng(0)
    frame = pd.concat(
        pd.DataFrame({"id": i, "t": np.arange(6) * (1 + i % 2),
                      "v": rng.normal(size=6)})
        for i in range(40)
    )  # fmt: skip
    gan = TimeSeriesGAN(id_column="id", time_column="t", **TINY_SEQ).fit(frame)
    sampled = gan.sample(60, random_state=1)
    assert not sampled.duplicated(["id", "t"]).any()
    assert sampled.groupby("id")["t"].diff().dropna().min() >= 1
    TimeSeriesGAN(id_column="id", time_column="t", **TINY_SEQ).fit(sampled)


@pytest.fixture(scope="module")
def with_static():
    rng = np.random.default_rng(0)
    frame = pd.concat(
        pd.DataFrame({"id": i, "t": np.arange(5), "v": rng.normal(size=5),
                      "sex": "fm"[i % 2], "age": 20 + i, "flag": bool(i % 3)})
        for i in range(30)
    )  # fmt: skip
    frame["sex"] = frame["sex"].astype("category")
    gan = TimeSeriesGAN(id_column="id", time_column="t",
                        static_columns=["sex", "age", "flag"], **TINY_SEQ)  # fmt: skip
    return frame, gan.fit(frame)


def test_given_static_rows_come_back_in_the_dtypes_of_fit(with_static):
    frame, gan = with_static
    given = pd.DataFrame({"sex": ["f", "m"], "age": [30, 41], "flag": [1, 0]})
    sampled = gan.sample(static=given)
    for column in ("sex", "age", "flag"):
        assert sampled[column].dtype == frame[column].dtype, column
    assert sampled.groupby("id")["flag"].first().tolist() == [True, False]


@pytest.mark.parametrize(
    "static, match",
    [
        (pd.DataFrame({"sex": ["f"], "age": ["a"], "flag": [True]}),
         r"static column 'age' must hold values of its dtype in fit, int64"),
        (pd.DataFrame({"sex": ["f"], "age": [30.5], "flag": [True]}),
         r"int64; 30\.5 is not one"),
        (pd.DataFrame({"sex": ["x"], "age": [30], "flag": [True]}),
         r"Unknown value 'x' in column 'sex'"),
        (pd.DataFrame({"sex": [], "age": [], "flag": []}), "static has no rows"),
    ],
)  # fmt: skip
def test_given_static_rows_are_checked_by_column(with_static, static, match):
    _, gan = with_static
    with pytest.raises(ValueError, match=match):
        gan.sample(static=static)


@pytest.mark.parametrize("estimator", [ConditionalGAN, SemiSupervisedGANClassifier])
def test_a_modality_read_by_auto_is_named_when_its_params_do_not_fit(estimator):
    # (N, H, W) arrays are sequences to modality="auto" (images to ImageGAN);
    # the error named only the sequence modality, not why it was chosen.
    X = np.random.default_rng(0).random((12, 8, 8)).astype(np.float32)
    y = np.repeat([0, 1], 6)
    gan = estimator(epochs=1, modality_params={"generator_width": 8})
    message = r"modality_params has .* modality='auto' read X as 'sequence'; set"
    with pytest.raises(ValueError, match=message):
        gan.fit(X, y)


def test_labels_indexed_by_ids_in_another_order_are_refused():
    # groupby(id).first() sorts the ids; y is read by position, so the
    # sequences silently took other ids' labels.
    rng = np.random.default_rng(0)
    ids = rng.permutation(8)
    frame = pd.DataFrame({"pid": np.repeat(ids, 4), "hour": np.tile(range(4), 8),
                          "x": rng.normal(size=32)})  # fmt: skip
    frame["label"] = np.repeat(ids % 2, 4)
    X, by_id = frame.drop(columns="label"), frame.groupby("pid")["label"].first()
    gan = TimeSeriesGAN(epochs=1, hidden_size=4, id_column="pid", time_column="hour")
    with pytest.raises(ValueError, match=r"y\.loc\[X\['pid'\]\.unique\(\)\]"):
        gan.fit(X, by_id)
    with pytest.raises(ValueError, match="another order"):
        SemiSupervisedGANClassifier(
            epochs=1, modality="sequence",
            modality_params={"id_column": "pid", "time_column": "hour"},
        ).fit(X, by_id)  # fmt: skip
    gan.fit(X, by_id.loc[X["pid"].unique()])  # in X's order: taken as given
    assert gan.classes_.tolist() == [0, 1]
    gan.fit(X, by_id.loc[X["pid"].unique()].reset_index(drop=True))  # positions
