"""Fit time with torch's default threads against one thread, quiet and busy.

``n_jobs`` bounds torch's CPU threads during ``fit`` and scoring; its default
is 1. This script measures what that bound buys: the fit of
``AutoEncoderDetector`` and ``VAEDetector`` with default parameters (but
five epochs, a tenth of the default, which keeps the run short; time per
epoch is what the ratio compares) on dense synthetic data (15,000
rows, 30 features) with ``n_jobs=None`` (torch's own thread count, the
behaviour before the bound) and ``n_jobs=1``, on a quiet machine and beside
two processes that each keep a core busy, as other jobs on a shared machine
or other joblib workers do. All timings are taken in one run, interleaved,
so their ratios hold on a noisy machine.

Run from the repository root::

    python benchmarks/threads.py

``--quick`` is a smoke run on tiny data that prints the report instead of
writing ``benchmarks/results/threads.md``.
"""

import argparse
import os
import platform
import shlex
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The checkout's skfraud, not whatever copy happens to be installed.
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import torch  # noqa: E402

from skfraud import AutoEncoderDetector, VAEDetector  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
MODELS = {"AutoEncoderDetector": AutoEncoderDetector, "VAEDetector": VAEDetector}
N_JOBS = {"None (torch default)": None, "1 (default)": 1}
_BURN = "while True:\n    pass\n"


def _data(n_rows, n_features, seed=0):
    rng = np.random.default_rng(seed)
    latent = rng.normal(size=(n_rows, 5))
    mixing = rng.normal(size=(5, n_features))
    X = latent @ mixing + 0.1 * rng.normal(size=(n_rows, n_features))
    return ((X - X.min(0)) / (X.max(0) - X.min(0))).astype(np.float32)


def _fit_seconds(model, n_jobs, X, max_epochs):
    params = {"random_state": 0, "device": "cpu", "n_jobs": n_jobs}
    if max_epochs is not None:
        params["max_epochs"] = max_epochs
    start = time.perf_counter()
    MODELS[model](**params).fit(X)
    return time.perf_counter() - start


def _start_busy(n_processes):
    return [subprocess.Popen([sys.executable, "-c", _BURN]) for _ in range(n_processes)]


def _stop(processes):
    for process in processes:
        process.terminate()
    for process in processes:
        process.wait()


def run(X, max_epochs, n_busy):
    """``{(load, model, n_jobs label): seconds}``."""
    # A first tiny fit per model loads torch's kernels and starts its thread
    # pool, so that no timed cell pays for them.
    for model in MODELS:
        _fit_seconds(model, None, X[:256], 1)
    times = {}
    for load in ("quiet", f"beside {n_busy} busy processes"):
        busy = _start_busy(n_busy) if load != "quiet" else []
        try:
            if busy:
                time.sleep(1.0)  # let the burners reach full speed
            for model in MODELS:
                for label, n_jobs in N_JOBS.items():
                    times[load, model, label] = _fit_seconds(
                        model, n_jobs, X, max_epochs
                    )
                    print(
                        f"{load:>28} {model:>20} n_jobs={label:<22}"
                        f" {times[load, model, label]:7.2f} s",
                        flush=True,
                    )
        finally:
            _stop(busy)
    return times


def report(times, X, max_epochs, command):
    lines = [
        "# Fit time: torch's default threads against one thread",
        "",
        f"Command: `{command}`",
        "",
        f"Data: dense float32, {X.shape[0]:,} rows, {X.shape[1]} features "
        "(five latent factors plus noise, min-max scaled). Default detector "
        "parameters"
        + ("" if max_epochs is None else f" except max_epochs={max_epochs}")
        + ', `device="cpu"`, `random_state=0`; one fit per cell, all cells '
        "in one run.",
        "",
        f"Machine: {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} logical CPUs; torch {torch.__version__} uses "
        f"{torch.get_num_threads()} threads by default here.",
        "",
        "| load | detector | fit s, n_jobs=None | fit s, n_jobs=1 | None / 1 |",
        "|---|---|---|---|---|",
    ]
    loads = sorted({load for load, _, _ in times}, key=lambda load: load != "quiet")
    labels = list(N_JOBS)
    for load in loads:
        for model in MODELS:
            before = times[load, model, labels[0]]
            after = times[load, model, labels[1]]
            lines.append(
                f"| {load} | {model} | {before:.2f} | {after:.2f} | "
                f"{before / after:.2f}x |"
            )
    lines += [
        "",
        "A ratio above 1 means one thread fits faster than torch's default. "
        '"quiet" adds no load of its own; the machine may be shared. '
        "The busy processes each spin a core in a Python loop "
        "(`while True: pass`), as other jobs on a shared machine or other "
        "joblib workers would.",
        "",
    ]
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="tiny smoke run")
    parser.add_argument("--rows", type=int, default=15_000)
    parser.add_argument("--features", type=int, default=30)
    parser.add_argument("--busy", type=int, default=2, help="busy processes")
    parser.add_argument(
        "--max-epochs",
        type=int,
        default=5,
        help="epochs per fit (the detectors' default, 50, takes ten times longer "
        "for the same ratios)",
    )
    args = parser.parse_args(argv)
    rows, max_epochs = (500, 2) if args.quick else (args.rows, args.max_epochs)
    X = _data(rows, args.features)
    times = run(X, max_epochs, args.busy)
    command = shlex.join(["python", "benchmarks/threads.py", *(argv or sys.argv[1:])])
    text = report(times, X, max_epochs, command)
    if args.quick:
        print(text)
        return
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "threads.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
