"""Displays: the artists they draw, the numbers behind them, their errors."""

import doctest
import importlib
import io
import sys

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
import torch
from sklearn.base import BaseEstimator, OutlierMixin
from sklearn.decomposition import PCA
from sklearn.ensemble import IsolationForest
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (
    average_precision_score,
    precision_recall_curve,
    roc_auc_score,
    roc_curve,
)
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import skfraud
import skfraud.plotting._latent
from skfraud import (
    AutoEncoderDetector,
    DAGMMDetector,
    DevNetDetector,
    MemAEDetector,
    VAEDetector,
)
from skfraud.metrics import anomaly_score
from skfraud.plotting import (
    AnomalyPrecisionRecallDisplay,
    AnomalyRocCurveDisplay,
    GMMSpaceDisplay,
    LatentSpaceDisplay,
    ScoreDistributionDisplay,
    TrainingCurveDisplay,
    plot_detector_curves,
)
from skfraud.preprocessing import make_preprocessor

matplotlib.use("Agg")

N_NORMAL, N_FRAUD = 300, 15
SMALL = {"hidden_dims": (8,), "max_epochs": 3, "random_state": 0, "device": "cpu"}


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    X = np.vstack(
        [rng.normal(0.0, 1.0, (N_NORMAL, 4)), rng.normal(3.0, 0.5, (N_FRAUD, 4))]
    )
    y = np.r_[np.zeros(N_NORMAL, dtype=int), np.ones(N_FRAUD, dtype=int)]
    return X, y


@pytest.fixture(scope="module")
def frame(data):
    X, y = data
    rng = np.random.default_rng(1)
    table = pd.DataFrame(X, columns=["amount", "age", "hour", "balance"])
    table["merchant"] = rng.choice(["shop", "fuel", "travel"], size=len(table))
    return table, y


@pytest.fixture(scope="module")
def autoencoder(data):
    return AutoEncoderDetector(latent_dim=2, **SMALL).fit(data[0])


@pytest.fixture(scope="module")
def vae(data):
    return VAEDetector(latent_dim=2, **SMALL).fit(data[0])


@pytest.fixture(scope="module")
def iforest(data):
    return IsolationForest(n_estimators=50, random_state=0).fit(data[0])


@pytest.fixture(scope="module")
def vae_pipeline(frame):
    return make_pipeline(make_preprocessor(), VAEDetector(latent_dim=2, **SMALL)).fit(
        frame[0]
    )


def _legend_texts(ax):
    return [text.get_text() for text in ax.get_legend().get_texts()]


def _n_points(collections):
    return sum(len(collection.get_offsets()) for collection in collections)


# ---- precision-recall and ROC curves ---------------------------------------


def test_precision_recall_display_matches_sklearn(data, autoencoder):
    X, y = data
    scores = anomaly_score(autoencoder, X)
    display = AnomalyPrecisionRecallDisplay.from_estimator(autoencoder, X, y)

    expected_ap = average_precision_score(y, scores)
    assert display.average_precision == pytest.approx(expected_ap, abs=1e-12)
    assert display.fraud_rate == pytest.approx(N_FRAUD / (N_NORMAL + N_FRAUD))
    precision, recall, _ = precision_recall_curve(y, scores)
    np.testing.assert_allclose(display.line_.get_xdata(), recall)
    np.testing.assert_allclose(display.line_.get_ydata(), precision)
    assert display.line_.get_label() == f"AutoEncoderDetector (AP = {expected_ap:.3f})"
    np.testing.assert_allclose(display.chance_level_.get_ydata(), [y.mean()] * 2)
    assert f"{y.mean():.3f}" in display.chance_level_.get_label()
    assert len(display.ax_.get_lines()) == 2
    assert display.figure_ is display.ax_.figure
    assert display.line_.get_label() in _legend_texts(display.ax_)


