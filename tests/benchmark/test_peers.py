"""The kNN peer: mean distance to the nearest training rows, self left out."""

import numpy as np
import pytest

from skfraud.benchmark import PEERS, KNNDetector, Split, evaluate

X_TRAIN = np.array([[0.0], [1.0], [3.0], [6.0]])


def test_scores_are_minus_the_mean_distance_to_the_nearest_rows():
    detector = KNNDetector(n_neighbors=2).fit(X_TRAIN)
    # 2.0: neighbours 1 and 3 (distances 1, 1); 10: neighbours 6 and 3 (4, 7).
    np.testing.assert_allclose(detector.score_samples([[2.0], [10.0]]), [-1.0, -5.5])


def test_training_rows_are_scored_without_themselves():
    detector = KNNDetector(n_neighbors=2).fit(X_TRAIN)
    # 0: others 1, 3 -> 2; 1: 0, 3 -> 1.5; 3: 1, 6 -> 2.5; 6: 3, 1 -> 4.
    np.testing.assert_allclose(detector.train_score_samples_, [-2.0, -1.5, -2.5, -4.0])
    # Through score_samples each row finds itself at distance 0.
    np.testing.assert_allclose(detector.score_samples(X_TRAIN), [-0.5, -0.5, -1, -1.5])


def test_too_few_training_rows():
    with pytest.raises(ValueError, match="more than n_neighbors=5 training rows"):
        KNNDetector().fit(X_TRAIN)


def test_evaluate_scores_the_training_rows_left_out():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 3)).astype(np.float32)
    y = np.r_[np.zeros(54, dtype=int), np.ones(6, dtype=int)]
    train, test = np.arange(40), np.arange(40, 60)
    split = Split(train, test, None, normal_only=False, rho=0.1)
    _, scores = evaluate(
        PEERS["kNN"], X, y, split, protocol="unsupervised", random_state=0
    )
    detector = KNNDetector().fit(X[train])
    np.testing.assert_allclose(scores[train], -detector.train_score_samples_)
    np.testing.assert_allclose(scores[test], -detector.score_samples(X[test]))
    assert (scores[train] > 0).all()
