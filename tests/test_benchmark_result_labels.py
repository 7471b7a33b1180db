"""The committed tabular benchmark rows are named by what they ran: a row
named for the defaults took the critic steps that the defaults take today.

When a default changes, rows run before it must be renamed (or rerun), as
on 2026-12-07 when tables went from five critic steps to three: this test
reads the committed JSON and fails on a row whose name no longer says how
it was trained."""

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from tabular_vs_ctgan import gansynth_settings

from gansynth.modalities.tabular import TabularModality
from gansynth.training import get_loss

RESULTS = Path(__file__).resolve().parents[1] / "benchmarks" / "results"


def expected_critic_steps(model):
    """Critic steps per generator step of a ``tabular_vs_ctgan`` gansynth
    model, read from its name as ``fit_model`` reads it: an explicit
    ``n_critic``, otherwise what ``n_critic="auto"`` gives."""
    loss, _, n_critic = gansynth_settings(model)
    if n_critic != "auto":
        return n_critic
    return TabularModality().critic_steps(get_loss(loss))


def test_expected_critic_steps_reads_the_flags():
    assert expected_critic_steps("gansynth-wgan-gp+y") == 3
    assert expected_critic_steps("gansynth-wgan-gp+y+c5@ctgan-time") == 5
    assert expected_critic_steps("gansynth-bce+y+val") == 1


def test_tabular_rows_took_the_critic_steps_their_names_say():
    runs = json.loads((RESULTS / "tabular_vs_ctgan.json").read_text())["runs"]
    gansynth = [r for r in runs if r["model"].startswith("gansynth-")]
    if not gansynth:
        pytest.fail("no gansynth rows in tabular_vs_ctgan.json")
    wrong = sorted(
        {
            (r["model"], r["critic_steps"] / r["generator_steps"])
            for r in gansynth
            if r["critic_steps"]
            != expected_critic_steps(r["model"]) * r["generator_steps"]
        }
    )
    assert not wrong, wrong
