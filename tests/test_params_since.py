"""Models saved or pickled before a parameter existed load with the value
they were fitted with (``_params_since``), not with a newer default."""

import json

import numpy as np
import pytest
from safetensors import safe_open
from safetensors.torch import load_file, save_file

from gansynth import TabularGAN, TimeSeriesGAN
from gansynth.datasets import make_sines

CASES = [
    (
        lambda: TimeSeriesGAN(epochs=2, hidden_size=8, random_state=0),
        make_sines(32, length=8, n_features=2, random_state=0),
        None,
    ),
    (
        lambda: TabularGAN(
            epochs=2,
            generator_dims=(16,),
            discriminator_dims=(16,),
            pac=2,
            random_state=0,
        ),
        np.random.default_rng(0).normal(size=(40, 3)),
        np.arange(40) % 2,
    ),
]


def _as_written_before(path, names):
    """Rewrite a saved file's parameters without ``names``."""
    with safe_open(str(path), framework="pt") as handle:
        metadata = dict(handle.metadata())
    params = json.loads(metadata["params"])
    for name in names:
        del params[name]
    metadata["params"] = json.dumps(params)
    save_file(load_file(str(path)), str(path), metadata=metadata)


@pytest.mark.parametrize(("make", "X", "y"), CASES)
def test_older_files_and_pickles_load_with_the_values_they_were_fitted_with(
    tmp_path, make, X, y
):
    since = type(make())._params_since
    # At least one of them has a newer default that the old model must not get.
    assert any(make().get_params()[name] != value for name, value in since.items())
    # A model fitted as the old versions fitted it.
    gan = make().set_params(**since).fit(X, y)
    path = tmp_path / "model.gsz"
    gan.save(path)
    _as_written_before(path, since)
    loaded = type(gan).load(path)
    assert {n: getattr(loaded, n) for n in since} == since
    state = gan.__getstate__()
    for name in since:
        del state[name]
    old = type(gan).__new__(type(gan))
    old.__setstate__(state)
    assert {n: getattr(old, n) for n in since} == since
    np.testing.assert_array_equal(
        np.asarray(old.sample(4, random_state=0), dtype=float),
        np.asarray(gan.sample(4, random_state=0), dtype=float),
    )
