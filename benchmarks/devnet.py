"""DevNetDetector with a handful of labelled anomalies against unsupervised
detectors and a supervised classifier trained on the same labels.

Few-label protocol (after Pang, Shen & van den Hengel, KDD 2019): for every
seed, a stratified 70/30 split; in the training part only ``n`` anomalies
keep their label (y = 1) and every other row, the remaining anomalies
included, is unlabelled (y = 0). Two label budgets: 30 anomalies, and 5 % of
the training anomalies (at least 1). The test part keeps its true labels;
AUPRC (average precision) and ROC-AUC rank the test rows by anomaly score
with the anomaly as the positive class.

Models: DevNetDetector (defaults; with autoencoder pretraining, frozen and
fine-tuned), the unsupervised AutoEncoderDetector, VAEDetector and
IsolationForest (fitted on all training rows, labels unused), and a
HistGradientBoostingClassifier trained on the same few labels (unlabelled =
0), scored by its predicted probability of class 1.

Data: vehicle insurance (``PolicyNumber`` dropped; one-hot for the string
columns, min-max for the numeric ones, fitted on the training part),
thyroid, arrhythmia (min-max on the training part) and the DAGMM version of
KDD Cup 99 (anomaly = label 1), subsampled to ``--kdd-rows`` rows (stratified)
before the split to bound the run time. Data, split, labels and evaluation
are those of ``skfraud benchmark --protocols few-label``, which runs the
30-label budget with the default DevNetDetector.

Run from the repository root::

    OMP_NUM_THREADS=1 PYTHONPATH=. python benchmarks/devnet.py

It writes ``benchmarks/results/devnet.csv`` (one row per dataset, label
budget, model and seed) and ``benchmarks/results/devnet.md``.
"""

import argparse
import dataclasses
import math
import os
import shlex
import sys
import time
from pathlib import Path

import pandas as pd
import torch

from skfraud import DevNetDetector
from skfraud.benchmark import (
    PEERS,
    SKFRAUD_MODELS,
    ModelSpec,
    PyODAsDetector,
    Split,
    describe_machine,
    evaluate,
    few_labels,
    format_mean_std,
    load_dataset,
    markdown_table,
    preprocess,
    stratified_split,
    subsample,
    take_rows,
)

RESULTS = Path(__file__).resolve().parent / "results"
DATASETS = ("vehicle", "thyroid", "arrhythmia", "kdd")
UNSUPERVISED = ("AutoEncoderDetector", "VAEDetector", "IsolationForest")


def load(name, data_dir, kdd_rows):
    X, y = load_dataset(name, data_dir)
    if name == "kdd":
        rows = subsample(y, kdd_rows, random_state=0)
        return take_rows(X, rows), y[rows]
    return X, y


def _devnet(**params):
    def build(random_state, n_features, protocol):
        return DevNetDetector(random_state=random_state, **params)

    return build


def devnet_models():
    default = SKFRAUD_MODELS["DevNetDetector"]
    return [
        default,
        dataclasses.replace(
            default,
            name="DevNetDetector (pretrain, frozen)",
            build=_devnet(pretrain=True, freeze_encoder=True),
        ),
        dataclasses.replace(
            default,
            name="DevNetDetector (pretrain, fine-tuned)",
            build=_devnet(pretrain=True, freeze_encoder=False),
        ),
    ]


def unsupervised_models():
    return [
        SKFRAUD_MODELS["AutoEncoderDetector"],
        SKFRAUD_MODELS["VAEDetector"],
        PEERS["IsolationForest"],
    ]


def _deepod_devnet(random_state, n_features, protocol):
    from deepod.models.tabular import DevNet

    return PyODAsDetector(DevNet(device="cpu", verbose=0, random_state=random_state))


def external_models():
    """The DevNet implementations of PyOD and DeepOD, with their own defaults.

    They are not dependencies of skfraud; install them into a separate folder
    (``pip install --no-deps --target DIR pyod deepod``) and put it on
    ``PYTHONPATH``. Both print while training; the output is discarded.
    """
    deepod = ModelSpec("DeepOD DevNet", "peer", _deepod_devnet, uses_labels=True)
    return [PEERS["PyOD DevNet"], deepod]


def measure(spec, X_model, y, split, seed):
    record, _ = evaluate(
        spec, X_model, y, split, protocol="few-label", random_state=seed
    )
    return {key: record[key] for key in ("auprc", "roc_auc", "fit_seconds")}


