"""Anomaly-aware scorers, ranking metrics and threshold tuning."""

import copy
import pickle

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator, OutlierMixin
from sklearn.covariance import EllipticEnvelope
from sklearn.ensemble import IsolationForest
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (
    average_precision_score,
    check_scoring,
    f1_score,
    get_scorer,
    roc_auc_score,
)
from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_validate
from sklearn.neighbors import LocalOutlierFactor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import OneClassSVM

from skfraud.metrics import (
    ThresholdResult,
    anomaly_average_precision_scorer,
    anomaly_roc_auc_scorer,
    anomaly_score,
    get_anomaly_scorer,
    get_anomaly_scorer_names,
    make_anomaly_scorer,
    precision_at_k,
    recall_at_fpr,
    set_offset,
    tune_threshold,
)


class ColumnScoreDetector(OutlierMixin, BaseEstimator):
    """Detector whose anomaly score is the first column, for known answers."""

    def fit(self, X, y=None):
        self.offset_ = float(np.min(self.score_samples(X))) - 1.0
        self.n_features_in_ = np.asarray(X).shape[1]
        return self

    def score_samples(self, X):
        return -np.asarray(X, dtype=np.float64)[:, 0]

    def decision_function(self, X):
        return self.score_samples(X) - self.offset_

    def predict(self, X):
        return np.where(self.decision_function(X) < 0, -1, 1)


class DecisionOnlyDetector(OutlierMixin, BaseEstimator):
    """Detector with decision_function but no score_samples."""

    def fit(self, X, y=None):
        self.offset_ = 0.0
        return self

    def decision_function(self, X):
        return -np.asarray(X, dtype=np.float64)[:, 0]


def column(values):
    return np.asarray(values, dtype=np.float64).reshape(-1, 1)


@pytest.fixture(scope="module")
def planted():
    """A Gaussian blob and 15 scattered far-away anomalies (y == 1), shuffled."""
    rng = np.random.default_rng(0)
    directions = rng.normal(size=(15, 3))
    directions /= np.linalg.norm(directions, axis=1, keepdims=True)
    anomalies = directions * rng.uniform(6.0, 8.0, size=(15, 1))
    X = np.vstack([rng.normal(size=(300, 3)), anomalies])
    y = np.r_[np.zeros(300, dtype=int), np.ones(15, dtype=int)]
    order = rng.permutation(len(y))
    return X[order], y[order]


@pytest.fixture(scope="module")
def iforest(planted):
    X, _ = planted
    return IsolationForest(random_state=0).fit(X)


# --------------------------------------------------------------------------
# anomaly_score
# --------------------------------------------------------------------------


def test_anomaly_score_is_negated_score_samples(planted, iforest):
    X, y = planted
    scores = anomaly_score(iforest, X)
    np.testing.assert_array_equal(scores, -iforest.score_samples(X))
    assert scores.dtype == np.float64
    # The planted anomalies get the highest scores.
    assert set(np.argsort(scores)[-15:]) == set(np.flatnonzero(y))


def test_anomaly_score_falls_back_to_decision_function():
    X = column([1.0, 5.0, 2.0])
    detector = DecisionOnlyDetector().fit(X)
    np.testing.assert_array_equal(anomaly_score(detector, X), [1.0, 5.0, 2.0])


def test_anomaly_score_on_pipeline(planted):
    X, _ = planted
    pipe = make_pipeline(StandardScaler(), IsolationForest(random_state=0)).fit(X)
    expected = -pipe[-1].score_samples(pipe[0].transform(X))
    np.testing.assert_array_equal(anomaly_score(pipe, X), expected)


def test_anomaly_score_rejects_non_detectors(planted):
    X, y = planted
    # Without novelty=True, LocalOutlierFactor scores only its training rows.
    with pytest.raises(TypeError, match="implementing 'score_samples' or"):
        anomaly_score(LocalOutlierFactor().fit(X), X)
    with pytest.raises(TypeError, match="classifier"):
        anomaly_score(LogisticRegression().fit(X, y), X)
    with pytest.raises(TypeError, match="classifier"):
        anomaly_score(
            make_pipeline(StandardScaler(), LogisticRegression()).fit(X, y), X
        )
    with pytest.raises(TypeError, match="'decision_function'. Got <object"):
        anomaly_score(object(), X)


