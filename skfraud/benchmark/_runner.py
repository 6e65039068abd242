"""The benchmark loop: data sets x seeds x protocols x models, one record a run."""

import functools
import itertools
import time
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from sklearn.metrics import (
    average_precision_score,
    precision_recall_fscore_support,
    roc_auc_score,
)
from tqdm.auto import tqdm

from skfraud.benchmark._datasets import (
    DATASETS,
    load_dataset,
    make_dataset_preprocessor,
    take_rows,
)
from skfraud.benchmark._models import SKFRAUD_MODELS
from skfraud.benchmark._peers import PEERS, is_available
from skfraud.benchmark._protocols import (
    DEFAULT_PROTOCOLS,
    PAPER_RHO,
    PROTOCOLS,
    Split,
    flag_top_share,
    paper_split,
    subsample,
)
from skfraud.benchmark._variants import parse_variant, variant_spec
from skfraud.metrics import anomaly_score

__all__ = [
    "BenchmarkResult",
    "evaluate",
    "evaluate_paper",
    "preprocess",
    "run_benchmark",
    "select_models",
]

METRICS = ("auprc", "roc_auc", "precision", "recall", "f1")


@dataclass
class BenchmarkResult:
    """What a benchmark run produced.

    Attributes
    ----------
    records : DataFrame
        One row per data set, protocol, seed and model.
    curves : dict
        ``(dataset, protocol, model)`` to ``(y_test, anomaly_scores)`` of the
        first seed, for the precision-recall plots.
    skipped : list of str
        Models that did not run, and why.
    settings : dict
        The arguments of the run and the size of each data set.
    seconds : float
        Wall-clock time of the run.
    """

    records: pd.DataFrame
    curves: dict = field(default_factory=dict)
    skipped: list = field(default_factory=list)
    settings: dict = field(default_factory=dict)
    seconds: float = 0.0


def _spec(name, registry):
    """The spec of a model or of a variant (``"Model:key=value,..."``)."""
    model, params = parse_variant(name)
    if model not in registry:
        raise ValueError(f"Unknown model {model!r}; choose from {', '.join(registry)}.")
    spec = registry[model]
    return variant_spec(spec, name, params) if params else spec


def select_models(detectors=None, peers=None):
    """The model specs of a run, and a note for each one that cannot run.

    Parameters
    ----------
    detectors : list of str, default=None
        skfraud detectors by name; None: all of them, ``[]``: none. A name
        may carry parameters, ``"AutoEncoderDetector:max_epochs=200"``: see
        :func:`skfraud.benchmark.parse_variant`.
    peers : list of str, default=None
        Peers by name (variants as for ``detectors``); None: all of them,
        ``[]``: none.

    Returns
    -------
    specs : list of ModelSpec
        The models that can run, skfraud's first.
    skipped : list of str
        One line per model left out because a package is missing.
    """
    chosen = [
        *(
            _spec(name, SKFRAUD_MODELS)
            for name in (SKFRAUD_MODELS if detectors is None else detectors)
        ),
        *(_spec(name, PEERS) for name in (PEERS if peers is None else peers)),
    ]
    specs, skipped = [], []
    for spec in chosen:
        if is_available(spec.requires):
            specs.append(spec)
        else:
            skipped.append(
                f"{spec.name}: skipped, {spec.requires} is not installed "
                f"(pip install skfraud[benchmark])"
            )
    return specs, skipped


def _told_genuine(model):
    """Whether the model, or an estimator inside it, has train_on="normal"."""
    if not hasattr(model, "get_params"):
        return False
    return any(
        key.split("__")[-1] == "train_on" and value == "normal"
        for key, value in model.get_params(deep=True).items()
    )


