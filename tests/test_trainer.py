"""The trainer: schedule, history, callbacks, the divergence guard."""

import math
import pickle

import numpy as np
import pytest
import torch

from gansynth import ConditionalGAN, TabularGAN
from gansynth.modalities import MLPDiscriminator, MLPGenerator
from gansynth.persistence import load_model
from gansynth.training import (
    HISTORY_COLUMNS,
    LOSSES,
    AdversarialTrainer,
    Callback,
    Checkpoint,
    DivergenceError,
    EarlyStopping,
    TrainerConfig,
    get_loss,
)


class StepCounter(Callback):
    def on_train_begin(self, trainer):
        self.d_steps = self.g_steps = 0

    def on_discriminator_step(self, trainer, step):
        self.d_steps += 1

    def on_generator_step(self, trainer, step):
        self.g_steps += 1


@pytest.mark.parametrize("loss", sorted(LOSSES))
def test_history_has_one_finite_row_per_epoch(loss, blobs, fast_params):
    X, _ = blobs
    gan = TabularGAN(loss=loss, random_state=0, **dict(fast_params, epochs=3)).fit(X)
    h = gan.history_
    # The shared columns, with the tabular modality's moment term before the
    # seconds.
    *shared, seconds = HISTORY_COLUMNS
    assert list(h.columns) == [*shared, "moments_generator_loss", seconds]
    assert h["epoch"].tolist() == [1, 2, 3]
    assert np.isfinite(h.to_numpy(dtype=float)).all()
    assert (h["d_grad_norm"] > 0).all() and (h["g_grad_norm"] > 0).all()
    if loss == "wgan-gp":
        assert (h["penalty"] > 0).all()
    else:
        assert (h["penalty"] == 0).all()
    if loss.startswith("bce"):  # probabilities
        assert h[["d_real", "d_fake"]].stack().between(0, 1).all()