def test_anomaly_score_unfitted_raises_not_fitted(planted):
    X, _ = planted
    with pytest.raises(NotFittedError):
        anomaly_score(IsolationForest(), X)


# --------------------------------------------------------------------------
# Scorers
# --------------------------------------------------------------------------


def test_sklearn_roc_auc_is_inverted_and_ours_is_not(planted, iforest):
    X, y = planted
    auc = roc_auc_score(y, -iforest.score_samples(X))
    assert auc > 0.95

    sklearn_auc = get_scorer("roc_auc")(iforest, X, y)
    assert sklearn_auc < 0.5
    assert sklearn_auc == pytest.approx(1 - auc)
    assert check_scoring(iforest, "roc_auc")(iforest, X, y) == pytest.approx(1 - auc)

    assert anomaly_roc_auc_scorer(iforest, X, y) == pytest.approx(auc)
    assert get_anomaly_scorer("roc_auc")(iforest, X, y) == pytest.approx(auc)
    assert check_scoring(iforest, anomaly_roc_auc_scorer)(iforest, X, y) == (
        pytest.approx(auc)
    )


def test_average_precision_scorer(planted, iforest):
    X, y = planted
    expected = average_precision_score(y, -iforest.score_samples(X))
    assert expected > 0.9
    assert anomaly_average_precision_scorer(iforest, X, y) == pytest.approx(expected)
    sklearn_ap = get_scorer("average_precision")(iforest, X, y)
    assert sklearn_ap < 0.2


@pytest.mark.parametrize(
    "detector",
    [
        LocalOutlierFactor(novelty=True),
        OneClassSVM(gamma="scale", nu=0.05),
        EllipticEnvelope(random_state=0),
        make_pipeline(StandardScaler(), IsolationForest(random_state=0)),
    ],
    ids=lambda est: type(est).__name__,
)
def test_scorers_work_for_other_detectors(planted, detector):
    X, y = planted
    detector = copy.deepcopy(detector).fit(X)
    auc = anomaly_roc_auc_scorer(detector, X, y)
    assert auc == pytest.approx(roc_auc_score(y, anomaly_score(detector, X)))
    assert auc > 0.9


@pytest.mark.parametrize(
    "y",
    [
        lambda y: pd.Series(y),
        lambda y: y.astype(bool),
        lambda y: y.astype(float),
        lambda y: pd.Series(y, dtype="Int64"),
        lambda y: y.reshape(-1, 1),
    ],
    ids=["series", "bool", "float", "nullable-int", "column"],
)
def test_scorer_accepts_binary_label_containers(planted, iforest, y):
    X, labels = planted
    expected = roc_auc_score(labels, anomaly_score(iforest, X))
    assert anomaly_roc_auc_scorer(iforest, X, y(labels)) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("y", "match"),
    [
        (None, "y is None"),
        (np.r_[np.zeros(300), 2 * np.ones(15)], "binary"),
        (np.r_[-np.ones(300), np.ones(15)], "binary"),
        (np.array(["normal"] * 300 + ["fraud"] * 15), "0 \\(normal\\)"),
        (pd.Series(["0"] * 300 + ["1"] * 15), "non-numeric"),
        (pd.Series([0] * 314 + [None], dtype="Int64"), "non-numeric"),
        (np.r_[np.zeros(314), np.nan], "binary"),
    ],
    ids=["none", "two", "minus-one", "strings", "str-dtype", "na", "nan"],
)
def test_scorer_rejects_bad_y(planted, iforest, y, match):
    X, _ = planted
    with pytest.raises(ValueError, match=match):
        anomaly_roc_auc_scorer(iforest, X, y)


def test_predict_based_scorers_use_flags(planted, iforest):
    X, y = planted
    flags = (iforest.predict(X) == -1).astype(int)
    assert get_anomaly_scorer("f1")(iforest, X, y) == pytest.approx(f1_score(y, flags))
    # scikit-learn's "f1" compares -1/+1 predictions with 0/1 labels.
    assert get_anomaly_scorer("f1")(iforest, X, y) > 0.1


