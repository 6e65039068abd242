"""The kNN peer: its training rows are scored with themselves left out."""

import numpy as np

from skfraud.benchmark import PEERS, KNNDetector, Split, evaluate


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