def test_roc_display_matches_sklearn(data, autoencoder):
    X, y = data
    scores = anomaly_score(autoencoder, X)
    display = AnomalyRocCurveDisplay.from_estimator(autoencoder, X, y)

    expected_auc = roc_auc_score(y, scores)
    assert display.roc_auc == pytest.approx(expected_auc, abs=1e-12)
    fpr, tpr, _ = roc_curve(y, scores)
    np.testing.assert_allclose(display.line_.get_xdata(), fpr)
    np.testing.assert_allclose(display.line_.get_ydata(), tpr)
    assert f"AUC = {expected_auc:.3f}" in display.line_.get_label()
    np.testing.assert_allclose(display.chance_level_.get_xdata(), [0, 1])
    np.testing.assert_allclose(display.chance_level_.get_ydata(), [0, 1])


def test_curves_are_scikit_learn_displays_of_anomaly_scores(data, iforest):
    from sklearn.metrics import PrecisionRecallDisplay, RocCurveDisplay

    X, y = data
    pr = AnomalyPrecisionRecallDisplay.from_estimator(iforest, X, y)
    roc = AnomalyRocCurveDisplay.from_estimator(iforest, X, y)
    assert isinstance(pr, PrecisionRecallDisplay)
    assert isinstance(roc, RocCurveDisplay)
    assert pr.pos_label == roc.pos_label == 1
    assert pr.prevalence_pos_label == pr.fraud_rate == pytest.approx(y.mean())
    # scikit-learn's display of the same anomaly scores draws the same curve.
    reference = PrecisionRecallDisplay.from_predictions(
        y, anomaly_score(iforest, X), pos_label=1
    )
    np.testing.assert_array_equal(pr.line_.get_xydata(), reference.line_.get_xydata())
    assert pr.line_.get_drawstyle() == reference.line_.get_drawstyle()


def test_curves_treat_fraud_as_positive_for_sklearn_detectors(data, iforest):
    # score_samples is higher for normal rows: ranking by it would give 1 - AUC.
    X, y = data
    display = AnomalyRocCurveDisplay.from_estimator(iforest, X, y)
    flipped = roc_auc_score(y, iforest.score_samples(X))
    assert display.roc_auc == pytest.approx(1.0 - flipped)
    assert display.roc_auc > 0.9


def test_from_predictions_equals_from_estimator(frame, vae_pipeline):
    X, y = frame
    scores = anomaly_score(vae_pipeline, X)
    from_estimator = AnomalyPrecisionRecallDisplay.from_estimator(vae_pipeline, X, y)
    from_scores = AnomalyPrecisionRecallDisplay.from_predictions(y, scores, name="VAE")
    assert from_estimator.average_precision == from_scores.average_precision
    assert from_estimator.line_.get_label().startswith("VAEDetector (AP = ")
    assert from_scores.line_.get_label().startswith("VAE (AP = ")
    unnamed = AnomalyRocCurveDisplay.from_predictions(y, scores)
    assert unnamed.line_.get_label() == f"AUC = {roc_auc_score(y, scores):.3f}"


def test_several_detectors_share_axes_and_one_chance_level(data, autoencoder, iforest):
    X, y = data
    _, ax = plt.subplots()
    first = AnomalyPrecisionRecallDisplay.from_estimator(autoencoder, X, y, ax=ax)
    second = AnomalyPrecisionRecallDisplay.from_estimator(iforest, X, y, ax=ax)

    assert first.ax_ is second.ax_ is ax
    assert len(ax.get_lines()) == 3  # two curves, one chance level
    assert second.chance_level_ is first.chance_level_
    texts = _legend_texts(ax)
    assert any(text.startswith("AutoEncoderDetector (AP = ") for text in texts)
    assert any(text.startswith("IsolationForest (AP = ") for text in texts)


