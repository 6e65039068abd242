"""File size, save time and load time of model files against pickle.

Every detector that ``skfraud.io`` can store is fitted with its default
parameters on synthetic transactions, inside the recommended
``make_pipeline(make_preprocessor(), detector)``, then stored both ways:

- ``skfraud.io.save`` / ``skfraud.io.load`` (zip of JSON, safetensors and
  skops);
- ``pickle.dumps`` / ``pickle.loads`` (protocol 5, what joblib writes too).

Both are timed in memory (bytes in, bytes out), so that the disk does not
blur the comparison; each timing is the median of ``--repeats`` runs,
interleaved between the two formats. The loaded models must score the rows
exactly as the fitted ones do, or the run fails.

Run from the repository root::

    OMP_NUM_THREADS=1 python benchmarks/io_size.py

``--quick`` is a smoke run on tiny data that prints the report instead of
writing ``benchmarks/results/io.md``.
"""

import argparse
import io
import os
import pickle
import platform
import shlex
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The checkout's skfraud, not whatever copy happens to be installed.
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import sklearn  # noqa: E402
import torch  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402

import skfraud  # noqa: E402
from skfraud.datasets import make_transactions  # noqa: E402
from skfraud.io import load, save  # noqa: E402
from skfraud.preprocessing import make_preprocessor  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "io.md"
#: The deep detectors, whose networks a model file stores as weights
#: (KNNDetector holds none).
DETECTORS = {
    name: getattr(skfraud, name) for name in skfraud.__all__ if name != "KNNDetector"
}


def _io_save(model):
    buffer = io.BytesIO()
    save(model, buffer)
    return buffer.getvalue()


FORMATS = {
    "skfraud.io": (_io_save, load),
    "pickle": (lambda model: pickle.dumps(model, protocol=5), pickle.loads),
}


def _seconds(function, argument):
    start = time.perf_counter()
    function(argument)
    return time.perf_counter() - start


def measure(name, model, X, repeats):
    """One row per format: size, median save and load times, a score check."""
    expected = model.score_samples(X)
    files = {}
    for format_name, (dump, restore) in FORMATS.items():
        files[format_name] = dump(model)
        loaded = restore(files[format_name])
        if not np.array_equal(loaded.score_samples(X), expected):
            raise AssertionError(f"{name} loaded from {format_name} scores differently")
    times = {format_name: {"save": [], "load": []} for format_name in FORMATS}
    # Interleaved, so that a burst of load from other processes hits both.
    for _ in range(repeats):
        for format_name, (dump, restore) in FORMATS.items():
            times[format_name]["save"].append(_seconds(dump, model))
            times[format_name]["load"].append(_seconds(restore, files[format_name]))
    return [
        {
            "detector": name,
            "format": format_name,
            "bytes": len(files[format_name]),
            "save_s": float(np.median(times[format_name]["save"])),
            "load_s": float(np.median(times[format_name]["load"])),
        }
        for format_name in FORMATS
    ]


def report(rows, n_rows, command, elapsed, load_average):
    lines = [
        "# Model files: size and load time against pickle",
        "",
        f"Command: `{command}`",
        "",
        f"Machine: {os.cpu_count()} CPUs, Python {platform.python_version()}; "
        f"torch {torch.__version__}, scikit-learn {sklearn.__version__}, "
        f"torch threads {torch.get_num_threads()}. Load average "
        f"{load_average[0]:.1f} at the start and {os.getloadavg()[0]:.1f} at the "
        f"end (the machine is shared); whole run {elapsed / 60:.1f} min.",
        "",
        "Each model is `make_pipeline(make_preprocessor(), detector)` with the "
        f"detector's default parameters, fitted on {n_rows:,} synthetic "
        "transactions (`make_transactions`, 15 mixed-type columns, 43 after "
        "one-hot encoding). Save and load run in memory (bytes in, bytes "
        "out); times are medians. Every loaded model scores the rows "
        "bit-identically to the fitted one.",
        "",
        "| detector | skfraud.io KiB | pickle KiB | size ratio | "
        "skfraud.io save ms | pickle save ms | skfraud.io load ms | "
        "pickle load ms | load ratio |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    by_detector = {}
    for row in rows:
        by_detector.setdefault(row["detector"], {})[row["format"]] = row
    for name, formats in by_detector.items():
        safe, pickled = formats["skfraud.io"], formats["pickle"]
        lines.append(
            f"| {name} | {safe['bytes'] / 1024:.1f} | {pickled['bytes'] / 1024:.1f} "
            f"| {safe['bytes'] / pickled['bytes']:.2f}x "
            f"| {safe['save_s'] * 1e3:.1f} | {pickled['save_s'] * 1e3:.1f} "
            f"| {safe['load_s'] * 1e3:.1f} | {pickled['load_s'] * 1e3:.1f} "
            f"| {safe['load_s'] / pickled['load_s']:.2f}x |"
        )
    lines += [
        "",
        "Model files are smaller because they hold what scoring needs: "
        "the pickle also carries the optimizer's state (Adam's two moments per "
        "weight, about twice the weights) and the training history "
        "uncompressed, which a model file stores as deflated JSON.",
        "",
        "Ratios are skfraud.io over pickle. Loading a model file rebuilds the "
        "network from the parameters, checks every tensor and reads the "
        "scikit-learn steps through skops, which checks every type before "
        "it builds anything; unpickling restores objects directly (and may run "
        "any code the file holds).",
        "",
    ]
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument(
        "--quick", action="store_true", help="tiny smoke run; print, do not write"
    )
    args = parser.parse_args(argv)
    n_rows, repeats = (500, 3) if args.quick else (args.rows, args.repeats)
    start, load_average = time.perf_counter(), os.getloadavg()
    X, y = make_transactions(n_rows, random_state=0, return_X_y=True)
    rows = []
    for name, cls in sorted(DETECTORS.items()):
        params = {"random_state": 0, "device": "cpu"}
        if args.quick:
            params["max_epochs"] = 2
        model = make_pipeline(make_preprocessor(), cls(**params)).fit(X, y)
        rows += measure(name, model, X, repeats)
        print(f"{name}: done", file=sys.stderr)
    command = "OMP_NUM_THREADS=1 python benchmarks/io_size.py " + shlex.join(
        argv if argv is not None else sys.argv[1:]
    )
    text = report(
        rows, n_rows, command.strip(), time.perf_counter() - start, load_average
    )
    if args.quick:
        print(text)
    else:
        RESULTS.write_text(text, encoding="utf-8")
        print(f"wrote {RESULTS}", file=sys.stderr)


if __name__ == "__main__":
    main()
