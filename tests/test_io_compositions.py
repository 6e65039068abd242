"""Model files of compositions: RankAverageDetector and DetectorScores
holding deep detectors, the few-label models of the user guide, and
SubsampleEnsembleDetector of a deep detector."""

import io
import json
import zipfile

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.ensemble import (
    BaggingClassifier,
    HistGradientBoostingClassifier,
    IsolationForest,
)
from sklearn.pipeline import make_pipeline

from skfraud import (
    AutoEncoderDetector,
    DeepSVDDDetector,
    DTEDetector,
    KNNDetector,
    PReNetDetector,
)
from skfraud.datasets import make_transactions
from skfraud.ensemble import RankAverageDetector, SubsampleEnsembleDetector
from skfraud.io import FORMAT_VERSION, load, save
from skfraud.preprocessing import DetectorScores, make_preprocessor
from tests._model_files import fast, rewrite, round_trip, set_in


def _xgbod():
    return make_pipeline(
        DetectorScores(
            [
                ("iforest", IsolationForest(n_estimators=10, random_state=0)),
                ("knn", KNNDetector()),
                ("autoencoder", fast(AutoEncoderDetector)),
            ]
        ),
        HistGradientBoostingClassifier(max_iter=10, random_state=0),
    )


def _rank_average():
    return make_pipeline(
        make_preprocessor(),
        RankAverageDetector(
            [
                ("prenet", fast(PReNetDetector)),
                ("deep_sad", fast(DeepSVDDDetector)),
                ("xgbod", _xgbod()),
                (
                    "trees",
                    BaggingClassifier(
                        HistGradientBoostingClassifier(max_iter=10),
                        n_estimators=3,
                        random_state=0,
                    ),
                ),
            ]
        ),
    )


@pytest.fixture(scope="module")
def transactions():
    return make_transactions(300, random_state=0, return_X_y=True)


@pytest.fixture(scope="module")
def fitted(transactions):
    X, y = transactions
    return _rank_average().fit(X, y)


def _manifest(model):
    buffer = io.BytesIO()
    save(model, buffer)
    return json.loads(zipfile.ZipFile(buffer).read("manifest.json")), buffer


def test_rank_average_of_deep_members_round_trip_is_exact(fitted, transactions):
    X, _ = transactions
    loaded = round_trip(fitted)
    np.testing.assert_array_equal(loaded.score_samples(X), fitted.score_samples(X))
    np.testing.assert_array_equal(loaded.predict(X), fitted.predict(X))
    members = dict(loaded[-1].estimators_)
    assert type(members["prenet"]) is PReNetDetector
    autoencoder = dict(members["xgbod"][0].detectors_)["autoencoder"]
    assert type(autoencoder) is AutoEncoderDetector
    assert hasattr(autoencoder, "net_")
    assert len(members["trees"].estimators_) == 3


def test_unfitted_templates_stay_unfitted_and_refit_the_same(fitted, transactions):
    X, y = transactions
    loaded = round_trip(fitted)
    templates = dict(loaded[-1].estimators)
    assert not hasattr(templates["deep_sad"], "net_")
    assert (
        templates["deep_sad"].get_params() == fitted[-1].estimators[1][1].get_params()
    )
    inner = dict(templates["xgbod"][0].detectors)["autoencoder"]
    assert not hasattr(inner, "net_")
    refitted = clone(loaded).fit(X, y)
    np.testing.assert_allclose(
        refitted.score_samples(X), fitted.score_samples(X), rtol=0, atol=1e-12
    )


def test_saving_a_composition_leaves_it_intact(fitted):
    members = [member for _, member in fitted[-1].estimators_]
    save(fitted, io.BytesIO())
    assert [member for _, member in fitted[-1].estimators_] == members
    assert all(member != "passthrough" for member in members)
    assert all(member != "passthrough" for _, member in fitted[-1].estimators)


def test_xgbod_pipeline_round_trip_is_exact(transactions):
    X, y = transactions
    model = make_pipeline(make_preprocessor(), *_xgbod().named_steps.values())
    model.fit(X, y)
    loaded = round_trip(model)
    np.testing.assert_array_equal(loaded.predict_proba(X), model.predict_proba(X))
    np.testing.assert_array_equal(
        loaded[:-1].get_feature_names_out(), model[:-1].get_feature_names_out()
    )


def test_only_files_with_compositions_need_the_new_format(fitted, transactions):
    X, _ = transactions
    composed, _ = _manifest(fitted)
    assert composed["format_version"] == FORMAT_VERSION == 2
    plain, _ = _manifest(
        make_pipeline(make_preprocessor(), fast(AutoEncoderDetector)).fit(X)
    )
    # Older readers keep reading files that hold no composition.
    assert plain["format_version"] == 1


