"""Data-parallel training: two CPU processes under ``torchrun`` (gloo), spawned
by the tests on small data, against one process with the same global batch.

``fit_script.py`` fits the models and pickles what is compared here.
"""

import os
import pickle
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import torch

from gansynth.streaming import read_parts

# Two torchrun launches of about 40-50 s each on two busy cores: make test-heavy.
pytestmark = pytest.mark.heavy

SCRIPT = Path(__file__).with_name("fit_script.py")
LOSSES = ["wgan-gp", "bce", "bce-minimax", "lsgan", "wgan", "hinge"]
EPOCHS = 3
STEPS_PER_EPOCH = 400 // 40  # the script's rows // the global batch


def run_script(out, epochs, names, processes):
    launcher = [sys.executable]
    if processes > 1:
        launcher += ["-m", "torch.distributed.run", "--standalone",
                     f"--nproc_per_node={processes}"]  # fmt: skip
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    done = subprocess.run(
        [*launcher, str(SCRIPT), str(out), str(epochs), *names],
        capture_output=True, text=True, timeout=600, env=env,
    )  # fmt: skip
    written = sorted(p.name for p in Path(out).glob("*.pkl"))  # how far it got
    assert done.returncode == 0, (
        f"results written: {written}\n" + done.stdout[-3000:] + done.stderr[-3000:]
    )


def result(out, name, rank, world):
    with open(out / f"{name}-rank-{rank}-of-{world}.pkl", "rb") as f:
        return pickle.load(f)


@pytest.fixture(scope="module")
def two_ranks(tmp_path_factory):
    out = tmp_path_factory.mktemp("two-ranks")
    names = [*LOSSES, "semi-supervised", "images-sequences", "early-stop",
             "mismatch", "validation"]  # fmt: skip
    run_script(out, EPOCHS, names, processes=2)
    return out


@pytest.mark.parametrize("loss", LOSSES)
def test_every_loss_keeps_the_ranks_identical_after_every_step(two_ranks, loss):
    first, second = (result(two_ranks, loss, r, 2) for r in (0, 1))
    # n_critic="auto" on a table: 3 under "wgan-gp" (the tabular modality's
    # default_n_critic), 5 under "wgan", 1 otherwise.
    n_critic = {"wgan-gp": 3, "wgan": 5}.get(loss, 1)
    assert len(first["steps"]) == EPOCHS * STEPS_PER_EPOCH * (n_critic + 1)
    assert first["steps"] == second["steps"]  # the weights, step by step
    for part in ("weights", "ema"):  # the generator and its average
        for name, weight in first[part].items():
            assert torch.equal(weight, second[part][name]), (part, name)
    # The same history (losses all-reduced, seconds the slowest rank's).
    pd.testing.assert_frame_equal(first["history"], second["history"])
    assert first["history"].notna().all().all()
    # Rank 0 fitted the encoder and sent it; rank 0 alone saved the model.
    assert first["encoder"] == second["encoder"]
    assert (two_ranks / f"{loss}-model-0.safetensors").exists()
    assert not (two_ranks / f"{loss}-model-1.safetensors").exists()
    assert first["loaded_equal"] and second["loaded_equal"]
    # Both ranks' parts of the second sample_to, and nothing of the first.
    parts = sorted(p.name for p in (two_ranks / f"{loss}-parts").iterdir())
    assert parts == ["part-00000.parquet", "part-00001.parquet"]
    pd.testing.assert_frame_equal(read_parts(two_ranks / f"{loss}-parts"),
                                  first["streamed"])  # fmt: skip


def test_semi_supervised_classifier_trains_data_parallel(two_ranks):
    first, second = (result(two_ranks, "semi-supervised", r, 2) for r in (0, 1))
    pd.testing.assert_frame_equal(first["history"], second["history"])
    np.testing.assert_array_equal(first["proba"], second["proba"])


def test_ranks_set_the_same_rows_aside_and_keep_the_same_epoch(two_ranks):
    first, second = (result(two_ranks, "validation", r, 2) for r in (0, 1))
    pd.testing.assert_frame_equal(first["scores"], second["scores"])
    assert first["best_epoch"] == second["best_epoch"]
    pd.testing.assert_frame_equal(first["sample"], second["sample"])


def test_images_and_sequences_train_data_parallel(two_ranks):
    first, second = (result(two_ranks, "images-sequences", r, 2) for r in (0, 1))
    running = [k for k in first["states"] if k.endswith("running_mean")]
    assert running  # the image generator's batch norm is in the comparison
    assert any(k.startswith("sequence.auxiliary_") for k in first["states"])
    for name, value in first["states"].items():
        assert torch.equal(value, second["states"][name]), name
    for mine, theirs in zip(first["samples"], second["samples"], strict=True):
        np.testing.assert_array_equal(mine, theirs)


def test_early_stopping_decides_alike_on_every_rank(two_ranks):
    first, second = (result(two_ranks, "early-stop", r, 2) for r in (0, 1))
    assert first["n_epochs"] == second["n_epochs"] < 30
    pd.testing.assert_frame_equal(first["history"], second["history"])


def test_ranks_given_different_data_refuse_together(two_ranks):
    for rank in (0, 1):
        error = result(two_ranks, "mismatch", rank, 2)["error"]
        assert "must be given the same data" in error
        assert "n_samples from 400 to 401" in error


# 15 epochs (29 s for both launches beside another process; 30 took 43 s).
COMPARED_EPOCHS = 15


@pytest.fixture(scope="module")
def one_and_two(tmp_path_factory):
    out = tmp_path_factory.mktemp("one-and-two")
    run_script(out, COMPARED_EPOCHS, ["bce"], processes=2)
    run_script(out, COMPARED_EPOCHS, ["bce"], processes=1)
    return result(out, "bce", 0, 1), result(out, "bce", 0, 2)


def test_two_processes_train_like_one_with_the_same_global_batch(one_and_two):
    one, two = one_and_two
    # The same schedule: as many optimiser steps per epoch as one process.
    steps = COMPARED_EPOCHS * STEPS_PER_EPOCH * 2
    assert len(two["steps"]) == len(one["steps"]) == steps
    assert len(two["history"]) == len(one["history"]) == COMPARED_EPOCHS
    # Equivalent curves: the critic's loss over the last 10 epochs agrees
    # (measured 1.478 vs 1.471), and both learned the plans' usage (real: -1,
    # 1, 3; measured one process -0.90 / 1.10 / 1.82, two -0.90 / 1.19 / 1.81;
    # after 30 epochs 1.423 vs 1.432, -0.99 / 1.49 / 1.84 and -0.99 / 1.55 /
    # 1.89).
    # Without the gradient average the ranks' weights part after the first
    # step; counting the steps on a shard halves them (150 against 300).
    late = [r["history"]["d_loss"].iloc[-10:].mean() for r in (one, two)]
    assert abs(late[0] - late[1]) < 0.1, late
    for r in (one, two):
        usage = r["usage_by_plan"]
        assert usage["basic"] < -0.3 and usage["plus"] > 0.5 and usage["pro"] > 0.5
    for plan in ("basic", "plus", "pro"):
        assert abs(one["usage_by_plan"][plan] - two["usage_by_plan"][plan]) < 0.5
