"""Member weights of the few-label rank average learnt from the labels.

For each data set, protocol and seed of the suite, every member is fitted
on the whole training part (its scores of every row kept, as in
``few_label_members.py``) and, by stratified k-fold over the training part
(the known frauds as positives), on each fold's remaining rows: the held-out
rows are ranked against that fit's scores of its own training rows, as
:class:`skfraud.ensemble.RankAverageDetector` ranks new rows. These
out-of-fold ranks of the training rows are all a weighting rule may use;
the test part is only scored.

Usage:
    python benchmarks/few_label_weights.py score OUT.pkl PROTOCOL [MEMBER ...]
    python benchmarks/few_label_weights.py compare OUT.pkl RECORDS.csv REPORT.md \
        benchmarks/results/few_label_bagged.csv
(SKFRAUD_DATA as for skfraud benchmark).
"""

import itertools
import pickle
import sys
import warnings

import numpy as np
import pandas as pd
from few_label_members import MAX_ROWS, MEMBERS, SEEDS
from joblib import Parallel, delayed
from sklearn.metrics import average_precision_score, roc_auc_score
from sklearn.model_selection import StratifiedKFold

from skfraud._member_ranks import SHRINKAGE, weights_from_lift
from skfraud._member_ranks import ranks as _ranks
from skfraud.benchmark import SUITES
from skfraud.benchmark._datasets import load_dataset, take_rows
from skfraud.benchmark._protocols import PROTOCOLS, subsample
from skfraud.benchmark._runner import _prepare
from skfraud.metrics import anomaly_score

N_FOLDS = 3
DEFAULT = ["prenet", "deep_sad", "xgbod_bagged", "hgb_bagged"]


def _fit_scores(member, seed, X, rows, y, protocol):
    model = MEMBERS[member](seed, X.shape[1], protocol)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.fit(X[rows], y)
    return model


def score_dataset(dataset, protocol, members):
    X_all, y_all = load_dataset(dataset, None)
    out = {}
    for seed in SEEDS:
        rows = subsample(y_all, MAX_ROWS, seed)
        X, y, split, _ = _prepare(
            dataset, take_rows(X_all, rows), y_all[rows], seed, PROTOCOLS[protocol]
        )
        y_train = np.asarray(split.y_train)
        folds = StratifiedKFold(N_FOLDS, shuffle=True, random_state=seed)
        scores, oof = {}, {}
        for member in members:
            model = _fit_scores(member, seed, X, split.train, y_train, protocol)
            scores[member] = anomaly_score(model, X)
            oof[member] = np.empty(len(split.train))
            for inner, held in folds.split(split.train, y_train):
                model = _fit_scores(
                    member, seed, X, split.train[inner], y_train[inner], protocol
                )
                reference = np.sort(anomaly_score(model, X[split.train[inner]]))
                held_scores = anomaly_score(model, X[split.train[held]])
                oof[member][held] = _ranks(reference, held_scores)
        out[dataset, protocol, seed] = {
            "y": y,
            "train": split.train,
            "test": split.test,
            "y_train": y_train,
            "scores": scores,
            "oof_ranks": oof,
        }
    return out


def combine(run, members, weights):
    ranks = [
        _ranks(np.sort(run["scores"][m][run["train"]]), run["scores"][m])
        for m in members
    ]
    return np.average(ranks, axis=0, weights=weights)


def _oof_ap(run, members, weights=None):
    ranks = np.average([run["oof_ranks"][m] for m in members], axis=0, weights=weights)
    return average_precision_score(run["y_train"], ranks)


def lift_weights(run, members, shrinkage=SHRINKAGE):
    """``RankAverageDetector(weights="cv")``'s rule on these ranks."""
    auprc = [_oof_ap(run, [m]) for m in members]
    return weights_from_lift(auprc, run["y_train"].mean(), shrinkage)


def best_subset(run, members):
    """The non-empty subset whose out-of-fold rank average scores best."""
    subsets = [
        list(s)
        for k in range(1, len(members) + 1)
        for s in itertools.combinations(members, k)
    ]
    aps = [_oof_ap(run, s) for s in subsets]
    best = subsets[int(np.argmax(aps))]
    return np.array([1.0 if m in best else 0.0 for m in members])


