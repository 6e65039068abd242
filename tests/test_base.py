"""The estimator contract: what every detector keeps, and what the deep base adds.

The tests taking ``case`` run over every public outlier detector, found by
walking the package (``tests/_estimators.py``); those taking ``deep_case``
over the detectors that train a skorch network.
"""

import io
import os
import pickle
import re
import subprocess
import sys

import joblib
import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
import torch
from scipy.stats import spearmanr
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.utils import get_tags
from skorch.callbacks import Callback

from skfraud import (
    AutoEncoderDetector,
    DAGMMDetector,
    DeepSVDDDetector,
    DevNetDetector,
    DTEDetector,
    MemAEDetector,
    VAEDetector,
)
from tests._estimators import (
    SCORE_TRAINING_ROWS_APART,
    cases,
    ids,
    is_outlier_detector_case,
    labels_for,
)

FAST = {"hidden_dims": (16,), "latent_dim": 2, "max_epochs": 5, "random_state": 0}

ALL_UNSUPERVISED = [
    AutoEncoderDetector,
    VAEDetector,
    MemAEDetector,
    DAGMMDetector,
    DeepSVDDDetector,
]

needs_cuda = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")


@pytest.fixture(scope="module")
def X():
    return np.random.default_rng(0).normal(size=(120, 5)).astype(np.float32)


DETECTORS = cases(is_outlier_detector_case)
DEEP_DETECTORS = cases(lambda case: case.is_deep)


@pytest.fixture(params=DETECTORS, ids=ids(DETECTORS))
def case(request):
    """One public outlier detector, with its fast parameters."""
    return request.param


@pytest.fixture(params=DEEP_DETECTORS, ids=ids(DEEP_DETECTORS))
def deep_case(request):
    """One detector that trains a skorch network, with its fast parameters."""
    return request.param


@pytest.fixture(scope="module")
def y(X):
    return labels_for(X)


def _keeps_the_deep_bases_auto_offset(case):
    # The class that defines _auto_offset is shared (the deep base), not the
    # detector's own rule (DevNet's and PReNet's).
    owner = next((k for k in case.cls.__mro__ if "_auto_offset" in vars(k)), None)
    return owner is not None and owner not in {c.cls for c in DETECTORS}


_SEEDED = [case for case in DETECTORS if "random_state" in case.parameters]
_UNSUPERVISED = [case for case in DETECTORS if "train_on" in case.parameters]
_TUKEY = [case for case in DEEP_DETECTORS if _keeps_the_deep_bases_auto_offset(case)]
_SPARSE = [case for case in DETECTORS if get_tags(case.make()).input_tags.sparse]
_NAN_REJECTED = [
    case for case in DETECTORS if not get_tags(case.make()).input_tags.allow_nan
]
# random_state=None only where there is a random_state to set; the others are
# checked as built, with their members' seeds.
_RANDOM_STATES = [
    pytest.param(case, random_state, id=f"{case.name}-{random_state}")
    for case in DETECTORS
    for random_state in ([0, None] if case in _SEEDED else ["as-built"])
]


@pytest.mark.parametrize("case", _SEEDED, ids=ids(_SEEDED))
def test_same_random_state_gives_identical_scores(case, X, y):
    first = case.make().fit(X, y).score_samples(X)
    refit = case.make().fit(X, y).score_samples(X)
    np.testing.assert_array_equal(first, refit)
    other_seed = case.make(random_state=1).fit(X, y).score_samples(X)
    assert not np.allclose(first, other_seed)


@pytest.mark.parametrize("case, random_state", _RANDOM_STATES)
def test_global_random_states_are_untouched(case, X, y, random_state):
    np.random.seed(123)
    torch.manual_seed(123)
    numpy_before, torch_before = np.random.get_state()[1].copy(), torch.get_rng_state()
    seed = {} if random_state == "as-built" else {"random_state": random_state}
    detector = case.make(**seed).fit(X, y)
    detector.score_samples(X)
    np.testing.assert_array_equal(np.random.get_state()[1], numpy_before)
    assert torch.equal(torch.get_rng_state(), torch_before)


