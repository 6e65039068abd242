"""RankAverageDetector: members' anomaly ranks averaged, sklearn-style."""

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from sklearn.base import BaseEstimator, OutlierMixin, clone
from sklearn.compose import make_column_transformer
from sklearn.ensemble import HistGradientBoostingClassifier, IsolationForest
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MinMaxScaler, OneHotEncoder

from skfraud import PReNetDetector
from skfraud.ensemble import RankAverageDetector
from skfraud.ensemble._member_ranks import weights_from_lift


class ColumnDetector(OutlierMixin, BaseEstimator):
    """Anomaly score = the value of one column; flags the top ``share``."""

    def __init__(self, column=0, share=0.25):
        self.column = column
        self.share = share

    def fit(self, X, y=None):
        self.offset_ = np.quantile(self.score_samples(X), self.share)
        return self

    def score_samples(self, X):
        return -np.asarray(X, dtype=float)[:, self.column]

    def predict(self, X):
        return np.where(self.score_samples(X) < self.offset_, -1, 1)


def columns(*shares):
    return [(f"c{i}", ColumnDetector(i, share)) for i, share in enumerate(shares)]


TRAIN = np.array([[0.0, 3.0], [1.0, 2.0], [2.0, 1.0], [3.0, 0.0]])


@pytest.fixture(scope="module")
def two_kinds():
    """300 normal rows, 15 anomalies far out on feature 0 and 15 on feature 1."""
    rng = np.random.default_rng(0)
    X = rng.normal(0.0, 1.0, (330, 4))
    X[300:315, 0] += 6.0
    X[315:, 1] += 6.0
    return X, np.arange(len(X)) >= 300


def test_ranks_by_hand():
    ensemble = RankAverageDetector(columns(0.25, 0.25)).fit(TRAIN)
    # [1.5, 5]: column 0 is above two of four training values (rank 0.5),
    # column 1 above all four (1.0). [1, 1]: one value below and one equal
    # in each column, (1 + 0.5) / 4 = 0.375.
    scores = ensemble.score_samples(np.array([[1.5, 5.0], [1.0, 1.0]]))
    np.testing.assert_allclose(scores, [-0.75, -0.375])
    assert scores.dtype == np.float64


def test_weights_and_dropped_members():
    X = np.array([[1.5, 5.0]])
    first_only = RankAverageDetector(columns(0.25, 0.25), weights=[1, 0]).fit(TRAIN)
    np.testing.assert_allclose(first_only.score_samples(X), [-0.5])
    # 3:1 weights: (3 * 0.5 + 1.0) / 4.
    weighted = RankAverageDetector(columns(0.25, 0.25), weights=[3, 1]).fit(TRAIN)
    np.testing.assert_allclose(weighted.score_samples(X), [-0.625])
    # A dropped member keeps its place in weights; the others are rescaled.
    dropped = RankAverageDetector(
        [("c0", "drop"), ("c1", ColumnDetector(1))], weights=[5, 2]
    ).fit(TRAIN)
    np.testing.assert_allclose(dropped.score_samples(X), [-1.0])
    np.testing.assert_allclose(dropped.weights_, [1.0])


def test_learnt_weights_by_hand():
    # Column 0 puts the 9 labelled frauds, tied, above every other row: a
    # held-out fraud ranks (54 + 60) / 120 against a fold's 54 unlabelled
    # and 6 labelled training rows, a held-out unlabelled row at most
    # 54 / 60, so out-of-fold AUPRC is 1. Column
    # 1 puts them lowest: AUPRC below the labelled share, lift 0. Lifts
    # [1 - 0.1, 0] normalise to [1, 0]; half spread evenly: [0.75, 0.25].
    rng = np.random.default_rng(0)
    X = rng.uniform(0.0, 1.0, (90, 2))
    y = np.zeros(90, dtype=int)
    y[:9] = 1
    X[:9, 0] = 3.0
    X[:9, 1] -= 2.0
    ensemble = RankAverageDetector(columns(0.1, 0.1), weights="cv").fit(X, y)
    np.testing.assert_allclose(ensemble.cv_auprc_[0], 1.0)
    assert ensemble.cv_auprc_[1] < y.mean()
    np.testing.assert_allclose(ensemble.weights_, [0.75, 0.25])


def test_weights_from_lift_without_any_lift_are_equal():
    np.testing.assert_allclose(
        weights_from_lift([0.01, 0.02, 0.05], labelled_share=0.05), [1 / 3] * 3
    )
    np.testing.assert_allclose(
        weights_from_lift([0.55, 0.05], labelled_share=0.05, shrinkage=0.0), [1, 0]
    )


