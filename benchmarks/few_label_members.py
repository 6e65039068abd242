"""The few-label members, and rank averages of them, compared on the suite.

Every candidate member of the few-label rank average runs alone, and every
composition of them runs as a :class:`skfraud.ensemble.RankAverageDetector`,
through :func:`skfraud.benchmark.run_benchmark`: the suite's 34 sets, its
few-label protocols (30 and 5 labelled anomalies), 3 seeds and 2,000-row
cap, with the harness's subsample, split, labels and preprocessing. The
members are wrapped in :class:`skfraud.benchmark.SharedFit`, so each is
fitted once per data set, protocol and seed, however many compositions hold
it. A composition runs when all its members are chosen.

Usage (SKFRAUD_DATA as for ``skfraud benchmark``)::

    OMP_NUM_THREADS=1 python benchmarks/few_label_members.py RECORDS.csv \\
        REPORT.md [MEMBER ...]

The members named (all of them by default) and their compositions;
``--datasets`` and ``--seeds`` choose a smaller run, ``--protocols`` other
label budgets (``few-label-100``, ``all-labels``), ``--n-jobs`` the data
sets run at once (2). RECORDS.csv holds one
row per data set, protocol, seed and model; REPORT.md the tables.
"""

import argparse

import pandas as pd
from recommended_unsupervised import FisherCombination
from sklearn.ensemble import HistGradientBoostingClassifier, IsolationForest

from skfraud import AutoEncoderDetector, KNNDetector
from skfraud.benchmark import (
    FEW_LABEL,
    SKFRAUD_MODELS,
    SUITES,
    ClassifierAsDetector,
    ModelSpec,
    SharedFit,
    bagged_gradient_boosting,
    run_benchmark,
    xgbod,
)
from skfraud.ensemble import RankAverageDetector

SEEDS = 3
MAX_ROWS = 2000
PROTOCOLS = ("few-label", "few-label-5")
#: The columns of the records written.
COLUMNS = ["dataset", "protocol", "seed", "model", "auprc", "roc_auc"]


def _balanced(pipeline):
    return pipeline.set_params(histgradientboostingclassifier__class_weight="balanced")


def _three_detectors(random_state):
    return [
        ("iforest", IsolationForest(random_state=random_state)),
        ("knn", KNNDetector()),
        ("ae", AutoEncoderDetector(random_state=random_state)),
    ]


