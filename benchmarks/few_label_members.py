"""The few-label members, scored once, and rank averages of them compared.

Each candidate member of the few-label rank average is fitted once per data
set, protocol and seed of the suite (the harness's subsample, split and
preprocessing), and its anomaly scores of every row are kept. A composition
is then scored as :class:`skfraud.ensemble.RankAverageDetector` scores it:
each member's score ranked against its scores of the training rows, ties
counting half, the ranks averaged.

Usage:
    python benchmarks/few_label_members.py score OUT.pkl [MEMBER ...]
    python benchmarks/few_label_members.py compare OUT.pkl RECORDS.csv REPORT.md
(SKFRAUD_DATA as for skfraud benchmark). ``score`` fits the members named,
all of them by default; ``compare`` reports the compositions whose members
were all scored.
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

from skfraud._member_ranks import ranks as _ranks
from skfraud.benchmark import SUITES
from skfraud.benchmark._datasets import load_dataset, take_rows
from skfraud.benchmark._models import (
    _deep_sad,
    _devnet,
    _prenet,
    _xgbod,
    bagged_gradient_boosting,
)
from skfraud.benchmark._peers import (
    ClassifierAsDetector,
    KNNDetector,
    _gradient_boosting,
)
from skfraud.benchmark._protocols import PROTOCOLS, subsample
from skfraud.benchmark._runner import _prepare
from skfraud.detectors import AutoEncoderDetector
from skfraud.metrics import anomaly_score

SEEDS = (0, 1, 2)
MAX_ROWS = 2000


def _balanced(xgbod):
    return xgbod.set_params(histgradientboostingclassifier__class_weight="balanced")


def _three_detectors(rs):
    return [
        ("iforest", IsolationForest(random_state=rs)),
        ("knn", KNNDetector()),
        ("ae", AutoEncoderDetector(random_state=rs)),
    ]


MEMBERS = {
    "prenet": _prenet,
    "deep_sad": _deep_sad,
    "devnet": _devnet,
    "hgb": _gradient_boosting,
    "hgb_balanced": lambda rs, nf, p: ClassifierAsDetector(
        HistGradientBoostingClassifier(random_state=rs, class_weight="balanced")
    ),
    "xgbod": lambda rs, nf, p: ClassifierAsDetector(_xgbod(rs)),
    "xgbod_balanced": lambda rs, nf, p: ClassifierAsDetector(_balanced(_xgbod(rs))),
    "xgbod_if_knn_ae": lambda rs, nf, p: ClassifierAsDetector(
        _xgbod(rs, _three_detectors(rs))
    ),
    "hgb_bagged": lambda rs, nf, p: ClassifierAsDetector(bagged_gradient_boosting(rs)),
    "xgbod_bagged": lambda rs, nf, p: ClassifierAsDetector(_xgbod(rs, bagged=True)),
}


def score_dataset(dataset, protocols, members):
    X_all, y_all = load_dataset(dataset, None)
    out = {}
    for seed, name in itertools.product(SEEDS, protocols):
        rows = subsample(y_all, MAX_ROWS, seed)
        X, y, split, _ = _prepare(
            dataset, take_rows(X_all, rows), y_all[rows], seed, PROTOCOLS[name]
        )
        scores = {}
        for member in members:
            model = MEMBERS[member](seed, X.shape[1], name)
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
    ranks = [
        _ranks(np.sort(run["scores"][m][run["train"]]), run["scores"][m])
        for m in members
    ]
    return np.average(ranks, axis=0, weights=weights)


COMPOSITIONS = {
    "PReNet + DeepSAD + XGBOD": ["prenet", "deep_sad", "xgbod"],
    "PReNet + DeepSAD + XGBOD (balanced)": ["prenet", "deep_sad", "xgbod_balanced"],
    "PReNet + XGBOD": ["prenet", "xgbod"],
    "PReNet + XGBOD (balanced)": ["prenet", "xgbod_balanced"],
    "PReNet + DeepSAD + XGBOD + HGB": ["prenet", "deep_sad", "xgbod", "hgb"],
    "PReNet + DeepSAD + XGBOD + HGB (balanced)": [
        "prenet",
        "deep_sad",
        "xgbod",
        "hgb_balanced",
    ],
    "PReNet + DeepSAD + XGBOD (IF, kNN, AE)": ["prenet", "deep_sad", "xgbod_if_knn_ae"],
    "PReNet + DevNet + XGBOD": ["prenet", "devnet", "xgbod"],
    "PReNet + DeepSAD + XGBOD + XGBOD (balanced)": [
        "prenet",
        "deep_sad",
        "xgbod",
        "xgbod_balanced",
    ],
    "PReNet + DeepSAD + XGBOD (bagged)": ["prenet", "deep_sad", "xgbod_bagged"],
    "PReNet + DeepSAD + HGB (bagged)": ["prenet", "deep_sad", "hgb_bagged"],
    "PReNet + XGBOD (bagged)": ["prenet", "xgbod_bagged"],
    "PReNet + DeepSAD + XGBOD (bagged) + HGB (bagged)": [
        "prenet",
        "deep_sad",
        "xgbod_bagged",
        "hgb_bagged",
    ],
}

#: Compositions weighted unequally: members and their weights.
WEIGHTED = {
    "PReNet + DeepSAD + XGBOD (bagged), weights 1, 1, 2": (
        ["prenet", "deep_sad", "xgbod_bagged"],
        [1, 1, 2],
    ),
    "PReNet + DeepSAD + XGBOD (bagged) + HGB (bagged), weights 1, 1, 2, 1": (
        ["prenet", "deep_sad", "xgbod_bagged", "hgb_bagged"],
        [1, 1, 2, 1],
    ),
}

#: Every composition, equally weighted or not: members and weights.
ALL_COMPOSITIONS = {
    **{name: (members, None) for name, members in COMPOSITIONS.items()},
    **WEIGHTED,
}


def records(runs):
    rows = []
    for (dataset, protocol, seed), run in runs.items():
        y, test = run["y"], run["test"]
        candidates = dict(run["scores"])
        for name, (members, weights) in ALL_COMPOSITIONS.items():
            if set(members) <= run["scores"].keys():
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
        members = sys.argv[3:] or list(MEMBERS)
        parts = Parallel(n_jobs=2)(
            delayed(score_dataset)(d, ["few-label", "few-label-5"], members)
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
