"""UCR/UEA time-series classification sets from the data folder of aeon's
wheel (BENCHMARKS.md), read without installing aeon (its release pins an
older numpy than ours).

The ``.ts`` format: ``@`` header lines, then one case per line, its channels
separated by ``:`` (each a comma-separated series) and the class label
last. Written here because the format is small and aeon's loader would need
aeon installed.
"""

from __future__ import annotations

import numpy as np
from _common import wheel_file

AEON = ("aeon", "1.6.0")


def parse_ts(text: str):
    """``(cases, labels)``: a list of (T_i, channels) float arrays and an
    array of label strings."""
    cases, labels, in_data = [], [], False
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if not in_data:
            in_data = line.lower() == "@data"
            continue
        *channels, label = line.split(":")
        series = [np.array(c.split(","), dtype=np.float64) for c in channels]
        if len({len(s) for s in series}) != 1:
            raise ValueError(f"A case's channels differ in length: {line[:60]}...")
        cases.append(np.column_stack(series))
        labels.append(label.strip())
    if not cases:
        raise ValueError("No @data section, or no case in it.")
    return cases, np.array(labels)


def load_ucr(name: str, split: str):
    """``(cases, labels)`` of ``name`` ("JapaneseVowels", "BasicMotions",
    "ItalyPowerDemand", "ArrowHead", ...), ``split`` "TRAIN" or "TEST"."""
    path = wheel_file(*AEON, f"aeon/datasets/data/{name}/{name}_{split}.ts")
    return parse_ts(path.read_text())
