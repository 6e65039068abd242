"""Model files: round trips, refusals, versions, tampering and devices."""

import io
import math
import os
import pickle
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import skops.io as sio
import torch
from sklearn.ensemble import IsolationForest
from sklearn.exceptions import NotFittedError
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler
from skorch.callbacks import EpochTimer

from skfraud import AutoEncoderDetector, DAGMMDetector, DevNetDetector, KNNDetector
from skfraud._deep import BaseDeepDetector
from skfraud.datasets import make_transactions
from skfraud.io import FORMAT_VERSION, VersionMismatchWarning, load, save
from skfraud.io._detector import detector_classes
from skfraud.metrics import set_offset, tune_threshold
from skfraud.preprocessing import make_preprocessor
from tests._model_files import fast, rewrite, round_trip, set_in

needs_cuda = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")


@pytest.fixture(scope="module")
def Xy():
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(0, 1, (150, 5)), rng.normal(3, 1, (10, 5))])
    y = np.r_[np.zeros(150, dtype=int), np.ones(10, dtype=int)]
    return X.astype(np.float32), y


# Every detector that a model file may hold, including ones added later.
@pytest.fixture(scope="module", params=sorted(detector_classes()))
def fitted(request, Xy):
    X, y = Xy
    return fast(detector_classes()[request.param]).fit(X, y)


@pytest.fixture(scope="module")
def transactions():
    return make_transactions(300, random_state=0, return_X_y=True)


def assert_same_value(saved, loaded, where="value"):
    """``loaded`` equals ``saved`` and has its type, recursively."""
    assert type(loaded) is type(saved), where
    if isinstance(saved, np.ndarray):
        assert loaded.dtype == saved.dtype, where
        np.testing.assert_array_equal(loaded, saved, err_msg=where)
    elif isinstance(saved, torch.Tensor):
        assert torch.equal(loaded.cpu(), saved.cpu()), where
    elif isinstance(saved, dict):
        assert loaded.keys() == saved.keys(), where
        for key in saved:
            assert_same_value(saved[key], loaded[key], f"{where}.{key}")
    elif isinstance(saved, list | tuple):
        assert len(loaded) == len(saved), where
        for i, (a, b) in enumerate(zip(saved, loaded, strict=True)):
            assert_same_value(a, b, f"{where}[{i}]")
    elif isinstance(saved, float) and math.isnan(saved):
        assert math.isnan(loaded), where
    else:
        assert loaded == saved, where


def _fitted_state(detector):
    return {key: value for key, value in vars(detector).items() if key != "net_"}


# ---- round trips ---------------------------------------------------------------


def test_detector_round_trip_is_exact(fitted, Xy, tmp_path):
    X, _ = Xy
    path = tmp_path / "model.skfraud"
    save(fitted, path)
    loaded = load(path)
    assert type(loaded) is type(fitted)
    np.testing.assert_array_equal(loaded.score_samples(X), fitted.score_samples(X))
    np.testing.assert_array_equal(loaded.predict(X), fitted.predict(X))
    assert_same_value(fitted.get_params(), loaded.get_params(), "params")
    # Parameters, offset_, n_features_in_, history_ and the detector's own
    # fitted state (mixtures, latent draws) all come back with their types.
    assert_same_value(_fitted_state(fitted), _fitted_state(loaded), "attributes")
    assert loaded.net_.history is loaded.history_
    saved_weights = fitted.net_.module_.state_dict()
    for key, value in loaded.net_.module_.state_dict().items():
        assert value.device.type == "cpu"
        assert torch.equal(value, saved_weights[key]), key
    assert not loaded.net_.module_.training


def test_load_leaves_the_global_random_states_alone(fitted):
    buffer = io.BytesIO()
    save(fitted, buffer)
    torch.manual_seed(7)
    np.random.seed(7)
    torch_before, numpy_before = torch.get_rng_state(), np.random.get_state()[1].copy()
    load(buffer.getvalue())
    assert torch.equal(torch.get_rng_state(), torch_before)
    np.testing.assert_array_equal(np.random.get_state()[1], numpy_before)


