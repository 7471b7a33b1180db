"""Shared fixtures: pinned threads, cheap estimators, small data."""

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402

# One thread per test process: the suite runs under pytest-xdist on 2 cores,
# and torch's default threading is many times slower when cores are shared.
torch.set_num_threads(1)

# Cheap settings for contract tests (the role of imbalanced-learn's
# _set_checking_parameters): tiny networks, few epochs, CPU.
FAST = dict(
    epochs=2,
    batch_size=32,
    latent_dim=4,
    generator_dims=(16,),
    discriminator_dims=(16,),
    pac=2,
    device="cpu",
)


@pytest.fixture
def fast_params():
    return dict(FAST)


@pytest.fixture
def blobs():
    rng = np.random.default_rng(0)
    X = np.concatenate([rng.normal(-2, 0.5, (60, 3)), rng.normal(2, 0.5, (60, 3))])
    y = np.repeat([0, 1], 60)
    return X, y


@pytest.fixture
def tiny_conditional_gan():
    """A ConditionalGAN cheap enough for contract tests."""
    from gansynth import ConditionalGAN

    return ConditionalGAN(
        epochs=2,
        batch_size=32,
        latent_dim=4,
        device="cpu",
        random_state=0,
        modality_params=dict(generator_dims=(16,), discriminator_dims=(16,), pac=2),
    )
