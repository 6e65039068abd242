"""Candidates for the recommended detector without labels, at one row cap.

Subsampled ensembles (eight copies, each fitted on 256 random training
rows: IsolationForest's own defence against anomalies among the training
rows) of DTEDetector and AutoEncoderDetector, VAEDetector at its defaults,
and the rank averages of IsolationForest with them (``COMPOSITIONS``),
against IsolationForest and kNN; the suite's splits, contaminated training,
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

from sklearn.ensemble import IsolationForest

from skfraud import AutoEncoderDetector, DTEDetector, VAEDetector
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


MEMBERS = {
    "IsolationForest": _iforest,
    "VAEDetector": _vae,
    "DTEDetector, 8 on 256 rows": _ensemble(DTEDetector),
    "AutoEncoderDetector, 8 on 256 rows": _ensemble(AutoEncoderDetector),
}

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
}


def _alone(name):
    def build(random_state, n_features, protocol):
        return MEMBERS[name](random_state)

    return build


def _rank_average(names):
    def build(random_state, n_features, protocol):
        return RankAverageDetector(
            [(name, MEMBERS[name](random_state)) for name in names]
        )

    return build


def specs(names=None):
    """The candidates as the harness's models (``names``: only these)."""
    models = [ModelSpec(name, "skfraud", _alone(name)) for name in MEMBERS]
    models += [
        ModelSpec(name, "skfraud", _rank_average(members))
        for name, members in COMPOSITIONS.items()
    ]
    return [spec for spec in models if names is None or spec.name in names]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", help="CSV of the records written")
    parser.add_argument("--datasets", nargs="+", default=SUITES["adbench"])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--max-rows", type=int, default=2000)
    parser.add_argument("--n-jobs", type=int, default=1)
    parser.add_argument("--models", nargs="+", default=None, help="only these")
    args = parser.parse_args(argv)
    result = run_benchmark(
        datasets=args.datasets,
        protocols=PROTOCOLS,
        detectors=[],
        peers=["kNN"],
        extra_models=specs(args.models),
        seeds=args.seeds,
        max_rows=args.max_rows,
        n_jobs=args.n_jobs,
        progress=False,
    )
    result.records.to_csv(args.output, index=False)


if __name__ == "__main__":
    main()
