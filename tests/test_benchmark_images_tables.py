"""The images benchmark's downstream tables: one per data set, each with
its own runs only; and --downstream-dataset is refused where it would do
nothing."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import images
from images import main, render


def _run(dataset, seed, method, accuracy):
    return {"part": "downstream", "dataset": dataset, "seed": seed, "k": 10,
            "method": method, "accuracy": accuracy}  # fmt: skip


def test_each_data_set_gets_its_own_downstream_table():
    runs = [_run("mnist5k", 0, "cnn", 0.80), _run("mnist5k", 1, "cnn", 0.82),
            _run("mnist-full", 0, "cnn", 0.90),
            _run("mnist-full", 0, "label-spreading", 0.95)]  # fmt: skip
    five_k, full = render(runs).split("### full MNIST downstream")
    assert "### MNIST-5k downstream, test accuracy (%), seeds [0, 1]" in five_k
    assert "| cnn | 81.0 +- 1.4 |" in five_k
    assert "label-spreading" not in five_k
    assert full.startswith(", test accuracy (%), seeds [0]")
    assert "| cnn | 90.0 +- 0.0 |" in full
    assert "| label-spreading | 95.0 +- 0.0 |" in full


def _no_run(*args):
    raise AssertionError("the benchmark started instead of refusing its options")


def test_a_downstream_data_set_without_the_downstream_part_is_refused(
    capsys, monkeypatch
):
    monkeypatch.setattr(images, "pin_threads", _no_run)  # nothing may run
    with pytest.raises(SystemExit):
        main(["--part", "quality", "--downstream-dataset", "mnist-full"])
    assert "--downstream-dataset needs --part downstream or both" in (
        capsys.readouterr().err
    )
