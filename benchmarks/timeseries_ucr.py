"""Class-conditional TimeSeriesGAN on UEA sets: train on synthetic, test on
real, and the learned length distribution of unequal-length sequences.

Data: ``BasicMotions`` (40 + 40 cases, 6 channels x 100 steps, 4 classes)
and ``JapaneseVowels`` (270 + 370 cases, 12 channels, 7 to 29 steps, 9
classes), their official train/test splits, from the data folder of aeon's
wheel (never installed; see ``_ucr.py``).

Methods, per seed (default 0..2), each making as many training sequences
per class as the real training split has:

- ``gansynth``: ``TimeSeriesGAN(random_state=seed)`` with its defaults,
  fitted on the training cases and their classes (lists of (T_i, 12) arrays
  for JapaneseVowels, so lengths are learned); its runs before 2026-12-04
  were named ``gansynth-auto-scaling``;
- ``gansynth-minmax``: ``scaling="minmax"``, the default until 2026-12-04
  (these runs were named ``gansynth``); on JapaneseVowels no feature is
  heavy-tailed, so it is the default exactly;
- ``gansynth-moments``: min-max with the moment term
  (``moment_weight=1``), which the default leaves out with classes;
- ``gansynth-wgan-gp``: ``loss="wgan-gp", n_critic=3`` (the default's
  generator steps, each after three critic steps with the gradient
  penalty), the setting that lowered Energy's discriminative score in
  ``timeseries.py``;
- ``real+noise``: training cases resampled within their class plus N(0,
  0.01 x the channel's spread) noise, a copying baseline;
- ``real``: the training cases themselves (the ceiling);
- ``real+gansynth``: :class:`gansynth.AugmentedClassifier` around the same
  classifier, with its default generator for sequences
  (``TimeSeriesGAN(class_balance=True)``, seeded by the run): trained on
  the real training cases plus as many generated ones. Its row answers
  whether the generated cases add anything to the real ones.

Scores: ``tstr``, the test accuracy of the classifier trained on each
method's cases (for ``real+gansynth``, the real and the generated ones; a
random forest of 300 trees on per-channel summary
statistics, the design of aeon's SummaryClassifier: a plain, standard
sequence classifier), and for unequal lengths ``length_ks`` (the two-sample
Kolmogorov-Smirnov statistic between generated and real training lengths)
and ``length_ks_class`` (its largest value over the classes); in the
``real`` row these compare the test split's lengths with the training
split's, the floor that sampling alone reaches; ``fit_cpu_s``
(``time.process_time`` around ``fit``, one thread).

Run ``python benchmarks/timeseries_ucr.py`` or ``--quick`` (BasicMotions,
100 generator steps, seed 0: a smoke run written to ``results/quick/``).
``--merge`` keeps the runs already in the results file and replaces those
of the same (data set, method, seed); every run records its date.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import traceback
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (
    machine,
    mean_std,
    merge_runs,
    pin_threads,
    results_folder,
    results_lock,
    rewrite_tables,
    seeds_label,
    write_results,
)
from _ucr import load_ucr

NAME = "timeseries_ucr"
DATASETS = ("BasicMotions", "JapaneseVowels")
# TimeSeriesGAN's settings of each gansynth method.
# The variants name the settings their runs had (the default scaling was
# min-max until 2026-12-04: those runs were named gansynth, and the runs
# named gansynth-auto-scaling then are the gansynth rows now).
VARIANTS = {
    "gansynth": {},
    "gansynth-minmax": {"scaling": "minmax"},
    "gansynth-moments": {"scaling": "minmax", "moment_weight": 1.0},
    "gansynth-wgan-gp": {"loss": "wgan-gp", "n_critic": 3},
}
METHODS = (*VARIANTS, "real+noise", "real", "real+gansynth")


def summary_features(cases):
    """Per channel: mean, standard deviation, minimum, maximum, quartiles,
    and the mean absolute and the standard deviation of the first
    differences; plus the length (the features of aeon's SummaryClassifier,
    written here with numpy)."""
    rows = []
    for case in cases:
        step = np.diff(case, axis=0) if len(case) > 1 else np.zeros_like(case)
        rows.append(np.concatenate([
            case.mean(0), case.std(0), case.min(0), case.max(0),
            *np.quantile(case, [0.25, 0.5, 0.75], axis=0),
            np.abs(step).mean(0), step.std(0), [len(case)],
        ]))  # fmt: skip
    return np.array(rows)


def epochs_for(steps, n_cases):
    """``{"epochs": ...}`` that make about ``steps`` generator steps at
    TimeSeriesGAN's batch of 128, or ``{}`` (its own budget) without
    ``steps``."""
    return {} if steps is None else {"epochs": max(1, steps // max(1, n_cases // 128))}


def summary_forest(seed):
    """The benchmark's sequence classifier: a random forest of 300 trees on
    :func:`summary_features`, as a scikit-learn pipeline that takes a list
    of (T_i, F) cases (so that ``AugmentedClassifier`` can wrap it)."""
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import FunctionTransformer

    return make_pipeline(FunctionTransformer(summary_features),
                         RandomForestClassifier(300, random_state=seed))  # fmt: skip


def tstr(train_cases, train_y, test_cases, test_y, seed):
    """Test accuracy of :func:`summary_forest` trained on ``train_cases``
    (on the real training split: 1.00 on BasicMotions, 0.954 on
    JapaneseVowels)."""
    model = summary_forest(seed).fit(train_cases, train_y)
    return float(model.score(test_cases, test_y))


def augmented(cases, y, test_cases, test_y, seed, steps):
    """``(test accuracy, fit CPU seconds)`` of ``AugmentedClassifier`` around
    :func:`summary_forest`, fitted on the real training cases; its default
    generator, or with ``steps`` (``--quick``) the same for that many steps."""
    from gansynth import AugmentedClassifier, TimeSeriesGAN

    generator = None
    if steps is not None:
        generator = TimeSeriesGAN(class_balance=True, **epochs_for(steps, len(y)))
    model = AugmentedClassifier(summary_forest(seed), generator=generator,
                                random_state=seed)  # fmt: skip
    start = time.process_time()
    model.fit(list(cases), y)
    cpu = time.process_time() - start
    return float(model.score(list(test_cases), test_y)), cpu


def generate(method, cases, y, seed, steps):
    """``(cases, labels, fit CPU seconds)`` of a method."""
    if method == "real":
        return cases, y, 0.0
    rng = np.random.default_rng(seed)
    if method == "real+noise":
        spread = np.concatenate(cases).std(axis=0)
        picked = np.concatenate([rng.choice(np.flatnonzero(y == k), (y == k).sum())
                                 for k in np.unique(y)])  # fmt: skip
        noisy = [cases[i] + rng.normal(0, 0.01, cases[i].shape) * spread
                 for i in picked]  # fmt: skip
        return noisy, y[picked], 0.0
    from gansynth import TimeSeriesGAN

    budget = epochs_for(steps, len(y))
    gan = TimeSeriesGAN(random_state=seed, **budget, **VARIANTS[method])
    start = time.process_time()
    gan.fit(list(cases), y)
    cpu = time.process_time() - start
    counts = dict(zip(*np.unique(y, return_counts=True), strict=True))
    fake, fake_y = gan.sample(y=counts, return_y=True, random_state=seed + 1)
    return list(fake), np.asarray(fake_y), cpu


def one_run(name, data, method, seed, steps):
    from scipy.stats import ks_2samp

    (cases, y), (test_cases, test_y) = data
    run = {"dataset": name, "method": method, "seed": seed, "n_train": len(cases),
           "date": time.strftime("%Y-%m-%d")}  # fmt: skip
    if method == "real+gansynth":
        run["tstr"], run["fit_cpu_s"] = augmented(cases, y, test_cases, test_y, seed,
                                                  steps)  # fmt: skip
        return run
    fake, fake_y, run["fit_cpu_s"] = generate(method, cases, y, seed, steps)
    run["tstr"] = tstr(fake, fake_y, test_cases, test_y, seed)
    lengths = np.array([len(c) for c in cases])
    if len(set(lengths.tolist())) > 1 and method in (*VARIANTS, "real"):
        # For "real", the official test split's lengths: the floor that
        # sampling alone gives (30 cases a class make a KS of about 0.2).
        made, made_y = (test_cases, test_y) if method == "real" else (fake, fake_y)
        made = np.array([len(c) for c in made])
        run["length_ks"] = float(ks_2samp(made, lengths).statistic)
        run["length_ks_class"] = max(
            float(ks_2samp(made[made_y == k], lengths[y == k]).statistic)
            for k in np.unique(y)
        )
    return run


def _cell(runs, key, fmt="{:.3f}"):
    values = [r[key] for r in runs if key in r]
    if not values:
        return ""
    mean, std = mean_std(values)
    return f"{fmt.format(mean)} +- {fmt.format(std)}"


def render(runs):
    lines = []
    for name in DATASETS:
        mine = [r for r in runs if r["dataset"] == name and "error" not in r]
        if not mine:
            continue
        seeds = sorted({r["seed"] for r in mine})
        lines += [f"### {name}, seeds {seeds}", "",
                  "| method | test accuracy | length KS | length KS, worst class "
                  "| fit CPU s |", "|---|---|---|---|---|"]  # fmt: skip
        for method in METHODS:
            rows = [r for r in mine if r["method"] == method]
            if rows:
                cells = [_cell(rows, "tstr"), _cell(rows, "length_ks"),
                         _cell(rows, "length_ks_class"),
                         _cell(rows, "fit_cpu_s", "{:.0f}")]  # fmt: skip
                label = seeds_label(method, rows, seeds)
                lines.append(f"| {label} | " + " | ".join(cells) + " |")
        dates = sorted({r.get("date", "before dates were recorded") for r in mine})
        lines += ["", f"Runs made: {', '.join(dates)}.", ""]
    for r in (r for r in runs if "error" in r):
        lines.append(f"- failed: {r['dataset']} {r['method']} seed {r['seed']}: "
                     f"{r['error']}")  # fmt: skip
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", nargs="+", default=list(DATASETS),
                        choices=DATASETS)  # fmt: skip
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument("--methods", nargs="+", default=list(METHODS), choices=METHODS)
    parser.add_argument("--steps", type=int, default=None,
                        help="generator steps of TimeSeriesGAN")  # fmt: skip
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--merge", action="store_true",
                        help="keep the other runs of the results file")  # fmt: skip
    parser.add_argument("--render", action="store_true",
                        help="rewrite the tables from the saved JSON")  # fmt: skip
    args = parser.parse_args(argv)
    if args.render:
        rewrite_tables(NAME, render)
        return
    if args.quick:
        args.datasets, args.seeds, args.steps = ["BasicMotions"], [0], 100
    pin_threads(1)
    runs = []
    for name in args.datasets:
        data = (load_ucr(name, "TRAIN"), load_ucr(name, "TEST"))
        for seed in args.seeds:
            for method in args.methods:
                try:
                    run = one_run(name, data, method, seed, args.steps)
                except Exception as error:  # recorded; the run goes on
                    traceback.print_exc()
                    run = {"dataset": name, "method": method, "seed": seed,
                           "error": f"{type(error).__name__}: {error}"}  # fmt: skip
                print(json.dumps(run), flush=True)
                runs.append(run)
    with results_lock(NAME, args.quick):
        path = results_folder(args.quick) / f"{NAME}.json"
        if args.merge and path.exists():
            runs = merge_runs(
                path, runs, key=lambda r: (r["dataset"], r["method"], r["seed"]),
                sort_key=lambda r: (r["dataset"], r["method"], r["seed"]),
            )  # fmt: skip
        table = render(runs)
        payload = {"machine": machine(), "args": vars(args), "runs": runs}
        write_results(NAME, payload, table, args.quick, rst=True)
    print(table)


if __name__ == "__main__":
    main()