def greedy_selection(run, members, rounds=10):
    """Members added one at a time, with replacement, each time the one
    that lifts the out-of-fold AUPRC of the average most."""
    counts = np.zeros(len(members))
    for _ in range(rounds):
        trials = []
        for i in range(len(members)):
            c = counts.copy()
            c[i] += 1
            trials.append(_oof_ap(run, members, c))
        counts[int(np.argmax(trials))] += 1
    return counts


def best_of_equal_or_single(run, members):
    """Equal weights unless one member alone scores better out of fold."""
    options = [np.ones(len(members)), *list(np.eye(len(members)))]
    aps = [_oof_ap(run, members, w) for w in options]
    return options[int(np.argmax(aps))]


RULES = {
    "equal": lambda run, m: np.ones(len(m)),
    "lift, shrunk 0.5 (weights='cv')": lift_weights,
    "lift, not shrunk": lambda run, m: lift_weights(run, m, 0.0),
    "best subset": best_subset,
    "greedy": greedy_selection,
    "equal or one": best_of_equal_or_single,
}


def records(runs, members):
    rows = []
    for (dataset, protocol, seed), run in runs.items():
        y, test = run["y"], run["test"]
        candidates = {m: run["scores"][m] for m in members}
        weights_of = {}
        for name, rule in RULES.items():
            weights = rule(run, members)
            weights_of[name] = weights / weights.sum()
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
                    **(
                        dict(zip(members, weights_of[model], strict=True))
                        if model in weights_of
                        else {}
                    ),
                }
            )
    return pd.DataFrame(rows)


def report(table, members):
    """Mean AUPRC, average rank, sets above equal weights and above the
    classifier ("hgb", from the records of ``few_label_bagged.csv`` on the
    same splits), the named sets, and the mean learnt weights."""
    per_set = table.groupby(["protocol", "model", "dataset"]).auprc.mean()
    ranks = per_set.groupby(["protocol", "dataset"]).rank(ascending=False)
    parts = []
    for protocol in table.protocol.unique():
        ps = per_set.loc[protocol]
        above = {}
        for reference in ("equal", "hgb"):
            ref = ps.xs(reference, level="model")
            diff = ps - ref.reindex(ps.index.droplevel("model")).to_numpy()
            above[f"sets above {reference}"] = (diff > 0).groupby("model").sum()
        above["sets below equal"] = (
            (
                (
                    ps
                    - ps.xs("equal", level="model")
                    .reindex(ps.index.droplevel("model"))
                    .to_numpy()
                )
                < 0
            )
            .groupby("model")
            .sum()
        )
        summary = pd.DataFrame(
            {
                "mean AUPRC": ps.groupby("model").mean(),
                "average rank": ranks.loc[protocol].groupby("model").mean(),
                **above,
            }
        )
        named = ps.unstack("dataset")
        named = named[[d for d in ("thyroid", "arrhythmia", "vehicle") if d in named]]
        part = summary.join(named).sort_values("mean AUPRC", ascending=False)
        w = table[table.protocol == protocol].groupby("model")[members].mean()
        parts.append(
            f"## {protocol}\n\n{part.round(3).to_markdown()}\n\n"
            f"Mean weights:\n\n{w.dropna().round(2).to_markdown()}\n"
        )
    return "\n".join(parts)


def main():
    command, path = sys.argv[1], sys.argv[2]
    if command == "score":
        protocol = sys.argv[3]
        members = sys.argv[4:] or DEFAULT
        runs = {}
        for part in Parallel(n_jobs=2, return_as="generator_unordered")(
            delayed(score_dataset)(d, protocol, members) for d in SUITES["adbench"]
        ):
            runs.update(part)
            with open(path, "wb") as f:
                pickle.dump(runs, f)
            print(len(runs), flush=True)
    else:
        with open(path, "rb") as f:
            runs = pickle.load(f)
        members = list(next(iter(runs.values()))["scores"])
        table = records(runs, members)
        baseline = pd.read_csv(sys.argv[5])
        keys = table[["dataset", "protocol", "seed"]].drop_duplicates()
        hgb = baseline[baseline.model == "hgb"].merge(keys)
        table = pd.concat([table, hgb], ignore_index=True)
        table.to_csv(sys.argv[3], index=False)
        with open(sys.argv[4], "w") as f:
            f.write(report(table, members))


if __name__ == "__main__":
    main()