def test_make_anomaly_scorer_options(planted, iforest):
    X, y = planted
    scores = anomaly_score(iforest, X)
    at_15 = make_anomaly_scorer(precision_at_k, k=15)
    assert at_15(iforest, X, y) == pytest.approx(precision_at_k(y, scores, 15))
    assert "k=15" in repr(at_15)

    loss = make_anomaly_scorer(roc_auc_score, greater_is_better=False)
    assert loss(iforest, X, y) == pytest.approx(-roc_auc_score(y, scores))

    weights = np.where(y == 1, 2.0, 1.0)
    weighted = anomaly_average_precision_scorer(iforest, X, y, sample_weight=weights)
    assert weighted == pytest.approx(
        average_precision_score(y, scores, sample_weight=weights)
    )

    with pytest.raises(ValueError, match="'response_method' parameter"):
        make_anomaly_scorer(roc_auc_score, response_method="decision_function")
    with pytest.raises(TypeError, match="'score_func' parameter .* callable"):
        make_anomaly_scorer("roc_auc")
    with pytest.raises(TypeError, match="'greater_is_better' parameter"):
        make_anomaly_scorer(roc_auc_score, greater_is_better="yes")


def test_get_anomaly_scorer_names_and_errors():
    names = get_anomaly_scorer_names()
    assert {"average_precision", "roc_auc", "f1", "precision", "recall"} <= set(names)
    assert get_anomaly_scorer("roc_auc") is not anomaly_roc_auc_scorer
    with pytest.raises(ValueError, match="'name' parameter .* str among"):
        get_anomaly_scorer("accuracy")
    with pytest.raises(ValueError, match="'roc_auc'.*Got <function roc_auc_score"):
        get_anomaly_scorer(roc_auc_score)


def test_scorers_pickle(planted, iforest):
    X, y = planted
    restored = pickle.loads(pickle.dumps(get_anomaly_scorer("average_precision")))
    assert restored(iforest, X, y) == anomaly_average_precision_scorer(iforest, X, y)


def test_grid_search_with_anomaly_scorers(planted):
    X, y = planted
    cv = StratifiedKFold(n_splits=3, shuffle=True, random_state=0)
    search = GridSearchCV(
        IsolationForest(n_estimators=30, random_state=0),
        {"contamination": [0.005, 0.05, 0.3]},
        scoring={
            "average_precision": anomaly_average_precision_scorer,
            "f1": get_anomaly_scorer("f1"),
        },
        refit="f1",
        cv=cv,
        n_jobs=1,
    ).fit(X, y)
    # Ranking metrics ignore the threshold; F1 picks the true anomaly rate.
    ap = search.cv_results_["mean_test_average_precision"]
    assert np.ptp(ap) == pytest.approx(0.0)
    assert ap.min() > 0.9
    assert search.best_params_ == {"contamination": 0.05}
    assert search.best_score_ > 0.8


def test_grid_search_on_pipeline_refits_best(planted):
    X, y = planted
    search = GridSearchCV(
        make_pipeline(
            StandardScaler(), IsolationForest(n_estimators=30, random_state=0)
        ),
        {"isolationforest__max_samples": [8, 64]},
        scoring=anomaly_roc_auc_scorer,
        cv=StratifiedKFold(n_splits=3, shuffle=True, random_state=0),
        n_jobs=1,
    ).fit(X, y)
    assert search.best_score_ > 0.9
    assert search.score(X, y) == pytest.approx(
        roc_auc_score(y, anomaly_score(search.best_estimator_, X))
    )


def test_cross_validate_matches_per_fold_metrics(planted):
    X, y = planted
    scoring = {
        name: get_anomaly_scorer(name) for name in ("average_precision", "roc_auc")
    }
    result = cross_validate(
        IsolationForest(n_estimators=30, random_state=0),
        pd.DataFrame(X),
        pd.Series(y),
        cv=StratifiedKFold(n_splits=3, shuffle=True, random_state=0),
        scoring=scoring,
        return_estimator=True,
        return_indices=True,
    )
    for fold, (model, test) in enumerate(
        zip(result["estimator"], result["indices"]["test"], strict=True)
    ):
        scores = -model.score_samples(pd.DataFrame(X).iloc[test])
        assert result["test_roc_auc"][fold] == pytest.approx(
            roc_auc_score(y[test], scores)
        )
        assert result["test_average_precision"][fold] == pytest.approx(
            average_precision_score(y[test], scores)
        )
    assert result["test_roc_auc"].min() > 0.9


# --------------------------------------------------------------------------
# precision_at_k and recall_at_fpr
# --------------------------------------------------------------------------


