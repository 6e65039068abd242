"""FewLabelDetector: the few-label recipe in one estimator."""

import io

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import average_precision_score, roc_auc_score
from sklearn.model_selection import train_test_split

from skfraud import DeepSVDDDetector
from skfraud.ensemble import (
    FewLabelDetector,
    RankAverageDetector,
    bagged_gradient_boosting,
    few_label_estimators,
)
from skfraud.explain import reason_codes
from skfraud.io import load, save

# Small networks: these tests check the composition, not the networks.
SMALL = {
    "prenet__hidden_dims": (8,),
    "prenet__max_epochs": 3,
    "deep_sad__hidden_dims": (8,),
    "deep_sad__latent_dim": 4,
    "deep_sad__max_epochs": 3,
}


def small(**params):
    return FewLabelDetector(random_state=0, **params).set_params(**SMALL)


@pytest.fixture(scope="module")
def two_kinds():
    """400 normal rows; 20 anomalies shifted on feature 0, 20 on feature 1."""
    rng = np.random.default_rng(0)
    X = rng.normal(0.0, 1.0, (440, 4))
    X[400:420, 0] += 3.0
    X[420:, 1] += 3.0
    return X


def labelled(kind, n=6):
    """y with the first ``n`` anomalies of one kind labelled, every other row 0."""
    y = np.zeros(440, dtype=int)
    start = 400 if kind == "first" else 420
    y[start : start + n] = 1
    return y


def test_the_members_are_the_recipe():
    names = [name for name, _ in few_label_estimators(7)]
    assert names == ["prenet", "deep_sad", "xgbod", "trees"]
    members = dict(few_label_estimators(7))
    assert members["prenet"].random_state == members["deep_sad"].random_state == 7
    assert members["deep_sad"].max_epochs == 150
    assert members["deep_sad"].max_steps == 3000
    assert members["trees"].n_estimators == bagged_gradient_boosting().n_estimators
    assert isinstance(members["trees"].estimator, HistGradientBoostingClassifier)
    assert isinstance(FewLabelDetector(), RankAverageDetector)


def test_deep_sad_trains_its_epochs_on_small_tables_and_bounded_steps_on_large():
    deep_sad = dict(few_label_estimators())["deep_sad"]
    # 128 rows a batch: 1,400 rows are 11 steps an epoch, 150 epochs 1,650
    # steps; 14,000 rows are 110 steps an epoch, and 28 epochs reach 3,000.
    assert deep_sad._epochs(1400) == 150
    assert deep_sad._epochs(14000) == 28
    assert DeepSVDDDetector()._epochs(14000) == 150


def test_member_parameters_are_nested_and_tunable():
    detector = FewLabelDetector(random_state=3)
    params = detector.get_params(deep=True)
    assert params["prenet__random_state"] == 3
    assert params["xgbod__detectorscores__random_state"] == 3
    assert detector.estimators is None
    assert clone(detector).estimators is None
    detector.set_params(prenet__lr=0.5, trees__n_estimators=4)
    assert [name for name, _ in detector.estimators] == [
        "prenet",
        "deep_sad",
        "xgbod",
        "trees",
    ]
    assert detector.get_params()["prenet__lr"] == 0.5
    assert clone(detector).get_params()["trees__n_estimators"] == 4
    with pytest.raises(ValueError, match="Invalid parameter"):
        FewLabelDetector().set_params(forest__lr=0.5)


@pytest.mark.parametrize(
    ("y", "message"),
    [
        (None, "requires y to be passed"),
        (np.zeros(440), "y marks 0 .*at least 2"),
        (np.r_[1, np.zeros(439)], "y marks 1 .*at least 2"),
        (np.ones(440), "every row"),
        (np.r_[np.full(5, 2), np.zeros(435)], "must be binary"),
        (np.r_[-np.ones(5), np.ones(435)], "must be binary"),
        (np.r_[np.ones(5), np.zeros(434)], "inconsistent numbers of samples"),
        (np.array(["fraud"] * 5 + ["ok"] * 435), "holds strings"),
    ],
    ids=["none", "no-fraud", "one-fraud", "all", "two", "minus-one", "short", "str"],
)
def test_bad_labels_are_clear_errors(two_kinds, y, message):
    with pytest.raises(ValueError, match=message):
        small().fit(two_kinds, y)


def test_labels_steer_the_ranking(two_kinds):
    # Each anomaly kind is a modest shift; the kind whose rows are labelled
    # is the kind whose other rows the detector ranks higher.
    X = two_kinds
    held_out = {"first": np.arange(406, 420), "second": np.arange(426, 440)}
    normal = np.arange(400)
    auc = {}
    for kind in ("first", "second"):
        scores = -small().fit(X, labelled(kind)).score_samples(X)
        for other in ("first", "second"):
            rows = np.r_[normal, held_out[other]]
            truth = np.r_[np.zeros(400), np.ones(14)]
            auc[kind, other] = roc_auc_score(truth, scores[rows])
    assert auc["first", "first"] > auc["second", "first"]
    assert auc["second", "second"] > auc["first", "second"]
    assert min(auc["first", "first"], auc["second", "second"]) > 0.8


def test_model_files_and_reason_codes(two_kinds):
    X, y = two_kinds, labelled("first")
    detector = small().fit(X, y)
    buffer = io.BytesIO()
    save(detector, buffer)
    np.testing.assert_array_equal(
        load(buffer.getvalue()).score_samples(X), detector.score_samples(X)
    )
    # No member splits its score over features: a clear error, not a guess.
    with pytest.raises(TypeError, match="reason_codes needs"):
        reason_codes(detector, X)


@pytest.mark.slow
def test_thyroid_floor_with_30_labels_beats_gradient_boosting(thyroid):
    X, y = thyroid
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.3, stratify=y, random_state=0
    )
    rng = np.random.default_rng(0)
    y_few = np.zeros_like(y_train)
    y_few[rng.choice(np.flatnonzero(y_train == 1), 30, replace=False)] = 1
    few_label = FewLabelDetector(random_state=0).fit(X_train, y_few)
    trees = HistGradientBoostingClassifier(random_state=0).fit(X_train, y_few)
    ours = average_precision_score(y_test, -few_label.score_samples(X_test))
    theirs = average_precision_score(y_test, trees.predict_proba(X_test)[:, 1])
    assert ours > 0.8
    assert ours > theirs


def test_nested_parameters_reach_the_members_that_are_fitted(two_kinds):
    detector = small().set_params(deep_sad__max_epochs=2)
    members = dict(detector.estimators)
    assert members["deep_sad"].max_epochs == 2
    fitted = dict(detector.fit(two_kinds, labelled("first")).estimators_)
    assert len(fitted["deep_sad"].history_) == 2
    assert fitted["deep_sad"].random_state == 0