PIPELINES = {
    "preprocessor+autoencoder": lambda: make_pipeline(
        make_preprocessor(), fast(AutoEncoderDetector)
    ),
    "listed-categories+dagmm": lambda: make_pipeline(
        make_preprocessor(categorical=["channel", "hour"]), fast(DAGMMDetector)
    ),
    "dense-preprocessor+isolation-forest": lambda: make_pipeline(
        make_preprocessor(sparse_output=False),
        IsolationForest(n_estimators=10, random_state=0),
    ),
    "preprocessor+knn": lambda: make_pipeline(make_preprocessor(), KNNDetector()),
    "nested+devnet": lambda: Pipeline(
        [
            (
                "prepare",
                make_pipeline(make_preprocessor(), StandardScaler(with_mean=False)),
            ),
            ("detect", fast(DevNetDetector)),
        ]
    ),
}


@pytest.mark.parametrize("name", PIPELINES)
def test_pipeline_round_trip_is_exact(name, transactions):
    X, y = transactions
    model = PIPELINES[name]().fit(X, y)
    loaded = round_trip(model)
    assert type(loaded) is Pipeline
    assert [step for step, _ in loaded.steps] == [step for step, _ in model.steps]
    np.testing.assert_array_equal(loaded.score_samples(X), model.score_samples(X))
    np.testing.assert_array_equal(loaded.predict(X), model.predict(X))
    np.testing.assert_array_equal(
        loaded[:-1].get_feature_names_out(), model[:-1].get_feature_names_out()
    )
    assert loaded[-1].offset_ == model[-1].offset_
    if isinstance(model[-1], BaseDeepDetector):
        assert_same_value(
            _fitted_state(model[-1]), _fitted_state(loaded[-1]), "final step"
        )


def test_saving_a_pipeline_leaves_it_intact(transactions):
    X, y = transactions
    model = PIPELINES["nested+devnet"]().fit(X, y)
    detector = model[-1]
    save(model, io.BytesIO())
    assert model[-1] is detector
    assert all(step != "passthrough" for _, step in model[0].steps)


def test_load_never_unpickles(transactions, monkeypatch):
    X, _ = transactions
    model = PIPELINES["preprocessor+autoencoder"]().fit(X)
    buffer = io.BytesIO()
    save(model, buffer)

    def refuse(*args, **kwargs):
        raise AssertionError("load unpickled something")

    for module, name in [
        (pickle, "load"),
        (pickle, "loads"),
        (pickle, "Unpickler"),
        (torch, "load"),
    ]:
        monkeypatch.setattr(module, name, refuse)
    loaded = load(buffer.getvalue())
    np.testing.assert_array_equal(loaded.score_samples(X), model.score_samples(X))


def test_tuned_offset_survives(transactions):
    X, y = transactions
    model = PIPELINES["preprocessor+autoencoder"]().fit(X)
    fitted_offset = model[-1].offset_
    result = tune_threshold(model, X, y, objective="n_alerts", target=7)
    set_offset(model, result.offset)
    assert model[-1].offset_ != fitted_offset
    loaded = round_trip(model)
    assert loaded[-1].offset_ == result.offset
    assert (loaded.predict(X) == -1).sum() == 7


def test_optimizer_class_and_random_state_instance_are_stored(Xy):
    X, _ = Xy
    random_state = np.random.RandomState(3)
    detector = fast(AutoEncoderDetector, optimizer=torch.optim.NAdam)
    detector.set_params(random_state=random_state).fit(X)
    loaded = round_trip(detector)
    assert loaded.optimizer is torch.optim.NAdam
    assert_same_value(
        random_state.get_state(), loaded.random_state.get_state(), "random_state"
    )
    # The parameters are all there: refitting the loaded detector and the
    # original one from the same state gives the same scores.
    refit = loaded.fit(X).score_samples(X)
    np.testing.assert_array_equal(refit, detector.fit(X).score_samples(X))


def test_pretrained_devnet_round_trip_is_exact(Xy):
    # The pretrained encoder is gone after fit; its weights are in the net's.
    X, y = Xy
    detector = fast(DevNetDetector, pretrain=True, pretrain_epochs=1).fit(X, y)
    loaded = round_trip(detector)
    np.testing.assert_array_equal(loaded.score_samples(X), detector.score_samples(X))


def test_buffers_computed_at_fit_are_restored(Xy):
    # Detectors may keep state computed from the data (reference rows, a
    # centre) in buffers that are registered, or resized, only at fit.
    X, _ = Xy
    detector = fast(AutoEncoderDetector).fit(X)
    module = detector.net_.module_
    module.register_buffer("centre", torch.arange(4.0))
    module.encoder.register_buffer("reference_rows", torch.ones(3, 5))
    loaded = round_trip(detector).net_.module_
    assert torch.equal(loaded.centre, module.centre)
    assert torch.equal(loaded.encoder.reference_rows, module.encoder.reference_rows)
    assert "centre" in dict(loaded.named_buffers())


