"""Member weights of the few-label rank average learnt from the labels.

The four members of the default rank average (PReNet, Deep SAD, bagged XGBOD,
bagged gradient boosting) on the suite's few-label runs (34 sets, 3 seeds,
2,000-row cap; the harness's subsample, split, labels and preprocessing),
combined by :class:`skfraud.ensemble.RankAverageDetector` with weights from
several rules. A rule sees only the training part: each member is refitted
on the training folds of a stratified 3-fold split of it (shuffled with the
seed) and ranks the held-out rows as ``RankAverageDetector`` ranks new rows
(each fold fit is a one-member ``RankAverageDetector``); the test part is
only scored. The members are :class:`skfraud.benchmark.SharedFit`, so every
fit, whole training part or fold, is made once and shared by the rules.

Rules (``RULES``): ``equal``; ``lift, shrunk 0.5 (weights='cv')``,
``RankAverageDetector(weights="cv")`` on these folds; ``lift, not shrunk``,
the same lifts without the even half; ``best subset``, the subset whose
out-of-fold rank average scores best; ``greedy``, ten picks with
replacement, each the member lifting the out-of-fold AUPRC most; ``equal or
one``, equal weights unless one member alone scores better out of fold.
Each member alone and the plain gradient-boosting classifier (``hgb``) run
beside them.

Usage (SKFRAUD_DATA as for ``skfraud benchmark``)::

    OMP_NUM_THREADS=1 python benchmarks/few_label_weights.py RECORDS.csv REPORT.md

``--protocols``, ``--datasets`` and ``--seeds`` choose a smaller run.
"""

import argparse
import dataclasses
import itertools

import numpy as np
import pandas as pd
from few_label_members import (
    COLUMNS,
    PROTOCOLS,
    SEEDS,
    composition_spec,
    member_spec,
    run,
    shared_members,
)
from sklearn.base import BaseEstimator, OutlierMixin
from sklearn.metrics import average_precision_score
from sklearn.model_selection import StratifiedKFold

from skfraud.benchmark import FEW_LABEL, SUITES, ModelSpec
from skfraud.ensemble import RankAverageDetector

N_FOLDS = 3
DEFAULT = ["prenet", "deep_sad", "xgbod_bagged", "hgb_bagged"]


def folds(random_state):
    """The stratified folds of the training part, shuffled with the seed."""
    return StratifiedKFold(N_FOLDS, shuffle=True, random_state=random_state)


def out_of_fold_ranks(estimators, X, y, cv):
    """Each member's rank of every training row, from the fit without its fold."""
    ranks = {name: np.empty(len(y)) for name, _ in estimators}
    for train, held in cv.split(X, y):
        for name, member in estimators:
            alone = RankAverageDetector([(name, member)]).fit(X[train], y[train])
            ranks[name][held] = -alone.score_samples(X[held])
    return ranks


def _oof_ap(oof, y, members, weights=None):
    average = np.average([oof[m] for m in members], axis=0, weights=weights)
    return average_precision_score(y, average)


def unshrunk_lift(oof, y, members):
    """Each member's out-of-fold AUPRC above the labelled share, normalised."""
    auprc = np.array([_oof_ap(oof, y, [m]) for m in members])
    lift = np.maximum(auprc - y.mean(), 0.0)
    return lift / lift.sum() if lift.sum() > 0 else np.ones(len(members))


def best_subset(oof, y, members):
    """The non-empty subset whose out-of-fold rank average scores best."""
    subsets = [
        list(subset)
        for k in range(1, len(members) + 1)
        for subset in itertools.combinations(members, k)
    ]
    best = subsets[int(np.argmax([_oof_ap(oof, y, s) for s in subsets]))]
    return np.array([1.0 if m in best else 0.0 for m in members])


def greedy_selection(oof, y, members, rounds=10):
    """Members added one at a time, with replacement, each time the one
    that lifts the out-of-fold AUPRC of the average most."""
    counts = np.zeros(len(members))
    for _ in range(rounds):
        trials = []
        for i in range(len(members)):
            trial = counts.copy()
            trial[i] += 1
            trials.append(_oof_ap(oof, y, members, trial))
        counts[int(np.argmax(trials))] += 1
    return counts


def best_of_equal_or_single(oof, y, members):
    """Equal weights unless one member alone scores better out of fold."""
    options = [np.ones(len(members)), *np.eye(len(members))]
    return options[int(np.argmax([_oof_ap(oof, y, members, w) for w in options]))]


#: The rules that weigh the members from their out-of-fold ranks (the
#: equal weights and ``weights="cv"`` are RankAverageDetector's own).
RULES = {
    "lift, not shrunk": unshrunk_lift,
    "best subset": best_subset,
    "greedy": greedy_selection,
    "equal or one": best_of_equal_or_single,
}


