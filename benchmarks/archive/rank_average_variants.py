"""Two other compositions of the few-label rank average, 30 labels, 3 seeds.

Archived: neither composition was taken (``benchmarks/README.md``). The
members are those of the rank average of the time, PReNet, Deep SAD and
XGBOD with one gradient-boosting classifier.

Usage: python benchmarks/archive/rank_average_variants.py OUT.csv
(SKFRAUD_DATA as for skfraud benchmark).
"""

import sys

from skfraud.benchmark import (
    FEW_LABEL,
    SKFRAUD_MODELS,
    SUITES,
    ModelSpec,
    run_benchmark,
    xgbod,
)
from skfraud.ensemble import RankAverageDetector


def members(rs, nf, p, devnet=False):
    m = [
        ("prenet", SKFRAUD_MODELS["PReNetDetector"].build(rs, nf, p)),
        ("deep_sad", SKFRAUD_MODELS["DeepSAD"].build(rs, nf, p)),
        ("xgbod", xgbod(rs)),
    ]
    if devnet:
        m.append(("devnet", SKFRAUD_MODELS["DevNetDetector"].build(rs, nf, p)))
    return m


SPECS = [
    ModelSpec(
        "RA weights 1,1,2",
        "skfraud",
        lambda rs, nf, p: RankAverageDetector(members(rs, nf, p), weights=[1, 1, 2]),
        protocols=FEW_LABEL,
        uses_labels=True,
        epochs_param=None,
    ),
    ModelSpec(
        "RA + DevNet",
        "skfraud",
        lambda rs, nf, p: RankAverageDetector(members(rs, nf, p, True)),
        protocols=FEW_LABEL,
        uses_labels=True,
        epochs_param=None,
    ),
]
res = run_benchmark(
    datasets=SUITES["adbench"],
    protocols=["few-label"],
    detectors=[],
    peers=[],
    extra_models=SPECS,
    seeds=3,
    max_rows=2000,
    n_jobs=2,
    progress=False,
    data_home=None,
)
names = [spec.name for spec in SPECS]
res.records[res.records["model"].isin(names)].to_csv(sys.argv[1], index=False)
print(res.seconds)
