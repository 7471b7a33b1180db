"""TimeGAN's supervised next-step loss (``supervised_weight``): its networks
are fitted on real sequences, the generator follows them, and models with
them round-trip."""

import pytest
import torch

from gansynth import TimeSeriesGAN
from gansynth.datasets import make_sines
from gansynth.estimator_checks import (
    check_pickle_round_trip,
    check_save_load_round_trip,
)
from gansynth.modalities.sequence import NextStepSupervisor

# Without the moment term, so that the supervisor's effect is seen alone
# (with it on both sides, 0.0006 against 0.0013).
SMALL = {"hidden_size": 8, "random_state": 0, "moment_weight": 0.0}
X = make_sines(256, length=12, n_features=2, random_state=0)


def _next_step_error(gan, supervisor, n=256):
    """The fitted supervisor's next-step error on the model's samples."""
    encoded = torch.as_tensor(gan.encoder_.transform(gan.sample(n, random_state=1)))
    with torch.no_grad():
        return float(supervisor._next_step_error(supervisor.module.embed(encoded)))


def test_the_networks_are_fitted_and_the_generator_follows_them():
    # Without the average of the generator (ema=None): 60 steps are too few
    # for an average of decay 0.99 to leave its initial weights behind.
    gan = TimeSeriesGAN(epochs=30, supervised_weight=100.0, ema=None, **SMALL).fit(X)
    assert (gan.pretrain_history_.network == "supervisor").sum() == 5
    losses = gan.history_["supervisor_loss"]
    # Measured (seed 0): the networks' own loss 0.305 -> 0.117 over the run.
    assert losses.iloc[-1] < 0.5 * losses.iloc[0]
    networks = gan._make_modality().auxiliary_networks(gan.encoder_.spec_, 0)
    (supervisor,) = [n for n in networks if isinstance(n, NextStepSupervisor)]
    supervisor.module = gan.auxiliary_["supervisor"]
    without = TimeSeriesGAN(epochs=30, ema=None, **SMALL).fit(X)
    # Measured (seed 0), judged by the same fitted supervisor: 0.0006 with
    # the term against 0.0045 without it (real sequences: 0.0069).
    with_term = _next_step_error(gan, supervisor)
    assert with_term < 0.5 * _next_step_error(without, supervisor)


@pytest.mark.parametrize("check", [check_pickle_round_trip, check_save_load_round_trip])
def test_a_model_with_the_supervisor_round_trips(check):
    check(lambda: TimeSeriesGAN(epochs=2, supervised_weight=1.0, **SMALL), X, None)


def test_a_negative_weight_is_refused_by_name():
    with pytest.raises(ValueError, match="supervised_weight"):
        TimeSeriesGAN(epochs=1, supervised_weight=-1.0).fit(X)