def test_labels_steer_the_learnt_weights_and_the_ranking(two_kinds):
    X, _ = two_kinds
    # Members each see one kind of anomaly; label 9 anomalies of one kind,
    # and the unlabelled ones of that kind rank above those of the other.
    members = columns(0.1, 0.1)
    for labelled, unlabelled, other in [
        (slice(300, 309), slice(309, 315), slice(315, 330)),
        (slice(315, 324), slice(324, 330), slice(300, 315)),
    ]:
        y = np.zeros(len(X), dtype=int)
        y[labelled] = 1
        ensemble = RankAverageDetector(members, weights="cv").fit(X, y)
        favoured = 0 if labelled.start == 300 else 1
        assert ensemble.weights_[favoured] > 0.7
        scores = -ensemble.score_samples(X)
        assert scores[unlabelled].mean() > scores[other].mean() + 0.1


def test_learnt_weights_take_a_splitter_and_refit_without_them(two_kinds):
    X, _ = two_kinds
    y = np.zeros(len(X), dtype=int)
    y[[300, 305, 310, 320]] = 1
    ensemble = RankAverageDetector(
        columns(0.1, 0.1), weights="cv", cv=StratifiedKFold(2)
    ).fit(X, y)
    assert ensemble.cv_auprc_.shape == (2,)
    assert ensemble.weights_.sum() == pytest.approx(1.0)
    ensemble.set_params(weights=None).fit(X, y)
    assert not hasattr(ensemble, "cv_auprc_")
    np.testing.assert_allclose(ensemble.weights_, [0.5, 0.5])


@pytest.mark.parametrize(
    ("y", "message"),
    [
        (None, "learns the weights from labelled frauds"),
        (np.r_[np.ones(2), np.zeros(328)], "at least as many labelled frauds"),
        (np.r_[np.full(5, 2), np.zeros(325)], "y must be binary"),
    ],
)
def test_learnt_weights_need_enough_labels(two_kinds, y, message):
    X, _ = two_kinds
    with pytest.raises(ValueError, match=message):
        RankAverageDetector(columns(0.1, 0.1), weights="cv").fit(X, y)


def test_classifier_members_rank_their_fraud_probability():
    y = np.array([0, 0, 0, 1])
    classifier = LogisticRegression(C=100.0).fit(TRAIN, y)
    ensemble = RankAverageDetector([("logit", LogisticRegression(C=100.0))]).fit(
        TRAIN, y
    )
    new = np.array([[2.5, 0.5], [0.5, 2.5]])
    reference = np.sort(classifier.predict_proba(TRAIN)[:, 1])
    expected = [np.mean(reference < p) for p in classifier.predict_proba(new)[:, 1]]
    np.testing.assert_allclose(-ensemble.score_samples(new), expected)


def test_auto_threshold_is_the_members_mean_flagged_share(two_kinds):
    X, _ = two_kinds
    # The members flag 10 % and 30 % of the training rows: 20 % on average.
    ensemble = RankAverageDetector(columns(0.1, 0.3)).fit(X)
    assert (ensemble.predict(X) == -1).mean() == pytest.approx(0.2, abs=0.01)
    fixed = RankAverageDetector(columns(0.1, 0.3), contamination=0.05).fit(X)
    assert (fixed.predict(X) == -1).mean() == pytest.approx(0.05, abs=0.01)
    np.testing.assert_allclose(
        fixed.decision_function(X), fixed.score_samples(X) - fixed.offset_
    )


def test_members_see_different_anomalies_and_the_average_sees_both(two_kinds):
    X, truth = two_kinds
    members = [
        ("iforest0", make_pipeline(ColumnSelector(0), IsolationForest(random_state=0))),
        ("iforest1", make_pipeline(ColumnSelector(1), IsolationForest(random_state=0))),
    ]
    ensemble = RankAverageDetector(members).fit(X)
    alone = [
        roc_auc_score(truth, -clone(member).fit(X).score_samples(X))
        for _, member in members
    ]
    together = roc_auc_score(truth, -ensemble.score_samples(X))
    assert max(alone) < 0.8
    assert together > max(alone) + 0.05


class ColumnSelector(BaseEstimator):
    """Keeps one column (a transformer for the pipelines above)."""

    def __init__(self, column):
        self.column = column

    def fit(self, X, y=None):
        return self

    def transform(self, X):
        return np.asarray(X)[:, [self.column]]


