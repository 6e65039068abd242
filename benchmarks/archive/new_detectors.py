"""DTEDetector and DeepSVDDDetector against IsolationForest and kNN on
small and medium ADBench sets, under the clean and unsupervised protocols.

Archived: the first look at DTEDetector and DeepSVDDDetector, with its own
loader and evaluation loop, before they joined the suite of ``skfraud
benchmark --suite adbench``. Its records are
``benchmarks/archive/results/new_detectors.md`` and
``benchmarks/results/new_detectors_defaults.md`` (which the detectors'
docstrings cite); ``benchmarks/README.md`` says how to reproduce them. The
variant ``DeepSVDD[no standardisation]`` of the second record switched off a
private class attribute that DeepSVDDDetector no longer has, and is left
out here.

For every data set and seed: at most ``--max-rows`` rows (stratified
subsample), a stratified 70/30 split, min-max scaling fitted on the training
part. Clean: the detector trains on the normal rows of the training part;
unsupervised: on all of it, labels unused. The test part is ranked by anomaly
score and scored with AUPRC (average precision, anomaly = positive) and
ROC-AUC. kNN is the mean distance to the 5 nearest training rows.

Model variants named ``DTE[...]`` check DTE's training budget against the
paper's.

Run from the repository root::

    OMP_NUM_THREADS=1 PYTHONPATH=. python benchmarks/archive/new_detectors.py

It writes ``new_detectors.csv`` (one row per data set, protocol, model and
seed) and ``new_detectors.md`` in ``benchmarks/archive/results/``.
"""

import argparse
import shlex
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.ensemble import IsolationForest
from sklearn.metrics import average_precision_score, roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.neighbors import NearestNeighbors
from sklearn.preprocessing import MinMaxScaler

from skfraud import DeepSVDDDetector, DTEDetector

DATA = Path("/work/shared/data/adbench")
DATASETS = (
    "4_breastw",
    "14_glass",
    "18_Ionosphere",
    "20_letter",
    "21_Lymphography",
    "29_Pima",
    "37_Stamps",
    "40_vowels",
    "42_WBC",
    "43_WDBC",
)
RESULTS = Path(__file__).parent / "results"


class MeanKNN:
    """Anomaly score: mean distance to the ``k`` nearest training rows."""

    def __init__(self, k=5):
        self.k = k

    def fit(self, X):
        self.neighbours_ = NearestNeighbors(n_neighbors=self.k).fit(X)
        return self

    def score_samples(self, X):
        distances, _ = self.neighbours_.kneighbors(X)
        return -distances.mean(axis=1)


def _builders(seed):
    common = {"random_state": seed, "device": "cpu"}
    return {
        "IsolationForest": lambda: IsolationForest(random_state=seed),
        "kNN": MeanKNN,
        "DTEDetector": lambda: DTEDetector(**common),
        "DTE[paper budget]": lambda: DTEDetector(
            max_epochs=400, batch_size=64, lr=1e-4, **common
        ),
        "DTE[100 epochs]": lambda: DTEDetector(
            max_epochs=100, batch_size=64, lr=1e-4, **common
        ),
        "DTE[50 epochs, lr 1e-3]": lambda: DTEDetector(
            max_epochs=50, batch_size=64, lr=1e-3, **common
        ),
        "DeepSVDDDetector": lambda: DeepSVDDDetector(**common),
    }


def load(name, max_rows, seed):
    data = np.load(DATA / f"{name}.npz")
    X, y = data["X"].astype(np.float64), data["y"].astype(int)
    if len(y) > max_rows:
        X, _, y, _ = train_test_split(
            X, y, train_size=max_rows, stratify=y, random_state=seed
        )
    return X, y


def run_one(model, X_train, X_test, y_test):
    start = time.perf_counter()
    model.fit(X_train)
    anomaly = -model.score_samples(X_test)
    return {
        "auprc": average_precision_score(y_test, anomaly),
        "roc_auc": roc_auc_score(y_test, anomaly),
        "seconds": time.perf_counter() - start,
    }


def evaluate(datasets, models, seeds, max_rows):
    records = []
    for name in datasets:
        for seed in seeds:
            X, y = load(name, max_rows, seed)
            X_train, X_test, y_train, y_test = train_test_split(
                X, y, test_size=0.3, stratify=y, random_state=seed
            )
            scaler = MinMaxScaler().fit(X_train)
            X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
            for protocol, rows in (
                ("clean", X_train[y_train == 0]),
                ("unsupervised", X_train),
            ):
                builders = _builders(seed)
                for model_name in models:
                    result = run_one(builders[model_name](), rows, X_test, y_test)
                    records.append(
                        {
                            "dataset": name,
                            "protocol": protocol,
                            "model": model_name,
                            "seed": seed,
                            **result,
                        }
                    )
                    print(records[-1], flush=True)
    return pd.DataFrame.from_records(records)


def report(frame, command):
    per_set = frame.groupby(["protocol", "model", "dataset"])[
        ["auprc", "roc_auc", "seconds"]
    ].mean()
    summary = per_set.groupby(["protocol", "model"]).mean()
    ranks = (
        per_set["auprc"]
        .unstack("model")
        .rank(axis=1, ascending=False)
        .groupby(level="protocol")
        .mean()
        .stack()
        .rename("auprc_rank")
    )
    summary = summary.join(ranks).round(3)
    n_sets = frame["dataset"].nunique()
    seeds = sorted(int(seed) for seed in frame["seed"].unique())
    lines = [
        "# DTEDetector and DeepSVDDDetector on ADBench sets",
        "",
        f"Mean over {n_sets} data sets ({', '.join(sorted(frame['dataset'].unique()))})"
        f" of the mean over seeds {seeds}; `auprc_rank` is the average rank by"
        " AUPRC among the models listed (1 = best); `seconds` is fit plus"
        " scoring time on a busy 2-core CPU.",
        "",
        "Command:",
        "",
        f"    {command}",
        "",
    ]
    for protocol, table in summary.groupby(level="protocol"):
        lines += [f"## {protocol}", "", table.droplevel("protocol").to_markdown(), ""]
    lines += [
        "## AUPRC per data set",
        "",
        per_set["auprc"].unstack("dataset").round(3).to_markdown(),
        "",
    ]
    return "\n".join(lines)


def main(argv=None):
    """Run the evaluation, or only the report of a saved CSV (``--report``)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", nargs="+", default=DATASETS)
    parser.add_argument(
        "--models",
        nargs="+",
        default=["IsolationForest", "kNN", "DTEDetector", "DeepSVDDDetector"],
        help=f"any of {list(_builders(0))}",
    )
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1])
    parser.add_argument("--max-rows", type=int, default=5000)
    parser.add_argument("--name", default="new_detectors")
    parser.add_argument(
        "--report-only",
        metavar="COMMAND",
        help="rewrite the report of the saved CSV, recorded as run by COMMAND",
    )
    args = parser.parse_args(argv)
    RESULTS.mkdir(exist_ok=True)
    if args.report_only:
        frame, command = pd.read_csv(RESULTS / f"{args.name}.csv"), args.report_only
    else:
        frame = evaluate(args.datasets, args.models, args.seeds, args.max_rows)
        frame.to_csv(RESULTS / f"{args.name}.csv", index=False)
        command = "OMP_NUM_THREADS=1 PYTHONPATH=. python "
        command += "benchmarks/archive/new_detectors.py "
        command += shlex.join(argv if argv is not None else sys.argv[1:])
    text = report(frame, command.strip())
    (RESULTS / f"{args.name}.md").write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
