"""PReNetDetector: pair relations learnt from a few labels steer the score."""

import pickle

import numpy as np
import pytest
import scipy.sparse as sp
import torch
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_validate
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skfraud import PReNetDetector
from tests.detectors.test_devnet import (
    anomaly_scorer,
    labels_for,
    make_two_kinds_of_anomalies,
)

# 8 epochs of 10 batches of 64 pairs train the toy problems fully.
FAST = {
    "max_epochs": 8,
    "n_batches_per_epoch": 10,
    "batch_size": 64,
    "random_state": 0,
    "device": "cpu",
}


@pytest.fixture(scope="module")
def two_kinds():
    return make_two_kinds_of_anomalies()


@pytest.fixture(scope="module")
def fitted_on_a(two_kinds):
    """Fitted with 10 of the 20 kind-A anomalies labelled."""
    X, _, kind_a, _ = two_kinds
    return PReNetDetector(**FAST).fit(X, labels_for(kind_a[:10]))


def test_known_anomalies_score_above_unlabelled_normals(two_kinds, fitted_on_a):
    X, normal, kind_a, _ = two_kinds
    scores = fitted_on_a.score_samples(X)
    assert scores[kind_a[:10]].max() < scores[normal].min()
    y_a = np.r_[np.zeros(len(normal)), np.ones(10)]
    assert roc_auc_score(y_a, -scores[np.r_[normal, kind_a[10:]]]) > 0.99


def test_labels_change_the_ranking(two_kinds, fitted_on_a):
    X, _, kind_a, kind_b = two_kinds
    fitted_on_b = PReNetDetector(**FAST).fit(X, labels_for(kind_b[:10]))
    top_a = set(np.argsort(fitted_on_a.score_samples(X))[:20])
    top_b = set(np.argsort(fitted_on_b.score_samples(X))[:20])
    # the labels lift the unlabelled anomalies of their own cluster
    assert len(top_a & set(kind_a)) >= 15
    assert len(top_b & set(kind_b)) >= 15
    assert len(top_a & top_b) <= 5


def test_training_loss_falls(fitted_on_a):
    losses = fitted_on_a.history_[:, "train_loss"]
    assert len(losses) == FAST["max_epochs"]
    assert losses[-1] < 0.5 * losses[0]
    assert len(fitted_on_a.history_[-1, "batches"]) == FAST["n_batches_per_epoch"]


def test_rows_score_near_their_ordinal_targets(two_kinds, fitted_on_a):
    X, normal, kind_a, _ = two_kinds
    anomaly_scores = -fitted_on_a.score_samples(X)
    # unlabelled rows aim at (0 + 4) / 2 = 2, labelled anomalies at (4 + 8) / 2
    assert np.median(anomaly_scores[normal]) == pytest.approx(2.0, abs=1.0)
    assert np.median(anomaly_scores[kind_a[:10]]) == pytest.approx(6.0, abs=1.0)


def test_references_are_training_rows_kept_as_buffers(two_kinds, fitted_on_a):
    X, _, kind_a, _ = two_kinds
    module = fitted_on_a.net_.module_
    anomalies = module.reference_anomalies.numpy()
    unlabelled = module.reference_unlabelled.numpy()
    assert anomalies.shape == unlabelled.shape == (30, 4)
    labelled = X[kind_a[:10]].astype(np.float32)
    matches = (anomalies[:, None, :] == labelled[None]).all(axis=2)
    # 30 references from 10 labelled anomalies: each one exactly 3 times
    assert matches.sum(axis=0).tolist() == [3] * 10
    others = np.delete(X, kind_a[:10], axis=0).astype(np.float32)
    assert (unlabelled[:, None, :] == others[None]).all(axis=2).any(axis=1).all()
    assert set(module.state_dict()) >= {"reference_anomalies", "reference_unlabelled"}


def test_auto_offset_is_the_midpoint_of_the_row_targets(two_kinds, fitted_on_a):
    X, normal, kind_a, _ = two_kinds
    assert fitted_on_a.offset_ == -4.0
    predicted = fitted_on_a.predict(X)
    assert (predicted[kind_a] == -1).all()
    assert (predicted[normal] == -1).mean() < 0.05
    shifted = PReNetDetector(**FAST, pair_targets=(1.0, 2.0, 7.0))
    assert shifted._auto_offset(None) == -3.0


def test_same_seed_same_scores_and_global_rng_untouched(two_kinds, fitted_on_a):
    X, _, kind_a, _ = two_kinds
    np_state = np.random.get_state()[1].copy()
    torch_state = torch.random.get_rng_state().clone()
    again = PReNetDetector(**FAST).fit(X, labels_for(kind_a[:10]))
    assert np.array_equal(again.score_samples(X), fitted_on_a.score_samples(X))
    assert np.array_equal(again.score_samples(X), again.score_samples(X))
    assert np.array_equal(np.random.get_state()[1], np_state)
    assert torch.equal(torch.random.get_rng_state(), torch_state)
    other = PReNetDetector(**{**FAST, "random_state": 1}).fit(
        X, labels_for(kind_a[:10])
    )
    assert not np.array_equal(other.score_samples(X), again.score_samples(X))


