"""KNNDetector with a subsampled index against the exact one, on larger sets.

The suite caps every set at 2,000 rows, below any ``max_samples`` worth
using; this compares ``max_samples`` on the suite's sets of more than
15,000 rows, each subsampled to 30,000 rows (stratified), with the harness's
split and preprocessing, clean and contaminated training, 2 seeds. It
reports the mean test AUPRC and the fit + scoring time relative to the
exact index in the same run. The records go to OUT.csv beside OUT.md.

Usage (SKFRAUD_DATA as for skfraud benchmark):
    OMP_NUM_THREADS=1 python benchmarks/knn_max_samples.py OUT.md
"""

import sys
import time

import pandas as pd
from sklearn.metrics import average_precision_score

from skfraud import KNNDetector
from skfraud.benchmark._datasets import load_dataset, take_rows
from skfraud.benchmark._protocols import PROTOCOLS, subsample
from skfraud.benchmark._runner import _prepare

SETS = ("1_ALOI", "8_celeba", "22_magic.gamma", "33_skin", "vehicle", "kdd")
MAX_ROWS = 30_000
SEEDS = (0, 1)
SETTINGS = (2_000, 10_000, None)


def _records():
    for dataset in SETS:
        X_all, y_all = load_dataset(dataset, None)
        for seed in SEEDS:
            rows = subsample(y_all, MAX_ROWS, seed)
            for protocol in ("clean", "unsupervised"):
                X, y, split, _ = _prepare(
                    dataset,
                    take_rows(X_all, rows),
                    y_all[rows],
                    seed,
                    PROTOCOLS[protocol],
                )
                for max_samples in SETTINGS:
                    start = time.perf_counter()
                    detector = KNNDetector(max_samples=max_samples, random_state=seed)
                    detector.fit(X[split.fit_rows])
                    scores = -detector.score_samples(X[split.test])
                    yield {
                        "dataset": dataset,
                        "protocol": protocol,
                        "seed": seed,
                        "max_samples": str(max_samples),
                        "training rows": len(split.fit_rows),
                        "auprc": average_precision_score(y[split.test], scores),
                        "seconds": time.perf_counter() - start,
                    }


def main(path):
    table = pd.DataFrame(_records())
    table.to_csv(path.removesuffix(".md") + ".csv", index=False)
    per_set = table.groupby(["protocol", "dataset", "max_samples"])[
        ["auprc", "seconds", "training rows"]
    ].mean()
    auprc = per_set["auprc"].unstack("max_samples").round(3)
    seconds = per_set["seconds"].unstack("max_samples")
    time_ratio = seconds.div(seconds["None"], axis=0).round(2)
    rows = per_set["training rows"].unstack("max_samples")["None"].astype(int)
    rows = rows.rename("training rows")
    with open(path, "w") as f:
        f.write("# KNNDetector: subsampled index against the exact one\n\n")
        f.write(f"Command: `{' '.join(['python', *sys.argv])}`\n\n")
        f.write("## Mean test AUPRC over seeds (columns: max_samples)\n\n")
        f.write(auprc.join(rows).to_markdown() + "\n\n")
        f.write("## Fit + scoring time, relative to the exact index\n\n")
        f.write(time_ratio.to_markdown() + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