@pytest.mark.parametrize(
    ("loss", "n_critic", "expected"),
    [
        ("bce", "auto", 1),
        ("wgan", "auto", 5),
        # Tables take three critic steps under "wgan-gp" (the tabular
        # modality's default_n_critic), not the loss's five.
        ("wgan-gp", "auto", 3),
        ("wgan-gp", 5, 5),
        ("hinge", 3, 3),
    ],
)
def test_n_critic_steps_per_generator_step(
    loss, n_critic, expected, blobs, fast_params
):
    X, _ = blobs
    counter = StepCounter()
    gan = TabularGAN(loss=loss, n_critic=n_critic, callbacks=[counter], **fast_params)
    gan.fit(X)
    steps = fast_params["epochs"] * (len(X) // fast_params["batch_size"])
    assert counter.g_steps == steps
    assert counter.d_steps == expected * steps
    assert gan.n_critic_ == expected
    assert gan.n_critic == n_critic  # fit never rewrites a parameter


def test_auto_loss_is_the_modalitys_default(blobs, fast_params):
    # ConditionalGAN's loss="auto" trains a table as TabularGAN's default
    # does: "wgan-gp", three critic steps per generator step and a penalty.
    X, y = blobs
    counter = StepCounter()
    widths = ("generator_dims", "discriminator_dims", "pac")
    modality_params = {name: fast_params.pop(name) for name in widths}
    gan = ConditionalGAN(
        callbacks=[counter], modality_params=modality_params, **fast_params
    ).fit(X, y)
    assert gan.loss == "auto" and TabularGAN().loss == "wgan-gp"
    assert gan.n_critic_ == 3 and counter.d_steps == 3 * counter.g_steps
    assert gan.history_["penalty"].gt(0).all()
    # An unpickled model resolves "auto" again as it sets its fitted state.
    loaded = pickle.loads(pickle.dumps(gan))
    np.testing.assert_array_equal(
        loaded.sample(3, random_state=0), gan.sample(3, random_state=0)
    )


def test_wgan_weights_stay_clipped_after_fit(blobs, fast_params):
    X, _ = blobs
    gan = TabularGAN(loss="wgan", **fast_params).fit(X)
    c = get_loss("wgan").clip
    assert all(p.abs().max() <= c for p in gan.discriminator_.parameters())


def test_divergence_guard_restores_last_good_weights(blobs, fast_params, tmp_path):
    X, _ = blobs

    snapshots = {}

    class Snapshot(Callback):
        def on_train_begin(self, trainer):
            self.on_epoch_end(trainer, 0, {})

        def on_epoch_end(self, trainer, epoch, logs):
            snapshots[epoch] = {
                k: v.clone() for k, v in trainer.generator.state_dict().items()
            }

    # An absurd learning rate makes LSGAN's squared losses overflow to inf/NaN.
    params = dict(fast_params, epochs=50, generator_lr=1e12, discriminator_lr=1e12)
    gan = TabularGAN(loss="lsgan", random_state=0, callbacks=[Snapshot()], **params)
    with pytest.raises(
        DivergenceError, match=r"Training diverged: (d_loss|g_loss) was"
    ):
        gan.fit(X)
    err_epoch = len(gan.history_) + 1
    assert gan.n_epochs_ == err_epoch - 1
    assert np.isfinite(gan.history_.to_numpy(dtype=float)).all()
    state = gan.generator_.state_dict()
    reference = snapshots[err_epoch - 1]  # the last finite epoch (0: initial)
    assert all(torch.equal(state[k], reference[k]) for k in state)
    assert np.isfinite(gan.sample(10, random_state=0)).all()
    gan.save(tmp_path / "diverged.safetensors")  # what it kept can be saved
    again = load_model(tmp_path / "diverged.safetensors")
    np.testing.assert_array_equal(
        again.sample(10, random_state=0), gan.sample(10, random_state=0)
    )


def test_divergence_error_names_loss_and_epoch():
    err = DivergenceError(7, "g_loss", math.nan, 6)
    assert "g_loss was nan in epoch 7" in str(err)
    assert "after epoch 6" in str(err)


def test_early_stopping_stops_and_records(blobs, fast_params):
    X, _ = blobs
    stopper = EarlyStopping(monitor="epoch", patience=2, mode="min")
    gan = TabularGAN(callbacks=[stopper], **dict(fast_params, epochs=20)).fit(X)
    # "epoch" only grows, so it never improves after the first epoch
    assert gan.n_epochs_ == 3 and stopper.stopped_epoch_ == 3


def test_early_stopping_unknown_column(blobs, fast_params):
    X, _ = blobs
    with pytest.raises(KeyError, match="'nope', which is not a history column"):
        TabularGAN(callbacks=[EarlyStopping(monitor="nope")], **fast_params).fit(X)


def test_checkpoint_writes_every_n_epochs(tmp_path, blobs, fast_params):
    from safetensors.torch import load_file

    X, _ = blobs
    path = tmp_path / "ckpt" / "epoch-{epoch}.safetensors"
    gan = TabularGAN(
        callbacks=[Checkpoint(path, every=2)], **dict(fast_params, epochs=5)
    )
    gan.fit(X)
    written = sorted(p.name for p in (tmp_path / "ckpt").iterdir())
    assert written == [f"epoch-{e}.safetensors" for e in (2, 4, 5)]
    tensors = load_file(str(tmp_path / "ckpt" / "epoch-5.safetensors"))
    for key, value in gan.generator_.state_dict().items():
        assert torch.equal(tensors[f"generator.{key}"], value)


def test_ema_is_used_for_sampling_and_differs_from_raw(blobs, fast_params):
    X, _ = blobs
    gan = TabularGAN(random_state=0, **fast_params).fit(X)
    raw = gan.generator_.state_dict()
    ema = gan.generator_ema_.state_dict()
    assert any(not torch.equal(raw[k], ema[k]) for k in raw)
    off = TabularGAN(random_state=0, ema=None, **fast_params).fit(X)
    assert off.generator_ema_ is None
    # Same seed, same raw training: EMA changes only what is sampled.
    assert all(torch.equal(raw[k], off.generator_.state_dict()[k]) for k in raw)
    assert not np.allclose(
        gan.sample(20, random_state=1), off.sample(20, random_state=1)
    )


def test_trainer_leaves_global_rng_alone(blobs, fast_params):
    X, _ = blobs
    torch.manual_seed(123)
    before = torch.get_rng_state()
    TabularGAN(random_state=0, **fast_params).fit(X).sample(5, random_state=0)
    assert torch.equal(before, torch.get_rng_state())


def test_user_loss_object_with_required_methods_only(blobs, fast_params):
    X, _ = blobs

    class Plain:
        def discriminator_loss(self, real_out, fake_out):
            return fake_out.mean() - real_out.mean()

        def generator_loss(self, fake_out):
            return -fake_out.mean()

    gan = TabularGAN(loss=Plain(), **fast_params).fit(X)
    assert gan.n_critic_ == 1 and len(gan.history_) == fast_params["epochs"]


def test_trainer_works_on_raw_tensors():
    torch.manual_seed(0)
    G, D = MLPGenerator(4, 2, (8,)), MLPDiscriminator(2, (8,))
    cfg = TrainerConfig(epochs=2, batch_size=16, latent_dim=4, steps_per_epoch=3)
    trainer = AdversarialTrainer(G, D, get_loss("bce"), cfg)
    trainer.fit(torch.randn(64, 2))
    assert [row["epoch"] for row in trainer.history] == [1, 2]


def _drift_with_historical_averaging(weight):
    """How far both networks move from their initial weights in 20 epochs."""
    torch.manual_seed(0)
    G, D = MLPGenerator(4, 2, (16,)), MLPDiscriminator(2, (16,))
    start = [p.detach().clone() for p in (*G.parameters(), *D.parameters())]
    cfg = TrainerConfig(
        epochs=20, batch_size=32, latent_dim=4, ema_decay=None,
        historical_averaging=weight,
    )  # fmt: skip
    trainer = AdversarialTrainer(G, D, get_loss("bce"), cfg)
    trainer.fit(torch.randn(256, 2) * 3 + 5)
    now = [p.detach() for p in (*G.parameters(), *D.parameters())]
    drift = sum(float((a - b).norm()) for a, b in zip(now, start, strict=True))
    return drift, trainer.history


def test_historical_averaging_holds_weights_near_their_past_mean():
    free, free_history = _drift_with_historical_averaging(0.0)
    held, held_history = _drift_with_historical_averaging(100.0)
    # Measured: 100 cuts the drift sixteenfold (0.97 to 0.06). The
    # discriminator's share of the pull is reported in its penalty column.
    assert held < 0.3 * free, (held, free)
    assert all(row["penalty"] == 0 for row in free_history)
    assert all(row["penalty"] > 0 for row in held_history[1:])


@pytest.mark.cuda
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
@pytest.mark.parametrize("amp", [False, True])
def test_trainer_on_cuda(amp, blobs, fast_params):
    X, _ = blobs
    params = dict(fast_params, device="cuda", amp=amp, compile=amp)
    for loss in ("bce", "wgan-gp"):
        gan = TabularGAN(loss=loss, random_state=0, **params).fit(X)
        assert gan.device_.startswith("cuda")
        assert np.isfinite(gan.history_.to_numpy(dtype=float)).all()
        assert np.isfinite(gan.sample(100, random_state=0)).all()
    # Pickles hold CPU tensors, so a GPU-fitted model unpickles on a CPU machine.
    state = gan.__getstate__()
    assert all(p.device.type == "cpu" for p in state["generator_"].parameters())
    restored = pickle.loads(pickle.dumps(gan))
    np.testing.assert_array_equal(
        restored.sample(50, random_state=1), gan.sample(50, random_state=1)
    )
