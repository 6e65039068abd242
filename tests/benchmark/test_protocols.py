"""The benchmark's protocol splits, against properties checked by hand."""

import numpy as np
import pytest
from sklearn.model_selection import train_test_split

from skfraud.benchmark import (
    N_FEW_LABELS,
    PAPER_RHO,
    PROTOCOLS,
    few_labels,
    flag_top_share,
    paper_split,
    stratified_split,
    subsample,
)


@pytest.fixture
def labels():
    """1,000 rows, 100 anomalies (10 %), in a shuffled order."""
    y = np.r_[np.zeros(900, dtype=int), np.ones(100, dtype=int)]
    return np.random.default_rng(0).permutation(y)


def test_stratified_split_is_70_30_and_keeps_the_anomaly_share(labels):
    train, test = stratified_split(labels, random_state=0)
    assert len(train) == 700 and len(test) == 300
    assert labels[train].sum() == 70 and labels[test].sum() == 30
    assert np.array_equal(np.sort(np.r_[train, test]), np.arange(len(labels)))


def test_stratified_split_is_the_split_of_train_test_split(labels):
    X = np.arange(len(labels))[:, None] * 10.0
    X_train, X_test, _, _ = train_test_split(
        X, labels, test_size=0.3, stratify=labels, random_state=3
    )
    train, test = stratified_split(labels, random_state=3)
    assert np.array_equal(X[train], X_train) and np.array_equal(X[test], X_test)


def test_paper_split_trains_on_half_of_the_normal_rows_only(labels):
    train, test, _ = paper_split(labels, random_state=0)
    assert len(train) == 450
    assert (labels[train] == 0).all()
    # The test part: the other 450 normal rows and all 100 anomalies.
    assert len(test) == 550 and labels[test].sum() == 100
    assert np.intersect1d(train, test).size == 0
    assert np.array_equal(np.sort(np.r_[train, test]), np.arange(len(labels)))


def test_paper_split_can_learn_from_a_subset_of_the_training_half(labels):
    train, test, fit_rows = paper_split(labels, random_state=0, max_fit_rows=100)
    assert len(fit_rows) == 100 and len(np.unique(fit_rows)) == 100
    assert np.isin(fit_rows, train).all()
    same_train, same_test, all_rows = paper_split(labels, random_state=0)
    assert np.array_equal(train, same_train) and np.array_equal(test, same_test)
    assert np.array_equal(all_rows, train)


def test_paper_split_depends_on_the_seed(labels):
    first, _, _ = paper_split(labels, random_state=0)
    second, _, _ = paper_split(labels, random_state=1)
    again, _, _ = paper_split(labels, random_state=0)
    assert np.array_equal(first, again)
    assert not np.array_equal(np.sort(first), np.sort(second))


def test_few_labels_keeps_exactly_30_true_anomalies(labels):
    y_few = few_labels(labels, N_FEW_LABELS, random_state=0)
    assert N_FEW_LABELS == 30
    assert y_few.sum() == 30
    assert (labels[y_few == 1] == 1).all()
    assert set(np.unique(y_few)) == {0, 1}


def test_few_labels_keeps_every_anomaly_when_there_are_fewer():
    y = np.r_[np.zeros(50, dtype=int), np.ones(7, dtype=int)]
    assert np.array_equal(few_labels(y, 30, random_state=0), y)


def test_unsupervised_protocol_uses_no_labels(labels):
    split = PROTOCOLS["unsupervised"].split(labels, 0, "thyroid")
    assert split.y_train is None
    assert np.array_equal(split.fit_rows, split.train)
    assert split.rho == pytest.approx(0.1)


def test_clean_protocol_learns_from_the_normal_training_rows(labels):
    split = PROTOCOLS["clean"].split(labels, 0, "thyroid")
    assert np.array_equal(split.y_train, labels[split.train])
    assert len(split.fit_rows) == 630
    assert (labels[split.fit_rows] == 0).all()
    unsupervised = PROTOCOLS["unsupervised"].split(labels, 0, "thyroid")
    assert np.array_equal(split.test, unsupervised.test)


def test_paper_protocol_flags_the_papers_rho(labels):
    assert PROTOCOLS["paper"].split(labels, 0, "thyroid").rho == PAPER_RHO["thyroid"]
    assert PROTOCOLS["paper"].split(labels, 0, "kdd").rho == 0.20
    # Elsewhere: the anomaly share of the data set.
    assert PROTOCOLS["paper"].split(labels, 0, "vehicle").rho == pytest.approx(0.1)


def test_few_label_protocol_labels_30_training_anomalies(labels):
    split = PROTOCOLS["few-label"].split(labels, 0, "thyroid")
    assert split.y_train.sum() == 30
    assert (labels[split.train][split.y_train == 1] == 1).all()
    assert np.array_equal(split.fit_rows, split.train)


def test_subsample_is_stratified_and_none_keeps_every_row(labels):
    rows = subsample(labels, 200, random_state=0)
    assert len(rows) == 200 and len(np.unique(rows)) == 200
    assert labels[rows].sum() == 20
    assert np.array_equal(subsample(labels, None, 0), np.arange(1000))
    assert np.array_equal(subsample(labels, 5000, 0), np.arange(1000))
    assert not np.array_equal(np.sort(rows), np.sort(subsample(labels, 200, 1)))


def test_flag_top_share_flags_the_highest_scores():
    scores = np.array([0.1, 0.9, 0.5, 0.8, 0.2, 0.3, 0.4, 0.6, 0.7, 0.0])
    flags = flag_top_share(scores, 0.3)
    assert np.array_equal(np.flatnonzero(flags), [1, 3, 8])
    assert not flag_top_share(scores, 0.0).any()
    assert flag_top_share(scores, 1.0).all()


def test_flag_top_share_flags_ties_together():
    flags = flag_top_share(np.array([1.0, 2.0, 2.0, 0.0]), 0.25)
    assert np.array_equal(flags, [False, True, True, False])