@pytest.mark.parametrize(
    ("kind", "metric", "label"),
    [
        ("precision_recall", average_precision_score, "AP"),
        ("roc", roc_auc_score, "AUC"),
    ],
)
def test_plot_detector_curves(data, autoencoder, vae, iforest, kind, metric, label):
    X, y = data
    detectors = {"ae": autoencoder, "vae": vae, "iforest": iforest}
    displays = plot_detector_curves(detectors, X, y, kind=kind)

    ax = displays[0].ax_
    assert all(display.ax_ is ax for display in displays)
    assert len(ax.get_lines()) == 4
    assert [display.chance_level_ is None for display in displays] == [
        True,
        True,
        False,
    ]
    texts = _legend_texts(ax)
    for name, detector in detectors.items():
        value = metric(y, anomaly_score(detector, X))
        assert f"{name} ({label} = {value:.3f})" in texts
    # The chance level closes the legend.
    assert texts[-1].startswith("Chance level")


def test_plot_detector_curves_names_listed_detectors_by_class(data, iforest, vae):
    X, y = data
    displays = plot_detector_curves([iforest, vae], X, y, plot_chance_level=False)
    assert [display.name for display in displays] == ["IsolationForest", "VAEDetector"]
    assert len(displays[0].ax_.get_lines()) == 2


def test_curve_errors(data, iforest):
    X, y = data
    with pytest.raises(ValueError, match="single class"):
        AnomalyPrecisionRecallDisplay.from_estimator(iforest, X, np.zeros(len(X)))
    with pytest.raises(ValueError, match="binary"):
        AnomalyRocCurveDisplay.from_estimator(iforest, X, np.where(y == 1, 2, 0))
    with pytest.raises(ValueError, match="NaN"):
        AnomalyRocCurveDisplay.from_predictions([0, 1, 0], [0.1, np.nan, 0.2])
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        AnomalyRocCurveDisplay.from_predictions([0, 1, 0], [0.1, 0.2])
    classifier = LogisticRegression().fit(X, y)
    with pytest.raises(TypeError, match="classifier"):
        AnomalyPrecisionRecallDisplay.from_estimator(classifier, X, y)
    with pytest.raises(ValueError, match="kind must be one of"):
        plot_detector_curves([iforest], X, y, kind="det")
    with pytest.raises(TypeError, match="Wrap it in a list"):
        plot_detector_curves(iforest, X, y)
    with pytest.raises(ValueError, match="empty"):
        plot_detector_curves({}, X, y)
    display = AnomalyPrecisionRecallDisplay(precision=[1.0, 0.5], recall=[0.0, 1.0])
    with pytest.raises(ValueError, match="fraud_rate"):
        display.plot()
    assert display.plot(plot_chance_level=False).chance_level_ is None


# ---- score distributions -----------------------------------------------------


@pytest.mark.parametrize(
    ("estimator", "rows"),
    [("autoencoder", "data"), ("iforest", "data"), ("vae_pipeline", "frame")],
)
def test_score_distribution_marks_the_detector_threshold(request, estimator, rows):
    estimator = request.getfixturevalue(estimator)
    X, y = request.getfixturevalue(rows)
    display = ScoreDistributionDisplay.from_estimator(estimator, X, y, bins=20)

    detector = estimator[-1] if hasattr(estimator, "steps") else estimator
    assert display.threshold_line_.get_xdata()[0] == -detector.offset_
    assert len(display.hist_) == 2
    assert all(len(bars.patches) == 20 for bars in display.hist_)
    scores = anomaly_score(estimator, X)
    share_above = np.mean(scores > -detector.offset_)
    assert f"{share_above:.1%} of rows above" in display.threshold_line_.get_label()
    # The flagged share is the share predict flags.
    assert share_above == pytest.approx(np.mean(estimator.predict(X) == -1))
    for bars, value in zip(display.hist_, (0, 1), strict=True):
        widths = np.array([patch.get_width() for patch in bars.patches])
        heights = np.array([patch.get_height() for patch in bars.patches])
        assert np.sum(widths * heights) == pytest.approx(1.0)  # density per class
        assert f"(n={np.sum(y == value)})" in bars.patches[0].get_label()


