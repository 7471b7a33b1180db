"""Quality measures of generated data (arrays in, numbers out).

The tabular metrics compare a real table with a synthetic one: fidelity of
each column (:func:`column_fidelity`) and of each pair of columns
(:func:`pairwise_dependence`), how easily a classifier tells them apart
(:func:`detection_auc`), what a model trained on synthetic data is worth on
real data (:func:`utility_scores`), and how close synthetic rows come to the
training rows (:func:`distance_to_closest_record`); :func:`evaluate` gathers
them into one report. For images, :func:`image_report` scores generated
images beside real held-out ones in the features of a classifier trained on
the real images (:func:`frechet_distance`, :func:`kernel_distance`,
:func:`precision_recall`, :func:`density_coverage`,
:func:`class_diversity`). For sequences, TimeGAN's
:func:`discriminative_score` and :func:`predictive_score`, TSGBench's
:func:`marginal_difference` and :func:`autocorrelation_difference`, and
:func:`copy_ratio`. None of them imports an estimator: they take arrays and
DataFrames only.
"""

from .dependence import pairwise_dependence
from .detection import detection_auc
from .fidelity import column_fidelity
from .image_report import image_report
from .images import (
    class_diversity,
    density_coverage,
    frechet_distance,
    kernel_distance,
    precision_recall,
)
from .modes import mode_coverage
from .privacy import distance_to_closest_record
from .report import evaluate
from .sequence_statistics import autocorrelation_difference, marginal_difference
from .sequences import copy_ratio, discriminative_score, predictive_score
from .utility import utility_scores

__all__ = [
    "autocorrelation_difference",
    "class_diversity",
    "column_fidelity",
    "copy_ratio",
    "density_coverage",
    "detection_auc",
    "discriminative_score",
    "distance_to_closest_record",
    "evaluate",
    "frechet_distance",
    "image_report",
    "kernel_distance",
    "marginal_difference",
    "mode_coverage",
    "pairwise_dependence",
    "precision_recall",
    "predictive_score",
    "utility_scores",
]
