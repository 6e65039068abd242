"""Model variants by name: parsing, the harness options, the specs they build."""

import numpy as np
import pytest
from sklearn.base import BaseEstimator, OutlierMixin

from skfraud.benchmark import TrainingVariant, parse_variant
from skfraud.benchmark._runner import select_models


class Remembers(OutlierMixin, BaseEstimator):
    """Records what it was fitted on; scores by the first column."""

    def __init__(self, max_epochs=50, batch_size=10, train_on="all"):
        self.max_epochs = max_epochs
        self.batch_size = batch_size
        self.train_on = train_on

    def fit(self, X, y=None):
        self.X_ = X
        self.y_ = y
        return self

    def score_samples(self, X):
        return -X[:, 0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("VAEDetector", ("VAEDetector", {})),
        ("VAEDetector:", ("VAEDetector", {})),
        (
            "AutoEncoderDetector:max_epochs=200, dropout=0.2,early_stopping=True",
            (
                "AutoEncoderDetector",
                {"max_epochs": 200, "dropout": 0.2, "early_stopping": True},
            ),
        ),
        (
            "PyOD VAE:estimator__epoch_num=5,hidden_dims=(32, 16),scaler=standard",
            (
                "PyOD VAE",
                {
                    "estimator__epoch_num": 5,
                    "hidden_dims": (32, 16),
                    "scaler": "standard",
                },
            ),
        ),
    ],
)
def test_parse_variant(text, expected):
    assert parse_variant(text) == expected


@pytest.mark.parametrize("text", ["AutoEncoderDetector:200", "M:a=1,=2", "M:1a=3"])
def test_parse_variant_rejects_what_is_not_key_value(text):
    with pytest.raises(ValueError, match="expected key=value pairs"):
        parse_variant(text)


@pytest.mark.parametrize(
    ("n_rows", "steps", "epochs"), [(95, 100, 10), (100, 100, 10), (5, 100, 100)]
)
def test_steps_set_the_epochs_from_the_rows_learned_from(n_rows, steps, epochs):
    # batch_size 10: ceil(n_rows / 10) batches an epoch.
    X = np.zeros((n_rows, 2), dtype=np.float32)
    variant = TrainingVariant(Remembers(), steps=steps).fit(X)
    assert variant.max_epochs_ == epochs
    assert variant.estimator_.max_epochs == epochs


def test_steps_count_only_the_normal_rows_with_train_on_normal():
    X = np.zeros((100, 2), dtype=np.float32)
    y = np.r_[np.zeros(40, dtype=int), np.ones(60, dtype=int)]
    variant = TrainingVariant(Remembers(train_on="normal"), steps=40).fit(X, y)
    assert variant.max_epochs_ == 10
    np.testing.assert_array_equal(variant.estimator_.y_, y)


def test_standard_scaler_learns_from_the_normal_rows():
    X = np.r_[np.c_[[0.0, 2.0, 4.0]], np.c_[[100.0]]].astype(np.float32)
    y = np.array([0, 0, 0, 1])
    variant = TrainingVariant(Remembers(train_on="normal"), scaler="standard")
    variant.fit(X, y)
    scale = np.std([0.0, 2.0, 4.0])
    np.testing.assert_allclose(variant.estimator_.X_[:, 0], (X[:, 0] - 2.0) / scale)
    np.testing.assert_allclose(
        variant.score_samples(np.array([[2.0], [8.0]])), [0.0, -6.0 / scale]
    )


def test_unknown_scaler():
    with pytest.raises(ValueError, match="scaler must be 'standard' or None"):
        TrainingVariant(Remembers(), scaler="robust").fit(np.zeros((3, 1)))


def test_select_models_builds_variants_with_their_names_and_parameters():
    name = "AutoEncoderDetector:max_epochs=7,scaler=standard"
    (spec, peer), _ = select_models([name], ["IsolationForest:n_estimators=10"])
    assert spec.name == name and spec.family == "skfraud"
    model = spec.build(3, 4, "clean")
    assert isinstance(model, TrainingVariant) and model.scaler == "standard"
    assert model.estimator.get_params()["max_epochs"] == 7
    # Built as a user builds it: the clean protocol fits the genuine rows
    # with the default train_on, as IsolationForest is fitted.
    assert model.estimator.get_params()["train_on"] == "all"
    assert model.estimator.get_params()["random_state"] == 3
    assert peer.build(0, 4, "clean").n_estimators == 10
    # A run's max_epochs override reaches the wrapped detector.
    assert spec.epochs_param == "estimator__max_epochs"


@pytest.mark.parametrize(
    ("detectors", "message"),
    [
        (["AutoEncoderDetector:no_such_parameter=1"], "no_such_parameter"),
        (["NoSuchDetector:max_epochs=1"], "Unknown model 'NoSuchDetector'"),
    ],
)
def test_select_models_rejects_bad_variants_at_once(detectors, message):
    with pytest.raises(ValueError, match=message):
        select_models(detectors, [])
