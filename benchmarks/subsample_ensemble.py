"""SubsampleEnsembleDetector of DTEDetector, contaminated training rows.

Eight DTEDetector, each fitted on 256 random training rows, on the 34 sets
of the adbench suite under the unsupervised protocol, 3 seeds, 2,000 rows.
The records of the single DTEDetector and of IsolationForest on the same
seeds and splits are those of ``benchmarks/results/suite_all.csv``.

Usage: python benchmarks/subsample_ensemble.py OUT.csv (SKFRAUD_DATA as for
skfraud benchmark), then benchmarks/suite_report.py on OUT.csv joined with
those records. ``--datasets`` and ``--seeds`` choose a smaller run.
"""

import argparse

from skfraud import DTEDetector
from skfraud.benchmark import SUITES, ModelSpec, run_benchmark
from skfraud.ensemble import SubsampleEnsembleDetector

NAME = "DTEDetector, 8 on 256 rows"


def build(random_state, n_features, protocol):
    return SubsampleEnsembleDetector(
        DTEDetector(train_on="all"),
        n_estimators=8,
        max_samples="auto",  # 256 rows, or all of a smaller table
        random_state=random_state,
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", help="CSV of the records written")
    parser.add_argument("--datasets", nargs="+", default=SUITES["adbench"])
    parser.add_argument("--seeds", type=int, default=3)
    args = parser.parse_args(argv)
    spec = ModelSpec(NAME, "skfraud", build, protocols=frozenset({"unsupervised"}))
    result = run_benchmark(
        datasets=args.datasets,
        protocols=["unsupervised"],
        detectors=[],
        peers=[],
        extra_models=[spec],
        seeds=args.seeds,
        max_rows=2000,
        n_jobs=2,
        progress=False,
    )
    result.records.to_csv(args.output, index=False)
    print(f"{result.seconds / 60:.1f} min")


if __name__ == "__main__":
    main()
