"""Scoring throughput and memory on a Dask cluster against scoring in memory.

Two fitted models score the same generated rows three ways, side by side in
one run so that their ratios hold on a shared, noisy machine:

- in memory, in this process, with torch on one thread and on as many
  threads as the machine has cores;
- with :func:`skfraud.distributed.score_samples` on a ``LocalCluster`` of one
  worker and of two workers (processes, one thread each).

The repeats are interleaved across the four (both clusters stay up), so
that a burst of load from other processes hits each alike.

The models:

1. ``AutoEncoderDetector`` (default network) on 30 numeric float32 features;
2. ``make_pipeline(make_preprocessor(), AutoEncoderDetector())`` on the
   mixed-type rows of :func:`skfraud.datasets.make_transactions` (15
   columns, the categorical ones one-hot encoded; the report gives the
   encoded width).

The rows are generated partition by partition on the workers (as they would
be read from storage) and held there (``persist``) before the clock starts:
the timings are for scoring, from the graph to the scores back on the
client. The in-memory rows are the same partitions generated here. Every
run checks that the cluster's scores equal the in-memory scores bit for bit.

Each worker's resident memory is sampled every 5 ms: before scoring (the
worker with its share of the rows and the model) and its peak while
scoring; the difference is the scoring's working memory, which grows with
the partition size, not with the number of rows.

Run from the repository root (it needs the ``skfraud[dask]`` extra)::

    OMP_NUM_THREADS=1 python benchmarks/dask_scoring.py

``--rows`` and ``--partition-rows`` set the sizes; ``--quick`` is a smoke run
on small data that prints the report instead of writing
``benchmarks/results/dask.md``.
"""

import argparse
import contextlib
import os
import platform
import shlex
import sys
import threading
import time
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The checkout's skfraud, not whatever copy happens to be installed.
sys.path.insert(0, str(ROOT))

import dask  # noqa: E402
import dask.array as da  # noqa: E402
import dask.dataframe as dd  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import psutil  # noqa: E402
import torch  # noqa: E402
from distributed import Client, LocalCluster, wait  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402

import skfraud.distributed as sd  # noqa: E402
from skfraud import AutoEncoderDetector  # noqa: E402
from skfraud.datasets import make_transactions  # noqa: E402
from skfraud.preprocessing import make_preprocessor  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "dask.md"
# The report's reading and its estimate for larger runs are written by hand
# below this heading; a new run keeps them.
NOTES = "## Notes"
N_NUMERIC = 30
REPEATS = 3
MB = 2**20


# ---- data, generated partition by partition ---------------------------------


def numeric_partition(index, n_rows):
    rng = np.random.default_rng(index)
    return rng.normal(size=(n_rows, N_NUMERIC)).astype(np.float32)


def transactions_partition(index, n_rows):
    # Distinct seeds per partition; 1000 + index keeps them apart from the
    # training sample's seed.
    return make_transactions(n_samples=n_rows, random_state=1000 + index).data


