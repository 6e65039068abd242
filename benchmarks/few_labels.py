"""Few labelled frauds: skfraud's approaches against gradient boosting on the
same labels.

The harness's few-label protocols, ``few-label`` (30 labelled anomalies) and
``few-label-5`` (5): a stratified 70/30 split; in the training part only that
many anomalies keep their label (y = 1), every other row is unlabelled
(y = 0). The test part keeps its true labels; AUPRC ranks the test rows by
anomaly score. Data, subsample, split, preprocessing and evaluation are those
of ``skfraud benchmark --protocols few-label few-label-5``.

Models: ``DevNetDetector`` and ``PReNetDetector`` (defaults), the XGBOD
pipeline ``DetectorScores + HGB`` (``DetectorScores()``' default detectors
and a ``HistGradientBoostingClassifier``), the plain
``HistGradientBoostingClassifier`` on the same labels, ``IsolationForest``
(labels unused), and variants of ``DetectorScores``' detector list, which
choose its default: IsolationForest alone (the default, ``DetectorScores +
HGB``); IsolationForest and LocalOutlierFactor; the two plus
``AutoEncoderDetector``; and the two without the input features.

Run from the repository root::

    OMP_NUM_THREADS=1 PYTHONPATH=. python benchmarks/few_labels.py

It writes ``benchmarks/results/few_labels.csv`` (one row per data set,
protocol, seed and model) and ``benchmarks/results/few_labels.md``: mean
AUPRC per data set, average rank and wins against the gradient-boosting
classifier.
"""

import argparse
import dataclasses
import os
import shlex
import sys
import time
from pathlib import Path

import pandas as pd
import torch
from joblib import Parallel, delayed
from sklearn.ensemble import IsolationForest
from sklearn.neighbors import LocalOutlierFactor

from skfraud import AutoEncoderDetector
from skfraud.benchmark import (
    SKFRAUD_MODELS,
    describe_machine,
    detector_scores,
    format_mean_std,
    markdown_table,
    run_benchmark,
)

RESULTS = Path(__file__).resolve().parent / "results"
DATASETS = ("thyroid", "arrhythmia", "creditcard", "vehicle", "kdd")
PROTOCOLS = ("few-label", "few-label-5")
DETECTORS = ("DevNetDetector", "PReNetDetector", "DetectorScores + HGB")
PEERS = ("HistGradientBoostingClassifier", "IsolationForest")
REFERENCE = "HistGradientBoostingClassifier"


def _iforest(random_state):
    return [("iforest", IsolationForest(random_state=random_state))]


def _iforest_lof(random_state):
    return [*_iforest(random_state), ("lof", LocalOutlierFactor(novelty=True))]


def _scores_only(random_state):
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.pipeline import make_pipeline

    from skfraud.benchmark import ClassifierAsDetector
    from skfraud.preprocessing import DetectorScores

    return ClassifierAsDetector(
        make_pipeline(
            DetectorScores(_iforest_lof(random_state), passthrough=False),
            HistGradientBoostingClassifier(random_state=random_state),
        )
    )


def _iforest_lof_autoencoder(random_state):
    return [
        *_iforest(random_state),
        ("lof", LocalOutlierFactor(novelty=True)),
        ("autoencoder", AutoEncoderDetector(random_state=random_state)),
    ]


def variants():
    """The detector lists compared to choose ``DetectorScores``' default."""
    default = SKFRAUD_MODELS["DetectorScores + HGB"]
    return [
        dataclasses.replace(
            default,
            name="DetectorScores[iforest, lof] + HGB",
            build=detector_scores(_iforest_lof),
        ),
        dataclasses.replace(
            default,
            name="DetectorScores[iforest, lof, autoencoder] + HGB",
            build=detector_scores(_iforest_lof_autoencoder),
        ),
        dataclasses.replace(
            default,
            name="DetectorScores[iforest, lof], scores only + HGB",
            build=lambda random_state, n_features, protocol: _scores_only(random_state),
        ),
    ]


def run_part(dataset, seed, max_rows, data_home, parts):
    """Every model on one data set and seed; the records go to ``parts``."""
    torch.set_num_threads(1)
    records = run_benchmark(
        datasets=[dataset],
        protocols=PROTOCOLS,
        detectors=list(DETECTORS),
        peers=list(PEERS),
        extra_models=variants(),
        seeds=[seed],
        max_rows=max_rows,
        data_home=data_home,
        progress=False,
    ).records
    records.to_csv(parts / f"{dataset}_{seed}.csv", index=False, float_format="%.6g")


def _ranks(means):
    """Average rank (1 = best AUPRC) of every model over the data sets."""
    return means.rank(axis=1, ascending=False).mean()


