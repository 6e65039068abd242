"""The benchmark harness: skfraud's detectors against their peers.

Data sets x seeds x protocols x models, with the same preprocessed rows for
every model, written as a CSV (one row per run), a Markdown report (mean ±
standard deviation over seeds) and plots. The ``skfraud benchmark`` command
runs it; :func:`run_benchmark` and :func:`write_results` are the same from
Python.

Protocols (:data:`PROTOCOLS`): ``unsupervised`` (stratified 70/30 split,
training on the contaminated training part), ``clean`` (the same split,
training on its normal rows only), ``paper`` (the DAGMM paper's protocol)
and ``few-label`` / ``few-label-5`` (30 or 5 labelled anomalies, for
:class:`~skfraud.DevNetDetector`, :class:`~skfraud.PReNetDetector`, Deep SAD
(the labelled mode of :class:`~skfraud.DeepSVDDDetector`), the
``DetectorScores + HGB`` pipeline, the same with a bagged classifier, and
the rank average of PReNet, Deep SAD, that bagged pipeline and the bagged
classifier alone). Peers
(:data:`PEERS`): IsolationForest, kNN, LocalOutlierFactor, OneClassSVM,
gradient boosting on the few labels (one classifier, or ten bagged), and
PyOD's AutoEncoder, VAE, DeepSVDD and DevNet when ``pyod`` is installed
(``pip install skfraud[benchmark]``).

Study scripts (the repository's ``benchmarks/``) run their own models as
:class:`ModelSpec` through ``run_benchmark(extra_models=...)``;
:class:`SharedFit` lets them compare compositions of the same members
without refitting each member for every composition.
"""

from skfraud.benchmark._datasets import (
    DATASETS,
    SUITES,
    BenchmarkDataset,
    load_dataset,
    make_dataset_preprocessor,
    take_rows,
)
from skfraud.benchmark._models import (
    RANK_AVERAGE,
    SKFRAUD_MODELS,
    detector_scores,
    xgbod,
)
from skfraud.benchmark._output import write_records, write_results
from skfraud.benchmark._peers import (
    PEERS,
    ClassifierAsDetector,
    KNNDetector,
    PyODAsDetector,
    bagged_gradient_boosting,
)
from skfraud.benchmark._protocols import (
    DEFAULT_PROTOCOLS,
    N_FEW_LABELS,
    PAPER_RHO,
    PROTOCOLS,
    Protocol,
    Split,
    few_label_split,
    few_labels,
    flag_top_share,
    paper_split,
    stratified_split,
    subsample,
)
from skfraud.benchmark._report import (
    describe_machine,
    failed,
    format_mean_std,
    markdown_report,
    markdown_table,
    summarise,
)
from skfraud.benchmark._runner import (
    BenchmarkResult,
    evaluate,
    evaluate_paper,
    preprocess,
    run_benchmark,
)
from skfraud.benchmark._shared_fits import SharedFit
from skfraud.benchmark._spec import FEW_LABEL, LABEL_FREE, ModelSpec
from skfraud.benchmark._suite import (
    SUITE_PEERS,
    SUITE_PROTOCOLS,
    average_ranks,
    dataset_scores,
    suite_report,
    suite_summary,
    win_counts,
    write_suite_results,
)
from skfraud.benchmark._variants import TrainingVariant, parse_variant

__all__ = [
    "DATASETS",
    "DEFAULT_PROTOCOLS",
    "FEW_LABEL",
    "LABEL_FREE",
    "N_FEW_LABELS",
    "PAPER_RHO",
    "PEERS",
    "PROTOCOLS",
    "RANK_AVERAGE",
    "SKFRAUD_MODELS",
    "SUITES",
    "SUITE_PEERS",
    "SUITE_PROTOCOLS",
    "BenchmarkDataset",
    "BenchmarkResult",
    "ClassifierAsDetector",
    "KNNDetector",
    "ModelSpec",
    "Protocol",
    "PyODAsDetector",
    "SharedFit",
    "Split",
    "TrainingVariant",
    "average_ranks",
    "bagged_gradient_boosting",
    "dataset_scores",
    "describe_machine",
    "detector_scores",
    "evaluate",
    "evaluate_paper",
    "failed",
    "few_label_split",
    "few_labels",
    "flag_top_share",
    "format_mean_std",
    "load_dataset",
    "make_dataset_preprocessor",
    "markdown_report",
    "markdown_table",
    "paper_split",
    "parse_variant",
    "preprocess",
    "run_benchmark",
    "stratified_split",
    "subsample",
    "suite_report",
    "suite_summary",
    "summarise",
    "take_rows",
    "win_counts",
    "write_records",
    "write_results",
    "write_suite_results",
    "xgbod",
]
