"""The few-label members, scored once, and rank averages of them compared.

Each candidate member of the few-label rank average is fitted once per data
set, protocol and seed of the suite (the harness's subsample, split and
preprocessing), and its anomaly scores of every row are kept. A composition
is then scored as :class:`skfraud.ensemble.RankAverageDetector` scores it:
each member's score ranked against its scores of the training rows, ties
counting half, the ranks averaged with the weights.

Usage:
    python benchmarks/few_label_members.py score OUT.pkl
    python benchmarks/few_label_members.py compare OUT.pkl RECORDS.csv REPORT.md
(SKFRAUD_DATA as for skfraud benchmark).
"""

import itertools
import pickle
import sys
import warnings

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from sklearn.ensemble import HistGradientBoostingClassifier, IsolationForest
from sklearn.metrics import average_precision_score, roc_auc_score
from sklearn.pipeline import make_pipeline

from skfraud._rank_average import _ranks
from skfraud.benchmark import SUITES
from skfraud.benchmark._datasets import load_dataset, take_rows
from skfraud.benchmark._models import _deep_sad, _devnet, _prenet
from skfraud.benchmark._peers import ClassifierAsDetector, KNNDetector
from skfraud.benchmark._protocols import PROTOCOLS, subsample
from skfraud.benchmark._runner import _prepare
from skfraud.detectors import AutoEncoderDetector
from skfraud.metrics import anomaly_score
from skfraud.preprocessing import DetectorScores

SEEDS = (0, 1, 2)
MAX_ROWS = 2000


def _hgb(rs, balanced):
    return HistGradientBoostingClassifier(
        random_state=rs, class_weight="balanced" if balanced else None
    )


def _xgbod(rs, balanced=False, detectors=None):
    return ClassifierAsDetector(
        make_pipeline(DetectorScores(detectors, random_state=rs), _hgb(rs, balanced))
    )


def _three_detectors(rs):
    return [
        ("iforest", IsolationForest(random_state=rs)),
        ("knn", KNNDetector()),
        ("ae", AutoEncoderDetector(random_state=rs)),
    ]


MEMBERS = {
    "prenet": lambda rs, nf, p: _prenet(rs, nf, p),
    "deep_sad": lambda rs, nf, p: _deep_sad(rs, nf, p),
    "devnet": lambda rs, nf, p: _devnet(rs, nf, p),
    "hgb": lambda rs, nf, p: ClassifierAsDetector(_hgb(rs, False)),
    "hgb_balanced": lambda rs, nf, p: ClassifierAsDetector(_hgb(rs, True)),
    "xgbod": lambda rs, nf, p: _xgbod(rs),
    "xgbod_balanced": lambda rs, nf, p: _xgbod(rs, balanced=True),
    "xgbod_if_knn_ae": lambda rs, nf, p: _xgbod(rs, detectors=_three_detectors(rs)),
}


def score_dataset(dataset, protocols):
    X_all, y_all = load_dataset(dataset, None)
    out = {}
    for seed, name in itertools.product(SEEDS, protocols):
        rows = subsample(y_all, MAX_ROWS, seed)
        X, y, split, _ = _prepare(
            dataset, take_rows(X_all, rows), y_all[rows], seed, PROTOCOLS[name]
        )
        scores = {}
        for member, build in MEMBERS.items():
            model = build(seed, X.shape[1], name)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                model.fit(X[split.train], split.y_train)
                scores[member] = anomaly_score(model, X)
        out[dataset, name, seed] = {
            "y": y,
            "train": split.train,
            "test": split.test,
            "scores": scores,
        }
    return out


def combine(run, members, weights=None):
    """Anomaly scores of the rank average of ``members`` on every row."""
    weights = np.ones(len(members)) if weights is None else np.asarray(weights)
    ranks = [
        _ranks(np.sort(run["scores"][m][run["train"]]), run["scores"][m])
        for m in members
    ]
    return np.average(ranks, axis=0, weights=weights)


COMPOSITIONS = {
    "PReNet + DeepSAD + XGBOD": (["prenet", "deep_sad", "xgbod"], None),
    "PReNet + DeepSAD + XGBOD (balanced)": (
        ["prenet", "deep_sad", "xgbod_balanced"],
        None,
    ),
    "PReNet + XGBOD": (["prenet", "xgbod"], None),
    "PReNet + XGBOD (balanced)": (["prenet", "xgbod_balanced"], None),
    "PReNet + DeepSAD + XGBOD + HGB": (["prenet", "deep_sad", "xgbod", "hgb"], None),
    "PReNet + DeepSAD + XGBOD + HGB (balanced)": (
        ["prenet", "deep_sad", "xgbod", "hgb_balanced"],
        None,
    ),
    "PReNet + DeepSAD + XGBOD (IF, kNN, AE)": (
        ["prenet", "deep_sad", "xgbod_if_knn_ae"],
        None,
    ),
    "PReNet + DevNet + XGBOD": (["prenet", "devnet", "xgbod"], None),
    "PReNet + DeepSAD + XGBOD + XGBOD (balanced)": (
        ["prenet", "deep_sad", "xgbod", "xgbod_balanced"],
        None,
    ),
}


def records(runs):
    rows = []
    for (dataset, protocol, seed), run in runs.items():
        y, test = run["y"], run["test"]
        candidates = {m: run["scores"][m] for m in MEMBERS}
        for name, (members, weights) in COMPOSITIONS.items():
            candidates[name] = combine(run, members, weights)
        for model, scores in candidates.items():
            rows.append(
                {
                    "dataset": dataset,
                    "protocol": protocol,
                    "seed": seed,
                    "model": model,
                    "auprc": average_precision_score(y[test], scores[test]),
                    "roc_auc": roc_auc_score(y[test], scores[test]),
                }
            )
    return pd.DataFrame(rows)


def main():
    command, path = sys.argv[1], sys.argv[2]
    if command == "score":
        parts = Parallel(n_jobs=2)(
            delayed(score_dataset)(d, ["few-label", "few-label-5"])
            for d in SUITES["adbench"]
        )
        runs = {k: v for part in parts for k, v in part.items()}
        with open(path, "wb") as f:
            pickle.dump(runs, f)
    else:
        with open(path, "rb") as f:
            runs = pickle.load(f)
        table = records(runs)
        table.to_csv(sys.argv[3], index=False)
        with open(sys.argv[4], "w") as f:
            f.write(report(table))


def report(table):
    """Mean AUPRC, average rank, wins against the classifier, named sets."""
    per_set = table.groupby(["protocol", "model", "dataset"]).auprc.mean()
    ranks = per_set.groupby(["protocol", "dataset"]).rank(ascending=False)
    hgb = per_set.xs("hgb", level="model")
    above = per_set - hgb.reindex(per_set.index.droplevel("model")).to_numpy()
    summary = pd.DataFrame(
        {
            "mean AUPRC": per_set.groupby(["protocol", "model"]).mean(),
            "average rank": ranks.groupby(["protocol", "model"]).mean(),
            "sets above hgb": (above > 0).groupby(["protocol", "model"]).sum(),
        }
    )
    named = per_set.unstack("dataset")[["thyroid", "arrhythmia", "vehicle"]]
    parts = []
    for protocol in ("few-label", "few-label-5"):
        part = summary.loc[protocol].join(named.loc[protocol])
        part = part.sort_values("mean AUPRC", ascending=False).round(3)
        parts.append(f"## {protocol}\n\n{part.to_markdown()}\n")
    return "\n".join(parts)


if __name__ == "__main__":
    main()
