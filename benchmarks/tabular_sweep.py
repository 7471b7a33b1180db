"""A one-at-a-time sweep of TabularGAN's settings on the benchmark tables.

The base is ``tabular_vs_ctgan.py``'s ``gansynth-bce+y``: the same splits
(train / validation / test per seed), epochs (the table's own) and batch
(500), ctgan's widths (128-dimensional noise, 256-256 networks), the table's
target given to ``fit`` as ``y``. Each variant changes one thing:

* ``base``: as above;
* ``unconditional``: the target stays a column of the table (no ``y``), as
  ``gansynth-bce`` in the comparison;
* ``NAME=VALUE``: the base with one TabularGAN parameter changed
  (``--vary discriminator_dropout=0.25,0 ema=0`` gives three variants;
  values are read as Python literals); ``NAME=VALUE&NAME2=VALUE2`` changes
  several parameters in one variant.

Per fit, on as many synthetic rows as there are training rows: TSTR ROC AUC
of gradient boosting and logistic regression on the test rows, detection
AUC and column fidelity against the test rows, the numeric columns' spread
(the mean over numeric non-target columns of the synthetic standard
deviation over the real one, training rows; the issue's target is
0.95-1.05), and fit seconds. One thread, one process, fits in sequence.
Run::

    python benchmarks/tabular_sweep.py --tables mlc_churn --seeds 0 1 2 \\
        --vary discriminator_dropout=0.25,0 --merge
    python benchmarks/tabular_sweep.py --quick     # 10 epochs, a smoke run
    python benchmarks/tabular_sweep.py --render    # tables from the JSON

Writes ``benchmarks/results/tabular_sweep.{json,md}`` (``--merge`` keeps the
runs of other tables, seeds and variants).
"""

from __future__ import annotations

import argparse
import ast
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (
    cpus_label,
    machine,
    mean_std,
    merge_runs,
    pin_threads,
    results_folder,
    results_lock,
    sample_table,
    write_results,
)
from tabular_vs_ctgan import TABLES, load_split

NAME = "tabular_sweep"
METRICS = (
    ("tstr_gb", "TSTR AUC (GB)", "{:.3f}"),
    ("tstr_lr", "TSTR AUC (LR)", "{:.3f}"),
    ("trtr_gb", "real AUC (GB)", "{:.3f}"),
    ("detection", "detection AUC", "{:.3f}"),
    ("spread", "spread", "{:.3f}"),
    ("fidelity", "column fidelity", "{:.3f}"),
    ("fit_s", "fit s", "{:.0f}"),
)


def parse_variants(vary):
    """``["a=1,2", "b=x", "c=1&d=2"]`` -> ``[("a=1", {"a": 1}), ("a=2", ...),
    ("b=x", ...), ("c=1&d=2", {"c": 1, "d": 2})]``."""
    variants = []
    for item in vary:
        if "&" in item:  # several parameters changed together: one variant
            parts = [parse_variants([part]) for part in item.split("&")]
            if any(len(part) != 1 for part in parts):
                raise SystemExit(f"--vary {item!r}: one value per NAME in a & list.")
            params = {}
            for ((_, one),) in parts:
                params.update(one)
            variants.append((item, params))
            continue
        name, sep, values = item.partition("=")
        if not sep or not values:
            raise SystemExit(f"--vary expects NAME=V1,V2,...; got {item!r}.")
        for text in values.split(","):
            try:
                value = ast.literal_eval(text)
            except (ValueError, SyntaxError):
                value = text  # a plain string such as a loss name
            variants.append((f"{name}={text}", {name: value}))
    return variants


def spread(train, synthetic, target):
    """Mean over numeric non-target columns of std(synthetic) / std(real)."""
    import numpy as np
    import pandas as pd

    ratios = [
        synthetic[c].std() / train[c].std()
        for c in train.columns
        if c != target
        and pd.api.types.is_numeric_dtype(train[c])
        and not pd.api.types.is_bool_dtype(train[c])
        and train[c].std() > 0
    ]
    return float(np.mean(ratios)) if ratios else float("nan")


