"""DetectorScores: unsupervised detectors' scores as features, sklearn-style."""

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.ensemble import HistGradientBoostingClassifier, IsolationForest
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_validate
from sklearn.neighbors import LocalOutlierFactor
from sklearn.pipeline import make_pipeline

from skfraud import AutoEncoderDetector, KNNDetector
from skfraud.preprocessing import DetectorScores


def two_detectors(random_state=0):
    return [
        ("iforest", IsolationForest(n_estimators=20, random_state=random_state)),
        ("lof", LocalOutlierFactor(n_neighbors=5, novelty=True)),
    ]


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(0, 1, (300, 3)), rng.normal(5, 1, (12, 3))])
    y = np.r_[np.zeros(300, dtype=int), np.ones(12, dtype=int)]
    return X, y


def test_outputs_features_then_anomaly_scores(data):
    X, _ = data
    transformer = DetectorScores(two_detectors()).fit(X)
    out = transformer.transform(X)
    assert out.shape == (len(X), 5)
    np.testing.assert_array_equal(out[:, :3], X)
    iforest = dict(transformer.detectors_)["iforest"]
    np.testing.assert_array_equal(out[:, 3], -iforest.score_samples(X))
    # anomaly scores: the far cluster scores higher with both detectors
    assert (out[300:, 3:].mean(axis=0) > out[:300, 3:].mean(axis=0)).all()


def test_scores_only(data):
    X, _ = data
    out = DetectorScores(two_detectors(), passthrough=False).fit_transform(X)
    full = DetectorScores(two_detectors()).fit_transform(X)
    np.testing.assert_array_equal(out, full[:, 3:])


def test_shuffled_y_gives_identical_features(data):
    X, y = data
    transformer = DetectorScores(two_detectors())
    without = transformer.fit(X).transform(X)
    with_y = clone(transformer).fit(X, y).transform(X)
    shuffled = clone(transformer).fit(X, np.random.default_rng(1).permutation(y))
    np.testing.assert_array_equal(with_y, without)
    np.testing.assert_array_equal(shuffled.transform(X), without)


def test_detectors_are_fitted_on_clones(data):
    X, _ = data
    detectors = two_detectors()
    transformer = DetectorScores(detectors).fit(X)
    assert not hasattr(detectors[0][1], "estimators_")
    assert transformer.detectors_[0][1] is not detectors[0][1]
    assert [name for name, _ in transformer.detectors_] == ["iforest", "lof"]


def test_clone_keeps_parameters_and_drops_fitted_state(data):
    X, _ = data
    transformer = DetectorScores(two_detectors(), passthrough=False).fit(X)
    cloned = clone(transformer)
    assert cloned.get_params()["iforest__n_estimators"] == 20
    assert not cloned.passthrough
    with pytest.raises(NotFittedError):
        cloned.transform(X)


def test_feature_names_and_pandas_output(data):
    X, _ = data
    frame = pd.DataFrame(X, columns=["amount", "hour", "age"])
    transformer = DetectorScores(two_detectors()).set_output(transform="pandas")
    out = transformer.fit_transform(frame)
    names = ["amount", "hour", "age", "iforest_score", "lof_score"]
    assert list(out.columns) == names
    assert transformer.get_feature_names_out().tolist() == names
    transformer.set_params(passthrough=False)
    assert transformer.fit(frame).get_feature_names_out().tolist() == names[3:]
    assert DetectorScores(two_detectors()).fit(X).get_feature_names_out()[0] == "x0"


def test_sparse_input_passes_through_as_sparse(data):
    X, _ = data
    X_sparse = sp.csr_matrix(np.clip(X, 0, None))
    out = DetectorScores(two_detectors()).fit(X_sparse).transform(X_sparse)
    assert sp.issparse(out) and out.format == "csr"
    dense = DetectorScores(two_detectors()).fit(X_sparse.toarray())
    np.testing.assert_allclose(out.toarray(), dense.transform(X_sparse.toarray()))


