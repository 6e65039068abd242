"""DeepSVDDDetector: one-class Deep SVDD, and Deep SAD with labels."""

import pickle

import numpy as np
import pytest
import scipy.sparse as sp
import torch
from sklearn.metrics import average_precision_score, roc_auc_score
from sklearn.model_selection import train_test_split

from skfraud import DeepSVDDDetector
from skfraud.nn import functional as F
from tests.conftest import make_ring_outliers

FAST = {"max_epochs": 40, "lr": 1e-3, "random_state": 0, "device": "cpu"}


@pytest.fixture(scope="module")
def ring():
    return make_ring_outliers()


@pytest.fixture(scope="module")
def fitted(ring):
    return DeepSVDDDetector(**FAST).fit(ring)


def labels_for(rows, n_rows=540):
    y = np.zeros(n_rows, dtype=int)
    y[rows] = 1
    return y


@pytest.fixture(scope="module")
def two_kinds():
    """500 normal rows, then 20 anomalies far out along feature 0 (kind A)
    and 20 far out along feature 1 (kind B)."""
    rng = np.random.default_rng(0)
    shifts = np.zeros((3, 4))
    shifts[1, 0] = shifts[2, 1] = 4.0
    X = np.vstack(
        [
            rng.normal(0.0, 0.5, (n, 4)) + shift
            for n, shift in zip((500, 20, 20), shifts, strict=True)
        ]
    )
    return X, np.arange(500), np.arange(500, 520), np.arange(520, 540)


def is_outlier(X):
    return np.arange(len(X)) >= len(X) - 3


def test_outliers_inside_the_ring_rank_last(ring, fitted):
    assert set(np.argsort(fitted.score_samples(ring))[:3]) == {300, 301, 302}


def test_an_untrained_network_does_not_rank_them(ring):
    # A random bias-free map may by chance send the rows at the ring's
    # centre far from c, so the claim is over initialisations: untrained,
    # they rank the outliers poorly on average; trained, every one of them
    # ranks all three last.
    untrained, trained = [], []
    for seed in range(5):
        params = {**FAST, "random_state": seed}
        detector = DeepSVDDDetector(**{**params, "max_epochs": 1, "lr": 1e-9})
        untrained.append(auc_of(detector.fit(ring), ring))
        trained.append(auc_of(DeepSVDDDetector(**params).fit(ring), ring))
    assert np.mean(untrained) < 0.85
    assert min(trained) == 1.0


def auc_of(detector, ring):
    return roc_auc_score(is_outlier(ring), -detector.score_samples(ring))


def test_training_loss_falls(fitted):
    losses = fitted.history_[:, "train_loss"]
    assert losses[-1] < 0.5 * losses[0]


def test_centre_is_the_guarded_mean_code_of_the_first_pass(ring):
    # With a vanishing learning rate the weights stay where the centre was
    # computed, so the centre can be recomputed from the fitted module.
    detector = DeepSVDDDetector(**{**FAST, "max_epochs": 1, "lr": 1e-12}).fit(ring)
    module = detector.net_.module_
    with torch.no_grad():
        codes = module.embed(torch.as_tensor(ring, dtype=torch.float32))
    expected = F.guard_centre(codes.mean(dim=0), 0.1)
    torch.testing.assert_close(module.centre, expected, atol=1e-5, rtol=1e-5)
    assert bool((module.centre.abs() >= 0.1).all())


def test_score_is_the_squared_distance_to_the_centre(ring, fitted):
    module = fitted.net_.module_
    with torch.no_grad():
        codes = module.embed(torch.as_tensor(ring, dtype=torch.float32))
    expected = (codes - module.centre).square().sum(dim=1)
    np.testing.assert_allclose(-fitted.score_samples(ring), expected, rtol=1e-5)


def test_no_collapse_on_contaminated_data(two_kinds):
    # 40 of the 540 training rows are anomalies. A collapsed network maps
    # every row onto the centre: distances all near zero and all alike.
    X, _, _, _ = two_kinds
    detector = DeepSVDDDetector(**FAST).fit(X)
    module = detector.net_.module_
    assert not any("bias" in name for name, _ in module.named_parameters())
    anomaly = -detector.score_samples(X)
    assert anomaly.std() > 0.3 * anomaly.mean()
    with torch.no_grad():
        codes = module.embed(torch.as_tensor(X, dtype=torch.float32))
    assert float(codes.std(dim=0).min()) > 1e-3


def test_labels_push_known_anomalies_away(two_kinds):
    # Kind A rows are labelled in Deep SAD; Deep SVDD sees none. Both are
    # scored on the unlabelled half of kind A against the normal rows.
    # The papers' untrimmed loss, which pulls in every unlabelled row.
    X, normal, kind_a, _ = two_kinds
    svdd = DeepSVDDDetector(**FAST, trim=0.0).fit(X)
    sad = DeepSVDDDetector(**FAST, trim=0.0).fit(X, labels_for(kind_a[:10]))
    rows = np.concatenate([normal, kind_a[10:]])
    truth = np.arange(len(rows)) >= len(normal)

    def margin(detector):
        anomaly = -detector.score_samples(X)
        return anomaly[kind_a[10:]].min() / np.median(anomaly[normal])

    def auc(detector):
        return roc_auc_score(truth, -detector.score_samples(X)[rows])

    assert margin(sad) > 2 * margin(svdd)
    # Unlabelled, the 20 rows of kind A are pulled to the centre with the
    # normal rows and rank below them; ten labels rank the other ten above
    # nearly all normal rows (the default network, wide enough to pull some
    # of the ten back in with the untrimmed loss, reaches about 0.9).
    assert auc(svdd) < 0.5
    assert auc(sad) > 0.85