def test_precision_at_k_hand_computed():
    y = [1, 0, 1, 1, 0, 0, 0, 0, 1, 0]
    scores = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.0]
    assert precision_at_k(y, scores, 1) == 1.0
    assert precision_at_k(y, scores, 2) == 0.5
    assert precision_at_k(y, scores, 4) == 0.75
    assert precision_at_k(y, scores, 10) == 0.4
    # A fraction of rows: 0.3 * 10 = 3 rows; 0.29 * 10 rounds down to 2.
    assert precision_at_k(y, scores, 0.3) == pytest.approx(2 / 3)
    assert precision_at_k(y, scores, 0.29) == 0.5
    # Row order does not matter.
    order = np.random.default_rng(0).permutation(10)
    assert precision_at_k(np.take(y, order), np.take(scores, order), 4) == 0.75


def test_precision_at_k_splits_ties_in_proportion():
    # Top row is an anomaly; the next three are tied, one of them an anomaly.
    y = [1, 0, 1, 0, 0]
    scores = [5.0, 3.0, 3.0, 3.0, 1.0]
    # k=2: the anomaly at 5 plus one of three tied rows (1/3 of an anomaly).
    assert precision_at_k(y, scores, 2) == pytest.approx((1 + 1 / 3) / 2)
    assert precision_at_k(y, scores, 4) == pytest.approx(2 / 4)


@pytest.mark.parametrize(
    ("k", "error", "match"),
    [
        (0, ValueError, "int in the range \\[1, inf\\) .* Got 0 instead"),
        (11, ValueError, "between 1 and the number of rows \\(10\\)"),
        (0.05, ValueError, "less than one row"),
        (1.5, ValueError, "float in the range \\(0.0, 1.0\\]. Got 1.5"),
        ("3", TypeError, "'k' parameter of precision_at_k .* Got '3'"),
    ],
)
def test_precision_at_k_bad_k(k, error, match):
    with pytest.raises(error, match=match):
        precision_at_k([0, 1] * 5, np.arange(10.0), k)


def test_ranking_metrics_check_inputs():
    with pytest.raises(ValueError, match="NaN"):
        precision_at_k([0, 1], [0.5, np.nan], 1)
    with pytest.raises(ValueError, match="inconsistent"):
        precision_at_k([0, 1, 1], [0.5, 0.2], 1)
    with pytest.raises(ValueError, match="binary"):
        recall_at_fpr([0, 2], [0.5, 0.2], 0.1)


def test_recall_at_fpr_hand_computed():
    # Ranked: 1 0 1 1 0 0 0 0 1 0 -> 4 anomalies, 6 normal rows.
    y = [1, 0, 1, 1, 0, 0, 0, 0, 1, 0]
    scores = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.0]
    assert recall_at_fpr(y, scores, 0.0) == 0.25
    assert recall_at_fpr(y, scores, 1 / 6) == 0.75
    assert recall_at_fpr(y, scores, 0.5) == 0.75
    assert recall_at_fpr(y, scores, 5 / 6) == 1.0
    assert recall_at_fpr(y, scores, 1.0) == 1.0


def test_recall_at_fpr_ties_are_flagged_together():
    # The top two rows are tied, one anomaly and one normal row.
    y = [1, 0, 1, 0, 0]
    scores = [2.0, 2.0, 1.5, 1.0, 0.5]
    assert recall_at_fpr(y, scores, 0.0) == 0.0
    assert recall_at_fpr(y, scores, 1 / 3) == 1.0


def test_recall_at_fpr_errors():
    with pytest.raises(ValueError, match="both anomalies"):
        recall_at_fpr([0, 0, 0], [0.1, 0.2, 0.3], 0.1)
    with pytest.raises(ValueError, match="max_fpr"):
        recall_at_fpr([0, 1], [0.1, 0.2], 1.5)


# --------------------------------------------------------------------------
# Threshold tuning
# --------------------------------------------------------------------------

# Anomaly scores 10..1, highest first, and which of them are anomalies.
KNOWN_SCORES = column([10, 9, 8, 7, 6, 5, 4, 3, 2, 1])
KNOWN_Y = np.array([1, 1, 0, 1, 0, 0, 1, 0, 0, 0])


@pytest.fixture
def known():
    return ColumnScoreDetector().fit(KNOWN_SCORES)