def test_default_list_is_an_isolation_forest_and_two_knn_detectors(data):
    X, _ = data
    transformer = DetectorScores(random_state=0).fit(X)
    assert [name for name, _ in transformer.detectors_] == ["iforest", "knn5", "knn20"]
    out = transformer.transform(X[:20])
    assert out.shape == (20, 6)
    expected = [
        IsolationForest(random_state=0).fit(X),
        KNNDetector(5).fit(X),
        KNNDetector(20).fit(X),
    ]
    for column, detector in enumerate(expected, start=3):
        np.testing.assert_array_equal(out[:, column], -detector.score_samples(X[:20]))


def test_training_rows_are_not_their_own_neighbours():
    X = np.array([[0.0], [1.0], [3.0], [6.0]])
    detectors = [
        ("knn", KNNDetector(2)),
        ("iforest", IsolationForest(n_estimators=10, random_state=0)),
    ]
    transformer = DetectorScores(detectors, passthrough=False)
    training = transformer.fit_transform(X)
    # Each training row against the other three: 0 -> 1, 3; 1 -> 0, 3;
    # 3 -> 1 and 0 or 6, both 3 away; 6 -> 3, 1.
    np.testing.assert_allclose(training[:, 0], [2.0, 1.5, 2.5, 4.0])
    # Through transform each row finds itself first, at distance 0.
    np.testing.assert_allclose(transformer.transform(X)[:, 0], [0.5, 0.5, 1.0, 1.5])
    np.testing.assert_allclose(transformer.transform([[2.0]])[:, 0], [1.0])
    # Detectors without leave-one-out scores give the same column both ways.
    np.testing.assert_array_equal(training[:, 1], transformer.transform(X)[:, 1])


def test_skfraud_detector_and_drop(data):
    X, _ = data
    detectors = [
        ("autoencoder", AutoEncoderDetector(max_epochs=2, random_state=0)),
        ("lof", "drop"),
    ]
    transformer = DetectorScores(detectors, passthrough=False).fit(X)
    assert transformer.get_feature_names_out().tolist() == ["autoencoder_score"]
    assert transformer.transform(X).shape == (len(X), 1)


def test_parallel_fit_gives_the_same_features(data):
    X, _ = data
    serial = DetectorScores(two_detectors()).fit_transform(X)
    parallel = DetectorScores(two_detectors(), n_jobs=2).fit_transform(X)
    np.testing.assert_array_equal(serial, parallel)


def test_grid_search_tunes_the_list_and_nested_parameters(data):
    X, y = data
    pipeline = make_pipeline(
        DetectorScores(two_detectors(), passthrough=False),
        LogisticRegression(),
    )
    cv = StratifiedKFold(n_splits=3, shuffle=True, random_state=0)
    search = GridSearchCV(
        pipeline,
        {
            "detectorscores__detectors": [two_detectors(), two_detectors()[:1]],
            "detectorscores__iforest__n_estimators": [10, 30],
        },
        scoring="average_precision",
        cv=cv,
    ).fit(X, y)
    assert search.best_score_ > 0.9
    assert len(search.cv_results_["params"]) == 4
    fitted = search.best_estimator_[0]
    assert dict(fitted.detectors_)["iforest"].n_estimators in (10, 30)


def test_xgbod_pipeline_cross_validates(data):
    X, y = data
    pipeline = make_pipeline(
        DetectorScores(two_detectors()),
        HistGradientBoostingClassifier(max_iter=20, random_state=0),
    )
    cv = StratifiedKFold(n_splits=3, shuffle=True, random_state=0)
    results = cross_validate(pipeline, X, y, scoring="average_precision", cv=cv)
    assert (results["test_score"] > 0.9).all()


@pytest.mark.parametrize(
    ("detectors", "error", "message"),
    [
        ([IsolationForest()], TypeError, r"\(name, estimator\) tuples"),
        ([("a", IsolationForest()), ("a", IsolationForest())], ValueError, "unique"),
        ([("lof", LocalOutlierFactor())], TypeError, "novelty=True"),
        ([("a", "drop")], ValueError, "at least one of its detectors"),
    ],
)
def test_bad_detector_lists(data, detectors, error, message):
    X, _ = data
    with pytest.raises(error, match=message):
        DetectorScores(detectors).fit(X)


def test_wrong_number_of_features(data):
    X, _ = data
    transformer = DetectorScores(two_detectors()).fit(X)
    with pytest.raises(ValueError, match="expecting 3"):
        transformer.transform(X[:, :2])
