"""DevNetDetector: labels steer the score, the contract holds with y."""

import pickle

import numpy as np
import pytest
import scipy.sparse as sp
import torch
from sklearn.metrics import average_precision_score, roc_auc_score
from sklearn.model_selection import (
    GridSearchCV,
    StratifiedKFold,
    cross_validate,
    train_test_split,
)
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skfraud import AutoEncoderDetector, DevNetDetector

# Few steps: 8 epochs of 10 batches of 64 rows train the toy problems fully.
FAST = {
    "max_epochs": 8,
    "n_batches_per_epoch": 10,
    "batch_size": 64,
    "random_state": 0,
    "device": "cpu",
}


def make_two_kinds_of_anomalies(random_state=0):
    """500 normal rows and two kinds of anomalies, 20 of each.

    Kind A is far out along feature 0, kind B far out along feature 1.
    Returns ``X`` and the row indices of the normals, A and B.
    """
    rng = np.random.default_rng(random_state)
    normal = rng.normal(0.0, 0.5, size=(500, 4))
    kind_a = rng.normal(0.0, 0.5, size=(20, 4)) + np.array([4.0, 0.0, 0.0, 0.0])
    kind_b = rng.normal(0.0, 0.5, size=(20, 4)) + np.array([0.0, 4.0, 0.0, 0.0])
    X = np.vstack([normal, kind_a, kind_b])
    return X, np.arange(500), np.arange(500, 520), np.arange(520, 540)


def labels_for(rows, n_rows=540):
    y = np.zeros(n_rows, dtype=int)
    y[rows] = 1
    return y


def anomaly_scorer(estimator, X, y):
    """AUPRC with the anomaly as the positive class."""
    return average_precision_score(y, -estimator.score_samples(X))


@pytest.fixture(scope="module")
def two_kinds():
    return make_two_kinds_of_anomalies()


@pytest.fixture(scope="module")
def fitted_on_a(two_kinds):
    """Fitted with 10 of the 20 kind-A anomalies labelled."""
    X, _, kind_a, _ = two_kinds
    return DevNetDetector(**FAST).fit(X, labels_for(kind_a[:10]))


def test_known_anomalies_score_above_unlabelled_normals(two_kinds, fitted_on_a):
    X, normal, kind_a, _ = two_kinds
    scores = fitted_on_a.score_samples(X)
    # higher score_samples = more normal: every labelled anomaly ranks below
    # every normal row, and so do the unlabelled anomalies of the same kind
    assert scores[kind_a[:10]].max() < scores[normal].min()
    y_a = np.r_[np.zeros(len(normal)), np.ones(10)]
    assert roc_auc_score(y_a, -scores[np.r_[normal, kind_a[10:]]]) > 0.99


def test_labels_change_the_ranking(two_kinds, fitted_on_a):
    X, _, kind_a, kind_b = two_kinds
    fitted_on_b = DevNetDetector(**FAST).fit(X, labels_for(kind_b[:10]))
    top_a = set(np.argsort(fitted_on_a.score_samples(X))[:20])
    top_b = set(np.argsort(fitted_on_b.score_samples(X))[:20])
    # each model's 20 most anomalous rows are mostly of the labelled kind
    assert len(top_a & set(kind_a)) >= 15
    assert len(top_b & set(kind_b)) >= 15
    assert len(top_a & top_b) <= 5


def test_training_loss_falls(fitted_on_a):
    losses = fitted_on_a.history_[:, "train_loss"]
    assert len(losses) == FAST["max_epochs"]
    assert losses[-1] < 0.5 * losses[0]
    # every epoch is n_batches_per_epoch balanced batches
    assert len(fitted_on_a.history_[-1, "batches"]) == FAST["n_batches_per_epoch"]


def test_network_scores_are_a_vector(two_kinds, fitted_on_a):
    X, *_ = two_kinds
    module = fitted_on_a.net_.module_
    with torch.inference_mode():
        out = module(torch.as_tensor(X[:7], dtype=torch.float32))
    assert out.shape == (7,)
    assert np.allclose(-fitted_on_a.score_samples(X[:7]), out.numpy(), atol=1e-6)