#: ``build(random_state, n_features, protocol)`` of each member: a detector,
#: or a classifier whose probability of class 1 is its anomaly score.
MEMBERS = {
    "prenet": SKFRAUD_MODELS["PReNetDetector"].build,
    "deep_sad": SKFRAUD_MODELS["DeepSAD"].build,
    "devnet": SKFRAUD_MODELS["DevNetDetector"].build,
    "hgb": lambda rs, nf, p: HistGradientBoostingClassifier(random_state=rs),
    "hgb_balanced": lambda rs, nf, p: HistGradientBoostingClassifier(
        random_state=rs, class_weight="balanced"
    ),
    "xgbod": lambda rs, nf, p: xgbod(rs),
    "xgbod_balanced": lambda rs, nf, p: _balanced(xgbod(rs)),
    "xgbod_if_knn_ae": lambda rs, nf, p: xgbod(rs, _three_detectors(rs)),
    "hgb_bagged": lambda rs, nf, p: bagged_gradient_boosting(rs),
    "xgbod_bagged": lambda rs, nf, p: xgbod(rs, bagged=True),
    "xgbod_bagged_if_knn_ae": lambda rs, nf, p: xgbod(
        rs, _three_detectors(rs), bagged=True
    ),
    "knn": lambda rs, nf, p: KNNDetector(train_on="normal"),
}

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
    "PReNet + DeepSAD + XGBOD (bagged) + HGB (bagged) + kNN": [
        "prenet",
        "deep_sad",
        "xgbod_bagged",
        "hgb_bagged",
        "knn",
    ],
    "PReNet + DeepSAD + XGBOD (bagged; IF, kNN, AE) + HGB (bagged)": [
        "prenet",
        "deep_sad",
        "xgbod_bagged_if_knn_ae",
        "hgb_bagged",
    ],
    "PReNet + DeepSAD + XGBOD (bagged; IF, kNN, AE) + HGB (bagged) + kNN": [
        "prenet",
        "deep_sad",
        "xgbod_bagged_if_knn_ae",
        "hgb_bagged",
        "knn",
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

#: Compositions whose members' ranks are combined by Fisher's method
#: (``FisherCombination`` of ``recommended_unsupervised.py``), not averaged.
FISHER = {
    "PReNet + DeepSAD + XGBOD (bagged) + HGB (bagged), Fisher": [
        "prenet",
        "deep_sad",
        "xgbod_bagged",
        "hgb_bagged",
    ],
}


def shared_members(members, random_state, n_features, protocol):
    """The named members, each fitted once per training set."""
    return [
        (name, SharedFit(MEMBERS[name](random_state, n_features, protocol)))
        for name in members
    ]


def member_spec(name):
    """One member alone; a classifier is scored by its fraud probability."""

    def build(random_state, n_features, protocol):
        [(_, member)] = shared_members([name], random_state, n_features, protocol)
        if hasattr(member, "score_samples"):
            return member
        return ClassifierAsDetector(member)

    return ModelSpec(
        name,
        "peer" if name.startswith("hgb") else "skfraud",
        build,
        protocols=FEW_LABEL,
        uses_labels=True,
        epochs_param=None,
    )


def composition_spec(
    name, members, weights=None, combination=RankAverageDetector, **params
):
    """The rank average of ``members``: ``RankAverageDetector(..., **params)``,
    or another ``combination`` of their ranks.

    Its record carries each member's weight (``weights_``).
    """

    def build(random_state, n_features, protocol):
        return combination(
            shared_members(members, random_state, n_features, protocol),
            weights=weights,
            **params,
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


def specs(members):
    """The members alone, then the compositions of them."""
    chosen = [member_spec(name) for name in members]
    chosen += [
        composition_spec(name, composition, weights)
        for name, (composition, weights) in ALL_COMPOSITIONS.items()
        if set(composition) <= set(members)
    ]
    chosen += [
        composition_spec(name, composition, combination=FisherCombination)
        for name, composition in FISHER.items()
        if set(composition) <= set(members)
    ]
    return chosen


def run(models, datasets, seeds, protocols=PROTOCOLS, n_jobs=2):
    """The records of ``models`` (ModelSpec) on the suite's few-label runs."""
    result = run_benchmark(
        datasets=datasets,
        protocols=protocols,
        detectors=[],
        peers=[],
        extra_models=models,
        seeds=seeds,
        max_rows=MAX_ROWS,
        n_jobs=n_jobs,
        progress=False,
    )
    failed = result.records[result.records["error"].fillna("") != ""]
    if len(failed):
        raise RuntimeError(f"failed runs:\n{failed.to_string()}")
    return result.records


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
    named = per_set.unstack("dataset")
    named = named[[d for d in ("thyroid", "arrhythmia", "vehicle") if d in named]]
    parts = []
    for protocol in table["protocol"].unique():
        part = summary.loc[protocol].join(named.loc[protocol])
        part = part.sort_values("mean AUPRC", ascending=False).round(3)
        parts.append(f"## {protocol}\n\n{part.to_markdown()}\n")
    return "\n".join(parts)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("records", help="CSV of the records written")
    parser.add_argument("report", help="Markdown tables written")
    parser.add_argument("members", nargs="*", default=list(MEMBERS))
    parser.add_argument("--datasets", nargs="+", default=SUITES["adbench"])
    parser.add_argument("--seeds", type=int, default=SEEDS)
    parser.add_argument("--n-jobs", type=int, default=2, help="data sets at once")
    parser.add_argument("--protocols", nargs="+", default=list(PROTOCOLS))
    args = parser.parse_args(argv)
    records = run(
        specs(args.members),
        args.datasets,
        args.seeds,
        protocols=args.protocols,
        n_jobs=args.n_jobs,
    )
    records[COLUMNS].to_csv(args.records, index=False)
    with open(args.report, "w") as f:
        f.write(report(records))


if __name__ == "__main__":
    main()
