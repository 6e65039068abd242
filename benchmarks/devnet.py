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
before the split to bound the run time.

Run from the repository root::

    OMP_NUM_THREADS=1 PYTHONPATH=. python benchmarks/devnet.py

It writes ``benchmarks/results/devnet.csv`` (one row per dataset, label
budget, model and seed) and ``benchmarks/results/devnet.md``.
"""

import argparse
import contextlib
import io
import math
import os
import platform
import shlex
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from scipy.io import loadmat
from sklearn.compose import ColumnTransformer, make_column_selector
from sklearn.ensemble import HistGradientBoostingClassifier, IsolationForest
from sklearn.metrics import average_precision_score, roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import MinMaxScaler, OneHotEncoder

from skfraud import AutoEncoderDetector, DevNetDetector, VAEDetector

RESULTS = Path(__file__).resolve().parent / "results"
DATASETS = ("vehicle", "thyroid", "arrhythmia", "kdd")
UNSUPERVISED = ("AutoEncoderDetector", "VAEDetector", "IsolationForest")


def load(name, data_dir, kdd_rows):
    if name == "vehicle":
        frame = pd.read_csv(data_dir / "vehicle_insurance_fraud.csv.gz")
        y = frame["FraudFound_P"].to_numpy()
        return frame.drop(columns=["FraudFound_P", "PolicyNumber"]), y
    if name == "kdd":
        kdd = np.load(data_dir / "kdd_cup_dagmm.npz")["kdd"]
        X, y = kdd[:, :-1].astype(np.float32), kdd[:, -1].astype(int)
        if kdd_rows and kdd_rows < len(y):
            X, _, y, _ = train_test_split(
                X, y, train_size=kdd_rows, stratify=y, random_state=0
            )
        return X, y
    mat = loadmat(data_dir / f"{name}.mat")
    return mat["X"].astype(np.float64), mat["y"].ravel().astype(int)


def preprocessor(name):
    if name == "vehicle":
        return ColumnTransformer(
            [
                (
                    "categorical",
                    OneHotEncoder(handle_unknown="ignore", sparse_output=False),
                    make_column_selector(dtype_include=[object, "string"]),
                ),
                (
                    "numeric",
                    MinMaxScaler(),
                    make_column_selector(dtype_include="number"),
                ),
            ]
        )
    if name == "kdd":
        return None  # already one-hot and min-max scaled
    return MinMaxScaler()


def few_labels(y_train, n_labelled, seed):
    """Keep the label of ``n_labelled`` random anomalies; the rest become 0."""
    rng = np.random.default_rng(seed)
    anomalies = np.flatnonzero(y_train == 1)
    kept = rng.choice(anomalies, min(n_labelled, len(anomalies)), replace=False)
    y_few = np.zeros_like(y_train)
    y_few[kept] = 1
    return y_few


def devnet_models(seed):
    return {
        "DevNetDetector": DevNetDetector(random_state=seed, device="cpu"),
        "DevNetDetector (pretrain, frozen)": DevNetDetector(
            pretrain=True, freeze_encoder=True, random_state=seed, device="cpu"
        ),
        "DevNetDetector (pretrain, fine-tuned)": DevNetDetector(
            pretrain=True, freeze_encoder=False, random_state=seed, device="cpu"
        ),
    }


def unsupervised_models(seed):
    return {
        "AutoEncoderDetector": AutoEncoderDetector(random_state=seed, device="cpu"),
        "VAEDetector": VAEDetector(random_state=seed, device="cpu"),
        "IsolationForest": IsolationForest(random_state=seed),
    }


def external_models(seed):
    """The DevNet implementations of PyOD and DeepOD, with their own defaults.

    They are not dependencies of skfraud; install them into a separate folder
    (``pip install --no-deps --target DIR pyod deepod``) and put it on
    ``PYTHONPATH``. Both print while training; the output is discarded.
    """
    from deepod.models.tabular import DevNet as DeepODDevNet
    from pyod.models.devnet import DevNet as PyODDevNet

    return {
        "PyOD DevNet": PyODDevNet(),
        "DeepOD DevNet": DeepODDevNet(device="cpu", verbose=0, random_state=seed),
    }


def anomaly_scores(model, X):
    if isinstance(model, HistGradientBoostingClassifier):
        return model.predict_proba(X)[:, 1]
    if not hasattr(model, "score_samples"):  # PyOD / DeepOD: higher = anomalous
        return model.decision_function(X)
    return -model.score_samples(X)


def evaluate(model, X_train, y_fit, X_test, y_test):
    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        if y_fit is None:
            model.fit(X_train)
        else:
            model.fit(X_train, y_fit)
    seconds = time.perf_counter() - start
    scores = anomaly_scores(model, X_test)
    return {
        "auprc": average_precision_score(y_test, scores),
        "roc_auc": roc_auc_score(y_test, scores),
        "fit_seconds": seconds,
    }


def run(name, data_dir, seeds, kdd_rows, external):
    X, y = load(name, data_dir, kdd_rows)
    rows = []
    for seed in seeds:
        X_train, X_test, y_train, y_test = train_test_split(
            X, y, test_size=0.3, stratify=y, random_state=seed
        )
        prep = preprocessor(name)
        if prep is not None:
            X_train = prep.fit_transform(X_train).astype(np.float32)
            X_test = prep.transform(X_test).astype(np.float32)
        n_anomalies = int(y_train.sum())
        budgets = {"30": 30, "5 %": max(1, math.ceil(0.05 * n_anomalies))}
        if external:
            budgets = {"30": 30}
        base = {
            "dataset": name,
            "seed": seed,
            "n_train": len(y_train),
            "train_anomalies": n_anomalies,
            "test_fraud_rate": y_test.mean(),
        }
        unsupervised = {} if external else unsupervised_models(seed)
        for model_name, model in unsupervised.items():
            result = evaluate(model, X_train, None, X_test, y_test)
            for budget, n in budgets.items():
                rows.append(
                    {
                        **base,
                        "labels": budget,
                        "n_labelled": min(n, n_anomalies),
                        "model": model_name,
                        **result,
                    }
                )
        for budget, n in budgets.items():
            y_few = few_labels(y_train, n, seed)
            candidates = {
                **devnet_models(seed),
                "HistGradientBoostingClassifier": HistGradientBoostingClassifier(
                    random_state=seed
                ),
            }
            if external:
                candidates = {
                    "DevNetDetector": candidates["DevNetDetector"],
                    **external_models(seed),
                }
            for model_name, model in candidates.items():
                result = evaluate(model, X_train, y_few, X_test, y_test)
                rows.append(
                    {
                        **base,
                        "labels": budget,
                        "n_labelled": int(y_few.sum()),
                        "model": model_name,
                        **result,
                    }
                )
        print(f"{name} seed {seed} done", flush=True)
    return rows


def summary_table(frame):
    order = {model: i for i, model in enumerate(frame["model"].unique())}
    grouped = frame.groupby(["dataset", "labels", "model"], sort=False)
    lines = [
        "| dataset | labels | model | AUPRC | ROC-AUC | fit seconds |",
        "|---|---|---|---|---|---|",
    ]
    stats = grouped.agg(
        n_labelled=("n_labelled", "mean"),
        auprc_mean=("auprc", "mean"),
        auprc_std=("auprc", "std"),
        roc_mean=("roc_auc", "mean"),
        roc_std=("roc_auc", "std"),
        seconds=("fit_seconds", "mean"),
    ).reset_index()
    stats["order"] = stats["model"].map(order)
    for (dataset, labels), block in stats.groupby(["dataset", "labels"], sort=False):
        block = block.sort_values("order")
        best = block["auprc_mean"].max()
        for row in block.itertuples():
            auprc = f"{row.auprc_mean:.3f} ± {row.auprc_std:.3f}"
            if row.auprc_mean == best:
                auprc = f"**{auprc}**"
            label_text = f"{labels} ({row.n_labelled:.0f})"
            if row.model in UNSUPERVISED:
                label_text = "none (unsupervised)"
            lines.append(
                f"| {dataset} | {label_text} | {row.model} | {auprc} | "
                f"{row.roc_mean:.3f} ± {row.roc_std:.3f} | {row.seconds:.1f} |"
            )
    return "\n".join(lines)


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
        f"Machine: {platform.machine()}, {os.cpu_count()}-core CPU, torch "
        f"{torch.__version__} with 1 thread; {len(seeds)} seeds "
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
            "parameters (device='cpu').",
            "",
        ]
    text = "\n".join(header) + summary_table(frame) + "\n"
    (RESULTS / f"{args.out}.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