def test_trimmed_loss_keeps_unlabelled_anomalies_away(two_kinds):
    # 40 anomalies (7 %) among the training rows, none labelled. The plain
    # loss pulls them in with the normal rows (ROC-AUC below 0.5); leaving
    # the furthest tenth of each batch out (trim="auto") ranks them on top.
    X, normal, _, _ = two_kinds
    truth = np.arange(len(X)) >= len(normal)
    plain = DeepSVDDDetector(**FAST, trim=0.0).fit(X)
    trimmed = DeepSVDDDetector(**FAST).fit(X)
    assert roc_auc_score(truth, -plain.score_samples(X)) < 0.5
    assert roc_auc_score(truth, -trimmed.score_samples(X)) > 0.85


def test_unlabelled_y_is_deep_svdd(ring, fitted):
    with_zeros = DeepSVDDDetector(**FAST).fit(ring, np.zeros(len(ring), dtype=int))
    np.testing.assert_array_equal(
        with_zeros.score_samples(ring), fitted.score_samples(ring)
    )


def test_train_on_normal_drops_the_labelled_rows(two_kinds):
    X, _, kind_a, _ = two_kinds
    y = labels_for(kind_a)
    on_normal = DeepSVDDDetector(**FAST, train_on="normal").fit(X, y)
    # trim="auto" leaves known-genuine rows untrimmed: the plain loss.
    on_subset = DeepSVDDDetector(**FAST, trim=0.0).fit(X[y == 0])
    np.testing.assert_allclose(
        on_normal.score_samples(X), on_subset.score_samples(X), rtol=1e-6
    )


def test_fit_predict_passes_y(two_kinds):
    X, _, kind_a, _ = two_kinds
    y = labels_for(kind_a[:10])
    labels = DeepSVDDDetector(**FAST).fit_predict(X, y)
    expected = DeepSVDDDetector(**FAST).fit(X, y).predict(X)
    np.testing.assert_array_equal(labels, expected)


def test_same_seed_same_scores_and_global_rng_untouched(ring, fitted):
    torch_state, numpy_state = torch.get_rng_state(), np.random.get_state()
    again = DeepSVDDDetector(**FAST).fit(ring)
    assert torch.equal(torch_state, torch.get_rng_state())
    assert np.array_equal(numpy_state[1], np.random.get_state()[1])
    np.testing.assert_array_equal(again.score_samples(ring), fitted.score_samples(ring))


def test_pickle_round_trip(ring, fitted):
    loaded = pickle.loads(pickle.dumps(fitted))
    np.testing.assert_array_equal(
        loaded.score_samples(ring), fitted.score_samples(ring)
    )


def test_sparse_input_gives_the_dense_scores(ring, fitted):
    sparse = DeepSVDDDetector(**FAST).fit(sp.csr_matrix(ring))
    np.testing.assert_allclose(
        sparse.score_samples(sp.csr_matrix(ring)), fitted.score_samples(ring), rtol=1e-5
    )


@pytest.mark.parametrize(
    "y, train_on, message",
    [
        (np.full(303, 2), "all", "y must be binary"),
        (np.ones(303), "all", "no unlabelled row"),
        (np.zeros(10), "all", "inconsistent numbers of samples"),
        (None, "normal", "train_on='normal' needs y"),
    ],
)
def test_bad_labels(ring, y, train_on, message):
    with pytest.raises(ValueError, match=message):
        DeepSVDDDetector(**FAST, train_on=train_on).fit(ring, y)


def test_bad_eta(ring):
    with pytest.raises(ValueError, match="eta"):
        DeepSVDDDetector(**FAST, eta=0.0).fit(ring)


@pytest.mark.gpu
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
@pytest.mark.parametrize("sparse", [False, True])
def test_gpu_training_ranks_and_pickles(two_kinds, sparse):
    X, _, kind_a, _ = two_kinds
    X_in = sp.csr_matrix(X) if sparse else X
    gpu = DeepSVDDDetector(**{**FAST, "device": "cuda"}).fit(
        X_in, labels_for(kind_a[:10])
    )
    assert gpu.net_.module_.centre.is_cuda
    scores = gpu.score_samples(X_in)
    assert roc_auc_score(np.arange(len(X)) >= 500, -scores) > 0.95
    loaded = pickle.loads(pickle.dumps(gpu))
    np.testing.assert_allclose(loaded.score_samples(X_in), scores, rtol=1e-6)


@pytest.mark.slow
def test_thyroid_floor_when_training_on_normal_rows(thyroid):
    # Floors: ROC-AUC 0.89 and AUPRC 0.58 on the held-out half. With the
    # default parameters, seeds 0-2 gave ROC-AUC 0.914-0.955 and AUPRC
    # 0.644-0.722; the floors leave a margin below the worst seed.
    X, y = thyroid
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.5, stratify=y, random_state=0
    )
    detector = DeepSVDDDetector(train_on="normal", random_state=0, device="cpu")
    anomaly = -detector.fit(X_train, y_train).score_samples(X_test)
    assert roc_auc_score(y_test, anomaly) > 0.89
    assert average_precision_score(y_test, anomaly) > 0.58
