"""Trainer speed: optimizer steps per second per loss and batch size.

Protocol: a 100,000 x 32 numeric table (standard normal; speed does not depend
on the values), TabularGAN's default networks (MLPs 128-128, latent 32), every
loss at batch sizes 256 and 4096, on the CPU with one torch thread and on CUDA
when present. Each configuration runs a warm-up, then ``--steps`` generator
steps (each after ``n_critic`` critic steps), repeated ``--repeats`` times;
we report generator steps/s and all optimizer steps/s (critic + generator),
mean and standard deviation.

Baseline, in the same run: a bare PyTorch loop with the same networks, data on
the device, BCE and Adam, and nothing else (no EMA, no diagnostics, no
callbacks, one ``.item()`` per step as typical training scripts log). The
ratio trainer / bare loop is the cost of the trainer's machinery.

Run: ``python benchmarks/trainer_speed.py`` (or ``make bench``); ``--quick``
for a short run. Writes ``benchmarks/results/trainer_speed.{json,md}``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import cpu_label, machine, mean_std, pin_threads, write_results


def build_networks(n_features, device, seed):
    """TabularGAN's default networks for ``n_features`` numeric columns."""
    import torch

    from gansynth.modalities import Block, EncodedSpec, NumericModality

    torch.manual_seed(seed)
    spec = EncodedSpec(
        tuple(Block(f"x{i}", "continuous", 1) for i in range(n_features))
    )
    modality = NumericModality()
    G = modality.build_generator(32, spec, 0).to(device)
    D = modality.build_discriminator(spec, 0).to(device)
    return G, D


def run_one(loss_name, batch, device, steps, data, seed):
    import torch

    from gansynth.training import AdversarialTrainer, TrainerConfig, get_loss

    G, D = build_networks(data.shape[1], device, seed)
    loss = get_loss(loss_name)
    n_critic = loss.default_n_critic
    config = TrainerConfig(
        epochs=1,
        batch_size=batch,
        latent_dim=32,
        n_critic=n_critic,
        steps_per_epoch=steps,
        betas=loss.default_betas,
    )
    warm = AdversarialTrainer(
        G, D, loss, TrainerConfig(**{**config.__dict__, "steps_per_epoch": 3})
    )
    warm.fit(data)
    trainer = AdversarialTrainer(G, D, loss, config)
    if device.type == "cuda":
        torch.cuda.synchronize()
    start = time.perf_counter()
    trainer.fit(data)  # reads the history once at the end: synchronises
    seconds = time.perf_counter() - start
    return steps / seconds, steps * (n_critic + 1) / seconds


def run_bare_loop(batch, device, steps, data, seed):
    """The baseline: a minimal non-saturating BCE loop with the same networks."""
    import torch
    import torch.nn.functional as F

    G, D = build_networks(data.shape[1], device, seed)
    opt_g = torch.optim.Adam(G.parameters(), lr=2e-4, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999))
    n = data.shape[0]

    def step():
        real = data[torch.randint(n, (batch,), device=device)]
        fake = G(torch.randn(batch, 32, device=device))
        d_loss = F.softplus(-D(real)).mean() + F.softplus(D(fake.detach())).mean()
        opt_d.zero_grad()
        d_loss.backward()
        opt_d.step()
        g_loss = F.softplus(-D(fake)).mean()
        opt_g.zero_grad()
        g_loss.backward()
        opt_g.step()
        return d_loss.item() + g_loss.item()

    for _ in range(3):
        step()
    if device.type == "cuda":
        torch.cuda.synchronize()
    start = time.perf_counter()
    for _ in range(steps):
        step()
    seconds = time.perf_counter() - start
    return steps / seconds, 2 * steps / seconds


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="few steps, 2 repeats")
    parser.add_argument("--steps", type=int, default=None)
    parser.add_argument("--repeats", type=int, default=None)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args(argv)
    threads = pin_threads(args.threads)

    import torch
    from tqdm.auto import tqdm

    from gansynth.training import LOSSES

    steps = args.steps or (20 if args.quick else 100)
    repeats = args.repeats or (2 if args.quick else 3)
    devices = [torch.device("cpu")]
    if torch.cuda.is_available():
        devices.append(torch.device("cuda"))
    generator = torch.Generator().manual_seed(0)
    table = torch.randn(100_000, 32, generator=generator)

    rows = []
    methods = ["bare loop (bce)", *LOSSES]
    configs = [(d, m, b) for d in devices for m in methods for b in (256, 4096)]
    for device, loss, batch in tqdm(configs, desc="trainer speed"):
        data = table.to(device)
        if loss in LOSSES:
            runs = [
                run_one(loss, batch, device, steps, data, seed)
                for seed in range(repeats)
            ]
        else:
            runs = [
                run_bare_loop(batch, device, steps, data, seed)
                for seed in range(repeats)
            ]
        g_mean, g_std = mean_std(r[0] for r in runs)
        o_mean, o_std = mean_std(r[1] for r in runs)
        rows.append(
            {
                "device": device.type,
                "loss": loss,
                "batch_size": batch,
                "generator_steps_per_s": g_mean,
                "generator_steps_per_s_std": g_std,
                "optimizer_steps_per_s": o_mean,
                "optimizer_steps_per_s_std": o_std,
                "rows_per_s": o_mean * batch,
                "runs": runs,
            }
        )

    info = machine()
    lines = [
        "# Trainer speed",
        "",
        f"100,000 x 32 table, MLPs 128-128, latent 32; {steps} generator steps x "
        f"{repeats} repeats; torch threads = {threads}; "
        f"{cpu_label(info)}, {info['cpu_count']} cores, torch {info['torch']}"
        + (f"; GPU: {info['cuda']}" if info["cuda"] else "; no GPU"),
        "",
        "| device | loss | batch | generator steps/s | optimizer steps/s | rows/s |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['device']} | {r['loss']} | {r['batch_size']} | "
            f"{r['generator_steps_per_s']:.1f} +- "
            f"{r['generator_steps_per_s_std']:.1f} | "
            f"{r['optimizer_steps_per_s']:.1f} +- "
            f"{r['optimizer_steps_per_s_std']:.1f} | "
            f"{r['rows_per_s']:,.0f} |"
        )
    bare = {
        (r["device"], r["batch_size"]): r["optimizer_steps_per_s"]
        for r in rows
        if r["loss"] not in LOSSES
    }
    lines += [
        "",
        "Trainer vs bare loop, BCE (optimizer steps/s ratio, >1: the trainer is "
        "faster):",
        "",
    ]
    for r in rows:
        if r["loss"] == "bce":
            ratio = r["optimizer_steps_per_s"] / bare[(r["device"], r["batch_size"])]
            r["ratio_to_bare_loop"] = ratio
            lines.append(f"- {r['device']}, batch {r['batch_size']}: {ratio:.2f}")
    table_md = "\n".join(lines)
    out = write_results(
        "trainer_speed",
        {"machine": info, "steps": steps, "repeats": repeats, "results": rows},
        table_md,
        quick=args.quick,
    )
    print(table_md)
    print(f"\nwritten to {out}/trainer_speed.(json|md)")


if __name__ == "__main__":
    main()
