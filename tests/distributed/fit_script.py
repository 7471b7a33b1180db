"""Run by the distributed tests under ``torchrun`` (and alone, as the single
process to compare with): fit small models, record the weights after every
optimiser step and write what the test compares to ``OUT/<name>-rank-R.pkl``.

Usage: ``python fit_script.py OUT EPOCHS LOSS [LOSS ...]``.
"""

import pickle
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import torch

from gansynth import ImageGAN, SemiSupervisedGANClassifier, TabularGAN, TimeSeriesGAN
from gansynth.training import Callback, EarlyStopping
from gansynth.training.distributed import rank_and_world


class StepFingerprints(Callback):
    """A fingerprint of both networks' weights after every optimiser step."""

    def on_train_begin(self, trainer):
        self.steps = []

    def _record(self, trainer, kind):
        nets = (trainer.generator, trainer.discriminator)
        flat = torch.cat([p.detach().reshape(-1) for n in nets for p in n.parameters()])
        self.steps.append((kind, flat.double().sum().item(), flat.abs().sum().item()))

    def on_discriminator_step(self, trainer, step):
        self._record(trainer, "d")

    def on_generator_step(self, trainer, step):
        self._record(trainer, "g")


def table(n=400, seed=0):
    """A plan decides the usage (pro 3, plus 1, basic -1) and the class."""
    rng = np.random.default_rng(seed)
    plan = rng.choice(["basic", "plus", "pro"], n, p=[0.6, 0.3, 0.1])
    usage = np.where(plan == "pro", 3.0, np.where(plan == "plus", 1.0, -1.0))
    X = pd.DataFrame(
        {"usage": usage + rng.normal(0, 0.3, n), "plan": plan,
         "age": rng.integers(18, 80, n)}
    )  # fmt: skip
    return X, (usage > 0).astype(int)


def fit_table(out, loss, epochs):
    X, y = table()
    fingerprints = StepFingerprints()
    gan = TabularGAN(
        loss=loss, epochs=epochs, batch_size=40, pac=10, random_state=0,
        class_balance=True, callbacks=[fingerprints], device="cpu",
    ).fit(X, y)  # fmt: skip
    rank, _ = rank_and_world()  # the fit joined torchrun's process group
    gan.save(Path(out) / f"{loss}-model-{rank}.safetensors")
    # Every rank loads rank 0's file at once: save returns when it is written.
    loaded = TabularGAN.load(Path(out) / f"{loss}-model-0.safetensors")
    # Each rank streams its share of the blocks (16,384 rows each), and the
    # second run replaces every part of the first (and of an earlier launch).
    parts = Path(out) / f"{loss}-parts"
    gan.sample_to(parts, 40_000, chunk_size=5_000, random_state=2, overwrite=True)
    gan.sample_to(parts, 20_000, chunk_size=5_000, random_state=2, overwrite=True)
    sample = gan.sample(4_000, random_state=1)
    return {
        "loaded_equal": loaded.sample(50, random_state=3).equals(
            gan.sample(50, random_state=3)
        ),
        "streamed": gan.sample(20_000, random_state=2),
        "steps": fingerprints.steps,
        "history": gan.history_,
        "encoder": pickle.dumps(gan.encoder_),
        "weights": {k: v.clone() for k, v in gan.generator_.state_dict().items()},
        "ema": {k: v.clone() for k, v in gan.generator_ema_.state_dict().items()},
        "usage_by_plan": sample.groupby("plan")["usage"].mean().to_dict(),
    }


def fit_semi_supervised():
    X, y = table()
    X = pd.get_dummies(X, dtype=float).to_numpy()
    y = np.where(np.arange(len(y)) % 5 == 0, y, -1)
    clf = SemiSupervisedGANClassifier(epochs=2, batch_size=40, random_state=0,
                                      device="cpu").fit(X, y)  # fmt: skip
    return {"history": clf.history_, "proba": clf.predict_proba(X)}


def fit_images_and_sequences():
    """Batch norm (images) and recurrent networks with per-step noise
    (sequences): every tensor of the fitted networks, buffers included."""
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (80, 8, 8, 1), dtype=np.uint8)
    image_gan = ImageGAN(epochs=2, batch_size=20, random_state=0, device="cpu")
    image_gan.fit(images, np.arange(80) % 2)
    # A long frame with a static column: the static critic is an auxiliary
    # network, with its own optimiser, averaged like the others.
    long = pd.DataFrame({
        "id": np.repeat(np.arange(60), 6), "v": rng.normal(size=360),
        "sex": np.repeat(rng.choice(["f", "m"], 60), 6),
    })  # fmt: skip
    sequence_gan = TimeSeriesGAN(
        epochs=2, batch_size=20, hidden_size=8, id_column="id",
        static_columns=["sex"], random_state=0, device="cpu",
    ).fit(long)  # fmt: skip
    assert len(sequence_gan.auxiliary_)
    return {
        "states": {
            f"{kind}.{net}.{key}": value.clone()
            for kind, gan in (("image", image_gan), ("sequence", sequence_gan))
            for net in ("generator_", "discriminator_", "generator_ema_", "auxiliary_")
            for key, value in getattr(gan, net).state_dict().items()
        },
        "samples": (image_gan.sample(10), sequence_gan.sample(10)),
    }


def fit_early_stopping():
    X, _ = table()
    stop = EarlyStopping(monitor="g_loss", patience=2)
    gan = TabularGAN(epochs=30, batch_size=40, pac=10, random_state=0,
                     callbacks=[stop], device="cpu").fit(X)  # fmt: skip
    return {"n_epochs": gan.n_epochs_, "history": gan.history_}


def fit_with_validation():
    """Every rank sets the same rows aside and keeps the same epoch, also
    without a ``random_state`` (rank 0's draws are shared)."""
    X, y = table()
    gan = TabularGAN(epochs=10, batch_size=40, pac=10, random_state=None,
                     validation_fraction=0.2, device="cpu").fit(X, y)  # fmt: skip
    return {
        "scores": gan.validation_scores_,
        "best_epoch": gan.best_epoch_,
        "sample": gan.sample(200, random_state=1),
    }


def fit_mismatched_data():
    """Each rank is given a table of another size: both must refuse."""
    import torch.distributed as dist

    X, _ = table(400 + (dist.get_rank() if dist.is_initialized() else 0))
    try:
        TabularGAN(epochs=1, batch_size=40, pac=10, device="cpu").fit(X)
    except ValueError as exc:
        return {"error": str(exc)}
    return {"error": None}


def main(out, epochs, losses):
    for name in losses:
        if name == "semi-supervised":
            result = fit_semi_supervised()
        elif name == "images-sequences":
            result = fit_images_and_sequences()
        elif name == "early-stop":
            result = fit_early_stopping()
        elif name == "mismatch":
            result = fit_mismatched_data()
        elif name == "validation":
            result = fit_with_validation()
        else:
            result = fit_table(out, name, epochs)
        rank, world = rank_and_world()
        result.update(rank=rank, world=world)
        with open(Path(out) / f"{name}-rank-{rank}-of-{world}.pkl", "wb") as f:
            pickle.dump(result, f)


if __name__ == "__main__":
    torch.set_num_threads(1)
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3:])