def partition_sizes(n_rows, partition_rows):
    sizes = [partition_rows] * (n_rows // partition_rows)
    if n_rows % partition_rows:
        sizes.append(n_rows % partition_rows)
    return sizes


def numeric_collection(sizes):
    blocks = [
        da.from_delayed(
            dask.delayed(numeric_partition)(i, n), (n, N_NUMERIC), dtype=np.float32
        )
        for i, n in enumerate(sizes)
    ]
    return da.concatenate(blocks)


def transactions_collection(sizes):
    meta = transactions_partition(0, 10).iloc[:0]
    return dd.from_map(transactions_partition, range(len(sizes)), sizes, meta=meta)


# ---- worker memory ------------------------------------------------------------


def start_sampler(dask_worker):
    """Sample this worker's resident memory every 5 ms until stopped."""
    process = psutil.Process()
    state = {"peak": process.memory_info().rss, "stop": threading.Event()}
    state["before"] = state["peak"]

    def sample():
        while not state["stop"].wait(0.005):
            state["peak"] = max(state["peak"], process.memory_info().rss)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    dask_worker._scoring_memory = (state, thread)


def stop_sampler(dask_worker):
    state, thread = dask_worker._scoring_memory
    state["stop"].set()
    thread.join()
    return state["before"] / MB, state["peak"] / MB


# ---- timings ------------------------------------------------------------------


def timed(function):
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def score_in_memory(model, X, n_threads):
    previous = torch.get_num_threads()
    torch.set_num_threads(n_threads)
    try:
        return model.score_samples(X)
    finally:
        torch.set_num_threads(previous)


def benchmark(name, model, collection, X, n_rows, repeats):
    """Time every configuration, the repeats interleaved across them."""
    thread_counts = sorted({1, os.cpu_count() or 1})
    worker_counts = (1, 2)
    with contextlib.ExitStack() as stack:
        clients, held = {}, {}
        for n_workers in worker_counts:
            cluster = stack.enter_context(
                LocalCluster(
                    n_workers=n_workers,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                    memory_limit=None,
                )
            )
            client = stack.enter_context(Client(cluster, set_as_default=False))
            clients[n_workers] = client
            held[n_workers] = client.persist(collection)
            with client.as_current():
                wait(held[n_workers])
        expected = score_in_memory(model, X, 1)
        for n_workers, client in clients.items():
            # One untimed pass: the workers import torch and skfraud and
            # receive the model, as they would once per day.
            scores = client.compute(sd.score_samples(model, held[n_workers])).result()
            if not np.array_equal(np.asarray(scores), expected):
                raise AssertionError(f"{n_workers}-worker scores differ from memory")
            client.run(start_sampler)
        times = {}
        for _ in range(repeats):
            for n_threads in thread_counts:
                seconds, _ = timed(lambda n=n_threads: score_in_memory(model, X, n))
                times.setdefault(("memory", n_threads), []).append(seconds)
            for n_workers, client in clients.items():
                scores = sd.score_samples(model, held[n_workers])
                seconds, _ = timed(lambda c=client, s=scores: c.compute(s).result())
                times.setdefault(("cluster", n_workers), []).append(seconds)
        memory = {n: client.run(stop_sampler) for n, client in clients.items()}
    rows = []
    for (where, count), seconds in times.items():
        row = {
            "data": name,
            "where": f"in memory, torch on {count} thread(s)"
            if where == "memory"
            else f"LocalCluster, {count} worker(s) x 1 thread",
            "seconds": float(np.median(seconds)),
            "range": (min(seconds), max(seconds)),
            "rows_per_s": n_rows / float(np.median(seconds)),
        }
        if where == "cluster":
            row["before_mb"] = [before for before, _ in memory[count].values()]
            row["peak_mb"] = [peak for _, peak in memory[count].values()]
        rows.append(row)
        print(row, flush=True)
    return rows


def report(rows, args, sizes, started, elapsed, loads):
    versions = ", ".join(
        f"{name} {metadata.version(name)}"
        for name in ("torch", "scikit-learn", "dask", "distributed", "pandas")
    )
    command = "OMP_NUM_THREADS=1 python benchmarks/dask_scoring.py"
    extra = [a for a in sys.argv[1:] if a != "--quick"]
    if extra:
        command += " " + shlex.join(extra)
    lines = [
        "# Scoring on a Dask cluster",
        "",
        f"Command: `{command}`",
        "",
        f"Machine: {os.cpu_count()} CPUs, "
        f"{psutil.virtual_memory().total / 2**30:.0f} GiB RAM, Python "
        f"{platform.python_version()}; {versions}. Load average "
        f"{loads[0]:.1f} at the start and {loads[1]:.1f} at the end (the machine "
        f"is shared); run started {started}, took {elapsed / 60:.1f} min.",
        "",
        f"{args.rows:,} rows in {len(sizes)} partitions of "
        f"{args.partition_rows:,} rows. Time of `score_samples` from the call "
        "to the scores in this process (for the cluster: the rows already "
        "held by the workers, the graph built, the scores gathered), median "
        f"of {args.repeats} repeats interleaved across the four [min-max]. The "
        "cluster's scores equal the in-memory scores bit for bit in every "
        "run. Memory: each worker's "
        "resident set before scoring (with its rows and the model) and its "
        "peak while scoring.",
        "",
    ]
    for name in dict.fromkeys(row["data"] for row in rows):
        group = [row for row in rows if row["data"] == name]
        reference = group[0]["rows_per_s"]
        lines += [
            f"## {name}",
            "",
            "| where | seconds | rows / s | vs in memory, 1 thread "
            "| worker memory before -> peak (MiB) |",
            "|---|---|---|---|---|",
        ]
        for row in group:
            low, high = row["range"]
            memory = ""
            if "peak_mb" in row:
                memory = "; ".join(
                    f"{b:,.0f} -> {p:,.0f} (+{p - b:,.0f})"
                    for b, p in zip(row["before_mb"], row["peak_mb"], strict=True)
                )
            lines.append(
                f"| {row['where']} | {row['seconds']:.2f} [{low:.2f}-{high:.2f}] "
                f"| {row['rows_per_s']:,.0f} | {row['rows_per_s'] / reference:.2f}x "
                f"| {memory} |"
            )
        lines.append("")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--partition-rows", type=int, default=100_000)
    parser.add_argument("--train-rows", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=REPEATS)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    if args.quick:
        args.rows, args.partition_rows, args.train_rows = 20_000, 5_000, 2_000
        args.repeats = 1
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    start, load_start = time.perf_counter(), os.getloadavg()[0]
    sizes = partition_sizes(args.rows, args.partition_rows)

    torch.set_num_threads(1)
    train = np.random.default_rng(10**6).normal(size=(args.train_rows, N_NUMERIC))
    numeric_model = AutoEncoderDetector(max_epochs=3, random_state=0).fit(
        train.astype(np.float32)
    )
    numeric_X = np.concatenate([numeric_partition(i, n) for i, n in enumerate(sizes)])
    rows = benchmark(
        f"{N_NUMERIC} numeric features, AutoEncoderDetector",
        numeric_model,
        numeric_collection(sizes),
        numeric_X,
        args.rows,
        args.repeats,
    )
    del numeric_X

    sample = make_transactions(n_samples=args.train_rows, random_state=0).data
    pipeline = make_pipeline(
        make_preprocessor(), AutoEncoderDetector(max_epochs=3, random_state=0)
    ).fit(sample)
    n_encoded = pipeline[-1].n_features_in_
    transactions_X = pd.concat(
        [transactions_partition(i, n) for i, n in enumerate(sizes)],
        ignore_index=True,
    )
    rows += benchmark(
        f"make_transactions ({sample.shape[1]} mixed-type columns, {n_encoded} "
        "encoded), make_preprocessor() + AutoEncoderDetector",
        pipeline,
        transactions_collection(sizes),
        transactions_X,
        args.rows,
        args.repeats,
    )
    text = report(
        rows,
        args,
        sizes,
        started,
        time.perf_counter() - start,
        (load_start, os.getloadavg()[0]),
    )
    if args.quick:
        print(text)
    else:
        RESULTS.write_text(text + _kept_notes(), encoding="utf-8")
        print(f"wrote {RESULTS}")


def _kept_notes():
    """The hand-written notes of the previous report, from ``## Notes`` on."""
    if not RESULTS.exists():
        return ""
    previous = RESULTS.read_text(encoding="utf-8")
    start = previous.find(NOTES)
    return "\n" + previous[start:] if start >= 0 else ""


if __name__ == "__main__":
    main()