@pytest.mark.parametrize(
    ("objective", "target", "threshold", "n_alerts"),
    [
        # F1 at the top k: .4 .67 .57 .75 .67 .6 .73 ... -> best at k=4.
        ("f1", None, 7.0, 4),
        ("recall", 1.0, 4.0, 7),
        ("recall", 0.75, 7.0, 4),
        ("recall", 0.5, 9.0, 2),
        ("recall", 0.3, 9.0, 2),
        # Precision 1.0 holds at k=1 and k=2; k=2 catches more.
        ("precision", 1.0, 9.0, 2),
        ("precision", 0.75, 7.0, 4),
        ("precision", 0.5, 4.0, 7),
        ("n_alerts", 3, 8.0, 3),
        ("n_alerts", 20, 1.0, 10),
        ("alert_rate", 0.3, 8.0, 3),
        ("alert_rate", 0.35, 8.0, 3),
    ],
)
def test_tune_threshold_known_answers(known, objective, target, threshold, n_alerts):
    result = tune_threshold(
        known, KNOWN_SCORES, KNOWN_Y, objective=objective, target=target
    )
    assert isinstance(result, ThresholdResult)
    assert result.threshold == threshold
    assert result.n_alerts == n_alerts
    assert result.alert_rate == n_alerts / 10
    flagged = KNOWN_SCORES[:, 0] >= threshold
    hits = KNOWN_Y[flagged].sum()
    assert result.precision == pytest.approx(hits / n_alerts)
    assert result.recall == pytest.approx(hits / 4)
    assert result.f1 == pytest.approx(f1_score(KNOWN_Y, flagged))


def test_tune_threshold_does_not_modify_and_set_offset_applies(known):
    before = known.offset_
    result = tune_threshold(known, KNOWN_SCORES, KNOWN_Y, objective="f1")
    assert known.offset_ == before
    assert set_offset(known, result.offset) is known
    assert known.offset_ == result.offset
    flagged = known.predict(KNOWN_SCORES) == -1
    np.testing.assert_array_equal(flagged, KNOWN_SCORES[:, 0] >= 7.0)
    np.testing.assert_array_equal(known.decision_function(KNOWN_SCORES) < 0, flagged)


def test_tune_threshold_best_f1_tie_prefers_fewer_alerts():
    X = column([4, 3, 2, 1])
    detector = ColumnScoreDetector().fit(X)
    # Top 1: F1 = 2/3; top 4: F1 = 2/3 as well.
    result = tune_threshold(detector, X, [1, 0, 0, 1])
    assert (result.threshold, result.n_alerts) == (4.0, 1)
    assert result.f1 == pytest.approx(2 / 3)


def test_alert_budget_with_ties_never_exceeds_budget():
    X = column([5, 5, 4, 4, 4, 1])
    detector = ColumnScoreDetector().fit(X)
    result = tune_threshold(detector, X, None, objective="n_alerts", target=3)
    assert (result.threshold, result.n_alerts) == (5.0, 2)
    assert np.isnan(result.precision)
    assert (
        tune_threshold(detector, X, None, objective="n_alerts", target=5).n_alerts == 5
    )
    with pytest.raises(ValueError, match="tied"):
        tune_threshold(detector, X, None, objective="n_alerts", target=1)
    with pytest.raises(ValueError, match="allows no alert"):
        tune_threshold(detector, X, None, objective="alert_rate", target=0.1)


def test_unreachable_precision_raises():
    X = column([3, 2, 1])
    detector = ColumnScoreDetector().fit(X)
    with pytest.raises(ValueError, match="best reachable is 0.5"):
        tune_threshold(detector, X, [0, 1, 0], objective="precision", target=0.9)


@pytest.mark.parametrize(
    ("objective", "target", "y", "match"),
    [
        ("f1", 0.5, KNOWN_Y, "no target"),
        ("recall", None, KNOWN_Y, "target in \\(0, 1\\]"),
        ("precision", 1.5, KNOWN_Y, "'target' parameter .* Got 1.5"),
        ("precision", 2, KNOWN_Y, "target in \\(0, 1\\]"),
        ("n_alerts", 0.5, KNOWN_Y, "int target"),
        ("n_alerts", 2.5, KNOWN_Y, "'target' parameter .* Got 2.5"),
        ("n_alerts", 0, KNOWN_Y, "'target' parameter .* Got 0"),
        ("cost", None, KNOWN_Y, "'objective' parameter .* Got 'cost'"),
        ("f1", None, None, "y_val is None"),
        ("f1", None, np.zeros(10), "no anomaly"),
        ("recall", 0.5, np.zeros(10), "no anomaly"),
        ("f1", None, KNOWN_Y[:5], "inconsistent"),
        ("f1", None, KNOWN_Y * 2, "binary"),
    ],
)
def test_tune_threshold_errors(known, objective, target, y, match):
    with pytest.raises(ValueError, match=match):
        tune_threshold(known, KNOWN_SCORES, y, objective=objective, target=target)