def test_score_distribution_counts_and_user_threshold(data, autoencoder):
    X, y = data
    display = ScoreDistributionDisplay.from_estimator(
        autoencoder, X, threshold=0.5, density=False, bins=10
    )
    assert len(display.hist_) == 1
    heights = [patch.get_height() for patch in display.hist_[0].patches]
    assert sum(heights) == len(X)
    assert display.threshold_line_.get_xdata()[0] == 0.5
    assert display.ax_.get_ylabel() == "Rows"

    no_line = ScoreDistributionDisplay.from_estimator(autoencoder, X, threshold=None)
    assert no_line.threshold_line_ is None

    scores = anomaly_score(autoencoder, X)
    from_scores = ScoreDistributionDisplay.from_predictions(scores, y, bins=10)
    assert from_scores.threshold_line_ is None
    assert sum(len(bars.patches) for bars in from_scores.hist_) == 20


def test_score_distribution_log_scale(data, autoencoder):
    X, y = data
    display = ScoreDistributionDisplay.from_estimator(
        autoencoder, X, y, bins=12, log_scale=True
    )
    scores = anomaly_score(autoencoder, X)
    lefts = np.array([patch.get_x() for patch in display.hist_[0].patches])
    np.testing.assert_allclose(
        np.log10(lefts), np.linspace(*np.log10([scores.min(), scores.max()]), 13)[:-1]
    )
    assert display.ax_.get_xscale() == "log"
    assert display.threshold_line_.get_xdata()[0] == -autoencoder.offset_
    with pytest.raises(ValueError, match="positive anomaly scores"):
        ScoreDistributionDisplay.from_predictions([-1.0, 2.0], log_scale=True)
    with pytest.raises(ValueError, match="threshold -0.5 is not positive"):
        ScoreDistributionDisplay.from_predictions(
            [1.0, 2.0], threshold=-0.5, log_scale=True
        )


def test_score_distribution_errors(data, autoencoder):
    X, y = data
    with pytest.raises(ValueError, match="'auto', a number or None"):
        ScoreDistributionDisplay.from_estimator(autoencoder, X, threshold="median")
    with pytest.raises(ValueError, match="finite"):
        ScoreDistributionDisplay.from_estimator(autoencoder, X, threshold=np.inf)
    with pytest.raises(TypeError, match="threshold must be a number"):
        ScoreDistributionDisplay.from_predictions([0.1, 0.2], threshold=[0.1])
    with pytest.raises(ValueError, match="one label per row"):
        ScoreDistributionDisplay.from_estimator(autoencoder, X, y[:-1])
    with pytest.raises(ValueError, match="binary"):
        ScoreDistributionDisplay.from_predictions([0.1, 0.2], [0, 3])
    with pytest.raises(ValueError, match="1-d"):
        ScoreDistributionDisplay.from_predictions(np.ones((3, 2)))
    with pytest.raises(ValueError, match="empty"):
        ScoreDistributionDisplay.from_predictions([])


# ---- latent space ------------------------------------------------------------


def _encode(module, X, *, means):
    with torch.inference_mode():
        X = torch.as_tensor(np.asarray(X), dtype=torch.float32)
        codes = module.encode(X)[0] if means else module.encoder(X)
    return codes.double().numpy()


def test_latent_space_of_vae_is_the_latent_means(data, vae):
    X, y = data
    display = LatentSpaceDisplay.from_estimator(vae, X, y)

    expected = _encode(vae.net_.module_, X, means=True)
    np.testing.assert_allclose(display.embedding, expected, rtol=1e-6)
    assert _n_points(display.scatter_) == len(X)
    normal, fraud = display.scatter_
    np.testing.assert_allclose(normal.get_offsets(), expected[y == 0], rtol=1e-6)
    np.testing.assert_allclose(fraud.get_offsets(), expected[y == 1], rtol=1e-6)
    assert display.ax_.get_xlabel() == "Latent dimension 1"
    assert display.ax_.get_title() == "VAEDetector"


def test_latent_space_of_autoencoder_without_labels(data, autoencoder):
    X, _ = data
    display = LatentSpaceDisplay.from_estimator(autoencoder, X)
    assert len(display.scatter_) == 1
    np.testing.assert_allclose(
        display.scatter_[0].get_offsets(),
        _encode(autoencoder.net_.module_, X, means=False),
        rtol=1e-6,
    )
    assert display.ax_.get_legend() is None