def test_scores_are_float64_and_do_not_depend_on_batching(case, X, y):
    detector = case.make().fit(X, y)
    scores = detector.score_samples(X)
    assert scores.dtype == np.float64
    np.testing.assert_array_equal(scores, detector.score_samples(X))
    one_by_one = np.concatenate(
        [detector.score_samples(X[i : i + 1]) for i in range(9)]
    )
    # Equal up to float32 rounding: CPU matrix kernels may sum in another
    # order for one row than for a batch.
    np.testing.assert_allclose(one_by_one, scores[:9], rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize(
    "detector_class", [*ALL_UNSUPERVISED, DevNetDetector], ids=lambda c: c.__name__
)
def test_scores_do_not_depend_on_where_batches_split(detector_class):
    # Chunks that end inside a 64-row block, where matrix products and
    # vectorised kernels round the last rows of a partial block differently.
    rng = np.random.default_rng(1)
    X = rng.normal(size=(1000, 30)).astype(np.float32)
    y = (np.arange(1000) % 50 == 0).astype(int)
    params = {k: v for k, v in FAST.items() if k in detector_class().get_params()}
    detector = detector_class(**params).fit(X, y)
    scores = detector.score_samples(X)
    for chunk, n_rows in [(1, 70), (7, 1000), (333, 1000)]:
        in_chunks = [
            detector.score_samples(X[start : min(start + chunk, n_rows)])
            for start in range(0, n_rows, chunk)
        ]
        np.testing.assert_array_equal(np.concatenate(in_chunks), scores[:n_rows])


def test_decision_function_and_predict_follow_offset(case, X, y):
    detector = case.make(contamination=0.1).fit(X, y)
    decision = detector.decision_function(X)
    np.testing.assert_allclose(decision, detector.score_samples(X) - detector.offset_)
    labels = detector.predict(X)
    assert set(labels) == {-1, 1}
    np.testing.assert_array_equal(labels == -1, decision < 0)
    if case.cls in SCORE_TRAINING_ROWS_APART:
        # Through predict a training row is its own neighbour; fit_predict
        # labels the training rows that offset_ was set on.
        labels = case.make(contamination=0.1).fit_predict(X, y)
    assert (labels == -1).sum() == 12  # 10 % of 120 rows


def test_the_deep_bases_auto_rule_is_checked():
    # The list above is read off the classes: make sure it is not empty.
    assert {"AutoEncoderDetector", "VAEDetector"} <= set(ids(_TUKEY))
    assert not {"DevNetDetector", "PReNetDetector"} & set(ids(_TUKEY))


@pytest.mark.parametrize("case", _TUKEY, ids=ids(_TUKEY))
def test_auto_contamination_is_the_upper_tukey_fence(case, X, y):
    detector = case.make().fit(X, y)
    anomaly = -detector.score_samples(X)
    q1, q3 = np.percentile(anomaly, [25, 75])
    assert detector.offset_ == pytest.approx(-(q3 + 1.5 * (q3 - q1)))


@pytest.mark.parametrize("dump", ["pickle", "joblib"])
def test_round_trip_keeps_scores(case, X, y, dump):
    detector = case.make().fit(X, y)
    buffer = io.BytesIO()
    if dump == "pickle":
        pickle.dump(detector, buffer)
        buffer.seek(0)
        loaded = pickle.load(buffer)
    else:
        joblib.dump(detector, buffer)
        buffer.seek(0)
        loaded = joblib.load(buffer)
    np.testing.assert_array_equal(loaded.score_samples(X), detector.score_samples(X))
    assert loaded.offset_ == detector.offset_


def _holds_torch_state(value):
    if isinstance(value, torch.nn.Module | torch.Tensor | torch.optim.Optimizer):
        return True
    if isinstance(value, dict | list | tuple):
        items = value.values() if isinstance(value, dict) else value
        return any(_holds_torch_state(item) for item in items)
    return False


def test_every_tensor_of_the_net_is_pickled_through_the_device_map(deep_case, X, y):
    # skorch maps to the CPU only the attributes it pickles separately; a module
    # or tensor anywhere else in the state would fail to load without CUDA.
    fitted = deep_case.make().fit(X, y)
    state = fitted.net_.__getstate__()
    leaking = sorted(key for key, value in state.items() if _holds_torch_state(value))
    assert leaking == []


@pytest.mark.skipif(torch.cuda.is_available(), reason="tests the CPU-only fallback")
def test_model_saved_from_a_gpu_loads_on_a_cpu_only_machine(X):
    detector = AutoEncoderDetector(**FAST).fit(X)
    expected = detector.score_samples(X)
    detector.net_.device = "cuda"  # what a GPU-trained model carries in its pickle
    with pytest.warns(Warning, match="(?i)cuda"):
        loaded = pickle.loads(pickle.dumps(detector))
    assert str(loaded.net_.device) == "cpu"
    np.testing.assert_array_equal(loaded.score_samples(X), expected)


def _params(value):
    """A parameter value with each estimator in it as its class and parameters.

    Clones of a composition's members are new objects with equal parameters.
    """
    if hasattr(value, "get_params") and not isinstance(value, type):
        params = value.get_params(deep=False)
        return type(value), {name: _params(inner) for name, inner in params.items()}
    if isinstance(value, list | tuple):
        return type(value)(_params(inner) for inner in value)
    return value


def test_clone_is_unfitted_with_equal_params(case, X, y):
    detector = case.make().fit(X, y)
    cloned = clone(detector)
    assert _params(cloned) == _params(detector)
    assert not hasattr(cloned, "net_") and not hasattr(cloned, "offset_")
    with pytest.raises(NotFittedError):
        cloned.score_samples(X)


def test_history_records_every_epoch(deep_case, X, y):
    detector = deep_case.make().fit(X, y)
    assert len(detector.history_) == deep_case.params["max_epochs"]
    assert np.all(np.isfinite(detector.history_[:, "train_loss"]))


@pytest.mark.parametrize(
    "n_rows, batch_size, early_stopping, epochs",
    [
        (120, 256, False, 1000),  # one batch an epoch: 1,000 epochs
        (120, 50, False, 334),  # three batches an epoch: ceil(1000 / 3)
        # 20 % held out leaves 96 rows, two batches: 500 epochs at most
        (120, 50, True, 500),
    ],
)
def test_auto_max_epochs_gives_small_tables_a_thousand_steps(
    X, n_rows, batch_size, early_stopping, epochs
):
    # On rows known to be genuine; MemAE's "auto" is this rule whatever the rows.
    detector = AutoEncoderDetector(
        **{**FAST, "max_epochs": "auto"},
        batch_size=batch_size,
        early_stopping=early_stopping,
        validation_fraction=0.2,
        patience=10_000,
        train_on="normal",
    ).fit(X[:n_rows], np.zeros(n_rows, dtype=int))
    assert detector.net_.max_epochs == epochs
    assert len(detector.history_) == epochs


@pytest.mark.parametrize("detector_class", [AutoEncoderDetector, VAEDetector])
def test_auto_settings_follow_train_on(detector_class):
    # Rows that may hide frauds: 50 epochs however few the batches (longer
    # training learns to rebuild the frauds too), and at most 2,000 steps:
    # 14,000 rows are 55 batches of 256, 37 epochs reach 2,035 steps ...
    assert detector_class()._epochs(120) == 50
    assert detector_class()._epochs(10_000) == 50  # 40 batches: 2,000 steps
    assert detector_class()._epochs(14_000) == 37
    assert detector_class()._epochs(100_000) == 6  # 391 batches
    # ... rows known to be genuine: 1,000 steps, however many epochs.
    told = detector_class(train_on="normal")
    assert told._epochs(120) == 1000  # one batch of 256
    assert told._epochs(14_000) == 19  # 1,045 steps
    assert told._epochs(100_000) == 3
    # An explicit bound still applies after "auto".
    assert detector_class(max_steps=100)._epochs(14_000) == 2


@pytest.mark.parametrize("train_on", ["all", "normal"])
def test_memae_auto_is_bounded_whatever_the_rows(train_on):
    # 50 epochs or at least 1,000 steps, and at most 2,000 steps, whether
    # or not the rows are known to be genuine.
    memae = MemAEDetector(train_on=train_on)
    assert memae._epochs(120) == 1000  # one batch of 256
    assert memae._epochs(10_000) == 50  # 40 batches: 2,000 steps
    assert memae._epochs(14_000) == 37  # 55 batches: 2,035 steps
    assert memae._epochs(100_000) == 6  # 391 batches: 2,346 steps
    assert MemAEDetector(train_on=train_on, max_steps=100)._epochs(14_000) == 2


def test_autoencoder_code_follows_train_on():
    assert AutoEncoderDetector()._latent_size(30) == 1
    assert AutoEncoderDetector(train_on="normal")._latent_size(30) == 2
    # Never as wide as the input: the identity would rebuild anything.
    assert AutoEncoderDetector(train_on="normal")._latent_size(2) == 1
    assert AutoEncoderDetector(latent_dim=5, train_on="normal")._latent_size(30) == 5


@pytest.mark.parametrize(
    "detector, n_rows, epochs",
    [
        # 4,000 batches of 256 rows an epoch: the 2,000-step bound is the
        # first epoch
        (MemAEDetector(max_epochs="auto"), 1_024_000, 1),
        (MemAEDetector(max_epochs="auto"), 2_560, 100),  # 10 batches
        (AutoEncoderDetector(max_epochs=7), 2_560, 7),
        # DevNet draws n_batches_per_epoch batches whatever the rows
        (DevNetDetector(max_epochs="auto", n_batches_per_epoch=10), 50, 100),
        (DevNetDetector(max_epochs="auto", n_batches_per_epoch=40), 10**6, 50),
    ],
)
def test_auto_max_epochs_resolves_from_the_batches_of_an_epoch(
    detector, n_rows, epochs
):
    assert detector._epochs(n_rows) == epochs


@pytest.mark.parametrize("fmt", ["csr", "csc"])
@pytest.mark.parametrize("case", _SPARSE, ids=ids(_SPARSE))
def test_sparse_input_scores_like_dense(case, fmt):
    y_sparse = labels_for(np.zeros((150, 1)))
    X_sparse = sp.random(150, 20, density=0.1, format=fmt, random_state=1) * 1.0
    X_dense = X_sparse.toarray()
    sparse_scores = case.make().fit(X_sparse, y_sparse).score_samples(X_sparse)
    dense_scores = case.make().fit(X_dense, y_sparse).score_samples(X_dense)
    np.testing.assert_allclose(sparse_scores, dense_scores, rtol=1e-4, atol=1e-6)


def test_dataframe_input_keeps_feature_names(case, X, y):
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(5)])
    detector = case.make().fit(frame, y)
    assert list(detector.feature_names_in_) == list(frame.columns)
    with pytest.warns(UserWarning, match="valid feature names"):
        from_array = detector.score_samples(X)
    np.testing.assert_allclose(detector.score_samples(frame), from_array)
    with pytest.raises(ValueError, match="feature names"):
        detector.score_samples(frame[frame.columns[::-1]])