def evaluate(spec, X, y, split, *, protocol, random_state, max_epochs=None):
    """Fit one model under one split and measure it.

    Parameters
    ----------
    spec : ModelSpec
    X : ndarray of shape (n_samples, n_features)
        Every row of the run, preprocessed.
    y : ndarray of shape (n_samples,)
        True labels, 1 = anomaly.
    split : Split
    protocol : str
    random_state : int
    max_epochs : int, default=None
        Overrides the model's training epochs when given.

    Returns
    -------
    record : dict
        The metrics on the test rows (NaN and an ``error`` when the run
        failed), and the columns of ``spec.details`` when it is set.
    anomaly_scores : ndarray or None
        Anomaly scores of every row, None when the run failed.
    """
    model = spec.build(random_state, X.shape[1], protocol)
    if max_epochs is not None and spec.epochs_param is not None:
        model.set_params(**{spec.epochs_param: max_epochs})
    # Every label-free model is fitted as a user fits it: on the rows it
    # learns from (under the clean protocol, the genuine rows alone). A model
    # told that its rows are genuine (train_on="normal") gets them with
    # y = 0, as a user who says so fits it.
    if spec.uses_labels:
        fit_args, fit_positions = (X[split.train], split.y_train), None
    else:
        fit_args, fit_positions = (X[split.fit_rows],), split.fit_rows
        if split.normal_only and _told_genuine(model):
            fit_args += (np.zeros(len(split.fit_rows), dtype=int),)
    record = dict.fromkeys(METRICS, np.nan)
    record.update(fit_seconds=np.nan, score_rows_per_second=np.nan, error="")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            start = time.perf_counter()
            model.fit(*fit_args)
            record["fit_seconds"] = time.perf_counter() - start
            start = time.perf_counter()
            scores = anomaly_score(model, X)
            record["score_rows_per_second"] = len(X) / (time.perf_counter() - start)
            # A training row would be its own nearest neighbour (kNN).
            if fit_positions is not None and hasattr(model, "train_score_samples_"):
                scores[fit_positions] = -model.train_score_samples_
            if spec.details is not None:
                record.update(spec.details(model))
    except Exception as error:  # a crash is a failed run, recorded as such
        record["error"] = f"{type(error).__name__}: {error}"
        return record, None
    if not np.isfinite(scores).all():
        record["error"] = "non-finite anomaly scores"
        return record, None
    test = split.test
    flagged = flag_top_share(scores, split.rho)[test]
    precision, recall, f1, _ = precision_recall_fscore_support(
        y[test], flagged, average="binary", zero_division=0
    )
    record.update(
        auprc=average_precision_score(y[test], scores[test]),
        roc_auc=roc_auc_score(y[test], scores[test]),
        precision=precision,
        recall=recall,
        f1=f1,
    )
    return record, scores


def evaluate_paper(spec, dataset, X, y, *, random_state, max_fit_rows=None):
    """One model under the paper protocol, optionally learning from fewer rows.

    The split of :func:`skfraud.benchmark.paper_split`; the model (and the
    preprocessing) learns from at most ``max_fit_rows`` rows of the training
    half, while the threshold still ranks every row, as in
    :func:`evaluate`.

    Parameters
    ----------
    spec : ModelSpec
    dataset : str
        Name of the data set: its preprocessing and rho.
    X : DataFrame or ndarray of shape (n_samples, n_features)
        The rows as loaded.
    y : ndarray of shape (n_samples,)
    random_state : int
    max_fit_rows : int, default=None

    Returns
    -------
    record : dict
        As :func:`evaluate`'s, with ``n_fit_rows`` and ``n_test_rows``.
    """
    _, test, fit_rows = paper_split(y, random_state, max_fit_rows)
    rho = PAPER_RHO.get(dataset, float(np.mean(y)))
    split = Split(fit_rows, test, None, normal_only=False, rho=rho)
    X_model = preprocess(dataset, X, fit_rows)
    record, _ = evaluate(
        spec, X_model, y, split, protocol="paper", random_state=random_state
    )
    return {"n_fit_rows": len(fit_rows), "n_test_rows": len(test), **record}