def _place(manifest, name):
    entries = manifest["estimator"]["detectors"]
    return next(i for i, entry in enumerate(entries) if entry["path"][-1] == name)


@pytest.mark.parametrize(
    "change, match",
    [
        (lambda path: [*path[:-2], "weights_", path[-1]], "no member list"),
        (lambda path: [*path[:-1], "absent"], "no step or member"),
        (lambda path: [*path[:-1], "xgbod"], "not free for a detector"),
    ],
)
def test_tampered_composition_paths_fail_clearly(fitted, change, match):
    manifest, buffer = _manifest(fitted)
    index = _place(manifest, "prenet")
    path = manifest["estimator"]["detectors"][index]["path"]
    tampered = rewrite(
        buffer.getvalue(),
        manifest=set_in(("estimator", "detectors", index, "path"), change(path)),
    )
    with pytest.raises(ValueError, match=match):
        load(tampered)


def test_an_unfitted_entry_in_a_fitted_place_is_refused(fitted):
    manifest, buffer = _manifest(fitted)
    fitted_index = next(
        i
        for i, entry in enumerate(manifest["estimator"]["detectors"])
        if entry["path"][-2] == "estimators_" and entry["path"][-1] == "deep_sad"
    )
    template = next(
        entry
        for entry in manifest["estimator"]["detectors"]
        if entry["path"][-2] == "estimators" and entry["path"][-1] == "deep_sad"
    )
    tampered = rewrite(
        buffer.getvalue(),
        manifest=set_in(
            ("estimator", "detectors", fitted_index, "detector"), template["detector"]
        ),
    )
    with pytest.raises(ValueError, match="unfitted detector where a fitted one"):
        load(tampered)


@pytest.fixture(scope="module")
def subsample_ensemble(transactions):
    X, _ = transactions
    ensemble = SubsampleEnsembleDetector(
        fast(DTEDetector), n_estimators=3, max_samples=100, random_state=0
    )
    return make_pipeline(make_preprocessor(), ensemble).fit(X)


def test_subsample_ensemble_round_trip_is_exact(subsample_ensemble, transactions):
    X, _ = transactions
    loaded = round_trip(subsample_ensemble)
    np.testing.assert_array_equal(
        loaded.score_samples(X), subsample_ensemble.score_samples(X)
    )
    np.testing.assert_array_equal(loaded.predict(X), subsample_ensemble.predict(X))
    copies = loaded[-1].estimators_
    assert [type(copy) for copy in copies] == [DTEDetector] * 3
    assert [copy.random_state for copy in copies] == [
        copy.random_state for copy in subsample_ensemble[-1].estimators_
    ]
    for rows, saved in zip(
        loaded[-1].estimators_samples_,
        subsample_ensemble[-1].estimators_samples_,
        strict=True,
    ):
        np.testing.assert_array_equal(rows, saved)


def test_subsample_ensemble_template_stays_unfitted_and_refits_the_same(
    subsample_ensemble, transactions
):
    X, _ = transactions
    loaded = round_trip(subsample_ensemble)
    template = loaded[-1].estimator
    assert type(template) is DTEDetector and not hasattr(template, "net_")
    assert template.get_params() == subsample_ensemble[-1].estimator.get_params()
    refitted = clone(loaded).fit(X)
    np.testing.assert_allclose(
        refitted.score_samples(X), subsample_ensemble.score_samples(X), rtol=0, atol=0
    )
    # Saving took nothing out of the model that was saved.
    assert subsample_ensemble[-1].estimator != "passthrough"
    assert "passthrough" not in subsample_ensemble[-1].estimators_


def test_learnt_weights_round_trip(transactions):
    X, y = transactions
    ensemble = make_pipeline(
        make_preprocessor(),
        RankAverageDetector(
            [
                ("iforest", IsolationForest(n_estimators=10, random_state=0)),
                ("trees", HistGradientBoostingClassifier(max_iter=10)),
            ],
            weights="cv",
        ),
    ).fit(X, y)
    loaded = round_trip(ensemble)
    np.testing.assert_array_equal(loaded[-1].weights_, ensemble[-1].weights_)
    np.testing.assert_array_equal(loaded[-1].cv_auprc_, ensemble[-1].cv_auprc_)
    np.testing.assert_array_equal(loaded.score_samples(X), ensemble.score_samples(X))
