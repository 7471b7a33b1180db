"""The ``gansynth`` command line."""

from __future__ import annotations

import argparse
import sys

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gansynth", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser(
        "demo", help="fit TabularGAN on a real churn table and print its quality"
    )
    demo.add_argument("--out", default="demo-output", help="folder for the outputs")
    demo.add_argument("--epochs", type=int, default=100, help="epochs (default: 100)")
    ring = sub.add_parser(
        "ring", help="train every loss on the ring of 8 Gaussians and compare"
    )
    ring.add_argument("--out", default="demo-output", help="folder for the PNGs")
    ring.add_argument(
        "--seeds", type=int, nargs="+", default=[0], help="seeds to run (default: 0)"
    )
    ring.add_argument(
        "--losses", nargs="+", default=None, help="losses to run (default: all six)"
    )
    ring.add_argument(
        "--epochs",
        type=int,
        default=None,
        help="override the epochs of every loss (default: the tuned budget)",
    )
    from .cli_scale import add_commands

    add_commands(sub)
    for command in (demo, ring, *(sub.choices[c] for c in ("fit", "sample"))):
        command.add_argument(
            "--threads",
            type=int,
            default=1,
            help="torch threads; 1 is fastest for these small networks on shared "
            "machines (default: 1)",
        )
    for command in (sub.choices["fit"], sub.choices["sample"]):
        command.add_argument(
            "--traceback",
            action="store_true",
            help="on an error in the input or the files, show Python's traceback "
            "instead of the message alone",
        )
    return parser


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    from .utils.devices import set_thread_count

    threads = set_thread_count(args.threads)
    if args.command in ("fit", "sample"):
        from .cli_scale import run_fit, run_sample

        try:
            return (run_fit if args.command == "fit" else run_sample)(args)
        except (ValueError, OSError) as exc:  # bad input, a missing or taken path
            if args.traceback:
                raise
            print(f"gansynth {args.command}: error: {exc}", file=sys.stderr)
            return 2
    if args.command == "demo":
        from .table_demo import run_table_demo

        print(f"gansynth demo: TabularGAN on mlc_churn, torch threads = {threads}")
        run_table_demo(args.out, epochs=args.epochs)
        print(f"\nMarginals and the full report written to {args.out}/")
        return 0
    from .demo import RING_SETTINGS, run_demo

    if args.losses:
        unknown = sorted(set(args.losses) - set(RING_SETTINGS))
        if unknown:
            print(
                f"gansynth ring: unknown loss {unknown}; choose from "
                f"{sorted(RING_SETTINGS)}",
                file=sys.stderr,
            )
            return 2
    print(f"gansynth ring: ring of 8 Gaussians, torch threads = {threads}")
    overrides = {} if args.epochs is None else {"epochs": args.epochs}
    run_demo(args.out, seeds=args.seeds, losses=args.losses, **overrides)
    print(f"\nPictures written to {args.out}/")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