def preprocess(dataset, X, fit_rows):
    """Every row of ``X`` as model input, the preprocessing fitted on ``fit_rows``.

    Parameters
    ----------
    dataset : str
        Name of the data set, which sets the preprocessing
        (:func:`skfraud.benchmark.make_dataset_preprocessor`).
    X : DataFrame or ndarray of shape (n_samples, n_features)
    fit_rows : ndarray of int
        Positions of the rows the preprocessing learns from: those the models
        learn from.

    Returns
    -------
    X_model : ndarray of shape (n_samples, n_model_features), float32
    """
    preprocessor = make_dataset_preprocessor(dataset)
    preprocessor.fit(take_rows(X, fit_rows))
    return np.asarray(preprocessor.transform(X), dtype=np.float32)


def _prepare(dataset, X, y, seed, protocol):
    """Split the rows, preprocess them for the models, describe the split."""
    split = protocol.split(y, seed, dataset)
    X_model = preprocess(dataset, X, split.fit_rows)
    base = {
        "dataset": dataset,
        "protocol": protocol.name,
        "seed": seed,
        "n_rows": len(y),
        "n_fit": len(split.fit_rows),
        "n_test": len(split.test),
        "test_anomaly_share": float(np.mean(y[split.test])),
        "rho": split.rho,
        "n_labelled": int(split.y_train.sum()) if protocol.uses_labels else 0,
    }
    return X_model, y, split, base


def _applicable(specs, protocol):
    return [spec for spec in specs if protocol.name in spec.protocols]


def _run_dataset(
    dataset,
    *,
    seeds,
    protocols,
    specs,
    max_rows,
    max_epochs,
    data_home,
    download_if_missing=False,
    on_fit=None,
):
    """Every seed, protocol and model on one data set.

    Returns the records, the first seed's curves, the data set's size and
    the notes on skipped models. ``on_fit(text, record)`` is called before
    each fit (record None) and after it.
    """
    X_all, y_all = load_dataset(dataset, data_home, download_if_missing)
    records, curves, notes = [], {}, []
    for seed, protocol in itertools.product(seeds, protocols):
        rows = subsample(y_all, max_rows, seed)
        X, y, split, base = _prepare(
            dataset, take_rows(X_all, rows), y_all[rows], seed, protocol
        )
        for spec in _applicable(specs, protocol):
            if on_fit is not None:
                on_fit(f"{dataset} {protocol.name} seed {seed} {spec.name}", None)
            if spec.max_fit_rows and base["n_fit"] > spec.max_fit_rows:
                note = (
                    f"{spec.name}: skipped on {dataset} ({protocol.name}), "
                    f"{base['n_fit']:,} training rows > {spec.max_fit_rows:,}"
                )
                notes += [] if note in notes else [note]
                continue
            record, scores = evaluate(
                spec,
                X,
                y,
                split,
                protocol=protocol.name,
                random_state=seed,
                max_epochs=max_epochs,
            )
            record = {**base, "model": spec.name, "family": spec.family, **record}
            records.append(record)
            if seed == seeds[0] and scores is not None:
                key = (dataset, protocol.name, spec.name)
                curves[key] = (y[split.test], scores[split.test])
            if on_fit is not None:
                on_fit(None, record)
    size = (len(y_all), int(y_all.sum()))
    return records, curves, size, notes


