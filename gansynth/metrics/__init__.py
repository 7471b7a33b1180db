"""Quality measures of generated data (arrays in, numbers out).

The tabular metrics compare a real table with a synthetic one: fidelity of
each column (:func:`column_fidelity`) and of each pair of columns
(:func:`pairwise_dependence`), how easily a classifier tells them apart
(:func:`detection_auc`), what a model trained on synthetic data is worth on
real data (:func:`utility_scores`), and how close synthetic rows come to the
training rows (:func:`distance_to_closest_record`); :func:`evaluate` gathers
them into one report. None of them imports an estimator: they take arrays and
DataFrames only.
"""

from .dependence import pairwise_dependence
from .detection import detection_auc
from .fidelity import column_fidelity
from .modes import mode_coverage
from .privacy import distance_to_closest_record
from .report import evaluate
from .utility import utility_scores

__all__ = [
    "column_fidelity",
    "detection_auc",
    "distance_to_closest_record",
    "evaluate",
    "mode_coverage",
    "pairwise_dependence",
    "utility_scores",
]
