"""KNNDetector with a subsampled index against the exact one, on larger sets.

The suite caps every set at 2,000 rows, below any ``max_samples`` worth
using; this compares ``max_samples`` on the suite's sets of more than
15,000 rows, each subsampled to 30,000 rows (stratified), through
:func:`skfraud.benchmark.run_benchmark` (its split and preprocessing),
clean and contaminated training, 2 seeds. It reports the mean test AUPRC
and the fit + scoring time relative to the exact index in the same run
(the harness times ``fit`` and the scoring of every row). The records go
to OUT.csv beside OUT.md.

Usage (SKFRAUD_DATA as for ``skfraud benchmark``)::

    OMP_NUM_THREADS=1 python benchmarks/knn_max_samples.py OUT.md

``--datasets``, ``--seeds`` and ``--max-rows`` choose a smaller run.
"""

import argparse
import sys

from skfraud import KNNDetector
from skfraud.benchmark import ModelSpec, run_benchmark

SETS = ("1_ALOI", "8_celeba", "22_magic.gamma", "33_skin", "vehicle", "kdd")
MAX_ROWS = 30_000
SEEDS = 2
SETTINGS = (2_000, 10_000, None)


def knn_spec(max_samples):
    def build(random_state, n_features, protocol):
        return KNNDetector(max_samples=max_samples, random_state=random_state)

    # "peer": the harness fits it on the rows the protocol trains on (the
    # normal ones under clean), as it fits IsolationForest; KNNDetector
    # has no train_on.
    return ModelSpec(
        f"KNNDetector(max_samples={max_samples})",
        "peer",
        build,
        protocols=frozenset({"clean", "unsupervised"}),
        epochs_param=None,
        details=lambda model: {"max_samples": str(model.max_samples)},
    )


def records(datasets, seeds, max_rows):
    result = run_benchmark(
        datasets=datasets,
        protocols=("clean", "unsupervised"),
        detectors=[],
        peers=[],
        extra_models=[knn_spec(setting) for setting in SETTINGS],
        seeds=seeds,
        max_rows=max_rows,
        progress=False,
    )
    table = result.records
    seconds = table["fit_seconds"] + table["n_rows"] / table["score_rows_per_second"]
    return table.assign(seconds=seconds, **{"training rows": table["n_fit"]})


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", help="the report, OUT.md")
    parser.add_argument("--datasets", nargs="+", default=list(SETS))
    parser.add_argument("--seeds", type=int, default=SEEDS)
    parser.add_argument("--max-rows", type=int, default=MAX_ROWS)
    args = parser.parse_args(argv)
    table = records(args.datasets, args.seeds, args.max_rows)
    table.to_csv(args.output.removesuffix(".md") + ".csv", index=False)
    per_set = table.groupby(["protocol", "dataset", "max_samples"])[
        ["auprc", "seconds", "training rows"]
    ].mean()
    auprc = per_set["auprc"].unstack("max_samples").round(3)
    seconds = per_set["seconds"].unstack("max_samples")
    time_ratio = seconds.div(seconds["None"], axis=0).round(2)
    rows = per_set["training rows"].unstack("max_samples")["None"].astype(int)
    rows = rows.rename("training rows")
    with open(args.output, "w") as f:
        f.write("# KNNDetector: subsampled index against the exact one\n\n")
        f.write(f"Command: `{' '.join(['python', *sys.argv])}`\n\n")
        f.write("## Mean test AUPRC over seeds (columns: max_samples)\n\n")
        f.write(auprc.join(rows).to_markdown() + "\n\n")
        f.write("## Fit + scoring time, relative to the exact index\n\n")
        f.write(time_ratio.to_markdown() + "\n")


if __name__ == "__main__":
    main()
