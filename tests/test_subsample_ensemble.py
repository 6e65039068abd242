"""SubsampleEnsembleDetector: copies of one detector on random subsamples."""

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from sklearn.base import BaseEstimator, OutlierMixin, clone
from sklearn.ensemble import IsolationForest
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import GridSearchCV, StratifiedKFold

from skfraud import DTEDetector, KNNDetector
from skfraud.ensemble import SubsampleEnsembleDetector


class RowMeanDetector(OutlierMixin, BaseEstimator):
    """Score = minus the distance to the mean of the rows it was fitted on."""

    def __init__(self, random_state=None):
        self.random_state = random_state

    def fit(self, X, y=None):
        self.mean_ = np.asarray(X, dtype=float).mean(axis=0)
        self.fit_rows_ = np.asarray(X, dtype=float)
        self.y_ = y
        return self

    def score_samples(self, X):
        return -np.linalg.norm(np.asarray(X, dtype=float) - self.mean_, axis=1)


@pytest.fixture(scope="module")
def clustered_anomalies():
    """500 normal rows and a tight cluster of 25 anomalies, last."""
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(0.0, 1.0, (500, 2)), rng.normal(5.0, 0.05, (25, 2))])
    return X, np.arange(len(X)) >= 500


def test_copies_unmask_a_cluster_that_one_detector_learns_as_normal(
    clustered_anomalies,
):
    X, is_anomaly = clustered_anomalies
    single = KNNDetector(n_neighbors=5).fit(X)
    ensemble = SubsampleEnsembleDetector(
        KNNDetector(n_neighbors=5), n_estimators=10, max_samples=50, random_state=0
    ).fit(X)
    # Every anomaly has 24 others within a tenth of a unit: five
    # neighbours never leave the cluster when it is all indexed.
    assert roc_auc_score(is_anomaly, -single.score_samples(X)) < 0.3
    assert roc_auc_score(is_anomaly, -ensemble.score_samples(X)) > 0.95


def test_score_is_the_mean_of_the_copies_scores(clustered_anomalies):
    X, _ = clustered_anomalies
    ensemble = SubsampleEnsembleDetector(
        RowMeanDetector(), n_estimators=4, max_samples=30, random_state=1
    ).fit(X)
    by_hand = np.mean(
        [
            -np.linalg.norm(X - X[rows].mean(axis=0), axis=1)
            for rows in ensemble.estimators_samples_
        ],
        axis=0,
    )
    np.testing.assert_allclose(ensemble.score_samples(X), by_hand)
    assert ensemble.score_samples(X).dtype == np.float64


def test_each_copy_gets_distinct_rows_and_its_own_seed(clustered_anomalies):
    X, _ = clustered_anomalies
    ensemble = SubsampleEnsembleDetector(
        RowMeanDetector(random_state=123),
        n_estimators=5,
        max_samples=40,
        random_state=0,
    ).fit(X)
    for rows, member in zip(
        ensemble.estimators_samples_, ensemble.estimators_, strict=True
    ):
        assert len(rows) == len(set(rows)) == 40
        np.testing.assert_array_equal(member.fit_rows_, X[rows])
    samples = {tuple(sorted(rows)) for rows in ensemble.estimators_samples_}
    seeds = {member.random_state for member in ensemble.estimators_}
    assert len(samples) == 5 and len(seeds) == 5 and 123 not in seeds


def test_same_seed_same_subsamples_and_scores(clustered_anomalies):
    X, _ = clustered_anomalies
    make = lambda seed: SubsampleEnsembleDetector(  # noqa: E731
        IsolationForest(n_estimators=10), n_estimators=3, random_state=seed
    ).fit(X)
    first, again, other = make(3), make(3), make(4)
    np.testing.assert_array_equal(first.score_samples(X), again.score_samples(X))
    assert not np.array_equal(
        first.estimators_samples_[0], other.estimators_samples_[0]
    )


@pytest.mark.parametrize(
    ("max_samples", "n_rows", "expected"),
    [("auto", 525, 256), ("auto", 100, 100), (0.1, 525, 52), (1.0, 525, 525)],
)
def test_subsample_size(max_samples, n_rows, expected, clustered_anomalies):
    X, _ = clustered_anomalies
    ensemble = SubsampleEnsembleDetector(
        RowMeanDetector(), n_estimators=2, max_samples=max_samples, random_state=0
    ).fit(X[:n_rows])
    assert ensemble.max_samples_ == expected
    assert all(len(rows) == expected for rows in ensemble.estimators_samples_)