@pytest.mark.parametrize("case", _UNSUPERVISED, ids=ids(_UNSUPERVISED))
def test_train_on_normal_uses_only_rows_labelled_zero(case, X):
    y = np.zeros(len(X), dtype=int)
    y[::4] = 1
    on_normal = case.make(train_on="normal").fit(X, y)
    # The subset is all genuine rows too: train_on="normal" with zero labels
    # keeps every setting that follows train_on (the autoencoder's trim).
    on_subset = case.make(train_on="normal").fit(X[y == 0], y[y == 0])
    np.testing.assert_array_equal(
        on_normal.score_samples(X), on_subset.score_samples(X)
    )
    ignored = case.make().fit(X, y)
    without_y = case.make().fit(X)
    # By default y is ignored, except by the detectors that learn from labels.
    assert case.learns_from_y != np.array_equal(
        ignored.score_samples(X), without_y.score_samples(X)
    )


def test_train_on_normal_with_sparse_input(X):
    y = (np.arange(len(X)) % 3 == 0).astype(int)
    on_normal = AutoEncoderDetector(**FAST, train_on="normal").fit(sp.csr_matrix(X), y)
    # trim="auto" leaves genuine rows untrimmed: the plain loss on the subset.
    on_subset = AutoEncoderDetector(**FAST, trim=0.0).fit(X[y == 0])
    np.testing.assert_allclose(
        on_normal.score_samples(X), on_subset.score_samples(X), rtol=1e-5
    )


