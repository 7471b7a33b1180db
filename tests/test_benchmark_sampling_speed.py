"""The sampling-speed benchmark's timed callables run against the current
generator: its Gumbel-softmax row replaces ``ResidualGenerator._draw`` and
must follow that method's signature (a change of it once broke the
benchmark, which no test ran), and it puts the method back afterwards."""

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from sampling_speed import forward_floor, gumbel_softmax_sampling

from gansynth import TabularGAN
from gansynth.modalities.tabular import networks


@pytest.fixture(scope="module")
def gan():
    """One 1-epoch fit for both tests (neither changes it)."""
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(
        {"x": rng.normal(size=200), "c": rng.choice(["a", "b", "c"], size=200)}
    )
    return TabularGAN(epochs=1, batch_size=50, random_state=0).fit(frame)


def test_gumbel_row_samples_through_the_softmax_and_restores_the_draw(gan, monkeypatch):
    calls = []

    def counted(logits, tau):
        calls.append(logits.shape)
        return F.softmax(logits / tau, dim=-1)

    monkeypatch.setattr(networks.F, "gumbel_softmax", counted)
    draw = networks.ResidualGenerator._draw
    gumbel_softmax_sampling(gan, 120)()
    assert calls  # the categorical blocks went through the softmax
    assert networks.ResidualGenerator._draw is draw
    assert len(gan.sample(10, random_state=0)) == 10


def test_forward_floor_runs_the_generator_in_sampling_mode(gan):
    for activations in (False, True):
        forward_floor(gan, 120, activations=activations)()
