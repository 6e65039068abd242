"""The benchmark loop: what each model is fitted on, failures, skipped models."""

import dataclasses

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator, OutlierMixin

from skfraud.benchmark import (
    PEERS,
    PROTOCOLS,
    SKFRAUD_MODELS,
    ModelSpec,
    evaluate,
    evaluate_paper,
    run_benchmark,
)
from skfraud.benchmark._runner import select_models


class Recorder(OutlierMixin, BaseEstimator):
    """Scores rows by their first column and remembers what fit received."""

    calls = []

    def fit(self, X, y=None):
        Recorder.calls.append((len(X), None if y is None else np.asarray(y)))
        return self

    def score_samples(self, X):
        return -X[:, 0].astype(np.float64)


class ToldGenuine(Recorder):
    def __init__(self, train_on="normal"):
        self.train_on = train_on


class Crashes(Recorder):
    def fit(self, X, y=None):
        raise RuntimeError("loss is NaN")


class ScoresNaN(Recorder):
    def score_samples(self, X):
        return np.full(len(X), np.nan)


def _spec(estimator_class, family="peer", uses_labels=False):
    return ModelSpec(
        estimator_class.__name__,
        family,
        lambda random_state, n_features, protocol: estimator_class(),
        uses_labels=uses_labels,
        epochs_param=None,
    )


@pytest.fixture
def data():
    """The anomalies (last 50 of 500 rows) have the largest first column."""
    y = np.r_[np.zeros(450, dtype=int), np.ones(50, dtype=int)]
    X = np.c_[np.r_[np.linspace(0, 1, 450), np.linspace(2, 3, 50)], np.zeros(500)]
    Recorder.calls = []
    return X.astype(np.float32), y


def test_clean_protocol_fits_every_model_on_the_normal_rows_alone(data):
    # As a user fits IsolationForest or a detector on rows known to be
    # genuine: those rows, no labels, whatever the model's family.
    X, y = data
    split = PROTOCOLS["clean"].split(y, 0)
    for family in ("skfraud", "peer"):
        evaluate(_spec(Recorder, family), X, y, split, protocol="clean", random_state=0)
    (n_skfraud, y_skfraud), (n_peer, y_peer) = Recorder.calls
    assert n_skfraud == n_peer == 315 == (y[split.train] == 0).sum()
    assert y_skfraud is None and y_peer is None


def test_few_label_protocol_passes_the_30_labels_to_label_users_only(data):
    X, y = data
    split = PROTOCOLS["few-label"].split(y, 0)
    evaluate(
        _spec(Recorder, uses_labels=True), X, y, split, protocol="x", random_state=0
    )
    evaluate(_spec(Recorder), X, y, split, protocol="x", random_state=0)
    (_, labels), (_, no_labels) = Recorder.calls
    assert labels.sum() == 30 and no_labels is None


def test_evaluate_measures_a_perfect_ranking(data):
    X, y = data
    split = PROTOCOLS["paper"].split(y, 0, "synthetic")
    record, scores = evaluate(
        _spec(Recorder), X, y, split, protocol="paper", random_state=0
    )
    assert record["auprc"] == 1.0 and record["roc_auc"] == 1.0
    # rho = 10 % of 500 rows: exactly the 50 anomalies, all in the test part.
    assert record["precision"] == record["recall"] == record["f1"] == 1.0
    assert record["fit_seconds"] >= 0 and record["score_rows_per_second"] > 0
    assert record["error"] == "" and scores.shape == (500,)


@pytest.mark.parametrize(
    ("estimator_class", "message"),
    [(Crashes, "RuntimeError: loss is NaN"), (ScoresNaN, "non-finite anomaly scores")],
)
def test_evaluate_records_a_failed_run(data, estimator_class, message):
    X, y = data
    split = PROTOCOLS["unsupervised"].split(y, 0)
    record, scores = evaluate(
        _spec(estimator_class), X, y, split, protocol="unsupervised", random_state=0
    )
    assert record["error"] == message
    assert scores is None and np.isnan(record["auprc"])


def test_pyod_models_are_skipped_with_a_note_without_pyod(monkeypatch):
    monkeypatch.setattr(
        "skfraud.benchmark._runner.is_available", lambda package: package is None
    )
    specs, skipped = select_models(
        ["AutoEncoderDetector"], ["PyOD VAE", "IsolationForest"]
    )
    assert [spec.name for spec in specs] == ["AutoEncoderDetector", "IsolationForest"]
    assert skipped == [
        "PyOD VAE: skipped, pyod is not installed (pip install skfraud[benchmark])"
    ]