def test_early_stopping_stops_and_restores_best_weights(X):
    detector = AutoEncoderDetector(
        **{**FAST, "max_epochs": 300},
        early_stopping=True,
        patience=2,
        lr=0.05,
    ).fit(X)
    history = detector.history_
    assert len(history) < 300
    valid_losses = history[:, "valid_loss"]
    stopper = dict(detector.net_.callbacks_)["early_stopping"]
    assert stopper.best_epoch_ == 1 + int(np.argmin(valid_losses))
    restored = detector.net_.module_.state_dict()
    for name, tensor in stopper.best_model_weights_.items():
        assert torch.equal(restored[name], tensor)


class _EpochCounter(Callback):
    def initialize(self):
        self.epochs = 0
        return self

    def on_epoch_end(self, net, **kwargs):
        self.epochs += 1


def test_extra_callbacks_are_called_without_mutating_the_parameter(X):
    counter = _EpochCounter()
    detector = AutoEncoderDetector(**FAST, callbacks=[counter]).fit(X)
    used = [cb for _, cb in detector.net_.callbacks_ if isinstance(cb, _EpochCounter)]
    assert used[0].epochs == FAST["max_epochs"]
    assert detector.callbacks[0] is counter and not hasattr(counter, "epochs")


def test_verbose_zero_is_silent(X, capsys):
    AutoEncoderDetector(**FAST).fit(X)
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