def run(name, data_dir, seeds, kdd_rows, external):
    X, y = load(name, data_dir, kdd_rows)
    rows = []
    for seed in seeds:
        train, test = stratified_split(y, seed)
        X_model = preprocess(name, X, train)
        n_anomalies = int(y[train].sum())
        budgets = {"30": 30, "5 %": max(1, math.ceil(0.05 * n_anomalies))}
        if external:
            budgets = {"30": 30}
        base = {
            "dataset": name,
            "seed": seed,
            "n_train": len(train),
            "train_anomalies": n_anomalies,
            "test_fraud_rate": y[test].mean(),
        }
        split = Split(train, test, None, normal_only=False, rho=y[train].mean())
        for spec in [] if external else unsupervised_models():
            result = measure(spec, X_model, y, split, seed)
            for budget, n in budgets.items():
                rows.append(
                    {
                        **base,
                        "labels": budget,
                        "n_labelled": min(n, n_anomalies),
                        "model": spec.name,
                        **result,
                    }
                )
        for budget, n in budgets.items():
            y_few = few_labels(y[train], n, seed)
            candidates = [*devnet_models(), PEERS["HistGradientBoostingClassifier"]]
            if external:
                candidates = [candidates[0], *external_models()]
            for spec in candidates:
                rows.append(
                    {
                        **base,
                        "labels": budget,
                        "n_labelled": int(y_few.sum()),
                        "model": spec.name,
                        **measure(
                            spec,
                            X_model,
                            y,
                            dataclasses.replace(split, y_train=y_few),
                            seed,
                        ),
                    }
                )
        print(f"{name} seed {seed} done", flush=True)
    return rows


def summary_table(frame):
    order = {model: i for i, model in enumerate(frame["model"].unique())}
    lines = []
    for (dataset, labels), block in frame.groupby(["dataset", "labels"], sort=False):
        groups = sorted(block.groupby("model"), key=lambda item: order[item[0]])
        best = max(group["auprc"].mean() for _, group in groups)
        for model, group in groups:
            auprc = format_mean_std(group["auprc"])
            if group["auprc"].mean() == best:
                auprc = f"**{auprc}**"
            label_text = f"{labels} ({group['n_labelled'].mean():.0f})"
            if model in UNSUPERVISED:
                label_text = "none (unsupervised)"
            lines.append(
                [
                    dataset,
                    label_text,
                    model,
                    auprc,
                    format_mean_std(group["roc_auc"]),
                    f"{group['fit_seconds'].mean():.1f}",
                ]
            )
    header = ["dataset", "labels", "model", "AUPRC", "ROC-AUC", "fit seconds"]
    return markdown_table(header, lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--datasets", nargs="+", default=list(DATASETS))
    parser.add_argument("--kdd-rows", type=int, default=10_000)
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=Path(os.environ.get("SKFRAUD_DATA", "../shared/data")),
    )
    parser.add_argument("--out", default="devnet")
    parser.add_argument(
        "--external",
        action="store_true",
        help="compare with PyOD's and DeepOD's DevNet (30 labels only)",
    )
    args = parser.parse_args()
    torch.set_num_threads(1)
    seeds = list(range(args.seeds))
    start = time.perf_counter()
    rows = []
    for name in args.datasets:
        rows += run(name, args.data_dir, seeds, args.kdd_rows, args.external)
    minutes = (time.perf_counter() - start) / 60
    frame = pd.DataFrame(rows)
    RESULTS.mkdir(exist_ok=True)
    frame.to_csv(RESULTS / f"{args.out}.csv", index=False)
    python_path = os.environ.get("PYTHONPATH", ".")
    command = f"OMP_NUM_THREADS=1 PYTHONPATH={python_path} python " + shlex.join(
        ["benchmarks/devnet.py", *sys.argv[1:]]
    )
    header = [
        "# DevNetDetector with a few labelled anomalies",
        "",
        f"Command: `{command}`",
        "",
        f"Machine: {describe_machine()} {len(seeds)} seeds "
        f"({seeds[0]}-{seeds[-1]}); total {minutes:.1f} min.",
        "",
        "Protocol: stratified 70/30 split per seed; in the training part only "
        "`labels` anomalies keep y = 1 (30, or 5 % of the training anomalies; the "
        "number actually labelled is in brackets), every other row is "
        "unlabelled (y = 0). Unsupervised models ignore the labels. Test rows "
        "keep their true labels; anomaly = positive class. KDD: the DAGMM "
        f"version (anomaly = label 1), stratified subsample of {args.kdd_rows} "
        "rows before the split. Mean ± standard deviation over seeds; the best "
        "AUPRC of each block is in bold.",
        "",
    ]
    if args.external:
        from importlib.metadata import version

        header += [
            f"External implementations: pyod {version('pyod')} and deepod "
            f"{version('deepod')}, installed with `pip install --no-deps --target "
            "DIR pyod deepod` outside the project and used with their default "
            "parameters (PyOD's random_seed and DeepOD's random_state set to the "
            "seed; device='cpu' for DeepOD).",
            "",
        ]
    text = "\n".join(header) + summary_table(frame) + "\n"
    (RESULTS / f"{args.out}.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
