"""``skfraud demo`` over several seeds of the transaction generator.

Runs :func:`skfraud.demo.run_demo` as ``skfraud demo`` does (20,000
transactions, 30 confirmed frauds, every model at its defaults) for each
seed and writes the table of each model's AUPRC, ROC-AUC, recall at a 1 %
alert budget and fit seconds, seed by seed and averaged, to
``benchmarks/results/demo_seeds.md``.

    python benchmarks/demo_seeds.py            # seeds 0, 1, 2
    python benchmarks/demo_seeds.py --quick    # 2,000 transactions, seed 0, prints only
"""

import argparse
import platform
import shlex
import sys
from pathlib import Path

import numpy as np
import torch

from skfraud.demo import run_demo

RESULTS = Path(__file__).resolve().parent / "results" / "demo_seeds.md"
COLUMNS = ("auprc", "roc_auc", "recall_at_1pct", "fit_seconds")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    n_samples, seeds = (2000, [0]) if args.quick else (20000, args.seeds)
    runs = {}
    for seed in seeds:
        results, _, _ = run_demo(n_samples=n_samples, random_state=seed, plot=False)
        for row in results:
            runs.setdefault((row["detector"], row["labels"]), []).append(row)
        print(f"seed {seed} done", file=sys.stderr)
    text = _report(runs, seeds, n_samples, argv)
    print(text)
    if not args.quick:
        RESULTS.write_text(text + "\n")


def _report(runs, seeds, n_samples, argv):
    command = shlex.join(
        ["python", "benchmarks/demo_seeds.py", *(argv or sys.argv[1:])]
    )
    lines = [
        "# `skfraud demo` over seeds of the transaction generator",
        "",
        f"Command: `{command}`",
        "",
        f"Machine: {platform.processor() or platform.machine()}, "
        f"{torch.get_num_threads()} torch thread(s) available; Python "
        f"{platform.python_version()}, torch {torch.__version__}.",
        "",
        f"Each seed generates {n_samples:,} transactions, splits them 70/30 "
        "(stratified), labels 30 of the training frauds for the few-label act "
        "and fits every model at its defaults, as `skfraud demo "
        "--random-state SEED` does. Fit seconds are wall-clock on this "
        "machine; compare them only within the table.",
        "",
        "| model | labels | "
        + " | ".join(f"AUPRC seed {seed}" for seed in seeds)
        + " | mean AUPRC | mean ROC-AUC | mean recall at 1 % | mean fit s |",
        "|---|---|" + "---|" * (len(seeds) + 4),
    ]
    for (name, labels), rows in runs.items():
        per_seed = " | ".join(f"{row['auprc']:.3f}" for row in rows)
        means = [np.mean([row[column] for row in rows]) for column in COLUMNS]
        lines.append(
            f"| {name} | {labels} | {per_seed} | {means[0]:.3f} | {means[1]:.3f} "
            f"| {means[2]:.3f} | {means[3]:.1f} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