@pytest.mark.parametrize("sparse", [False, True], ids=["dense", "sparse"])
@pytest.mark.parametrize("detector_class", ALL_UNSUPERVISED, ids=lambda c: c.__name__)
def test_verbose_shows_batch_progress_and_epoch_losses(
    detector_class, X, sparse, capsys
):
    X_in = sp.csr_matrix(X) if sparse else X
    detector_class(**FAST, batch_size=50, verbose=1).fit(X_in)
    captured = capsys.readouterr()
    # 120 rows in batches of 50: a bar over 3 batches in each epoch ...
    assert captured.err.count("0/3") == FAST["max_epochs"]
    # ... and one line of losses per epoch.
    epoch_lines = re.findall(r"^\s+(\d+)\s+\S*\d+\.\d+", captured.out, re.M)
    assert [int(epoch) for epoch in epoch_lines] == list(range(1, 6))


def test_verbose_progress_counts_the_balanced_batches_of_devnet(X, capsys):
    y = (np.arange(len(X)) < 10).astype(int)
    DevNetDetector(
        hidden_dims=(8,), max_epochs=2, n_batches_per_epoch=4, verbose=1
    ).fit(sp.csr_matrix(X), y)
    assert capsys.readouterr().err.count("0/4") == 2


def test_diverging_training_raises_a_clear_error():
    X = np.full((40, 3), 1e30, dtype=np.float32)  # squares overflow float32
    X[::2] *= -1
    with pytest.raises(FloatingPointError, match="diverged"):
        AutoEncoderDetector(**FAST).fit(X)


# ---- bad input --------------------------------------------------------------


