"""A benchmark's tables name the machine that ran it, as its results file
recorded it, not the machine that renders them again (``--render``), and
runs merged in from another machine keep theirs."""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import images
import images_augment
import imbalance
import tabular_sweep
from _common import cpu_label, cpus_label, machine, merge_runs

RESULTS = Path(__file__).resolve().parents[1] / "benchmarks" / "results"
ELSEWHERE = {"processor": "Some CPU", "cpu_capability": "AVX512", "cpu_count": 64,
             "torch": "2.13.0+cpu"}  # fmt: skip


def test_cpu_label_adds_the_vector_instructions_where_recorded():
    assert cpu_label(ELSEWHERE) == "Some CPU (AVX512)"
    assert cpu_label({"processor": "x86_64"}) == "x86_64"  # older results
    assert machine()["cpu_capability"]  # this machine's, e.g. "AVX2"


def test_rendered_tables_name_the_recorded_machine():
    sweep = json.loads((RESULTS / "tabular_sweep.json").read_text())
    assert "one thread, Some CPU (AVX512), torch" in tabular_sweep.render(
        sweep["summary"], ELSEWHERE
    )
    imb = json.loads((RESULTS / "imbalance.json").read_text())
    table = imbalance.render(imb["summary"], imb["settings"], ELSEWHERE)
    assert "One thread; Some CPU (AVX512), 64 cores" in table


def test_merged_runs_keep_the_cpu_that_ran_them(tmp_path):
    # A results file written elsewhere, then a run of this machine merged in:
    # the file's machine entry becomes this one's, its old runs keep theirs.
    path = tmp_path / "results.json"
    old = [{"seed": 0, "cas": 0.9}, {"seed": 1, "cas": 0.8}]
    path.write_text(json.dumps({"machine": ELSEWHERE, "runs": old}))
    new = [{"seed": 1, "cas": 0.7}, {"seed": 2, "cas": 0.6}]
    runs = merge_runs(path, new, key=lambda r: r["seed"], sort_key=lambda r: r["seed"])
    here = cpu_label(machine())
    assert [r["cpu"] for r in runs] == ["Some CPU (AVX512)", here, here]
    assert [r["cas"] for r in runs] == [0.9, 0.7, 0.6]
    label = cpus_label(machine(), runs)
    assert label == f"{here} (2 runs), Some CPU (AVX512) (1 run)"
    assert cpus_label(ELSEWHERE, runs[:1]) == "Some CPU (AVX512)"
    assert cpus_label(ELSEWHERE, old) == "Some CPU (AVX512)"  # no per-run record


def test_image_tables_name_the_machine_of_their_runs():
    saved = json.loads((RESULTS / "images_quality.json").read_text())
    table = images.render(saved["runs"], saved.get("args"), ELSEWHERE)
    assert table.endswith("Machine: Some CPU (AVX512), 64 cores, torch 2.13.0+cpu.")
    saved = json.loads((RESULTS / "images_augment.json").read_text())
    assert "Machine: Some CPU (AVX512), 64 cores" in images_augment.render(
        saved["runs"], ELSEWHERE
    )
