"""AugmentedClassifier with few labels: how many synthetic rows, at what weight,
and from a generator conditioned on which labels?

The semi-supervised benchmark's protocol (``semi_supervised.py``: the same
splits, k labelled rows per class, every other training row unlabelled, the
same logistic regression) on the 8x8 digits or breast cancer. Issue 16's
target: ``AugmentedClassifier`` no worse than the labelled rows alone.

Per seed, the generator is ``ConditionalGAN(epochs=100, class_balance=True)``
(the benchmark's ``augmented`` generator) fitted on every training row, with
the unlabelled rows' labels (``--gen-labels``):

* ``unlabelled``: left at -1, as ``AugmentedClassifier`` does (they teach the
  generator p(X) only);
* ``logreg``: set to the prediction of the logistic regression fitted on the
  labelled rows (pseudo-labels before the conditional fit);
* ``label-spreading``: set to ``LabelSpreading(kernel="knn", n_neighbors=7)``'s
  labels (the semi-supervised benchmark's best classical baseline).

From each fitted generator, ``n`` synthetic rows (``n`` = 1, 3 or 10 times
the labelled rows, classes at the labelled frequencies) join the labelled
rows at sample weight w (1, 0.3 or 0.1) to train the logistic regression:
exactly what ``AugmentedClassifier(LogisticRegression(), generator=...,
n_synthetic=n, weight=w, random_state=seed)`` does with the ``unlabelled``
generator, which the run checks once (seed 0, the first cell: identical
predictions). One generator fit serves the nine cells of a seed.

Beside them, in the same run: the logistic regression on the labelled rows
alone (the bar), ``LabelSpreading`` itself, and the logistic regression on
every training row with label spreading's labels (no GAN). Per generator:
the share of its rows that a logistic regression trained on every training
row with its true label assigns to the class they were drawn for (judge
fidelity), and the accuracy of a logistic regression trained on 10x
synthetic rows alone (TSTR). Run::

    python benchmarks/augmented_sweep.py                 # digits, k=10, seeds 0..4
    python benchmarks/augmented_sweep.py --seeds 0 1 --merge
    python benchmarks/augmented_sweep.py --quick         # a smoke run
    python benchmarks/augmented_sweep.py --render        # tables from the JSON

Writes ``benchmarks/results/augmented_sweep.{json,md,rst}``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (
    machine,
    mean_std,
    merge_runs,
    pin_threads,
    results_folder,
    results_lock,
    write_results,
)
from semi_supervised import load_dataset, partial_labels, split

NAME = "augmented_sweep"
GEN_LABELS = ("unlabelled", "logreg", "label-spreading")
MULTIPLES = (1, 3, 10)
WEIGHTS = (1.0, 0.3, 0.1)
GAN_EPOCHS = 100  # the semi-supervised benchmark's augmented generator


def logreg():
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(max_iter=2000)


def generator_labels(kind, X_train, y_partial, labelled_model, spread_model):
    """``y_partial`` with its -1 rows labelled as ``kind`` says."""
    labels = y_partial.copy()
    unlabelled = y_partial == -1
    if kind == "logreg":
        labels[unlabelled] = labelled_model.predict(X_train[unlabelled])
    elif kind == "label-spreading":
        labels[unlabelled] = spread_model.transduction_[unlabelled]
    return labels


def check_against_augmented_classifier(gan, X_train, y_partial, X_test, seed, cell):
    """The first cell, refitted through AugmentedClassifier: same predictions."""
    from sklearn.base import clone

    from gansynth import AugmentedClassifier

    model = AugmentedClassifier(logreg(), generator=clone(gan), n_synthetic=1.0,
                                weight=1.0, random_state=seed)  # fmt: skip
    predicted = model.fit(X_train, y_partial).predict(X_test)
    if not (predicted == cell).all():
        raise AssertionError("the sweep's cell differs from AugmentedClassifier's")


def run_seed(dataset, k, seed, gen_labels, log, epochs=GAN_EPOCHS):
    import numpy as np
    from sklearn.semi_supervised import LabelSpreading

    from gansynth import ConditionalGAN
    from gansynth.synthetic import generator_and_seeds

    X_train, y_train, X_test, y_test = split(load_dataset(dataset), seed)
    y_partial = partial_labels(y_train, k, seed)
    labelled = y_partial != -1
    unlabelled = ~labelled
    n_labelled = int(labelled.sum())
    base = logreg().fit(X_train[labelled], y_partial[labelled])
    spread = LabelSpreading(kernel="knn", n_neighbors=7).fit(X_train, y_partial)
    judge = logreg().fit(X_train, y_train)
    baselines = {"logreg": base.score(X_test, y_test),
                 "label-spreading": spread.score(X_test, y_test),
                 "logreg on spread labels": logreg().fit(
                     X_train, spread.transduction_).score(X_test, y_test)}  # fmt: skip
    run = {"dataset": dataset, "k": k, "seed": seed, "baselines": baselines,
           "generators": {}}  # fmt: skip
    for kind in gen_labels:
        labels = generator_labels(kind, X_train, y_partial, base, spread)
        template = ConditionalGAN(epochs=epochs, class_balance=True)
        gan, sample_seed = generator_and_seeds(template, seed)
        start = time.process_time()
        gan.fit(X_train, labels)
        fit_seconds = time.process_time() - start
        cells = {}
        for multiple in MULTIPLES:
            X_new, y_new = gan.sample(multiple * n_labelled, return_y=True,
                                      random_state=sample_seed)  # fmt: skip
            X_all = np.concatenate([X_train[labelled], X_new])
            y_all = np.concatenate([y_partial[labelled], y_new])
            if multiple == max(MULTIPLES):  # judged below
                X_judged, y_judged = X_new, y_new
            for weight in WEIGHTS:
                sample_weight = np.r_[np.ones(n_labelled), np.full(len(y_new), weight)]
                model = logreg().fit(X_all, y_all, sample_weight=sample_weight)
                cells[f"{multiple}x w{weight:g}"] = model.score(X_test, y_test)
                if (
                    kind == "unlabelled"
                    and (multiple, weight) == (1, 1.0)
                    and seed == 0
                ):
                    check_against_augmented_classifier(
                        template, X_train, y_partial, X_test, seed,
                        model.predict(X_test),
                    )  # fmt: skip
        run["generators"][kind] = {
            "cells": cells,
            "pseudo_label_accuracy": float(
                (labels[unlabelled] == y_train[unlabelled]).mean()
            ),
            "judge_fidelity": float((judge.predict(X_judged) == y_judged).mean()),
            "tstr": logreg().fit(X_judged, y_judged).score(X_test, y_test),
            "fit_cpu_seconds": fit_seconds,
        }
        log(json.dumps({"seed": seed, "gen_labels": kind, **cells}))
    return run


# How the committed runs were made (written into the markdown on every render).
RUN_NOTE = (
    "Run on 2026-12-06 from 14:02 to 14:13 UTC, one process beside other "
    "benchmarks, with that day's defaults: ConditionalGAN's loss=\"auto\", "
    '"wgan-gp" for tables (the run before, earlier that day, with "bce": the '
    "unlabelled row's 1x w1 90.9 +- 2.4, judge fidelity 93.0 +- 0.9, TSTR "
    "86.0 +- 3.0; the best cell label spreading's 10x w0.1, 92.4 +- 2.2)."
)


def render(runs):
    groups = {}
    for run in runs:
        groups.setdefault((run["dataset"], run["k"]), []).append(run)
    lines = [
        "# AugmentedClassifier with few labels: synthetic rows, weight, and "
        "the generator's labels",
        "",
        "The semi-supervised benchmark's splits and logistic regression; test "
        "accuracy in %, mean +- std over seeds. Generator: ConditionalGAN("
        f"epochs={GAN_EPOCHS}, class_balance=True) on every training row, the "
        "unlabelled rows left at -1 (what AugmentedClassifier does) or labelled "
        "first by the labelled-only logistic regression or by label spreading. "
        "Cells: the labelled rows plus n x as many synthetic rows at sample "
        "weight w. Judge fidelity: the share of 10x synthetic rows that a "
        "logistic regression trained on every true label assigns to their "
        "class; TSTR: a logistic regression on those rows alone. One thread.",
        "",
        RUN_NOTE,
    ]

    def pct(values):
        mean, std = mean_std(values)
        return f"{100 * mean:.1f} +- {100 * std:.1f}"

    for (dataset, k), group in groups.items():
        seeds = sorted(r["seed"] for r in group)
        lines += ["", f"## {dataset}, {k} labels per class, seeds {seeds}", ""]
        for name in group[0]["baselines"]:
            lines.append(f"- {name}: {pct(r['baselines'][name] for r in group)}")
        cells = [f"{m}x w{w:g}" for m in MULTIPLES for w in WEIGHTS]
        lines += ["", "| generator's labels | pseudo-label accuracy | judge "
                  "fidelity | TSTR | " + " | ".join(cells) + " | fit CPU s |",
                  "|---" * (len(cells) + 5) + "|"]  # fmt: skip
        for kind in GEN_LABELS:
            own = [r["generators"][kind] for r in group if kind in r["generators"]]
            if not own:
                continue
            accuracy = "" if kind == "unlabelled" else pct(
                o["pseudo_label_accuracy"] for o in own)  # fmt: skip
            row = [kind, accuracy, pct(o["judge_fidelity"] for o in own),
                   pct(o["tstr"] for o in own)]  # fmt: skip
            row += [pct(o["cells"][c] for o in own) for c in cells]
            row.append(f"{mean_std(o['fit_cpu_seconds'] for o in own)[0]:.0f}")
            lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dataset", default="digits",
                        choices=("digits", "breast_cancer"))  # fmt: skip
    parser.add_argument("--k", type=int, default=10, help="labels per class")
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2, 3, 4])
    parser.add_argument("--gen-labels", nargs="+", default=list(GEN_LABELS),
                        choices=GEN_LABELS)  # fmt: skip
    parser.add_argument("--quick", action="store_true",
                        help="2 generator epochs, seed 0 (results/quick)")  # fmt: skip
    parser.add_argument("--merge", action="store_true",
                        help="keep the other runs in the results file")  # fmt: skip
    parser.add_argument("--render", action="store_true",
                        help="rewrite the tables from the saved JSON")  # fmt: skip
    args = parser.parse_args(argv)
    path = results_folder(args.quick) / f"{NAME}.json"
    if args.render:
        payload = json.loads(path.read_text())
        write_results(NAME, payload, render(payload["runs"]), args.quick, rst=True)
        return
    pin_threads(1)
    epochs, seeds = (2, [0]) if args.quick else (GAN_EPOCHS, args.seeds)
    runs = [run_seed(args.dataset, args.k, s, args.gen_labels, print, epochs)
            for s in seeds]  # fmt: skip
    with results_lock(NAME, args.quick):
        if args.merge:
            runs = merge_runs(path, runs, lambda r: (r["dataset"], r["k"], r["seed"]),
                              lambda r: (r["dataset"], r["k"], r["seed"]))  # fmt: skip
        table = render(runs)
        write_results(NAME, {"machine": machine(), "runs": runs}, table,
                      args.quick, rst=True)  # fmt: skip
    print(table)


if __name__ == "__main__":
    main()