@pytest.mark.parametrize("bad", [np.nan, np.inf])
@pytest.mark.parametrize("case", _NAN_REJECTED, ids=ids(_NAN_REJECTED))
def test_non_finite_values_are_rejected(case, X, y, bad):
    X_bad = X.copy()
    X_bad[3, 2] = bad
    with pytest.raises(ValueError, match="(?i)nan|infinity"):
        case.make().fit(X_bad, y)
    detector = case.make().fit(X, y)
    with pytest.raises(ValueError, match="(?i)nan|infinity"):
        detector.score_samples(X_bad)


def test_strings_without_an_encoder_are_rejected(X):
    frame = pd.DataFrame(X[:, :2], columns=["amount", "hour"])
    frame["merchant"] = "shop"
    with pytest.raises(ValueError, match="Encode categorical columns"):
        AutoEncoderDetector(**FAST).fit(frame)


def test_wrong_number_of_features_names_the_expected_count(case, X, y):
    detector = case.make().fit(X, y)
    with pytest.raises(ValueError, match="expecting 5 features"):
        detector.predict(X[:, :3])


def test_empty_and_single_row_inputs_are_rejected(X):
    with pytest.raises(ValueError, match="0 sample"):
        AutoEncoderDetector(**FAST).fit(X[:0])
    with pytest.raises(ValueError, match="1 sample"):
        AutoEncoderDetector(**FAST).fit(X[:1])


def test_train_on_normal_needs_normal_rows(X):
    with pytest.raises(ValueError, match="needs y"):
        AutoEncoderDetector(**FAST, train_on="normal").fit(X)
    with pytest.raises(ValueError, match="y == 0"):
        AutoEncoderDetector(**FAST, train_on="normal").fit(X, np.ones(len(X)))
    with pytest.raises(ValueError, match="shape"):
        AutoEncoderDetector(**FAST, train_on="normal").fit(X, np.zeros(3))


@pytest.mark.parametrize("dtype", [str, object])
def test_train_on_normal_names_string_labels(X, dtype):
    y = np.where(np.arange(len(X)) % 4 == 0, "fraud", "normal").astype(dtype)
    with pytest.raises(ValueError, match=r"y holds strings \('fraud', 'normal'\)"):
        AutoEncoderDetector(**FAST, train_on="normal").fit(X, y)


@pytest.mark.parametrize("device", ["gpu", "cuda:x", "tpu"])
def test_unknown_device_is_rejected(X, device):
    with pytest.raises(ValueError, match="device must be"):
        AutoEncoderDetector(**FAST, device=device).fit(X)


@pytest.mark.skipif(torch.cuda.is_available(), reason="CUDA is available")
def test_cuda_without_a_gpu_is_a_clear_error(X):
    with pytest.raises(ValueError, match="CUDA is not available"):
        AutoEncoderDetector(**FAST, device="cuda").fit(X)


@pytest.mark.parametrize("hidden_dims", [(0,), (8, -1), (2.5,), ((2, 3),)])
def test_invalid_hidden_dims_are_rejected(X, hidden_dims):
    with pytest.raises(ValueError, match="hidden_dims"):
        AutoEncoderDetector(**{**FAST, "hidden_dims": hidden_dims}).fit(X)


def test_early_stopping_needs_enough_rows():
    with pytest.raises(ValueError, match="validation_fraction"):
        AutoEncoderDetector(**FAST, early_stopping=True, validation_fraction=0.1).fit(
            np.zeros((3, 2))
        )


# ---- GPU ---------------------------------------------------------------------


