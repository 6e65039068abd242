"""SharedFit: copies fitted on the same rows share one fit, and score as a refit."""

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.ensemble import HistGradientBoostingClassifier, IsolationForest

from skfraud.benchmark import SharedFit
from skfraud.ensemble import RankAverageDetector


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(0, 1, (200, 3)), rng.normal(4, 1, (20, 3))])
    y = np.r_[np.zeros(200, dtype=int), np.ones(10, dtype=int), np.zeros(10, dtype=int)]
    return X, y


def test_clones_fitted_on_the_same_rows_share_the_fit(data):
    X, y = data
    shared = SharedFit(IsolationForest(random_state=0))
    first, second = clone(shared).fit(X), clone(shared).fit(X)
    assert first.estimator_ is second.estimator_
    assert clone(shared).fit(X[:100]).estimator_ is not first.estimator_
    assert clone(shared).fit(X, y).estimator_ is not first.estimator_
    other = SharedFit(IsolationForest(random_state=1)).fit(X)
    assert other.estimator_ is not first.estimator_


def test_scores_are_those_of_a_plain_fit(data):
    X, _ = data
    forest = IsolationForest(random_state=0)
    plain = clone(forest).fit(X)
    shared = SharedFit(forest).fit(X)
    np.testing.assert_array_equal(shared.score_samples(X), plain.score_samples(X))
    np.testing.assert_array_equal(shared.predict(X), plain.predict(X))
    assert not hasattr(shared, "predict_proba")


def test_a_shared_classifier_is_a_classifier_member(data):
    X, y = data
    members = [
        ("forest", IsolationForest(random_state=0)),
        ("trees", HistGradientBoostingClassifier(random_state=0)),
    ]
    plain = RankAverageDetector(members).fit(X, y)
    shared = RankAverageDetector(
        [(name, SharedFit(member)) for name, member in members]
    ).fit(X, y)
    assert not hasattr(shared.estimators_[1][1], "score_samples")
    np.testing.assert_array_equal(shared.estimators_[1][1].classes_, [0, 1])
    np.testing.assert_array_equal(shared.score_samples(X), plain.score_samples(X))
    assert shared.offset_ == plain.offset_