def test_labels_change_the_ranking(two_kinds):
    X, truth = two_kinds
    members = [
        ("iforest", IsolationForest(random_state=0)),
        ("hgb", HistGradientBoostingClassifier(max_iter=30, random_state=0)),
    ]
    # Labels on five anomalies of the first kind, then of the second kind.
    y_first = np.zeros(len(X), dtype=int)
    y_first[300:305] = 1
    y_second = np.zeros(len(X), dtype=int)
    y_second[315:320] = 1
    first = RankAverageDetector(members).fit(X, y_first).score_samples(X)
    second = RankAverageDetector(members).fit(X, y_second).score_samples(X)
    # The unlabelled anomalies of the labelled kind rank higher.
    assert first[305:315].mean() < second[305:315].mean()
    assert second[320:].mean() < first[320:].mean()
    assert roc_auc_score(truth, -first) > 0.9


def test_fit_predict_passes_y(two_kinds):
    X, _ = two_kinds
    y = np.zeros(len(X), dtype=int)
    y[300:305] = 1
    members = [("hgb", HistGradientBoostingClassifier(max_iter=10, random_state=0))]
    labels = RankAverageDetector(members).fit_predict(X, y)
    np.testing.assert_array_equal(
        labels, RankAverageDetector(members).fit(X, y).predict(X)
    )


def test_few_label_detector_member_learns_from_y(two_kinds):
    X, truth = two_kinds
    y = np.zeros(len(X), dtype=int)
    y[[300, 301, 302, 315, 316, 317]] = 1
    prenet = PReNetDetector(max_epochs=5, random_state=0)
    ensemble = RankAverageDetector(
        [("prenet", prenet), ("iforest", IsolationForest(random_state=0))]
    ).fit(X, y)
    fitted = dict(ensemble.estimators_)["prenet"]
    np.testing.assert_array_equal(
        fitted.score_samples(X), clone(prenet).fit(X, y).score_samples(X)
    )
    assert roc_auc_score(truth, -ensemble.score_samples(X)) > 0.9


def test_pipeline_members_get_the_dataframe_and_tune_in_grid_search():
    rng = np.random.default_rng(1)
    frame = pd.DataFrame(
        {
            "amount": np.r_[rng.normal(50, 10, 200), rng.normal(500, 50, 20)],
            "channel": rng.choice(["web", "shop"], 220),
        }
    )
    y = np.r_[np.zeros(200, dtype=int), np.ones(20, dtype=int)]
    preprocess = make_column_transformer(
        (OneHotEncoder(), ["channel"]), (MinMaxScaler(), ["amount"])
    )
    ensemble = RankAverageDetector(
        [
            ("iforest", make_pipeline(preprocess, IsolationForest(random_state=0))),
            ("hgb", make_pipeline(clone(preprocess), HistGradientBoostingClassifier())),
        ]
    )
    search = GridSearchCV(
        ensemble,
        {"iforest__isolationforest__n_estimators": [10, 50]},
        scoring=lambda est, X, y: roc_auc_score(y, -est.score_samples(X)),
        cv=StratifiedKFold(3, shuffle=True, random_state=0),
    ).fit(frame, y)
    assert search.best_score_ > 0.95
    assert search.best_estimator_.feature_names_in_.tolist() == ["amount", "channel"]


def test_sparse_rows_reach_the_members(two_kinds):
    X, _ = two_kinds
    members = [("iforest", IsolationForest(random_state=0))]
    dense = RankAverageDetector(members).fit(X).score_samples(X)
    sparse = RankAverageDetector(members).fit(sp.csr_matrix(X)).score_samples(X)
    np.testing.assert_allclose(sparse, dense)


@pytest.mark.parametrize(
    ("estimators", "weights", "error", "message"),
    [
        ([IsolationForest()], None, TypeError, r"\(name, estimator\) tuples"),
        ([("a", "drop")], None, ValueError, "at least one of its estimators"),
        ([("scaler", MinMaxScaler())], None, TypeError, "neither score_samples"),
        (columns(0.1, 0.1), [1.0], ValueError, "one number per estimator"),
        (columns(0.1, 0.1), [0.0, 0.0], ValueError, "not all zero"),
        (columns(0.1, 0.1), [1.0, -1.0], ValueError, "non-negative"),
    ],
)
def test_bad_members_and_weights(estimators, weights, error, message):
    with pytest.raises(error, match=message):
        RankAverageDetector(estimators, weights=weights).fit(TRAIN)


def test_classifier_members_need_y():
    with pytest.raises(ValueError, match="pass y"):
        RankAverageDetector([("logit", LogisticRegression())]).fit(TRAIN)