class RuleWeightedRankAverage(OutlierMixin, BaseEstimator):
    """``RankAverageDetector`` whose weights a rule picks from out-of-fold ranks.

    Parameters
    ----------
    estimators : list of (str, estimator) tuples
    rule : str
        A key of ``RULES``.
    cv : cross-validation splitter
    """

    def __init__(self, estimators, rule, cv):
        self.estimators = estimators
        self.rule = rule
        self.cv = cv

    def fit(self, X, y):
        # As RankAverageDetector(weights="cv") reads the labels, so that the
        # fold fits are the same fits (and shared).
        labels = np.asarray(y).astype(np.int64)
        oof = out_of_fold_ranks(self.estimators, X, labels, self.cv)
        members = [name for name, _ in self.estimators]
        weights = RULES[self.rule](oof, labels, members)
        self.ensemble_ = RankAverageDetector(self.estimators, weights=weights)
        self.ensemble_.fit(X, y)
        self.weights_ = self.ensemble_.weights_
        return self

    def score_samples(self, X):
        return self.ensemble_.score_samples(X)


def rule_spec(name, members):
    def build(random_state, n_features, protocol):
        return RuleWeightedRankAverage(
            shared_members(members, random_state, n_features, protocol),
            rule=name,
            cv=folds(random_state),
        )

    return ModelSpec(
        name,
        "skfraud",
        build,
        protocols=FEW_LABEL,
        uses_labels=True,
        epochs_param=None,
        details=lambda model: dict(zip(members, model.weights_, strict=True)),
    )


def cv_spec(members):
    """``RankAverageDetector(weights="cv")`` on the shuffled folds."""
    spec = composition_spec("lift, shrunk 0.5 (weights='cv')", members)
    inner = spec.build

    def build(random_state, n_features, protocol):
        ensemble = inner(random_state, n_features, protocol)
        return ensemble.set_params(weights="cv", cv=folds(random_state))

    return dataclasses.replace(spec, build=build)


def specs(members):
    """The members alone, the classifier, then every rule."""
    return [
        *(member_spec(name) for name in members),
        *([] if "hgb" in members else [member_spec("hgb")]),
        composition_spec("equal", members),
        cv_spec(members),
        *(rule_spec(name, members) for name in RULES),
    ]


def report(table, members):
    """Mean AUPRC, average rank, sets above equal weights and above the
    classifier, the named sets, and the mean learnt weights."""
    per_set = table.groupby(["protocol", "model", "dataset"]).auprc.mean()
    ranks = per_set.groupby(["protocol", "dataset"]).rank(ascending=False)
    parts = []
    for protocol in table["protocol"].unique():
        ps = per_set.loc[protocol]
        differences = {
            reference: ps
            - ps.xs(reference, level="model")
            .reindex(ps.index.droplevel("model"))
            .to_numpy()
            for reference in ("equal", "hgb")
        }
        summary = pd.DataFrame(
            {
                "mean AUPRC": ps.groupby("model").mean(),
                "average rank": ranks.loc[protocol].groupby("model").mean(),
                "sets above equal": (differences["equal"] > 0).groupby("model").sum(),
                "sets above hgb": (differences["hgb"] > 0).groupby("model").sum(),
                "sets below equal": (differences["equal"] < 0).groupby("model").sum(),
            }
        )
        named = ps.unstack("dataset")
        named = named[[d for d in ("thyroid", "arrhythmia", "vehicle") if d in named]]
        part = summary.join(named).sort_values("mean AUPRC", ascending=False)
        weights = table[table["protocol"] == protocol].groupby("model")[members]
        parts.append(
            f"## {protocol}\n\n{part.round(3).to_markdown()}\n\n"
            f"Mean weights:\n\n{weights.mean().dropna().round(2).to_markdown()}\n"
        )
    return "\n".join(parts)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("records", help="CSV of the records written")
    parser.add_argument("report", help="Markdown tables written")
    parser.add_argument("--protocols", nargs="+", default=list(PROTOCOLS))
    parser.add_argument("--datasets", nargs="+", default=SUITES["adbench"])
    parser.add_argument("--seeds", type=int, default=SEEDS)
    parser.add_argument("--n-jobs", type=int, default=2, help="data sets at once")
    args = parser.parse_args(argv)
    records = run(
        specs(DEFAULT), args.datasets, args.seeds, args.protocols, args.n_jobs
    )
    records = records[[*COLUMNS, *DEFAULT]]
    records.to_csv(args.records, index=False)
    with open(args.report, "w") as f:
        f.write(report(records, DEFAULT))


if __name__ == "__main__":
    main()
