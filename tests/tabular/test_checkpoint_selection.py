"""TabularGAN(validation_fraction=...): rows set aside, copies of the generator
kept along the run, and the best-scored copy the one that samples."""

import pickle

import numpy as np
import pandas as pd
import pytest

from gansynth import ConditionalGAN, TabularGAN
from gansynth.checkpoint_selection import _score, auc_standard_error, choose_epoch
from gansynth.fitting import draw_seed
from gansynth.persistence import load_model
from gansynth.training import EarlyStopping, GeneratorSnapshots

from ..conftest import FAST

# "bce" (the default until 2026-12-06): one critic step per generator step
# keeps the fits quick.
SMALL = {**FAST, "epochs": 20, "generator_dims": (32,), "discriminator_dims": (32,),
         "loss": "bce"}  # fmt: skip
# A run that peaks before its last epoch, which the test of the chosen copy
# needs: at 40 epochs, seed 2 peaks at epoch 24 (0.978), keeps epoch 36 by
# the one-standard-error rule (0.968) and ends at 0.962.
SELECTED = {**SMALL, "epochs": 40, "random_state": 2}


def table(n=600, seed=0):
    """The class moves ``x`` and decides ``kind`` most of the time."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    X = pd.DataFrame({
        "x": rng.normal(2.0 * y, 1.0),
        "kind": np.where(rng.random(n) < 0.8, np.where(y == 1, "a", "b"), "c"),
    })  # fmt: skip
    return X, y


@pytest.fixture(scope="module")
def selected():
    X, y = table()
    return TabularGAN(**SELECTED, validation_fraction=0.25).fit(X, y), X, y


@pytest.mark.heavy
def test_the_generator_that_samples_is_the_chosen_copy(selected):
    gan, X, y = selected
    scores = gan.validation_scores_
    # Every ceil(40 / 10) = 4 epochs, the last among them.
    assert scores["epoch"].tolist() == list(range(4, 41, 4))
    top = scores.score.idxmax()
    within = scores[scores.score >= scores.score[top] - scores.standard_error[top]]
    assert gan.best_epoch_ == within.epoch.max()  # the one-standard-error rule
    # This run's choice is not its last epoch, so the check below can only
    # pass if the chosen copy was loaded (the last one scores lower).
    assert gan.best_epoch_ != gan.n_epochs_
    chosen = scores.score[scores.epoch == gan.best_epoch_].item()
    assert chosen != scores.score.iloc[-1]
    # Scored again with the recorded seed, the generator that samples gets
    # the chosen copy's score exactly.
    _, _, X_val, y_val = _held_out(gan, X, y)
    seed = draw_seed(2)  # what the fit drew from random_state=2
    assert _score(gan, X_val, y_val, gan.n_samples_fit_, seed)[0] == chosen


def test_the_choice_is_the_latest_within_one_standard_error_of_the_best():
    scores = {2: 0.80, 4: 0.90, 6: 0.88, 8: 0.70, 10: 0.86}
    assert choose_epoch(scores, dict.fromkeys(scores, 0.03)) == 6
    assert choose_epoch(scores, dict.fromkeys(scores, 0.05)) == 10
    assert choose_epoch(scores, dict.fromkeys(scores, 0.0)) == 4  # the best


def test_the_standard_error_is_hanley_and_mcneils():
    # Worked by hand: A = 0.8, 50 positives, 250 negatives.
    q1, q2 = 0.8 / 1.2, 2 * 0.64 / 1.8
    variance = (0.16 + 49 * (q1 - 0.64) + 249 * (q2 - 0.64)) / (50 * 250)
    assert auc_standard_error(0.8, 50, 250) == pytest.approx(variance**0.5)
    assert auc_standard_error(0.8, 500, 2500) < auc_standard_error(0.8, 50, 250) / 3


def _held_out(gan, X, y):
    from gansynth.checkpoint_selection import hold_out

    return hold_out(gan, X, y)


@pytest.mark.heavy
def test_rows_are_set_aside_by_class_and_not_trained_on(selected):
    gan, X, y = selected
    assert gan.n_samples_fit_ == 450  # 600 rows, a quarter set aside
    X_fit, y_fit, X_val, y_val = _held_out(gan, X, y)
    assert len(X_val) == 150 and not set(X_fit.index) & set(X_val.index)
    assert abs(y_val.mean() - y.mean()) < 0.01  # stratified
    assert np.array_equal(y_fit, y[X_fit.index])


def test_without_labels_the_score_is_how_hard_the_rows_are_to_detect():
    X, _ = table()
    gan = TabularGAN(**SMALL, validation_fraction=0.2, random_state=0).fit(X)
    scores = gan.validation_scores_
    assert len(scores) == 10 and scores.score.between(0, 1).all()
    assert (scores.standard_error > 0).all()
    assert gan.best_epoch_ == choose_epoch(
        dict(zip(scores.epoch, scores.score, strict=True)),
        dict(zip(scores.epoch, scores.standard_error, strict=True)),
    )


def test_column_labels_do_not_change_the_scores():
    # The held-out table was named by the user's labels: on MultiIndex
    # columns the target's name became a tuple and the score failed.
    X, y = table(300)
    flat = TabularGAN(**FAST, validation_fraction=0.2, random_state=0).fit(X, y)
    X.columns = pd.MultiIndex.from_tuples([("g", "x"), ("h", "kind")])
    multi = TabularGAN(**FAST, validation_fraction=0.2, random_state=0).fit(X, y)
    pd.testing.assert_frame_equal(multi.validation_scores_, flat.validation_scores_)


def test_without_a_fraction_every_row_trains_and_the_last_epoch_samples():
    X, y = table(200)
    gan = TabularGAN(**FAST, random_state=0).fit(X, y)
    assert gan.n_samples_fit_ == 200
    assert gan.validation_scores_ is None and gan.best_epoch_ is None


@pytest.mark.heavy
def test_the_choice_survives_save_load_and_pickle(selected, tmp_path):
    gan = selected[0]
    path = tmp_path / "model.safetensors"
    gan.save(path)
    copies = (load_model(path), pickle.loads(pickle.dumps(gan)))
    for again in copies:
        pd.testing.assert_frame_equal(again.validation_scores_, gan.validation_scores_)
        assert again.best_epoch_ == gan.best_epoch_
        pd.testing.assert_frame_equal(
            again.sample(50, random_state=3), gan.sample(50, random_state=3)
        )


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"validation_fraction": 1.5}, "validation_fraction"),
        ({"validation_fraction": 0.0}, "validation_fraction"),
        ({"validation_fraction": 0.2, "warm_start": True}, "warm_start=False"),
    ],
)
def test_bad_settings_are_refused_by_name(params, message):
    X, y = table(100)
    with pytest.raises(ValueError, match=message):
        TabularGAN(**FAST, **params).fit(X, y)


def test_labels_of_another_length_are_named_as_without_a_fraction():
    X, y = table(100)
    with pytest.raises(ValueError, match="X has 100, y has 99"):
        TabularGAN(**FAST, validation_fraction=0.2).fit(X, y[:-1])


def test_a_class_too_small_to_split_is_named():
    X, y = table(100)
    y[0] = 7  # a class of one row
    with pytest.raises(ValueError, match=r"validation_fraction=0.2 cannot set aside"):
        TabularGAN(**FAST, validation_fraction=0.2).fit(X, y)


class _Trainer:
    """What the callback reads of a trainer."""

    def __init__(self, epochs):
        import torch

        self.config = type("Config", (), {"epochs": epochs})()
        self.start_epoch, self.epoch, self.ema = 0, None, None
        self.generator = torch.nn.Linear(2, 2)


def test_snapshots_are_evenly_spaced_and_include_the_last_epoch():
    trainer, snapshots = _Trainer(epochs=7), GeneratorSnapshots(n_snapshots=3)
    snapshots.on_train_begin(trainer)
    for epoch in range(1, 6):  # stopped early after epoch 5
        trainer.epoch = epoch
        trainer.generator.weight.data.fill_(epoch)
        snapshots.on_epoch_end(trainer, epoch, {})
    snapshots.on_train_end(trainer)
    assert sorted(snapshots.snapshots_) == [3, 5]  # every ceil(7 / 3) = 3, and 5
    assert snapshots.snapshots_[3]["weight"].eq(3).all()  # a copy, not a view


def test_snapshots_follow_an_early_stop_in_a_real_fit():
    X, _ = table(200)
    snapshots = GeneratorSnapshots(n_snapshots=4)
    stop = EarlyStopping(monitor="seconds", patience=1, mode="max", min_delta=1e9)
    gan = TabularGAN(**{**FAST, "epochs": 8}, callbacks=[stop, snapshots]).fit(X)
    assert gan.n_epochs_ == 2  # stopped after the second epoch
    assert sorted(snapshots.snapshots_) == [2]


def test_conditional_gan_keeps_its_best_epoch_on_tables():
    X, y = table(300)
    params = {k: v for k, v in SMALL.items() if not k.endswith("_dims") and k != "pac"}
    gan = ConditionalGAN(
        **params, modality_params={"generator_dims": (32,), "pac": 2},
        validation_fraction=0.2, random_state=0,
    ).fit(X, y)  # fmt: skip
    scores = gan.validation_scores_
    assert scores["epoch"].tolist() == list(range(2, 21, 2))
    assert gan.best_epoch_ == choose_epoch(
        dict(zip(scores.epoch, scores.score, strict=True)),
        dict(zip(scores.epoch, scores.standard_error, strict=True)),
    )
    assert gan.n_samples_fit_ == 240


def test_conditional_gan_refuses_a_fraction_for_images():
    images = np.random.default_rng(0).integers(0, 256, (40, 8, 8, 1), dtype=np.uint8)
    with pytest.raises(ValueError, match="'image' modality has no held-out score"):
        ConditionalGAN(epochs=1, validation_fraction=0.2).fit(images, np.arange(40) % 2)
