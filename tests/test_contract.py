"""The generator contract (gansynth.estimator_checks) over every built-in
estimator and registered modality; a modality of one's own runs the same
checks by name (see test_plugin_modality.py)."""

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from gansynth import TabularGAN
from gansynth.estimator_checks import generator_checks, modality_checks

_RNG = np.random.default_rng(0)
X_ARRAY = np.concatenate([_RNG.normal(-2, 0.5, (20, 3)), _RNG.normal(2, 0.5, (20, 3))])
Y = np.repeat([0, 1], 20)
X_FRAME = pd.DataFrame(
    {
        "amount": _RNG.gamma(2.0, 10.0, 40),
        "plan": pd.Categorical(_RNG.choice(["basic", "pro"], 40)),
        "visits": _RNG.integers(0, 9, 40),
    }
)
X_IMAGES = _RNG.integers(0, 256, (40, 1, 8, 8), dtype=np.uint8)
X_SEQUENCES = _RNG.normal(size=(40, 6, 2)).astype(np.float32)
SMALL = {"generator_dims": (8,), "discriminator_dims": (8,)}
# Data and small networks of each built-in modality.
BUILT_IN = {
    "tabular": (X_FRAME, {**SMALL, "pac": 2}),
    "numeric": (X_ARRAY, SMALL),
    "image": (X_IMAGES, {"generator_width": 4, "discriminator_width": 4}),
    "sequence": (X_SEQUENCES, {"hidden_size": 4}),
}


def test_every_registered_built_in_is_covered():
    # A fresh interpreter: what gansynth registers itself, whatever the tests
    # and doctests of this process registered since.
    names = subprocess.run(
        [sys.executable, "-c",
         "import gansynth.modalities as m; print(' '.join(m.modality_names()))"],
        capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    assert sorted(names) == sorted(BUILT_IN)


def _cases():
    for name, (X, params) in BUILT_IN.items():
        for check in modality_checks(name, X, Y, modality_params=params):
            yield pytest.param(check, id=f"ConditionalGAN-{name}-{check!r}")
    for kind, X in (("array", X_ARRAY), ("frame", X_FRAME)):

        def make():
            return TabularGAN(
                epochs=2, batch_size=16, latent_dim=4, pac=2, random_state=0,
                device="cpu", **SMALL,
            )  # fmt: skip

        for check in generator_checks(make, X, Y):
            yield pytest.param(check, id=f"TabularGAN-{kind}-{check!r}")


@pytest.mark.parametrize("check", list(_cases()))
def test_generator_contract(check):
    check()