def test_auto_offset_is_the_z_bound(two_kinds, fitted_on_a):
    X, normal, kind_a, _ = two_kinds
    assert fitted_on_a.offset_ == pytest.approx(-1.959964, abs=1e-6)
    predicted = fitted_on_a.predict(X)
    assert (predicted[kind_a] == -1).all()
    assert (predicted[normal] == -1).mean() < 0.05


def test_contamination_sets_the_flagged_share(two_kinds):
    X, _, kind_a, _ = two_kinds
    detector = DevNetDetector(**FAST, contamination=0.1).fit(X, labels_for(kind_a))
    assert (detector.predict(X) == -1).mean() == pytest.approx(0.1, abs=0.01)


def test_early_stopping_validates_on_the_deviation_loss(two_kinds):
    X, _, kind_a, _ = two_kinds
    params = {**FAST, "max_epochs": 30, "patience": 2}
    detector = DevNetDetector(**params, early_stopping=True, validation_fraction=0.2)
    detector.fit(X, labels_for(kind_a))
    valid_losses = detector.history_[:, "valid_loss"]
    assert len(valid_losses) < 30
    assert min(valid_losses) < valid_losses[0]


@pytest.mark.parametrize("freeze_encoder", [True, False])
def test_pretrained_encoder(two_kinds, freeze_encoder):
    X, _, kind_a, _ = two_kinds
    y = labels_for(kind_a[:10])
    params = {**FAST, "hidden_dims": (16, 8), "pretrain_epochs": 3}
    detector = DevNetDetector(**params, pretrain=True, freeze_encoder=freeze_encoder)
    detector.fit(X, y)
    # the same autoencoder, trained on the unlabelled rows with the same seed
    autoencoder = AutoEncoderDetector(
        hidden_dims=(16,),
        latent_dim=8,
        max_epochs=3,
        batch_size=64,
        train_on="normal",
        random_state=0,
        device="cpu",
    ).fit(X, y)
    pretrained = autoencoder.net_.module_.encoder.state_dict()
    encoder = detector.net_.module_.encoder.state_dict()
    unchanged = [torch.equal(encoder[key], pretrained[key]) for key in pretrained]
    assert all(unchanged) == freeze_encoder
    assert not any(unchanged) or freeze_encoder
    assert not hasattr(detector, "_pretrained_encoder")
    scores = detector.score_samples(X)
    assert scores[kind_a].mean() < scores[:500].mean()


@pytest.mark.gpu
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
@pytest.mark.parametrize("sparse", [False, True])
def test_gpu_training_ranks_and_pickles(two_kinds, sparse):
    X, normal, kind_a, _ = two_kinds
    X_in = sp.csr_matrix(X) if sparse else X
    y = labels_for(kind_a[:10])
    gpu = DevNetDetector(**{**FAST, "device": "cuda"}).fit(X_in, y)
    assert next(gpu.net_.module_.parameters()).is_cuda
    scores = gpu.score_samples(X_in)
    assert scores[kind_a[:10]].max() < scores[normal].min()
    again = DevNetDetector(**{**FAST, "device": "cuda"}).fit(X_in, y)
    np.testing.assert_allclose(again.score_samples(X_in), scores, rtol=1e-5)
    loaded = pickle.loads(pickle.dumps(gpu))
    np.testing.assert_allclose(loaded.score_samples(X_in), scores, rtol=1e-6)


def test_fit_predict_passes_y(two_kinds):
    X, _, kind_a, _ = two_kinds
    predicted = DevNetDetector(**FAST).fit_predict(X, labels_for(kind_a[:10]))
    assert (predicted[kind_a[:10]] == -1).all()


def test_pipeline_grid_search_and_cross_validate(two_kinds):
    X, _, kind_a, kind_b = two_kinds
    y = labels_for(np.r_[kind_a, kind_b])
    pipeline = make_pipeline(StandardScaler(), DevNetDetector(**FAST))
    assert (pipeline.fit_predict(X, y)[kind_a] == -1).all()
    cv = StratifiedKFold(n_splits=2, shuffle=True, random_state=0)
    search = GridSearchCV(
        pipeline,
        {"devnetdetector__hidden_dims": [(8,), (20,)]},
        scoring=anomaly_scorer,
        cv=cv,
    ).fit(X, y)
    assert search.best_score_ > 0.8
    results = cross_validate(pipeline, X, y, scoring=anomaly_scorer, cv=cv)
    assert (results["test_score"] > 0.8).all()