@pytest.mark.gpu
@needs_cuda
@pytest.mark.parametrize("sparse", [False, True])
@pytest.mark.parametrize(
    "detector_class", ALL_UNSUPERVISED, ids=lambda cls: cls.__name__
)
def test_gpu_training_scores_like_cpu_and_pickles_to_cpu(detector_class, X, sparse):
    X_in = sp.csr_matrix(X) if sparse else X
    gpu = detector_class(**FAST, device="cuda").fit(X_in)
    assert gpu.net_.device == "cuda"
    assert next(gpu.net_.module_.parameters()).is_cuda
    cpu = detector_class(**FAST, device="cpu").fit(X_in)
    # Same seed, same initial weights and batches; the VAE's latent noise
    # comes from the device's generator, so the two fits agree in ranking
    # rather than value.
    correlation = spearmanr(gpu.score_samples(X_in), cpu.score_samples(X_in))[0]
    assert correlation > 0.95
    loaded = pickle.loads(pickle.dumps(gpu))
    np.testing.assert_allclose(
        loaded.score_samples(X_in), gpu.score_samples(X_in), rtol=1e-6
    )


@pytest.mark.gpu
@needs_cuda
@pytest.mark.parametrize(
    "detector_class, method",
    [
        (AutoEncoderDetector, "feature_contributions"),
        (VAEDetector, "feature_contributions"),
        (MemAEDetector, "memory_attention"),
        (DAGMMDetector, "gmm_input"),
    ],
    ids=lambda value: getattr(value, "__name__", value),
)
def test_gpu_model_unpickles_and_scores_in_a_cpu_only_process(
    detector_class, method, X, tmp_path
):
    gpu = detector_class(**FAST, device="cuda").fit(X)
    path = tmp_path / "model.joblib"
    joblib.dump(gpu, path)
    np.save(tmp_path / "X.npy", X)
    script = (
        "import sys, joblib, numpy as np, torch\n"
        "assert not torch.cuda.is_available()\n"
        f"model = joblib.load({str(path)!r})\n"
        f"X = np.load({str(tmp_path / 'X.npy')!r})\n"
        f"np.save({str(tmp_path / 'scores.npy')!r}, model.score_samples(X))\n"
        f"np.save({str(tmp_path / 'extra.npy')!r}, model.{method}(X))\n"
    )
    subprocess.run(
        [sys.executable, "-c", script],
        check=True,
        env={**os.environ, "CUDA_VISIBLE_DEVICES": ""},
    )
    np.testing.assert_allclose(
        np.load(tmp_path / "scores.npy"), gpu.score_samples(X), rtol=1e-4, atol=1e-6
    )
    extra = getattr(gpu, method)(X)
    assert extra.dtype == np.float64
    np.testing.assert_allclose(
        np.load(tmp_path / "extra.npy"), extra, rtol=1e-4, atol=1e-6
    )


class _ThreadRecorder(Callback):
    def initialize(self):
        self.seen = []
        return self

    def on_batch_begin(self, net, **kwargs):
        self.seen.append(torch.get_num_threads())


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_n_jobs_bounds_torch_threads_during_fit_and_restores_them(X, n_jobs):
    recorder = _ThreadRecorder()
    before = torch.get_num_threads()
    torch.set_num_threads(3)
    try:
        detector = AutoEncoderDetector(
            **FAST, n_jobs=n_jobs, callbacks=[("threads", recorder)]
        ).fit(X)
        assert set(dict(detector.net_.callbacks_)["threads"].seen) == {n_jobs}
        assert torch.get_num_threads() == 3
        detector.score_samples(X)
        assert torch.get_num_threads() == 3
    finally:
        torch.set_num_threads(before)


def test_n_jobs_none_leaves_torch_threads_alone(X):
    recorder = _ThreadRecorder()
    before = torch.get_num_threads()
    torch.set_num_threads(3)
    try:
        detector = AutoEncoderDetector(
            **FAST, n_jobs=None, callbacks=[("threads", recorder)]
        ).fit(X)
        assert set(dict(detector.net_.callbacks_)["threads"].seen) == {3}
    finally:
        torch.set_num_threads(before)


def test_threads_are_restored_when_fit_fails():
    before = torch.get_num_threads()
    torch.set_num_threads(3)
    try:
        X = np.full((40, 3), 1e30, dtype=np.float32)  # squares overflow float32
        X[::2] *= -1
        with pytest.raises(FloatingPointError):
            AutoEncoderDetector(**FAST).fit(X)
        assert torch.get_num_threads() == 3
    finally:
        torch.set_num_threads(before)


