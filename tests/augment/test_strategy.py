"""sampling_strategy and target handling, checked against imbalanced-learn."""

import numpy as np
import pytest

from gansynth.utils.strategy import check_target, over_sampling_counts

imblearn_utils = pytest.importorskip("imblearn.utils")

Y3 = np.array([0] * 50 + [1] * 20 + [2] * 5)
Y2 = np.array(["a"] * 40 + ["b"] * 10)


@pytest.mark.parametrize(
    "strategy, y",
    [
        ("auto", Y3),
        ("minority", Y3),
        ("not minority", Y3),
        ("not majority", Y3),
        ("all", Y3),
        ({1: 30, 2: 50}, Y3),
        (0.5, Y2),
        (1.0, Y2),
        (lambda y: {2: 9}, Y3),
    ],
)
def test_counts_match_imbalanced_learn(strategy, y):
    ours = over_sampling_counts(strategy, y)
    theirs = imblearn_utils.check_sampling_strategy(strategy, y, "over-sampling")
    # imbalanced-learn lists some classes with nothing to add; so do we.
    assert {k: v for k, v in ours.items() if v} == {
        k: v for k, v in theirs.items() if v
    }


@pytest.mark.parametrize(
    "strategy, y",
    [(0.26, np.array([0] * 40 + [1] * 10)), (1.0, np.array([0] * 20 + [1] * 20))],
)
def test_a_ratio_that_adds_no_row_is_refused_as_by_imbalanced_learn(strategy, y):
    # It returned {class: 0} (for the tie, of the other class than imblearn's).
    with pytest.raises(ValueError, match="ratio"):
        imblearn_utils.check_sampling_strategy(strategy, y, "over-sampling")
    with pytest.raises(ValueError, match="adds none"):
        over_sampling_counts(strategy, y)


def test_unlabelled_rows_are_not_a_class():
    y = np.array([0] * 10 + [1] * 4 + [-1] * 30)
    assert over_sampling_counts("auto", y) == {1: 6}


@pytest.mark.parametrize(
    "strategy, y, match",
    [
        ({0: 10}, Y3, "cannot remove rows"),
        (0.1, Y2, "cannot remove rows"),
        (0.5, Y3, "only for a binary y"),
        ({7: 100}, Y3, r"classes not in y: \[7\]"),
        ("most", Y3, "sampling_strategy must be one of"),
        ({1: 30.5}, Y3, "must be an int"),
        ("auto", np.zeros(10), "at least two classes"),
    ],
)
def test_bad_strategies_are_clear_errors(strategy, y, match):
    with pytest.raises(ValueError, match=match):
        over_sampling_counts(strategy, y)


def test_check_target_reads_one_vs_all_and_refuses_multilabel():
    y = np.array([0, 2, 1, 2])
    one_hot = np.eye(3, dtype=int)[y]
    labels, ova = check_target(one_hot)
    assert ova and labels.tolist() == y.tolist()
    assert check_target(y.reshape(-1, 1))[0].tolist() == y.tolist()
    with pytest.raises(ValueError, match="multilabel"):
        check_target(np.array([[1, 1, 0], [0, 1, 0]]))
    with pytest.raises(ValueError, match="Unknown label type"):
        check_target(np.linspace(0, 1, 10))