def test_scores_do_not_depend_on_how_rows_are_split(two_kinds, fitted_on_a):
    X, *_ = two_kinds
    whole = fitted_on_a.score_samples(X)
    parts = np.concatenate(
        [fitted_on_a.score_samples(X[:7]), fitted_on_a.score_samples(X[7:])]
    )
    assert np.array_equal(whole, parts)


def test_pair_head_lets_the_references_matter(two_kinds):
    X, normal, kind_a, _ = two_kinds
    detector = PReNetDetector(**FAST, head_dims=(8,)).fit(X, labels_for(kind_a[:10]))
    scores = detector.score_samples(X)
    assert scores[kind_a[:10]].max() < np.percentile(scores[normal], 5)


def test_early_stopping_validates_on_the_pair_loss(two_kinds):
    X, _, kind_a, _ = two_kinds
    params = {**FAST, "max_epochs": 30, "patience": 2}
    detector = PReNetDetector(**params, early_stopping=True, validation_fraction=0.2)
    detector.fit(X, labels_for(kind_a))
    valid_losses = detector.history_[:, "valid_loss"]
    assert len(valid_losses) < 30
    assert min(valid_losses) < valid_losses[0]


def test_pickle_round_trip(two_kinds, fitted_on_a):
    X, *_ = two_kinds
    restored = pickle.loads(pickle.dumps(fitted_on_a))
    assert np.array_equal(restored.score_samples(X), fitted_on_a.score_samples(X))


def test_sparse_input_gives_the_dense_scores(two_kinds):
    X, _, kind_a, _ = two_kinds
    X_sparse = sp.csr_matrix(np.clip(X, 0, None))
    y = labels_for(kind_a[:10])
    dense = PReNetDetector(**FAST).fit(X_sparse.toarray(), y)
    sparse = PReNetDetector(**FAST).fit(X_sparse, y)
    np.testing.assert_allclose(
        sparse.score_samples(X_sparse),
        dense.score_samples(X_sparse.toarray()),
        rtol=1e-5,
    )


def test_fit_predict_passes_y(two_kinds):
    X, _, kind_a, _ = two_kinds
    predicted = PReNetDetector(**FAST).fit_predict(X, labels_for(kind_a[:10]))
    assert (predicted[kind_a[:10]] == -1).all()


def test_pipeline_grid_search_and_cross_validate(two_kinds):
    X, _, kind_a, kind_b = two_kinds
    y = labels_for(np.r_[kind_a, kind_b])
    pipeline = make_pipeline(StandardScaler(), PReNetDetector(**FAST))
    cv = StratifiedKFold(n_splits=2, shuffle=True, random_state=0)
    search = GridSearchCV(
        pipeline,
        {"prenetdetector__n_reference": [5, 30]},
        scoring=anomaly_scorer,
        cv=cv,
    ).fit(X, y)
    assert search.best_score_ > 0.8
    results = cross_validate(pipeline, X, y, scoring=anomaly_scorer, cv=cv)
    assert (results["test_score"] > 0.8).all()


@pytest.mark.parametrize(
    ("y", "message"),
    [
        (None, "PReNetDetector requires y to be passed"),
        (np.zeros(40), "no labelled anomaly.*PReNetDetector"),
        (np.ones(40), "no unlabelled row"),
        (np.arange(40) % 3, r"binary.*\[0, 1, 2\]"),
    ],
)
def test_bad_labels(y, message):
    X = np.random.default_rng(0).normal(size=(40, 3))
    with pytest.raises(ValueError, match=message):
        PReNetDetector(**FAST).fit(X, y)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"hidden_dims": ()}, "hidden_dims needs at least one layer"),
        ({"head_dims": (0,)}, "head_dims"),
        ({"pair_targets": (0.0, 4.0)}, "pair_targets"),
        ({"pair_targets": (0.0, 8.0, 4.0)}, "increasing"),
        ({"batch_size": 3}, "batch_size"),
        ({"n_reference": 0}, "n_reference"),
    ],
)
def test_bad_parameters(params, message):
    X = np.random.default_rng(0).normal(size=(40, 3))
    y = labels_for([0, 1], n_rows=40)
    with pytest.raises(ValueError, match=message):
        PReNetDetector(**{**FAST, **params}).fit(X, y)


def test_wrong_number_of_features_is_named(two_kinds, fitted_on_a):
    with pytest.raises(ValueError, match="expecting 4"):
        fitted_on_a.score_samples(np.zeros((2, 3)))