def run_benchmark(
    *,
    datasets=("thyroid",),
    protocols=DEFAULT_PROTOCOLS,
    detectors=None,
    peers=None,
    extra_models=(),
    seeds=3,
    max_rows=None,
    max_epochs=None,
    data_home=None,
    download_if_missing=False,
    progress=True,
    on_record=None,
    n_jobs=1,
):
    """Run every model on every data set, seed and protocol.

    For each data set and seed, a stratified subsample of at most
    ``max_rows`` rows (a new one per seed) is split by each protocol; the
    preprocessing is fitted on the rows the models learn from and applied to
    every row; then every model that runs under the protocol is fitted and
    scores every row once.

    Parameters
    ----------
    datasets : sequence of str, default=("thyroid",)
        Names of :data:`skfraud.benchmark.DATASETS`.
    protocols : sequence of str, default=all
        Names of :data:`skfraud.benchmark.PROTOCOLS`.
    detectors, peers : list of str, default=None
        The models, or variants of them; see :func:`select_models`.
    extra_models : sequence of ModelSpec, default=()
        Further models run after those named, such as the variants of one
        model that a study compares.
    seeds : int or sequence of int, default=3
        A count (seeds 0 to ``seeds - 1``) or the seeds themselves. A seed
        sets the subsample, the split and the models' ``random_state``.
    max_rows : int, default=None
        Larger data sets are subsampled to this many rows.
    max_epochs : int, default=None
        Overrides the training epochs of every deep model, skfraud's and
        PyOD's (for quick checks; each model's default otherwise).
    data_home : str or path-like, default=None
        Data folder; see :func:`skfraud.datasets.get_data_home`.
    download_if_missing : bool, default=False
        Download a missing data file from its public origin into the data
        folder (the loaders' parameter of the same name).
    progress : bool, default=True
        Show a progress bar.
    on_record : callable, default=None
        Called with the list of records so far after each run (after each
        data set when ``n_jobs > 1``).
    n_jobs : int, default=1
        Data sets run at the same time, each in its own process. The
        records are the same as with one process; their order is that of
        the data sets.

    Returns
    -------
    result : BenchmarkResult
    """
    seeds = list(range(seeds)) if isinstance(seeds, int) else list(seeds)
    protocols = [PROTOCOLS[name] for name in protocols]
    specs, skipped = select_models(detectors, peers)
    specs += list(extra_models)
    fits = sum(len(_applicable(specs, protocol)) for protocol in protocols)
    settings = {
        "datasets": list(datasets),
        "protocols": [protocol.name for protocol in protocols],
        "seeds": seeds,
        "max_rows": max_rows,
        "max_epochs": max_epochs,
    }
    task = functools.partial(
        _run_dataset,
        seeds=seeds,
        protocols=protocols,
        specs=specs,
        max_rows=max_rows,
        max_epochs=max_epochs,
        data_home=data_home,
        download_if_missing=download_if_missing,
    )
    results, records = {}, []
    start = time.perf_counter()
    with tqdm(
        total=len(datasets) * len(seeds) * fits, disable=not progress, unit="fit"
    ) as bar:
        if n_jobs == 1:

            def on_fit(text, record):
                if record is None:
                    bar.set_postfix_str(text)
                    bar.update()
                else:
                    records.append(record)
                    if on_record is not None:
                        on_record(records)

            for dataset in datasets:
                results[dataset] = task(dataset, on_fit=on_fit)
        else:
            parallel = Parallel(n_jobs=n_jobs, return_as="generator_unordered")
            outputs = parallel(
                delayed(lambda name: (name, task(name)))(dataset)
                for dataset in datasets
            )
            for dataset, output in outputs:
                results[dataset] = output
                records += output[0]
                bar.set_postfix_str(f"{dataset} done")
                bar.update(len(seeds) * fits)
                if on_record is not None:
                    on_record(records)
    curves, sizes = {}, {}
    records = []
    for dataset in datasets:
        dataset_records, dataset_curves, sizes[dataset], notes = results[dataset]
        records += dataset_records
        curves.update(dataset_curves)
        skipped += [note for note in notes if note not in skipped]
    settings.update(
        sizes=sizes,
        summaries={name: DATASETS[name].summary for name in datasets},
    )
    return BenchmarkResult(
        records=pd.DataFrame(records),
        curves=curves,
        skipped=skipped,
        settings=settings,
        seconds=time.perf_counter() - start,
    )