@pytest.mark.parametrize(
    "detector",
    [
        MemAEDetector(latent_dim=2, **SMALL),
        DevNetDetector(hidden_dims=(8, 2), max_epochs=2, random_state=0),
    ],
    ids=["memae", "devnet"],
)
def test_latent_space_of_other_encoders(data, detector):
    X, y = data
    detector.fit(X, y)
    display = LatentSpaceDisplay.from_estimator(detector, X, y)
    np.testing.assert_allclose(
        display.embedding, _encode(detector.net_.module_, X, means=False), rtol=1e-6
    )


def test_latent_space_projects_wide_latent_with_pca(data):
    X, y = data
    detector = VAEDetector(latent_dim=3, **SMALL).fit(X)
    display = LatentSpaceDisplay.from_estimator(detector, X, y)

    latent = _encode(detector.net_.module_, X, means=True)
    np.testing.assert_allclose(display.latent, latent, rtol=1e-6)
    pca = PCA(n_components=2, svd_solver="full").fit(latent)
    np.testing.assert_allclose(
        display.embedding, pca.transform(latent), rtol=1e-5, atol=1e-6
    )
    assert display.ax_.get_xlabel().startswith("Latent PC1 (")
    assert _n_points(display.scatter_) == len(X)


def test_latent_space_through_pipeline(frame, vae_pipeline):
    X, y = frame
    display = LatentSpaceDisplay.from_estimator(vae_pipeline, X, y)
    encoded = vae_pipeline[:-1].transform(X)
    encoded = encoded.toarray() if sp.issparse(encoded) else encoded
    expected = _encode(vae_pipeline[-1].net_.module_, encoded, means=True)
    np.testing.assert_allclose(display.embedding, expected, rtol=1e-6)


def test_latent_space_batches_and_sparse_input(data, vae, monkeypatch):
    X, _ = data
    expected = _encode(vae.net_.module_, X, means=True)
    # Batches of 7 rows: the result must not depend on where batches split.
    monkeypatch.setattr(skfraud.nets._scoring, "SCORE_BATCH_ELEMENTS", 7 * 4)
    dense = LatentSpaceDisplay.from_estimator(vae, X)
    sparse = LatentSpaceDisplay.from_estimator(vae, sp.csr_matrix(X))
    np.testing.assert_allclose(dense.embedding, expected, rtol=1e-6)
    np.testing.assert_allclose(sparse.embedding, expected, rtol=1e-6)


