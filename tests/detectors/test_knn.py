"""KNNDetector: mean distance to the nearest training rows, as a detector."""

import io

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.metrics import roc_auc_score

from skfraud import KNNDetector
from skfraud.benchmark import KNNDetector as BenchmarkKNN
from skfraud.io import load, save

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


def test_offset_is_the_tukey_fence_of_the_left_out_training_scores():
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(size=(200, 2)), [[8.0, 8.0], [-9.0, 7.0]]])
    detector = KNNDetector().fit(X)
    anomaly = -detector.train_score_samples_
    q1, q3 = np.percentile(anomaly, [25, 75])
    assert detector.offset_ == pytest.approx(-(q3 + 1.5 * (q3 - q1)))
    # The two far rows are flagged, and flagged rows are above the fence.
    flagged = detector.predict(X) == -1
    assert flagged[-2:].all()
    assert (anomaly[flagged[:-2].nonzero()[0]] > q3 + 1.5 * (q3 - q1)).all()


def test_contamination_flags_that_share_of_the_training_rows():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(400, 3))
    detector = KNNDetector(contamination=0.05).fit(X)
    flagged = detector.train_score_samples_ < detector.offset_
    assert flagged.sum() == pytest.approx(20, abs=1)


def test_sparse_rows_score_as_dense_rows():
    rng = np.random.default_rng(2)
    X = rng.random((60, 5)) * (rng.random((60, 5)) < 0.4)
    dense = KNNDetector().fit(X)
    sparse = KNNDetector().fit(sp.csr_matrix(X))
    np.testing.assert_allclose(
        sparse.score_samples(sp.csr_matrix(X)), dense.score_samples(X)
    )
    assert sparse.offset_ == pytest.approx(dense.offset_)


def test_fit_predict_labels_the_training_rows_left_out():
    rng = np.random.default_rng(4)
    X = rng.normal(size=(300, 2))
    detector = KNNDetector(contamination=0.1)
    labels = detector.fit_predict(X)
    assert (labels == -1).sum() == pytest.approx(30, abs=1)
    # Through predict, each row counts itself and fewer rows are flagged.
    assert (detector.predict(X) == -1).sum() < (labels == -1).sum()


def test_few_training_rows_use_all_but_one_as_neighbours():
    with pytest.warns(UserWarning, match="n_neighbors_=3"):
        detector = KNNDetector().fit(X_TRAIN)
    assert detector.n_neighbors_ == 3
    # 2.0 is 2, 1 and 1 away from 0, 1 and 3; each training row is scored
    # against the other three.
    np.testing.assert_allclose(detector.score_samples([[2.0]]), [-4 / 3])
    np.testing.assert_allclose(
        detector.train_score_samples_, [-10 / 3, -8 / 3, -8 / 3, -14 / 3]
    )
    with pytest.raises(ValueError, match="minimum of 2 is required"):
        KNNDetector().fit(X_TRAIN[:1])


def test_large_training_sets_index_a_subsample_and_score_every_row():
    X = np.random.default_rng(4).normal(size=(40, 2))
    detector = KNNDetector(3, max_samples=10, random_state=0).fit(X)
    assert detector.neighbors_.n_samples_fit_ == 10
    # The indexed rows are the ones found at distance 0.
    nearest, _ = detector.neighbors_.kneighbors(X, n_neighbors=1)
    indexed = X[nearest[:, 0] == 0]
    assert len(indexed) == 10
    for row, score in zip(X, detector.train_score_samples_, strict=True):
        distances = np.linalg.norm(indexed - row, axis=1)
        others = np.sort(distances[distances > 0])
        assert score == pytest.approx(-others[:3].mean())
    again = KNNDetector(3, max_samples=10, random_state=0).fit(sp.csr_matrix(X))
    np.testing.assert_allclose(
        again.train_score_samples_, detector.train_score_samples_
    )
    np.testing.assert_allclose(again.score_samples(X), detector.score_samples(X))
    every_row = KNNDetector(3, max_samples=None).fit(X)
    assert every_row.neighbors_.n_samples_fit_ == 40
    np.testing.assert_array_equal(
        KNNDetector(3, max_samples=40).fit(X).score_samples(X),
        every_row.score_samples(X),
    )


def test_a_saved_detector_loads_and_scores_the_same():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(100, 4))
    detector = KNNDetector().fit(X)
    buffer = io.BytesIO()
    save(detector, buffer)
    loaded = load(buffer.getvalue())
    np.testing.assert_array_equal(loaded.score_samples(X), detector.score_samples(X))
    assert loaded.offset_ == detector.offset_


def test_the_benchmark_peer_is_the_public_detector():
    assert BenchmarkKNN is KNNDetector


def test_train_on_normal_indexes_only_the_normal_rows():
    # A tight cluster of 20 frauds: indexed with the normal rows, each fraud
    # has 4 other frauds as close neighbours and looks normal.
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(size=(300, 2)), rng.normal(6, 0.05, size=(20, 2))])
    y = np.r_[np.zeros(300), np.ones(20)]
    everything = KNNDetector().fit(X, y)
    genuine = KNNDetector(train_on="normal").fit(X, y)
    fraud_rank = roc_auc_score(y, -everything.train_score_samples_)
    assert fraud_rank < 0.9
    assert roc_auc_score(y, -genuine.train_score_samples_) == 1.0
    assert genuine.neighbors_.n_samples_fit_ == 300
    assert genuine.train_score_samples_.shape == (320,)
    np.testing.assert_array_equal(
        genuine.train_score_samples_[300:], genuine.score_samples(X[300:])
    )
    assert (genuine.fit_predict(X, y)[300:] == -1).all()
    with pytest.raises(ValueError, match="train_on='normal' needs y"):
        KNNDetector(train_on="normal").fit(X)