def test_a_model_that_does_not_scale_is_skipped_with_a_note(monkeypatch):
    spec = dataclasses.replace(PEERS["OneClassSVM"], max_fit_rows=100)
    monkeypatch.setitem(PEERS, "OneClassSVM", spec)
    result = run_benchmark(
        datasets=["synthetic"],
        protocols=["paper"],
        detectors=["AutoEncoderDetector"],
        peers=["OneClassSVM", "IsolationForest"],
        seeds=1,
        max_rows=600,
        max_epochs=1,
        progress=False,
    )
    assert result.records["model"].tolist() == [
        "AutoEncoderDetector",
        "IsolationForest",
    ]
    assert result.skipped == [
        "OneClassSVM: skipped on synthetic (paper), 294 training rows > 100"
    ]
    assert (result.records["n_rows"] == 600).all()


def test_evaluate_paper_learns_from_a_subset_but_ranks_every_row():
    rng = np.random.default_rng(0)
    y = np.r_[np.zeros(400, dtype=int), np.ones(40, dtype=int)]
    X = pd.DataFrame({"amount": np.r_[rng.uniform(0, 1, 400), rng.uniform(2, 3, 40)]})
    Recorder.calls = []
    record = evaluate_paper(
        _spec(Recorder), "synthetic", X, y, random_state=0, max_fit_rows=50
    )
    assert Recorder.calls[0][0] == 50
    assert (record["n_fit_rows"], record["n_test_rows"]) == (50, 240)
    # rho = the 9.1 % anomaly share: the 40 top-ranked rows are the anomalies.
    assert record["precision"] == record["recall"] == record["auprc"] == 1.0


def test_few_label_protocols_differ_only_in_the_number_of_labels(data):
    _, y = data
    thirty = PROTOCOLS["few-label"].split(y, 0)
    five = PROTOCOLS["few-label-5"].split(y, 0)
    assert np.array_equal(thirty.train, five.train)
    assert np.array_equal(thirty.test, five.test)
    assert thirty.y_train.sum() == 30 and five.y_train.sum() == 5
    assert (y[five.train][five.y_train == 1] == 1).all()


def test_label_users_run_under_every_label_budget():
    budgets = {"few-label", "few-label-5", "few-label-100", "all-labels"}
    for name in (
        "DevNetDetector",
        "PReNetDetector",
        "DetectorScores + HGB",
        "DetectorScores + bagged HGB",
    ):
        assert SKFRAUD_MODELS[name].protocols == budgets
        assert SKFRAUD_MODELS[name].uses_labels
    for name in (
        "HistGradientBoostingClassifier",
        "bagged HistGradientBoostingClassifier",
    ):
        assert PEERS[name].protocols == budgets
        assert PEERS[name].uses_labels


@pytest.mark.parametrize(
    "name", ["DetectorScores + HGB", "DetectorScores + bagged HGB"]
)
def test_detector_scores_pipeline_learns_from_the_labels(data, name):
    X, y = data
    split = PROTOCOLS["few-label"].split(y, 0)
    record, _ = evaluate(
        SKFRAUD_MODELS[name],
        X,
        y,
        split,
        protocol="few-label",
        random_state=0,
    )
    assert record["error"] == ""
    assert record["auprc"] == 1.0


@pytest.mark.parametrize(
    "detectors",
    # DevNet runs under the few-label protocols only: here, none but the
    # extra; an empty list is a study that runs its own models alone.
    [["DevNetDetector"], []],
    ids=["devnet-not-under-this-protocol", "none"],
)
def test_extra_models_run_after_the_named_ones(detectors):
    Recorder.calls = []
    result = run_benchmark(
        datasets=["synthetic"],
        protocols=["unsupervised"],
        detectors=detectors,
        peers=[],
        extra_models=[_spec(Recorder)],
        seeds=1,
        max_rows=400,
        progress=False,
    )
    assert result.records["model"].tolist() == ["Recorder"]
    assert len(Recorder.calls) == 1


def test_an_empty_list_selects_no_model_and_none_selects_all():
    assert select_models([], []) == ([], [])
    specs, _ = select_models(None, [])
    assert [spec.name for spec in specs] == list(SKFRAUD_MODELS)


def test_details_add_columns_read_off_the_fitted_model(data):
    X, y = data
    split = PROTOCOLS["unsupervised"].split(y, 0)
    spec = dataclasses.replace(
        _spec(Recorder), details=lambda model: {"kind": type(model).__name__}
    )
    record, _ = evaluate(spec, X, y, split, protocol="unsupervised", random_state=0)
    assert record["kind"] == "Recorder" and record["auprc"] == 1.0


def test_clean_protocol_gives_a_model_told_its_rows_are_genuine_their_zeros(data):
    X, y = data
    split = PROTOCOLS["clean"].split(y, 0)
    evaluate(_spec(ToldGenuine), X, y, split, protocol="clean", random_state=0)
    ((n_rows, labels),) = Recorder.calls[-1:]
    assert n_rows == (y[split.train] == 0).sum() and not labels.any()