def test_latent_space_errors(data, iforest, vae):
    X, y = data
    with pytest.raises(TypeError, match="latent_codes"):
        LatentSpaceDisplay.from_estimator(iforest, X)
    with pytest.raises(NotFittedError):
        LatentSpaceDisplay.from_estimator(VAEDetector(), X)
    with pytest.raises(ValueError, match="4 features"):
        LatentSpaceDisplay.from_estimator(vae, X[:, :3])
    X_nan = X.copy()
    X_nan[0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        LatentSpaceDisplay.from_estimator(vae, X_nan)
    with pytest.raises(ValueError, match="one label per row"):
        LatentSpaceDisplay.from_estimator(vae, X, y[:10])
    narrow = AutoEncoderDetector(latent_dim=1, **SMALL).fit(X)
    with pytest.raises(ValueError, match="latent_dim >= 2"):
        LatentSpaceDisplay.from_estimator(narrow, X)


# ---- DAGMM's mixture space ---------------------------------------------------


class WideGMMInput(OutlierMixin, BaseEstimator):
    """Stub exposing gmm_input: a 3-d code and the two reconstruction features."""

    def fit(self, X, y=None):
        self.means_ = np.arange(10.0).reshape(2, 5)
        return self

    def gmm_input(self, X):
        X = np.asarray(X, dtype=np.float64)
        return np.c_[X[:, :3], X[:, 3] ** 2, np.tanh(X[:, 3])]


class TwoColumnGMMInput(WideGMMInput):
    def gmm_input(self, X):
        return np.asarray(X, dtype=np.float64)[:, :2]


def test_gmm_space_of_dagmm(data):
    X, y = data
    detector = DAGMMDetector(
        hidden_dims=(8,), latent_dim=1, max_epochs=2, random_state=0
    )
    detector.fit(X)
    display = GMMSpaceDisplay.from_estimator(detector, X, y)

    z = detector.gmm_input(X)
    np.testing.assert_allclose(display.coordinates, z)
    assert display.ax_.name == "3d"
    assert _n_points(display.scatter_) == len(X)
    fraud_points = np.column_stack(display.scatter_[1]._offsets3d)
    np.testing.assert_allclose(fraud_points, z[y == 1])
    assert len(display.means_scatter_.get_offsets()) == detector.n_components
    np.testing.assert_allclose(
        np.column_stack(display.means_scatter_._offsets3d), detector.means_
    )
    labels = [
        display.ax_.get_xlabel(),
        display.ax_.get_ylabel(),
        display.ax_.get_zlabel(),
    ]
    assert labels == ["z_c", "Relative Euclidean distance", "Cosine similarity"]


def test_gmm_space_of_wider_input_through_pipeline(data):
    X, _ = data
    pipeline = make_pipeline(StandardScaler(), WideGMMInput()).fit(X)
    z = pipeline[-1].gmm_input(pipeline[0].transform(X))

    display = GMMSpaceDisplay.from_estimator(pipeline, X, plot_means=False)
    np.testing.assert_allclose(display.coordinates, z[:, [0, 3, 4]])
    assert display.means_scatter_ is None
    assert len(display.scatter_) == 1
    assert display.ax_.get_xlabel() == "z_c[1]"
    assert display.ax_.get_zlabel() == "Cosine similarity"

    first_three = GMMSpaceDisplay.from_estimator(pipeline, X, columns=(0, 1, 2))
    np.testing.assert_allclose(first_three.coordinates, z[:, :3])
    np.testing.assert_allclose(
        np.column_stack(first_three.means_scatter_._offsets3d),
        pipeline[-1].means_[:, :3],
    )
    assert first_three.ax_.get_zlabel() == "z_c[3]"


def test_gmm_space_errors(data, iforest):
    X, _ = data
    stub = WideGMMInput().fit(X)
    with pytest.raises(TypeError, match="has no gmm_input method"):
        GMMSpaceDisplay.from_estimator(iforest, X)
    _, flat_ax = plt.subplots()
    with pytest.raises(ValueError, match="projection='3d'"):
        GMMSpaceDisplay.from_estimator(stub, X, ax=flat_ax)
    with pytest.raises(ValueError, match="3 column indices"):
        GMMSpaceDisplay.from_estimator(stub, X, columns=(0, 1))
    with pytest.raises(ValueError, match="3 different columns"):
        GMMSpaceDisplay.from_estimator(stub, X, columns=(0, 1, -4))
    with pytest.raises(ValueError, match="out of range"):
        GMMSpaceDisplay.from_estimator(stub, X, columns=(0, 1, 5))
    with pytest.raises(ValueError, match="at least 3 columns"):
        GMMSpaceDisplay.from_estimator(TwoColumnGMMInput().fit(X), X)
    with pytest.raises(ValueError, match="binary"):
        GMMSpaceDisplay.from_estimator(stub, X, np.full(len(X), 2))


# ---- training curves ---------------------------------------------------------


def test_training_curve_has_one_point_per_epoch(autoencoder):
    display = TrainingCurveDisplay.from_estimator(autoencoder)
    np.testing.assert_array_equal(display.train_line_.get_xdata(), [1, 2, 3])
    np.testing.assert_allclose(
        display.train_line_.get_ydata(), autoencoder.history_[:, "train_loss"]
    )
    assert display.valid_line_ is None
    assert _legend_texts(display.ax_) == ["Training loss"]


def test_training_curve_with_validation_loss_through_pipeline(frame):
    X, _ = frame
    pipeline = make_pipeline(
        make_preprocessor(),
        AutoEncoderDetector(early_stopping=True, patience=10, **SMALL),
    ).fit(X)
    display = TrainingCurveDisplay.from_estimator(pipeline, log_scale=True)
    history = pipeline[-1].history_
    assert len(display.valid_line_.get_xdata()) == SMALL["max_epochs"]
    np.testing.assert_allclose(
        display.valid_line_.get_ydata(), history[:, "valid_loss"]
    )
    assert display.ax_.get_yscale() == "log"
    assert display.ax_.get_title() == "AutoEncoderDetector"


def test_training_curve_errors(iforest):
    with pytest.raises(TypeError, match="history_"):
        TrainingCurveDisplay.from_estimator(iforest)
    with pytest.raises(NotFittedError):
        TrainingCurveDisplay.from_estimator(AutoEncoderDetector())


# ---- axes, matplotlib and docs -----------------------------------------------


def test_displays_draw_on_given_axes(data, autoencoder):
    X, y = data
    figure, (left, right) = plt.subplots(1, 2)
    latent = LatentSpaceDisplay.from_estimator(autoencoder, X, y, ax=left)
    scores = ScoreDistributionDisplay.from_estimator(autoencoder, X, y, ax=right)
    assert latent.ax_ is left and scores.ax_ is right
    assert latent.figure_ is scores.figure_ is figure


def test_every_display_renders(data, autoencoder, vae, iforest):
    X, y = data
    figure = plt.figure(figsize=(12, 8))
    axes = [figure.add_subplot(2, 3, index) for index in range(1, 6)]
    axes.append(figure.add_subplot(2, 3, 6, projection="3d"))
    plot_detector_curves([autoencoder, iforest], X, y, ax=axes[0])
    plot_detector_curves([autoencoder, iforest], X, y, kind="roc", ax=axes[1])
    ScoreDistributionDisplay.from_estimator(vae, X, y, ax=axes[2])
    LatentSpaceDisplay.from_estimator(vae, X, y, ax=axes[3])
    TrainingCurveDisplay.from_estimator(vae, ax=axes[4])
    GMMSpaceDisplay.from_estimator(WideGMMInput().fit(X), X, y, ax=axes[5])
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=40)
    assert buffer.getvalue().startswith(b"\x89PNG")