# ---- refused at save -----------------------------------------------------------


class _Adam(torch.optim.Adam):
    pass


class _Detector(AutoEncoderDetector):
    pass


def _shift(X):
    return X + 1


@pytest.mark.parametrize(
    "change, match",
    [
        ({"callbacks": [EpochTimer()]}, "callbacks=None"),
        ({"optimizer": _Adam}, "class tests.test_io._Adam"),
    ],
    ids=["callbacks", "custom-optimizer"],
)
def test_parameters_that_are_not_plain_data_are_refused(Xy, change, match):
    X, _ = Xy
    detector = fast(AutoEncoderDetector, **change).fit(X)
    with pytest.raises(TypeError, match=match):
        save(detector, io.BytesIO())


def test_unfitted_subclassed_and_untrusted_models_are_refused(Xy):
    X, _ = Xy
    with pytest.raises(NotFittedError):
        save(AutoEncoderDetector(), io.BytesIO())
    with pytest.raises(TypeError, match="skfraud's own detector classes"):
        save(fast(_Detector).fit(X), io.BytesIO())
    model = make_pipeline(FunctionTransformer(_shift), fast(AutoEncoderDetector))
    with pytest.raises(TypeError, match="does not trust.*_shift"):
        save(model.fit(X), io.BytesIO())


# ---- refused at load -----------------------------------------------------------


@pytest.fixture(scope="module")
def saved(Xy):
    X, _ = Xy
    buffer = io.BytesIO()
    save(fast(AutoEncoderDetector).fit(X), buffer)
    return buffer.getvalue()


class _Payload:
    """Creates a file when unpickled."""

    def __init__(self, path):
        self.path = path

    def __reduce__(self):
        return Path.touch, (Path(self.path),)


def test_a_pickle_is_refused_without_running_it(tmp_path):
    proof, sentinel = tmp_path / "proof", tmp_path / "sentinel"
    pickle.loads(pickle.dumps(_Payload(proof)))
    assert proof.exists()  # the payload does run when unpickled
    path = tmp_path / "model.skfraud"
    path.write_bytes(pickle.dumps(_Payload(sentinel)))
    with pytest.raises(ValueError, match="looks like a pickle"):
        load(path)
    assert not sentinel.exists()


def test_untrusted_skops_part_is_refused(transactions, saved):
    X, _ = transactions
    model = PIPELINES["preprocessor+autoencoder"]().fit(X)
    buffer = io.BytesIO()
    save(model, buffer)
    payload = sio.dumps(make_pipeline(FunctionTransformer(os.system)))
    tampered = rewrite(
        buffer.getvalue(),
        members=lambda parts: parts.update({"estimator.skops": payload}),
    )
    with pytest.raises(ValueError, match="does not trust.*system"):
        load(tampered)


def test_detector_put_into_an_occupied_step_is_refused(transactions):
    X, _ = transactions
    buffer = io.BytesIO()
    save(PIPELINES["preprocessor+autoencoder"]().fit(X), buffer)
    tampered = rewrite(
        buffer.getvalue(),
        manifest=set_in(("estimator", "detectors", 0, "path"), ["columntransformer"]),
    )
    with pytest.raises(ValueError, match="not free for a detector"):
        load(tampered)


DETECTOR = ("estimator", "detector")
PARAMS = (*DETECTOR, "params", "items")
WEIGHT = "detector.module.encoder.0.weight"


def _reshape_weight(tensors):
    tensors[WEIGHT] = tensors[WEIGHT][:, :-1].contiguous()