def run_one(table, seed, variant, params, epochs, batch):
    from gansynth import TabularGAN
    from gansynth.metrics import column_fidelity, detection_auc, utility_scores

    train, _, test, target = load_split(table, seed)
    params = {"loss": "bce", "latent_dim": 128, **params}  # a variant may set them
    gan = TabularGAN(epochs=epochs, batch_size=batch, random_state=seed, **params)
    start = time.perf_counter()
    if variant == "unconditional":
        gan.fit(train)
    else:
        gan.fit(train.drop(columns=[target]), train[target])
    fit_s = time.perf_counter() - start
    synthetic = sample_table(gan, len(train), train.columns, target, seed + 1)
    synthetic = synthetic.astype(train.dtypes.to_dict(), errors="ignore")
    scores = utility_scores(train, synthetic, test, target=target, random_state=seed)
    scores = scores.set_index(["model", "train_on", "metric"])["value"]
    return {
        "table": table,
        "seed": seed,
        "variant": variant,
        "epochs": epochs,
        "batch": batch,
        "tstr_gb": float(scores["hist_gradient_boosting", "synthetic", "roc_auc"]),
        "tstr_lr": float(scores["logistic_regression", "synthetic", "roc_auc"]),
        "trtr_gb": float(scores["hist_gradient_boosting", "real", "roc_auc"]),
        "detection": detection_auc(test, synthetic, cv=3, random_state=seed),
        "spread": spread(train, synthetic, target),
        "fidelity": float(column_fidelity(test, synthetic)["value"].mean()),
        "fit_s": fit_s,
    }


def summarise(runs):
    groups = {}
    for run in runs:
        groups.setdefault((run["table"], run["variant"]), []).append(run)
    summary = []
    for (table, variant), group in groups.items():
        row = {"table": table, "variant": variant,
               "seeds": sorted(r["seed"] for r in group),
               "epochs": group[0]["epochs"], "batch": group[0]["batch"]}  # fmt: skip
        for key, _, _ in METRICS:
            row[key], row[key + "_std"] = mean_std(r[key] for r in group)
        summary.append(row)
    return summary