def test_plotting_imports_and_explains_without_matplotlib(data, iforest, monkeypatch):
    X, y = data
    for name in [name for name in sys.modules if name.startswith("matplotlib")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    # Import skfraud.plotting afresh while matplotlib cannot be imported; the
    # originals come back when the test ends.
    for name in [name for name in sys.modules if name.startswith("skfraud.plotting")]:
        monkeypatch.delitem(sys.modules, name)
    original = skfraud.plotting
    monkeypatch.setattr(skfraud, "plotting", original)
    fresh = importlib.import_module("skfraud.plotting")

    assert fresh is not original
    assert fresh.AnomalyPrecisionRecallDisplay is not AnomalyPrecisionRecallDisplay
    with pytest.raises(ImportError, match=r"pip install matplotlib.*skfraud\[plot\]"):
        fresh.AnomalyPrecisionRecallDisplay.from_estimator(iforest, X, y)
    with pytest.raises(ImportError, match="pip install matplotlib"):
        fresh.TrainingCurveDisplay(epochs=[1], train_loss=[1.0]).plot()


@pytest.mark.parametrize(
    "module", ["_curves", "_scores", "_latent", "_training", "_base"]
)
def test_doctests(module):
    result = doctest.testmod(
        importlib.import_module(f"skfraud.plotting.{module}"),
        optionflags=doctest.NORMALIZE_WHITESPACE,
    )
    assert result.failed == 0


@pytest.mark.parametrize("name", skfraud.plotting.__all__)
def test_public_names_have_examples(name):
    doc = getattr(skfraud.plotting, name).__doc__
    assert "Examples\n" in doc
    assert f">>> from skfraud.plotting import {name}" in doc