def test_more_rows_asked_than_given_warns_and_uses_all(clustered_anomalies):
    X, _ = clustered_anomalies
    with pytest.warns(UserWarning, match="max_samples=1000 is more than the 525"):
        ensemble = SubsampleEnsembleDetector(
            RowMeanDetector(), n_estimators=2, max_samples=1000, random_state=0
        ).fit(X)
    assert ensemble.max_samples_ == 525


def test_labels_follow_their_rows(clustered_anomalies):
    X, is_anomaly = clustered_anomalies
    y = is_anomaly.astype(int)
    ensemble = SubsampleEnsembleDetector(
        RowMeanDetector(), n_estimators=3, max_samples=100, random_state=0
    ).fit(X, y)
    for rows, member in zip(
        ensemble.estimators_samples_, ensemble.estimators_, strict=True
    ):
        np.testing.assert_array_equal(member.y_, y[rows])


@pytest.mark.parametrize("contamination", [0.05, 0.2])
def test_contamination_flags_that_share_of_the_training_rows(
    contamination, clustered_anomalies
):
    X, _ = clustered_anomalies
    ensemble = SubsampleEnsembleDetector(
        IsolationForest(n_estimators=10),
        n_estimators=3,
        contamination=contamination,
        random_state=0,
    ).fit(X)
    assert (ensemble.predict(X) == -1).mean() == pytest.approx(contamination, abs=0.01)


def test_auto_threshold_flags_the_far_cluster(clustered_anomalies):
    X, is_anomaly = clustered_anomalies
    ensemble = SubsampleEnsembleDetector(
        KNNDetector(n_neighbors=5), n_estimators=10, max_samples=50, random_state=0
    ).fit(X)
    flagged = ensemble.predict(X) == -1
    assert flagged[is_anomaly].all()
    assert flagged[~is_anomaly].mean() < 0.05


def test_sparse_and_dataframe_rows_give_the_dense_scores(clustered_anomalies):
    X, _ = clustered_anomalies
    detector = SubsampleEnsembleDetector(
        KNNDetector(n_neighbors=3), n_estimators=3, max_samples=60, random_state=0
    )
    dense = clone(detector).fit(X).score_samples(X)
    sparse = clone(detector).fit(sp.csr_matrix(X)).score_samples(sp.csr_matrix(X))
    frame = pd.DataFrame(X, columns=["a", "b"])
    fitted = clone(detector).fit(frame)
    np.testing.assert_allclose(sparse, dense)
    np.testing.assert_allclose(fitted.score_samples(frame), dense)
    np.testing.assert_array_equal(fitted.feature_names_in_, ["a", "b"])


def test_copies_of_a_deep_detector_train_and_rank(clustered_anomalies):
    X, is_anomaly = clustered_anomalies
    ensemble = SubsampleEnsembleDetector(
        DTEDetector(hidden_dims=(32, 32), max_epochs=30, lr=1e-3, device="cpu"),
        n_estimators=3,
        max_samples=128,
        random_state=0,
    ).fit(X)
    assert all(len(member.history_) == 30 for member in ensemble.estimators_)
    assert roc_auc_score(is_anomaly, -ensemble.score_samples(X)) > 0.95


def test_grid_search_tunes_the_copies_parameters(clustered_anomalies):
    X, is_anomaly = clustered_anomalies

    def auc(estimator, X, y):
        return roc_auc_score(y, -estimator.score_samples(X))

    search = GridSearchCV(
        SubsampleEnsembleDetector(KNNDetector(), max_samples=50, random_state=0),
        {"estimator__n_neighbors": [1, 5]},
        scoring=auc,
        cv=StratifiedKFold(3, shuffle=True, random_state=0),
    ).fit(X, is_anomaly.astype(int))
    assert search.best_params_ == {"estimator__n_neighbors": 5}


def test_estimator_without_score_samples_is_refused(clustered_anomalies):
    X, _ = clustered_anomalies
    from sklearn.linear_model import LogisticRegression

    with pytest.raises(ValueError, match="estimator"):
        SubsampleEnsembleDetector(LogisticRegression()).fit(X)
