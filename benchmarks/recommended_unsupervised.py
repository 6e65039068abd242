"""Candidates for the recommended detector without labels, at one row cap.

Subsampled ensembles (eight copies, each fitted on 256 random training
rows: IsolationForest's own defence against anomalies among the training
rows) of DTEDetector and AutoEncoderDetector, VAEDetector at its defaults,
and the rank averages of IsolationForest with them (``COMPOSITIONS``),
against IsolationForest and kNN; then IsolationForest and the VAE with the
autoencoder or kNN as a third member, their ranks averaged or combined by
Fisher's method (:class:`FisherCombination`); the suite's splits, contaminated training,
3 seeds. Every model is built as a user
builds it (default parameters) and fitted on the protocol's rows. The
members of the rank averages are :class:`skfraud.benchmark.SharedFit`, so
each is fitted once per split and shared with the ensemble run alone.

Usage (SKFRAUD_DATA as for ``skfraud benchmark``; one table per call, so
that a run stopped part way keeps the tables it finished)::

    OMP_NUM_THREADS=1 python benchmarks/recommended_unsupervised.py OUT.csv \\
        --datasets 1_ALOI --max-rows 20000

Then ``benchmarks/defaults_at_two_caps.py`` on the records of both caps.
"""

import argparse

import numpy as np
from sklearn.ensemble import IsolationForest

from skfraud import AutoEncoderDetector, DTEDetector, KNNDetector, VAEDetector
from skfraud.benchmark import SUITES, ModelSpec, SharedFit, run_benchmark
from skfraud.ensemble import RankAverageDetector, SubsampleEnsembleDetector

PROTOCOLS = ["unsupervised"]


def _iforest(random_state):
    return SharedFit(IsolationForest(random_state=random_state))


def _ensemble(detector_class):
    def member(random_state):
        return SharedFit(
            SubsampleEnsembleDetector(detector_class(), random_state=random_state)
        )

    return member


def _vae(random_state):
    return SharedFit(VAEDetector(random_state=random_state))


def _autoencoder(random_state):
    return SharedFit(AutoEncoderDetector(random_state=random_state))


def _knn(random_state):
    return SharedFit(KNNDetector())


MEMBERS = {
    "IsolationForest": _iforest,
    "VAEDetector": _vae,
    "DTEDetector, 8 on 256 rows": _ensemble(DTEDetector),
    "AutoEncoderDetector, 8 on 256 rows": _ensemble(AutoEncoderDetector),
    "AutoEncoderDetector": _autoencoder,
    "KNNDetector": _knn,
}


class FisherCombination(RankAverageDetector):
    """The members' ranks combined by Fisher's method, not averaged.

    A member's rank ``r`` of a row (the share of the training rows it scores
    lower, ties counting half) becomes a p-value, the share it scores at
    least as high, one row's worth added so that it is never 0:
    ``p = (n (1 - r) + 1) / (n + 1)``. The anomaly score is the weighted
    sum of ``-log p``: a row that one member puts beyond nearly every
    training row stays near the top even where another member finds it
    ordinary, where the mean of ranks pulls it to the middle.
    """

    def _combine(self, member_ranks):
        n = len(self.reference_scores_[0])
        return self.weights_ @ -np.log((n * (1.0 - member_ranks) + 1.0) / (n + 1.0))


#: Rank averages, by the short names of their members.
COMPOSITIONS = {
    "IsolationForest + DTE ensemble (rank average)": (
        "IsolationForest",
        "DTEDetector, 8 on 256 rows",
    ),
    "IsolationForest + AutoEncoder ensemble (rank average)": (
        "IsolationForest",
        "AutoEncoderDetector, 8 on 256 rows",
    ),
    "IsolationForest + VAE (rank average)": ("IsolationForest", "VAEDetector"),
    "IsolationForest + VAE + DTE ensemble (rank average)": (
        "IsolationForest",
        "VAEDetector",
        "DTEDetector, 8 on 256 rows",
    ),
    "IsolationForest + VAE + AE (rank average)": (
        "IsolationForest",
        "VAEDetector",
        "AutoEncoderDetector",
    ),
    "IsolationForest + VAE + kNN (rank average)": (
        "IsolationForest",
        "VAEDetector",
        "KNNDetector",
    ),
}

#: The rank averages whose members are also combined by Fisher's method,
#: as "<members> (Fisher)".
FISHER = [
    "IsolationForest + VAE",
    "IsolationForest + VAE + AE",
    "IsolationForest + VAE + kNN",
]


def _alone(name):
    def build(random_state, n_features, protocol):
        return MEMBERS[name](random_state)

    return build


def _combined(combination, members):
    def build(random_state, n_features, protocol):
        return combination(
            [(member, MEMBERS[member](random_state)) for member in members]
        )

    return build


def specs(names=None):
    """The candidates as the harness's models (``names``: only these)."""
    models = [ModelSpec(name, "skfraud", _alone(name)) for name in MEMBERS]
    models += [
        ModelSpec(name, "skfraud", _combined(RankAverageDetector, members))
        for name, members in COMPOSITIONS.items()
    ]
    models += [
        ModelSpec(
            f"{members} (Fisher)",
            "skfraud",
            _combined(FisherCombination, COMPOSITIONS[f"{members} (rank average)"]),
        )
        for members in FISHER
    ]
    return [spec for spec in models if names is None or spec.name in names]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", help="CSV of the records written")
    parser.add_argument("--datasets", nargs="+", default=SUITES["adbench"])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--max-rows", type=int, default=2000)
    parser.add_argument("--n-jobs", type=int, default=1)
    parser.add_argument(
        "--peers", nargs="*", default=["kNN"], help="the harness's peers (kNN)"
    )
    parser.add_argument("--models", nargs="+", default=None, help="only these")
    args = parser.parse_args(argv)
    result = run_benchmark(
        datasets=args.datasets,
        protocols=PROTOCOLS,
        detectors=[],
        peers=args.peers,
        extra_models=specs(args.models),
        seeds=args.seeds,
        max_rows=args.max_rows,
        n_jobs=args.n_jobs,
        progress=False,
    )
    result.records.to_csv(args.output, index=False)


if __name__ == "__main__":
    main()