def protocol_table(records, protocol):
    """Markdown table: mean AUPRC per data set and model, with the summary rows."""
    block = records[records["protocol"] == protocol]
    models = list(dict.fromkeys(block["model"]))
    by_seed = block.pivot_table(
        index=["dataset", "seed"], columns="model", values="auprc"
    )[models]
    means = by_seed.groupby(level="dataset", sort=False).mean()
    means = means.loc[list(dict.fromkeys(block["dataset"]))]
    rows = []
    for dataset in means.index:
        values = by_seed.loc[dataset]
        best = means.loc[dataset].max()
        cells = []
        for model in models:
            text = format_mean_std(values[model])
            cells.append(f"**{text}**" if means.loc[dataset, model] == best else text)
        rows.append([dataset, *cells])
    ranks = _ranks(means)
    rows.append(["mean AUPRC", *(f"{means[model].mean():.3f}" for model in models)])
    rows.append(["average rank", *(f"{ranks[model]:.2f}" for model in models)])
    data_set_wins = (means.gt(means[REFERENCE], axis=0)).sum()
    seed_wins = (by_seed.gt(by_seed[REFERENCE], axis=0)).sum()
    rows.append(
        [
            f"wins vs {REFERENCE} (data sets / runs)",
            *(
                "-"
                if model == REFERENCE
                else f"{data_set_wins[model]}/{len(means)}, "
                f"{seed_wins[model]}/{len(by_seed)}"
                for model in models
            ),
        ]
    )
    fit_seconds = block.groupby("model")["fit_seconds"].mean()
    rows.append(["fit seconds (mean)", *(f"{fit_seconds[m]:.1f}" for m in models)])
    return markdown_table(["data set", *models], rows)


def _seeds_per_data_set(records):
    seeds = records.groupby("dataset", sort=False)["seed"].unique()
    return "; ".join(
        f"{dataset} seed(s) {', '.join(map(str, sorted(values)))}"
        for dataset, values in seeds.items()
    )


def report(records, command, minutes, notes):
    lines = [
        "# Few labelled frauds: skfraud against gradient boosting on the same labels",
        "",
        f"Command: `{command}`",
        "",
        f"Machine: {describe_machine()}",
        "",
        f"Run: {_seeds_per_data_set(records)}. "
        + ("" if minutes != minutes else f"{minutes:.1f} min wall clock. ")
        + "Larger data sets subsampled to 10,000 rows (stratified, a new "
        "subsample per seed).",
        "",
        "AUPRC of the test rows, mean ± sample standard deviation over seeds; "
        "the best mean per data set in bold. Average rank: the rank of each "
        "model's mean AUPRC on each data set (1 = best), averaged over the data "
        "sets. Wins: data sets where the model's mean AUPRC is above the "
        "gradient-boosting classifier's, and runs (data set and seed) where its "
        "AUPRC is.",
        "",
    ]
    for protocol in PROTOCOLS:
        n_labelled = records.loc[records["protocol"] == protocol, "n_labelled"]
        lines += [
            f"## {protocol}: {int(n_labelled.max())} labelled anomalies",
            "",
            protocol_table(records, protocol),
            "",
        ]
    if notes:
        lines += ["## Notes", "", notes.strip(), ""]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", nargs="+", default=list(DATASETS))
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--max-rows", type=int, default=10_000)
    parser.add_argument("--data-home", default=os.environ.get("SKFRAUD_DATA"))
    parser.add_argument("--out", default="few_labels")
    parser.add_argument("--notes", type=Path, default=None)
    parser.add_argument(
        "--n-jobs", type=int, default=1, help="data sets run in parallel processes"
    )
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="rewrite the report from the CSV of an earlier run",
    )
    args = parser.parse_args()
    torch.set_num_threads(1)
    csv_path = RESULTS / f"{args.out}.csv"
    python_path = os.environ.get("PYTHONPATH", ".")
    argv = [arg for arg in sys.argv[1:] if arg != "--report-only"]
    command = f"OMP_NUM_THREADS=1 PYTHONPATH={python_path} python " + shlex.join(
        ["benchmarks/few_labels.py", *argv]
    )
    parts = RESULTS / f"{args.out}_parts"
    parts.mkdir(parents=True, exist_ok=True)
    minutes = float("nan")
    if not args.report_only:
        start = time.perf_counter()
        # Seed by seed, so that an interrupted run still covers every data set.
        Parallel(n_jobs=args.n_jobs)(
            delayed(run_part)(dataset, seed, args.max_rows, args.data_home, parts)
            for seed in range(args.seeds)
            for dataset in args.datasets
        )
        minutes = (time.perf_counter() - start) / 60
    order = {name: i for i, name in enumerate(args.datasets)}
    records = pd.concat(
        [pd.read_csv(path) for path in sorted(parts.glob("*.csv"))], ignore_index=True
    )
    records = records[records["dataset"].isin(order)]
    records = (
        records.assign(order=records["dataset"].map(order))
        .sort_values(["order", "seed"], kind="stable")
        .drop(columns="order")
    )
    records.to_csv(csv_path, index=False, float_format="%.6g")
    notes = args.notes.read_text(encoding="utf-8") if args.notes else None
    (RESULTS / f"{args.out}.md").write_text(
        report(records, command, minutes, notes), encoding="utf-8"
    )


if __name__ == "__main__":
    main()
