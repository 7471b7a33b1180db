"""The benchmarks' reader of aeon's .ts files: channels, unequal lengths
and labels come out as written; a file without data is refused."""

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from _ucr import parse_ts

TEXT = """# a comment
@problemName Tiny
@univariate false
@dimensions 2
@equalLength false
@classLabel true a b
@data
1,2,3:4,5,6:a
7,8:9,10:b
"""


def test_cases_come_out_as_written():
    cases, labels = parse_ts(TEXT)
    assert labels.tolist() == ["a", "b"]
    np.testing.assert_array_equal(cases[0], [[1, 4], [2, 5], [3, 6]])
    np.testing.assert_array_equal(cases[1], [[7, 9], [8, 10]])


def test_bad_files_are_refused():
    with pytest.raises(ValueError, match="No @data section"):
        parse_ts("@problemName Empty\n")
    with pytest.raises(ValueError, match="channels differ in length"):
        parse_ts("@data\n1,2:3:a\n")