@pytest.mark.parametrize(
    "tamper, match",
    [
        (lambda data: b"\x00garbage" * 10, "not a zip archive"),
        (lambda data: data[: len(data) // 2], "not a zip archive|damaged"),
        (lambda data: rewrite(data, tensors=_reshape_weight), "shape"),
        (
            lambda data: rewrite(data, tensors=lambda t: t.pop(WEIGHT)),
            "is missing",
        ),
        (
            lambda data: rewrite(data, members=lambda p: p.pop("model.safetensors")),
            "lacks its model.safetensors",
        ),
        (
            lambda data: rewrite(
                data, members=lambda p: p.update({"model.safetensors": b"\x01" * 64})
            ),
            "model.safetensors part of the model file is damaged",
        ),
        (
            lambda data: rewrite(
                data, members=lambda p: p.update({"manifest.json": b"{not json"})
            ),
            "not JSON",
        ),
        (
            lambda data: rewrite(data, manifest=lambda m: m.pop("format")),
            "does not describe a skfraud model",
        ),
        (
            lambda data: rewrite(data, manifest=set_in((*DETECTOR, "class"), "Popen")),
            "'Popen', which is not a skfraud detector",
        ),
        (
            lambda data: rewrite(
                data,
                manifest=set_in(
                    (*PARAMS, "optimizer"),
                    {"__type__": "optimizer", "name": "lr_scheduler"},
                ),
            ),
            "not a torch optimizer",
        ),
        (
            lambda data: rewrite(data, manifest=set_in((*PARAMS, "hidden_dims"), "x")),
            "cannot be rebuilt",
        ),
        (
            lambda data: rewrite(data, manifest=set_in((*PARAMS, "no_such"), 1)),
            r"parameters \['no_such'\]",
        ),
        (
            lambda data: rewrite(
                data,
                manifest=set_in(
                    (*DETECTOR, "attributes", "items", "n_features_in_"), 6
                ),
            ),
            "expects",
        ),
        (
            lambda data: rewrite(
                data,
                manifest=set_in((*DETECTOR, "attributes", "items", "fit"), 1),
            ),
            "invalid attribute 'fit'",
        ),
    ],
    ids=[
        "garbage",
        "truncated",
        "tensor-shape",
        "missing-tensor",
        "missing-part",
        "damaged-safetensors",
        "damaged-manifest",
        "not-a-model",
        "class-not-allowed",
        "optimizer-not-allowed",
        "invalid-params",
        "unknown-param",
        "n-features",
        "method-as-attribute",
    ],
)
def test_damaged_or_tampered_files_fail_clearly(saved, tamper, match):
    with pytest.raises(ValueError, match=match):
        load(tamper(saved))


def test_other_library_versions_warn(saved):
    tampered = rewrite(saved, manifest=set_in(("versions", "torch"), "1.0.0"))
    with pytest.warns(VersionMismatchWarning, match=r"torch 1\.0\.0 \(now "):
        load(tampered)


def test_same_versions_do_not_warn(saved, recwarn):
    load(saved)
    assert not [w for w in recwarn if issubclass(w.category, VersionMismatchWarning)]


def test_newer_format_is_refused(saved):
    newer = rewrite(saved, manifest=set_in(("format_version",), FORMAT_VERSION + 1))
    with pytest.raises(ValueError, match="newer skfraud.*Upgrade skfraud"):
        load(newer)


def test_cuda_load_without_cuda_is_a_clear_error(saved):
    if torch.cuda.is_available():
        pytest.skip("tests the CPU-only error")
    with pytest.raises(ValueError, match="CUDA is not available"):
        load(saved, device="cuda")


# ---- GPU -------------------------------------------------------------------------


@pytest.mark.gpu
@needs_cuda
@pytest.mark.parametrize("name", sorted(detector_classes()))
def test_gpu_model_loads_and_scores_in_a_cpu_only_process(name, Xy, tmp_path):
    X, y = Xy
    gpu = fast(detector_classes()[name], device="cuda").fit(X, y)
    path = tmp_path / "model.skfraud"
    save(gpu, path)
    np.save(tmp_path / "X.npy", X)
    script = (
        "import numpy as np, torch\n"
        "from skfraud.io import load\n"
        "assert not torch.cuda.is_available()\n"
        f"model = load({str(path)!r})\n"
        f"X = np.load({str(tmp_path / 'X.npy')!r})\n"
        f"np.save({str(tmp_path / 'scores.npy')!r}, model.score_samples(X))\n"
    )
    subprocess.run(
        [sys.executable, "-c", script],
        check=True,
        env={**os.environ, "CUDA_VISIBLE_DEVICES": ""},
    )
    cpu_scores = np.load(tmp_path / "scores.npy")
    np.testing.assert_array_equal(cpu_scores, load(path).score_samples(X))
    np.testing.assert_allclose(cpu_scores, gpu.score_samples(X), rtol=1e-4, atol=1e-6)
    on_gpu = load(path, device="cuda")
    assert next(on_gpu.net_.module_.parameters()).is_cuda
    np.testing.assert_allclose(
        on_gpu.score_samples(X), gpu.score_samples(X), rtol=1e-5, atol=1e-6
    )