def test_tune_threshold_needs_score_samples(planted):
    X, y = planted
    with pytest.raises(TypeError, match="implementing 'score_samples'"):
        tune_threshold(DecisionOnlyDetector().fit(X), X, y)
    with pytest.raises(TypeError, match="implementing 'score_samples'"):
        tune_threshold(LogisticRegression().fit(X, y), X, y)


@pytest.mark.parametrize(
    "detector",
    [
        IsolationForest(random_state=0),
        LocalOutlierFactor(novelty=True),
        EllipticEnvelope(random_state=0),
        make_pipeline(StandardScaler(), IsolationForest(random_state=0)),
    ],
    ids=lambda est: type(est).__name__,
)
@pytest.mark.parametrize(
    ("objective", "target"),
    [
        ("f1", None),
        ("recall", 0.8),
        ("precision", 0.9),
        ("alert_rate", 0.04),
        ("n_alerts", 25),
    ],
)
def test_predict_flags_exactly_the_counted_rows(planted, detector, objective, target):
    X, y = planted
    # Duplicated rows give tied scores, including at the cut.
    X_val = np.vstack([X, X[:100], X[y == 1][:5]])
    y_val = np.r_[y, y[:100], np.ones(5, dtype=int)]
    detector = copy.deepcopy(detector).fit(X)
    result = tune_threshold(detector, X_val, y_val, objective=objective, target=target)
    set_offset(detector, result.offset)

    counted = anomaly_score(detector, X_val) >= result.threshold
    flagged = detector.predict(X_val) == -1
    np.testing.assert_array_equal(flagged, counted)
    np.testing.assert_array_equal(detector.decision_function(X_val) < 0, flagged)
    assert flagged.sum() == result.n_alerts
    assert result.precision == pytest.approx(y_val[flagged].mean())
    assert result.recall == pytest.approx(y_val[flagged].sum() / y_val.sum())
    if objective == "n_alerts":
        assert result.n_alerts <= target
    if objective == "recall":
        assert result.recall >= target
    if objective == "precision":
        assert result.precision >= target


def test_set_offset_targets_final_step_of_pipeline_and_search(planted):
    X, y = planted
    pipe = make_pipeline(StandardScaler(), IsolationForest(random_state=0)).fit(X)
    assert set_offset(pipe, -0.6) is pipe
    assert pipe[-1].offset_ == -0.6

    search = GridSearchCV(
        IsolationForest(random_state=0),
        {"n_estimators": [20]},
        scoring=anomaly_roc_auc_scorer,
        cv=StratifiedKFold(n_splits=3),
    ).fit(X, y)
    result = tune_threshold(search, X, y, objective="n_alerts", target=15)
    set_offset(search, result.offset)
    assert search.best_estimator_.offset_ == result.offset
    assert (search.predict(X) == -1).sum() == 15


def test_set_offset_errors(planted):
    X, _ = planted
    with pytest.raises(NotFittedError):
        set_offset(IsolationForest(), 0.0)
    with pytest.raises(TypeError, match="without reading offset_"):
        set_offset(OneClassSVM().fit(X), 0.0)
    with pytest.raises(TypeError, match="no offset_"):
        set_offset(StandardScaler().fit(X), 0.0)
    with pytest.raises(ValueError, match="'offset' parameter .* Got nan"):
        set_offset(IsolationForest(random_state=0).fit(X), np.nan)
    with pytest.raises(TypeError, match="'offset' parameter .* Got '0.1'"):
        set_offset(IsolationForest(random_state=0).fit(X), "0.1")


def test_threshold_result_is_frozen(known):
    result = tune_threshold(known, KNOWN_SCORES, KNOWN_Y)
    with pytest.raises(AttributeError):
        result.offset = 0.0