def test_tags_require_y():
    tags = DevNetDetector().__sklearn_tags__()
    assert tags.target_tags.required
    assert tags.estimator_type == "outlier_detector"


@pytest.mark.parametrize(
    ("y", "error", "message"),
    [
        (None, ValueError, "requires y to be passed"),
        (np.zeros(40), ValueError, "no labelled anomaly"),
        (np.ones(40), ValueError, "no unlabelled row"),
        (np.arange(40) % 3, ValueError, r"binary.*\[0, 1, 2\]"),
        (np.where(np.arange(40) < 5, -1, 1), ValueError, r"binary.*\[-1, 1\]"),
        (np.r_[np.zeros(39), np.nan], ValueError, "binary"),
        (np.zeros(39), ValueError, "inconsistent numbers of samples"),
        (np.zeros((40, 2)), ValueError, "1d array"),
    ],
)
def test_bad_labels(y, error, message):
    X = np.random.default_rng(0).normal(size=(40, 3))
    with pytest.raises(error, match=message):
        DevNetDetector(**FAST).fit(X, y)


def test_bad_parameters():
    X = np.random.default_rng(0).normal(size=(40, 3))
    y = labels_for([0, 1], n_rows=40)
    with pytest.raises(ValueError, match="hidden_dims needs at least one layer"):
        DevNetDetector(**FAST, hidden_dims=(), pretrain=True).fit(X, y)
    with pytest.raises(ValueError, match="batch_size"):
        DevNetDetector(**{**FAST, "batch_size": 1}).fit(X, y)
    with pytest.raises(ValueError, match="margin"):
        DevNetDetector(**FAST, margin=0).fit(X, y)
    with pytest.raises(ValueError, match=r"4 features.*expecting 3|expecting 3"):
        DevNetDetector(**FAST).fit(X, y).score_samples(np.zeros((2, 4)))


def test_linear_scorer_without_hidden_layers(two_kinds):
    X, normal, kind_a, _ = two_kinds
    detector = DevNetDetector(**FAST, hidden_dims=()).fit(X, labels_for(kind_a[:10]))
    scores = detector.score_samples(X)
    assert scores[kind_a].mean() < scores[normal].mean()


@pytest.mark.slow
def test_vehicle_insurance_thirty_labels_beat_the_fraud_rate(vehicle_insurance):
    X, y = vehicle_insurance
    y = y.to_numpy()
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.3, stratify=y, random_state=0
    )
    rng = np.random.default_rng(0)
    y_few = np.zeros_like(y_train)
    y_few[rng.choice(np.flatnonzero(y_train == 1), 30, replace=False)] = 1
    try:
        from skfraud.preprocessing import make_preprocessor

        preprocessor = make_preprocessor()
    except ImportError:
        from sklearn.compose import ColumnTransformer, make_column_selector
        from sklearn.preprocessing import MinMaxScaler, OneHotEncoder

        preprocessor = ColumnTransformer(
            [
                (
                    "categorical",
                    OneHotEncoder(handle_unknown="ignore"),
                    make_column_selector(dtype_include=[object, "string"]),
                ),
                (
                    "numeric",
                    MinMaxScaler(),
                    make_column_selector(dtype_include="number"),
                ),
            ]
        )
    model = make_pipeline(
        preprocessor, DevNetDetector(random_state=0, device="cpu")
    ).fit(X_train, y_few)
    auprc = average_precision_score(y_test, -model.score_samples(X_test))
    # A random ranking scores the fraud rate, 0.060, and the unsupervised
    # detectors stay near it. With 30 labels this protocol measured 0.105 to
    # 0.126 over seeds 0-4 (0.111 for seed 0); the floor is the lowest minus
    # 0.02, still 1.4 times the fraud rate.
    assert auprc > 0.085