class _CentredAutoEncoder(AutoEncoderDetector):
    """Records, before the first step, the mean output of the initial net."""

    def _before_training(self, net, train_data):
        with torch.no_grad():
            first_output = net.module_(train_data.X).mean(dim=0)
        net.module_.register_buffer("first_output", first_output)
        self.steps_before_hook_ = len(net.history)
        self.rows_seen_by_hook_ = len(train_data)


def test_before_training_sees_the_initialised_net_and_its_state_survives(X):
    detector = _CentredAutoEncoder(
        **FAST, early_stopping=True, validation_fraction=0.25
    ).fit(X)
    assert detector.steps_before_hook_ == 0
    # The rows held out for early stopping are not training rows.
    assert detector.rows_seen_by_hook_ == 90
    buffer = detector.net_.module_.first_output
    # Set from the untrained network, the buffer differs from what the
    # trained one outputs, and training did not overwrite it.
    with torch.no_grad():
        trained_output = detector.net_.module_(torch.as_tensor(X[:90])).mean(dim=0)
    assert buffer.shape == (X.shape[1],)
    assert not torch.allclose(buffer, trained_output)
    assert "first_output" in detector.net_.module_.state_dict()


_TRIMMED = [AutoEncoderDetector, VAEDetector, DeepSVDDDetector, DTEDetector]


@pytest.mark.parametrize("detector_class", _TRIMMED)
def test_trim_auto_follows_train_on(detector_class, X):
    y = (np.arange(len(X)) % 5 == 0).astype(int)
    fast = {key: FAST[key] for key in detector_class().get_params() if key in FAST}
    # With train_on="normal" the rows are known to be genuine: nothing is trimmed.
    auto = detector_class(**fast, train_on="normal").fit(X, y)
    plain = detector_class(**fast, train_on="normal", trim=0.0).fit(X, y)
    np.testing.assert_array_equal(auto.score_samples(X), plain.score_samples(X))
    trimmed = detector_class(**fast, train_on="normal", trim=0.1).fit(X, y)
    assert not np.allclose(trimmed.score_samples(X), plain.score_samples(X))


@pytest.mark.parametrize("detector_class", _TRIMMED)
@pytest.mark.parametrize("trim", [0.5, -0.1, "all"])
def test_trim_out_of_range_is_refused(detector_class, trim, X):
    with pytest.raises(ValueError, match="trim"):
        detector_class(trim=trim).fit(X)


@pytest.mark.parametrize(
    ("max_epochs", "max_steps", "epochs"),
    # 100 rows in batches of 32: 4 steps an epoch. 7 steps end in the second
    # epoch; "auto" is 250 epochs (1,000 steps), cut to 3 by 10 steps.
    [(10, 7, 2), (10, None, 10), (10, 400, 10), ("auto", 10, 3)],
)
def test_max_steps_ends_training_after_the_epoch_that_reaches_it(
    max_epochs, max_steps, epochs
):
    X = np.random.default_rng(0).normal(size=(100, 4))
    detector = AutoEncoderDetector(
        hidden_dims=(4,),
        max_epochs=max_epochs,
        max_steps=max_steps,
        batch_size=32,
        random_state=0,
    ).fit(X)
    assert len(detector.history_) == epochs


def test_fits_in_threads_of_one_process_each_follow_their_own_seed():
    from concurrent.futures import ThreadPoolExecutor

    X = np.random.default_rng(0).normal(size=(300, 5))
    detectors = [
        AutoEncoderDetector(hidden_dims=(8,), max_epochs=5, random_state=seed)
        for seed in range(4)
    ]
    alone = [clone(d).fit(X).score_samples(X) for d in detectors]
    with ThreadPoolExecutor(4) as pool:
        fitted = list(pool.map(lambda d: clone(d).fit(X), detectors))
    for detector, expected in zip(fitted, alone, strict=True):
        np.testing.assert_array_equal(detector.score_samples(X), expected)
