"""A benchmark's tables name the machine that ran it, as its results file
recorded it, not the machine that renders them again (``--render``)."""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import imbalance
import tabular_sweep
from _common import cpu_label, machine

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