def render(summary, info, runs=()):
    """The markdown report; ``info`` is the results file's ``machine`` entry and
    ``runs`` its runs, whose own ``cpu`` entries name the CPUs of merged runs."""
    lines = [
        "# TabularGAN settings sweep",
        "",
        "Base: `gansynth-bce+y` of `tabular_vs_ctgan.py` (same splits, epochs, "
        "batch 500, ctgan's widths, the target given as `y`); each variant changes "
        "one thing. TSTR, detection and fidelity on the held-out test rows; "
        "spread = mean over numeric columns of the synthetic std over the real "
        f"one (target 0.95-1.05). Mean +- std over seeds; one thread, "
        f"{cpus_label(info, runs)}, torch {info['torch']}.",
        "",
        "Fit seconds are those of the machine as it was: the "
        "`mode_moment_weight=1` rows ran beside three other benchmark processes "
        "on the 2 cores (2026-12-03); the other rows come from earlier runs with "
        "fewer processes. "
        "Compare them within a variant's rows only.",
        "",
        "The rows `base`, `unconditional` and `generator_lr=1e-4` of every "
        "table ran on 2026-12-06, side by side, with that day's defaults "
        '(moment weight 2, `log_columns="auto"`, which logs CPS1988\'s wage and '
        "credit_data's Income and Price, and floats rounded to their written "
        "decimals): wa_churn and Default from 08:44 to 08:59 UTC, the other "
        "three from 09:11, two processes on the 2 cores. The rows "
        "`discriminator_lr=4e-4` and `generator_lr=1e-4&discriminator_lr=4e-4` "
        "ran on 2026-12-06 from 10:04 to 10:20 UTC with the same defaults, two "
        "processes on the 2 cores (no `base` rerun: the runs are seeded and "
        "repeat); the rows `ema=0.999` from 10:52 to 11:03 UTC, the same way; "
        "credit_data's, Default's and CPS1988's "
        "`generator_lr=1e-4&discriminator_lr=4e-4` from 11:17 to 11:26 UTC, "
        "beside one other benchmark process. The rows "
        "`loss=wgan-gp&n_critic=5` (run as `loss=wgan-gp` when five critic "
        "steps were that loss's default on tables; three since 2026-12-07; "
        '"wgan-gp" is the default loss from 2026-12-06; `base` keeps '
        '`loss="bce"`, the default before) ran on 2026-12-06 from 12:36 to '
        "13:09 UTC with the same "
        "defaults, two processes on the 2 cores, as `base` did; they were "
        "rerun from 17:38 to 18:10 UTC, beside the new rows `loss=wgan-gp&n_critic=3`, "
        "the same way, with the fix of that day that draws each generated "
        "row's condition on a discrete column from the frequencies of its "
        "class (before, of the whole table; every other conditional row here "
        "ran before that fix). "
        "The other rows ran "
        "before the moment term's default weight went from 1 to 2 "
        "(2026-12-05), without the rounding: `moment_weight=2` is what the "
        "defaults then gave; on CPS1988 and credit_data `log_columns=None` and "
        "`moment_weight=2` and `=3` ran on 2026-12-05 with `log_columns` as "
        "now, their other rows before `log_columns` existed (encoding the "
        "long-tailed columns as they are, as `log_columns=None` does); on "
        'mlc_churn, wa_churn and Default (no column that `"auto"` logs) '
        "`moment_weight=1`, `=2` and `=3` ran on 2026-12-05, the others "
        "earlier.",
    ]
    for table in dict.fromkeys(row["table"] for row in summary):
        rows = [row for row in summary if row["table"] == table]
        lines += ["", f"## {table}", "", f"{rows[0]['epochs']} epochs, batch "
                  f"{rows[0]['batch']}.", ""]  # fmt: skip
        lines.append("| variant | seeds | " + " | ".join(m[1] for m in METRICS) + " |")
        lines.append("|---|---|" + "---|" * len(METRICS))
        for row in rows:
            cells = [
                f"{fmt.format(row[key])} +- {fmt.format(row[key + '_std'])}"
                for key, _, fmt in METRICS
            ]
            seeds = ",".join(map(str, row["seeds"]))
            lines.append(f"| {row['variant']} | {seeds} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", nargs="+", default=None, choices=sorted(TABLES))
    parser.add_argument("--seeds", type=int, nargs="+", default=None)
    parser.add_argument("--vary", nargs="*", default=[], metavar="NAME=V1,V2")
    parser.add_argument(
        "--no-reference",
        action="store_true",
        help="skip the base and unconditional variants (already in the file)",
    )
    parser.add_argument("--epochs", type=int, default=None)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--merge", action="store_true")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--render", action="store_true")
    args = parser.parse_args(argv)
    folder = results_folder(args.quick)
    if args.render:
        import json

        payload = json.loads((folder / f"{NAME}.json").read_text())
        write_results(
            NAME,
            payload,
            render(payload["summary"], payload["machine"], payload["runs"]),
            quick=args.quick,
            rst=True,
        )
        return
    pin_threads(1)
    tables = args.tables or (["mlc_churn"] if args.quick else list(TABLES))
    seeds = args.seeds or ([0] if args.quick else [0, 1, 2])
    variants = [] if args.no_reference else [("base", {}), ("unconditional", {})]
    variants += parse_variants(args.vary)
    runs = []
    for table in tables:
        epochs = args.epochs or (10 if args.quick else TABLES[table][4])
        for seed in seeds:
            for variant, params in variants:
                run = run_one(table, seed, variant, params, epochs, args.batch)
                figures = {key: round(run[key], 3) for key, _, _ in METRICS}
                print(table, seed, variant, figures, flush=True)
                runs.append(run)
    with results_lock(NAME, args.quick):
        if args.merge:
            runs = merge_runs(
                folder / f"{NAME}.json",
                runs,
                lambda r: (r["table"], r["seed"], r["variant"]),
                lambda r: (list(TABLES).index(r["table"]), r["variant"], r["seed"]),
            )
        summary = summarise(runs)
        payload = {"machine": machine(), "runs": runs, "summary": summary}
        table_md = render(summary, payload["machine"], runs)
        write_results(NAME, payload, table_md, quick=args.quick, rst=True)
    print(table_md)


if __name__ == "__main__":
    main()
